// Pinned schedules inside a real VS Code against the simulator: pinning from the tree and the palette,
// the Pinned group and its rows, the checks of the runs Pyramid's own scheduler starts, what they
// announce (and what they must not), the badge, the settings, sign-out, and hostile server text.
// Checks run through "Check Pinned Schedules Now", never by waiting for the checker's timer.
/* eslint-disable no-control-regex -- the characters under test */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { marked } from 'marked';
import { ScheduleStatus } from '../simulator/server';
import { ShownMessage, TreeNode, outputText, pickLabel, signInTo, useSimulator, waitFor, withSettings } from './helpers';
import { HOSTILE_ERROR, HOSTILE_NAME, LOG_LINE, VSCODE_LINK } from './hostileText';

/** A pinned row as the tests read it: a schedule row, or a pin the list does not show. */
type PinnedRow = TreeNode & { pin?: { scheduleId: string } };

interface StoredPins {
  version: number;
  byOrigin: Record<string, { scheduleId: string; name: string; pinnedAt: number }[]>;
}

/** At durationScale 0.05 the runs these tests start end within 1.1 s of simulator time, which is real time. */
const RUNS_END_MS = 2_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pinned schedules', function () {
  this.timeout(90_000);
  const suite = useSimulator({
    simulator: { durationScale: 0.05 },
    // Checks at the longest interval: none falls due on its own while a test runs.
    settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 1, notifyOn: 'failures', pinnedRuns: 'failures', pinnedCheckSeconds: 3600, groupBy: 'type' },
  });
  const { dialogs } = suite;

  const origin = () => new URL(suite.sim.url).origin;
  const idOf = (name: string) => suite.sim.schedule(name).scheduleId;
  const rootRows = async () => (await suite.api.tree.getChildren()) as TreeNode[];

  async function pinnedRows(): Promise<PinnedRow[]> {
    const group = (await rootRows()).find((node) => node.id === 'group:pinned');
    return group ? ((await suite.api.tree.getChildren(group as never)) as PinnedRow[]) : [];
  }

  async function pinnedRow(scheduleId: string): Promise<PinnedRow | undefined> {
    return (await pinnedRows()).find((node) => node.id === `pinned:${scheduleId}`);
  }

  /** The schedule's row in its own group (not the Pinned one). */
  async function groupRow(scheduleId: string): Promise<TreeNode> {
    for (const group of await rootRows()) {
      if (group.id === 'group:pinned') {
        continue;
      }
      const found = ((await suite.api.tree.getChildren(group as never)) as TreeNode[]).find((node) => node.schedule?.scheduleId === scheduleId);
      if (found) {
        return found;
      }
    }
    assert.fail(`no row of ${scheduleId} outside the Pinned group`);
  }

  /** Resolves at the next round of checks the extension dealt with (rows, badge, notifications). */
  function nextCheck(what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`timed out waiting for ${what}`));
      }, 20_000);
      const subscription = suite.api.pins.onDidCheck(() => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });
  }

  /** Pins through the command (a tree row, or the palette's quick pick without one) and waits for the new pin's first check. */
  async function pin(target?: TreeNode): Promise<void> {
    const checked = nextCheck('the first check of the new pin');
    await vscode.commands.executeCommand('pyramid.pinSchedule', target);
    await checked;
  }

  const pinByName = async (name: string) => pin(await groupRow(idOf(name)));

  /** Check Pinned Schedules Now, waiting until its answers were dealt with. */
  async function checkPinned(): Promise<void> {
    const checked = nextCheck('the round of Check Pinned Schedules Now');
    await vscode.commands.executeCommand('pyramid.checkPinned');
    await checked;
    const refused = dialogs.messages.find((m) => m.text.startsWith('Could not check'));
    assert.ok(!refused, refused?.text);
  }

  /** The notifications about failed pinned schedules (the monitor's own say "ended"). */
  const pinnedNotices = (): ShownMessage[] => dialogs.messages.filter((m) => /^(Pinned schedule |\d+ pinned schedules failed)/.test(m.text));

  const description = async (scheduleId: string) => String((await pinnedRow(scheduleId))?.description ?? '');

  afterEach(async function () {
    this.timeout(30_000);
    await unpinAll();
    await waitFor('no timer once nothing is pinned', () => !suite.api.pins.hasTimer, 20_000);
  });

  async function unpinAll(): Promise<void> {
    for (const { scheduleId } of suite.api.pins.pinned) {
      dialogs.picks.push((items) => (items as (vscode.QuickPickItem & { pin: { scheduleId: string } })[]).find((item) => item.pin.scheduleId === scheduleId));
      await vscode.commands.executeCommand('pyramid.unpinSchedule');
    }
    assert.deepEqual(suite.api.pins.pinned, [], 'every pin is gone');
  }

  it('pins from a tree row and from the palette, shows a Pinned group first, keeps the pins per server, and unpins', async () => {
    const nightly = idOf('Nightly Sales Load');
    const logCleanup = idOf('Log Cleanup');
    assert.equal(suite.api.pins.hasTimer, false, 'no timer while nothing is pinned');
    assert.ok(!(await rootRows()).some((node) => node.id === 'group:pinned'), 'no Pinned group yet');

    await pin(await groupRow(nightly));
    let offered: string[] = [];
    dialogs.picks.push((items) => {
      offered = items.map((item) => (typeof item === 'string' ? item : item.label));
      return pickLabel('Log Cleanup')(items);
    });
    await pin();
    assert.ok(!offered.includes('Nightly Sales Load'), 'the palette does not offer a pinned schedule');

    const roots = await rootRows();
    assert.equal(roots[0].id, 'group:pinned', 'the Pinned group comes first');
    assert.equal(roots[0].label, 'Pinned');
    const rows = await pinnedRows();
    assert.deepEqual(rows.map((row) => row.id), [`pinned:${nightly}`, `pinned:${logCleanup}`]);
    assert.deepEqual(rows.map((row) => row.label), ['Nightly Sales Load', 'Log Cleanup']);
    const ownRow = await groupRow(nightly);
    assert.equal(ownRow.id, `schedule:${nightly}`, 'the schedule stays in its own group');
    for (const row of [rows[0], ownRow]) {
      assert.match(String(row.contextValue), /\bpinned\b/, `${row.id}: ${row.contextValue}`);
    }
    assert.doesNotMatch(String((await groupRow(idOf('Warehouse Sync'))).contextValue), /\bpinned\b/);

    const stored = suite.api.storedState.global.get('pyramid.pins') as StoredPins;
    assert.equal(stored.version, 1);
    assert.deepEqual(stored.byOrigin[origin()].map((kept) => [kept.scheduleId, kept.name]), [[nightly, 'Nightly Sales Load'], [logCleanup, 'Log Cleanup']]);
    assert.deepEqual(suite.api.pins.pinned.map((kept) => kept.scheduleId), [nightly, logCleanup]);
    assert.equal(suite.api.pins.hasTimer, true, 'pins are checked on a timer');

    await vscode.commands.executeCommand('pyramid.unpinSchedule', rows[0]);
    assert.deepEqual((await pinnedRows()).map((row) => row.id), [`pinned:${logCleanup}`]);
    assert.doesNotMatch(String((await groupRow(nightly)).contextValue), /\bpinned\b/);
    dialogs.picks.push(pickLabel('Log Cleanup'));
    await vscode.commands.executeCommand('pyramid.unpinSchedule');
    assert.ok(!(await rootRows()).some((node) => node.id === 'group:pinned'), 'the Pinned group is gone with the last pin');
    assert.equal((suite.api.storedState.global.get('pyramid.pins') as StoredPins).byOrigin[origin()], undefined);
    await waitFor('no timer once nothing is pinned', () => !suite.api.pins.hasTimer, 20_000);
  });

  it('describes the latest run on each pinned row, and lists the latest runs in its tooltip', async () => {
    const churn = suite.sim.schedule('Churn Model Training');
    const churnTasks = churn.run.tasks;
    try {
      for (const name of ['Regional Sales Pack', 'Warehouse Sync', 'Churn Model Training']) {
        await pinByName(name);
      }
      churn.run.tasks = [{ description: 'Customer Churn Model', runMs: 24 * 3_600_000 }];
      const now = Date.now();
      suite.sim.startScheduledRun('Regional Sales Pack', { outcome: 'succeeded' });
      suite.sim.startScheduledRun('Warehouse Sync', { outcome: 'failed', at: now - 3 * 60_000 });
      suite.sim.startScheduledRun('Churn Model Training', { outcome: 'succeeded', at: now - 90_000 });
      await sleep(RUNS_END_MS);
      await checkPinned();

      assert.match(await description(idOf('Regional Sales Pack')), /^finished \d\d:\d\d · \d+s$/);
      assert.match(await description(idOf('Warehouse Sync')), /^failed \d+m ago$/);
      assert.match(await description(idOf('Churn Model Training')), /^running for \d+m$/);

      const row = (await pinnedRow(idOf('Warehouse Sync')))!;
      const tooltip = suite.api.tree.resolveTreeItem(row, row as never).tooltip as vscode.MarkdownString;
      const html = marked.parse(tooltip.value, { async: false });
      const latestRuns = html.split('Latest runs')[1] ?? '';
      const runRows = latestRuns.split('<tbody>')[1]?.split('<tr>').slice(1) ?? [];
      assert.ok(runRows.length >= 2, `the tooltip lists the latest runs: ${html}`);
      assert.match(runRows[0], /Failed/);
      assert.match(runRows[0], /Connection to warehouse-db01:5432 refused/);
      const own = await groupRow(idOf('Warehouse Sync'));
      const ownTooltip = suite.api.tree.resolveTreeItem(own, own as never).tooltip as vscode.MarkdownString;
      assert.doesNotMatch(ownTooltip.value, /Latest runs/, 'the row in its own group is unchanged');
    } finally {
      churn.run.tasks = churnTasks;
    }
  });

  it('does not announce runs that failed before the schedule was pinned', async () => {
    const merge = idOf('Customer 360 Merge');
    // Its runs are read (and kept a while) before the failure, as when the row was expanded earlier.
    await suite.api.tree.getChildren((await groupRow(merge)) as never);
    suite.sim.startScheduledRun('Customer 360 Merge', { outcome: 'failed' });
    await sleep(RUNS_END_MS);

    await pinByName('Customer 360 Merge');
    await waitFor('the pinned row to show the failure', async () => /^finished with errors/.test(await description(merge)), 20_000);
    await checkPinned();
    assert.deepEqual(pinnedNotices(), []);
    assert.ok(!outputText(suite.api).includes('Pinned "Customer 360 Merge": the run started'), 'nothing announced in the output either');
    assert.deepEqual(suite.api.pins.badge, { value: 1, tooltip: 'Failing pinned schedules: Customer 360 Merge' }, 'it is failing all the same');
  });

  it('announces a failure the server started once, with Show Output and Run Again, and badges it until a run succeeds', async () => {
    await pinByName('Nightly Sales Load');
    assert.equal(suite.api.pins.badge, undefined, 'no badge while its runs succeed');
    suite.sim.startScheduledRun('Nightly Sales Load', { outcome: 'failed' });
    await sleep(RUNS_END_MS);
    await checkPinned();

    const notice = await waitFor('the notification', () => pinnedNotices()[0], 20_000);
    assert.equal(notice.severity, 'error');
    assert.match(notice.text, /^Pinned schedule "Nightly Sales Load" failed \((just now|\d+m ago)\): .*timed out after 3600 seconds/);
    assert.deepEqual(notice.actions, ['Show Output', 'Run Again', 'Show Details']);
    assert.deepEqual(suite.api.pins.badge, { value: 1, tooltip: 'Failing pinned schedules: Nightly Sales Load' });

    await checkPinned();
    assert.equal(pinnedNotices().length, 1, 'the same failure is not announced again');

    suite.sim.startScheduledRun('Nightly Sales Load', { outcome: 'succeeded' });
    await sleep(RUNS_END_MS);
    await checkPinned();
    await waitFor('the badge to clear', () => suite.api.pins.badge === undefined, 20_000);
    assert.match(await description(idOf('Nightly Sales Load')), /^finished \d\d:\d\d/);
    assert.equal(pinnedNotices().length, 1);
  });

  it('announces failures of several pinned schedules found by one check in one summary', async () => {
    await pinByName('Inventory Refresh');
    await pinByName('Weekly Executive Report');
    suite.sim.startScheduledRun('Inventory Refresh', { outcome: 'failed' });
    suite.sim.startScheduledRun('Weekly Executive Report', { outcome: 'failed' });
    await sleep(RUNS_END_MS);
    await checkPinned();

    await waitFor('the summary', () => pinnedNotices()[0], 20_000);
    assert.deepEqual(
      pinnedNotices().map((m) => [m.severity, m.text]),
      [['error', '2 pinned schedules failed: "Inventory Refresh", "Weekly Executive Report".']],
    );
    assert.equal(suite.api.pins.badge?.value, 2);
  });

  it('with pinnedRuns "all", follows a run the server started from its start time on the server', async () => {
    const finance = suite.sim.schedule('Finance Cube Reprocess');
    const tasks = finance.run.tasks;
    const restore = await withSettings({ pinnedRuns: 'all' });
    try {
      await pinByName('Finance Cube Reprocess');
      finance.run.tasks = [{ description: 'Finance Cube', runMs: 24 * 3_600_000 }];
      const executionId = suite.sim.startScheduledRun('Finance Cube Reprocess', { outcome: 'succeeded', at: Date.now() - 30_000 });
      const startedAt = suite.sim.scheduledRuns.find((run) => run.executionId === executionId)!.at;
      await checkPinned();

      const followed = await waitFor('the monitor to follow the run', () => suite.api.monitor.watched.find((run) => run.kind === 'execution' && run.executionId === executionId), 20_000);
      assert.equal(followed.startedAt, startedAt, 'from the server start time, not from now');
      await waitFor('the status bar to show it', () => suite.api.statusBar.shownText?.includes('Finance Cube Reprocess'), 20_000);
      assert.deepEqual(pinnedNotices(), []);
    } finally {
      finance.run.tasks = tasks;
      await restore();
    }
  });

  it('announces nothing with pinnedRuns "none", nor with notifyOn "none" (only the output channel says so)', async () => {
    const digest = idOf('Daily KPI Digest');
    const logged = () => outputText(suite.api).split('\n').filter((line) => line.includes('Pinned "Daily KPI Digest": the run started')).length;
    await pinByName('Daily KPI Digest');

    let restore = await withSettings({ pinnedRuns: 'none' });
    try {
      suite.sim.startScheduledRun('Daily KPI Digest', { outcome: 'failed' });
      await sleep(RUNS_END_MS);
      await checkPinned();
      await waitFor('the pinned row to show the failure', async () => /^failed/.test(await description(digest)), 20_000);
      assert.deepEqual(pinnedNotices(), []);
      assert.equal(logged(), 0, 'not even a line in the output');
    } finally {
      await restore();
    }

    restore = await withSettings({ notifyOn: 'none' });
    try {
      suite.sim.startScheduledRun('Daily KPI Digest', { outcome: 'failed' });
      await sleep(RUNS_END_MS);
      await checkPinned();
      await waitFor('the failure in the output', () => logged() === 1, 20_000);
      assert.deepEqual(pinnedNotices(), []);
    } finally {
      await restore();
    }
  });

  it('leaves a run the user started to the monitor: one notification, not also a pinned failure', async () => {
    const warehouse = idOf('Warehouse Sync');
    await pinByName('Warehouse Sync');
    await vscode.commands.executeCommand('pyramid.runSchedule', await groupRow(warehouse));
    const own = await waitFor('the monitor notification', () => dialogs.messages.find((m) => m.severity === 'error' && m.text.startsWith('"Warehouse Sync" ended')), 30_000);
    const run = suite.api.monitor.recent.find((candidate) => candidate.scheduleId === warehouse);
    assert.ok(run?.kind === 'execution');

    await checkPinned();
    await waitFor('the pinned row to show the run', async () => /^failed (just now|1m ago)/.test(await description(warehouse)), 20_000);
    const runs = (await suite.api.tree.getChildren((await pinnedRow(warehouse)) as never)) as TreeNode[];
    assert.ok(runs.some((node) => node.id === `pinned:execution:${run.executionId}`), 'the check read the run');
    assert.deepEqual(pinnedNotices(), []);
    assert.deepEqual(dialogs.messages.filter((m) => m.text.includes('Warehouse Sync')), [own]);
  });

  it('stops checking when signed out, and checks again after signing in', async () => {
    await pinByName('Log Cleanup');
    assert.equal(suite.api.pins.hasTimer, true);
    await vscode.commands.executeCommand('pyramid.signOut');
    await waitFor('the checks to stop', () => !suite.api.pins.hasTimer, 20_000);

    const checked = nextCheck('the check after signing in');
    await signInTo(suite.sim, dialogs);
    await checked;
    await waitFor('the checks to go on', () => suite.api.pins.hasTimer, 20_000);
    assert.match(await description(idOf('Log Cleanup')), /^finished/);
  });

  it('shows a pin the filter hides, and one the server no longer lists', async () => {
    const warehouse = idOf('Warehouse Sync');
    const boardPack = suite.sim.schedule('Quarterly Board Pack');
    const status = boardPack.status;
    await pinByName('Warehouse Sync');
    try {
      dialogs.inputs.push('sales');
      dialogs.picks.push(pickLabel('contains'));
      await vscode.commands.executeCommand('pyramid.filter');
      assert.deepEqual(suite.api.tree.filter, { text: 'sales', matchType: 0 });
      const hidden = await waitFor('the hidden pin', async () => {
        const row = await pinnedRow(warehouse);
        return row?.contextValue === 'pin hidden' ? row : undefined;
      }, 20_000);
      assert.equal(hidden.label, 'Warehouse Sync');
      assert.match(String(hidden.description), /^failed .* · hidden by the filter$/);
    } finally {
      await vscode.commands.executeCommand('pyramid.clearFilter');
    }
    await waitFor('the schedule row again', async () => /\bpinned\b/.test(String((await pinnedRow(warehouse))?.contextValue)), 20_000);

    await pinByName('Quarterly Board Pack');
    try {
      boardPack.status = ScheduleStatus.DELETED;
      suite.api.tree.refresh();
      const gone = await waitFor('the gone pin', async () => {
        const row = await pinnedRow(boardPack.scheduleId);
        return row?.contextValue === 'pin gone' ? row : undefined;
      }, 20_000);
      assert.equal(gone.label, 'Quarterly Board Pack');
      assert.equal(gone.description, 'no longer on the server');
      await vscode.commands.executeCommand('pyramid.unpinSchedule', gone);
      assert.ok(!suite.api.pins.pinned.some((kept) => kept.scheduleId === boardPack.scheduleId), 'unpinned from its row');
    } finally {
      boardPack.status = status;
      suite.api.tree.refresh();
    }
  });

  it('shows a hostile schedule name and task error as inert text in the notification, the row and the badge', async () => {
    const schedule = suite.sim.schedule('Database Maintenance');
    const { name } = schedule.spec;
    const tasks = schedule.run.tasks;
    try {
      schedule.spec.name = HOSTILE_NAME;
      schedule.run.tasks = [{ description: 'Load <i>staging</i>\n[error] forged', runMs: 200, error: HOSTILE_ERROR }];
      suite.api.tree.refresh();
      const row = await waitFor('the renamed row', async () => {
        const found = await groupRow(schedule.scheduleId);
        return String(found.label).startsWith('Nightly $(zap)') ? found : undefined;
      }, 20_000);
      await pin(row);
      suite.sim.startScheduledRun(schedule.scheduleId, { outcome: 'failed' });
      await sleep(RUNS_END_MS);
      await checkPinned();

      const notice = await waitFor('the notification', () => pinnedNotices()[0], 20_000);
      assert.ok(notice.text.startsWith('Pinned schedule "Nightly $(zap) [Click me] (command:pyramid.suspendSchedule'), notice.text);
      assert.doesNotMatch(notice.text, VSCODE_LINK, notice.text);
      assert.doesNotMatch(notice.text, /[\n\r\u001b\u202e]/);
      assert.ok(notice.text.includes('[Open] (command:workbench.action.terminal.sendSequence'), 'the words are still there');

      const pinned = (await pinnedRow(schedule.scheduleId))!;
      for (const text of [String(pinned.label), String(pinned.description)]) {
        assert.doesNotMatch(text, /[\u0000-\u001f\u202e]/, text);
      }
      assert.match(String(pinned.description), /^failed/);
      const tooltip = suite.api.tree.resolveTreeItem(pinned, pinned as never).tooltip as vscode.MarkdownString;
      assert.ok(!tooltip.isTrusted && !tooltip.supportHtml && !tooltip.supportThemeIcons, 'an untrusted tooltip without HTML or icons');
      const html = marked.parse(tooltip.value, { async: false });
      assert.doesNotMatch(html, /<(a|img|script|b|i)\b/i, html);
      assert.match(html, /Load failed: \[Open\]\(command:workbench/);

      const badge = suite.api.pins.badge;
      assert.ok(badge, 'the failing schedule has a badge');
      assert.ok(badge.tooltip.includes('[Click me](command:pyramid.suspendSchedule'), `the badge names it: ${badge.tooltip}`);
      assert.doesNotMatch(badge.tooltip, /[\u0000-\u001f\u202e]/, 'the badge tooltip is one plain line');

      const lines = outputText(suite.api).split('\n').filter(Boolean);
      const offending = lines.filter((line) => !LOG_LINE.test(line) || /[\u0000-\u0008\u000b-\u001f\u202e]/.test(line));
      assert.deepStrictEqual(offending, [], 'no forged or coloured log line');
    } finally {
      schedule.spec.name = name;
      schedule.run.tasks = tasks;
      suite.api.tree.refresh();
    }
  });
});
