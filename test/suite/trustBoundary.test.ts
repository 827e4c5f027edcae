// The trust boundary in the real extension host: server text that tries to be markup, commands
// called with arguments the extension did not make, and what other extensions can reach.
/* eslint-disable no-control-regex -- the characters under test */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { marked } from 'marked';
import type { PyramidSchedulesTestApi } from '../../src/testApi';
import { PyramidSimulator } from '../simulator/server';
import { TreeNode, outputText, pickLabel, useSimulator, waitFor, withSettings } from './helpers';
import { HOSTILE_ERROR, HOSTILE_NAME, LOG_LINE, VSCODE_LINK } from './hostileText';

/** Records the titles of progress notifications, and lets them run. */
function recordProgressTitles(): { titles: string[]; restore(): void } {
  const window = vscode.window as unknown as { withProgress: typeof vscode.window.withProgress };
  const original = window.withProgress;
  const titles: string[] = [];
  window.withProgress = (options, task) => {
    if (options.title) {
      titles.push(options.title);
    }
    return original(options, task);
  };
  return { titles, restore: () => (window.withProgress = original) };
}

async function scheduleNodeById(api: PyramidSchedulesTestApi, scheduleId: string): Promise<TreeNode> {
  for (const group of await api.tree.getChildren()) {
    const found = ((await api.tree.getChildren(group)) as TreeNode[]).find((node) => node.schedule?.scheduleId === scheduleId);
    if (found) {
      return found;
    }
  }
  assert.fail(`no schedule ${scheduleId} in the tree`);
}

describe('trust boundary', function () {
  this.timeout(60_000);
  const suite = useSimulator({ simulator: { durationScale: 0.05 }, settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 1, notifyOn: 'failures' } });
  const { dialogs } = suite;

  it('shows a hostile name and task error as inert text on every surface', async () => {
    const schedule = suite.sim.schedule('Warehouse Sync');
    schedule.spec.name = HOSTILE_NAME;
    schedule.run.tasks = [{ description: 'Load <i>staging</i>\n[error] forged', runMs: 200, error: HOSTILE_ERROR }];
    suite.api.tree.refresh();
    const node = await scheduleNodeById(suite.api, schedule.scheduleId);

    // Tree: plain text without control or bidi characters; the tooltip renders no link, image or HTML.
    const label = String(node.label);
    assert.ok(label.startsWith('Nightly $(zap) [Click me](command:pyramid.suspendSchedule') && label.endsWith('<img src=x onerror=alert(1)> [error] forged line evil'), label);
    assert.doesNotMatch(label, /[\u0000-\u001f\u202e]/);
    const tooltip = suite.api.tree.resolveTreeItem(node, node as never).tooltip as vscode.MarkdownString;
    assert.ok(!tooltip.isTrusted && !tooltip.supportHtml && !tooltip.supportThemeIcons, 'an untrusted tooltip without HTML or icons');
    const html = marked.parse(tooltip.value, { async: false });
    assert.doesNotMatch(html, /<(a|img|script)\b/i, html);
    assert.match(html, /\[Click me\]\(command:pyramid\.suspendSchedule/);

    // Run it: progress title, status bar, notification and log stay inert.
    const progress = recordProgressTitles();
    const started = Date.now();
    try {
      await vscode.commands.executeCommand('pyramid.runSchedule', node);
    } finally {
      progress.restore();
    }
    assert.ok(progress.titles.length > 0 && progress.titles.every((title) => !VSCODE_LINK.test(title) && !/[\n\u001b\u202e]/.test(title)), progress.titles.join(' | '));
    assert.doesNotMatch(suite.api.statusBar.shownText ?? '', /(^|[^\\])\$\(zap\)/, 'no unescaped $(zap) in the status bar');
    const failure = await waitFor('the failure notification', () => dialogs.messages.find((m) => m.severity === 'error' && m.text.includes('Load failed')), 20_000);
    assert.doesNotMatch(failure.text, VSCODE_LINK, failure.text);
    assert.doesNotMatch(failure.text, /[\n\r\u001b\u202e]/);
    assert.ok(failure.text.includes('[Open] (command:workbench.action.terminal.sendSequence'), 'the words are still there');
    const run = suite.api.monitor.recent.find((r) => r.scheduleId === schedule.scheduleId && r.startedAt >= started);
    assert.ok(run);
    assert.match(suite.api.statusBar.shownText ?? '', /\\\$\(zap\)/, 'the status bar shows the $( of the name literally');

    // The runs menu: labels and details expand no icon of the server's.
    const shownItems: vscode.QuickPickItem[] = [];
    dialogs.picks.push((items) => {
      shownItems.push(...(items as vscode.QuickPickItem[]));
      return undefined;
    });
    await vscode.commands.executeCommand('pyramid.showRuns');
    const item = shownItems.find((candidate) => candidate.label.includes('Click me'));
    assert.ok(item, 'the run is in the runs menu');
    assert.doesNotMatch(`${item.label} ${item.detail}`, /(^|[^\\])\$\(zap\)/);

    // The log: every line is one event, with the control characters written as escapes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = outputText(suite.api).split('\n').filter(Boolean);
    const offending = lines.filter((line) => !LOG_LINE.test(line) || /[\u0000-\u0008\u000b-\u001f\u202e]/.test(line));
    assert.deepStrictEqual(offending, [], 'no forged or coloured log line');
    assert.ok(lines.some((line) => line.includes('forged\\x1b[2J')), 'the escape sequence is shown, not played');
  });

  describe('commands that change the server, called with arguments the extension did not make', () => {
    const cases: [command: string, method: string, schedule: string][] = [
      ['pyramid.runSchedule', 'tasks/runSchedule', 'Churn Model Training'],
      ['pyramid.runScheduleCheckTriggers', 'tasks/runSchedule', 'Low Stock Alert'],
      ['pyramid.suspendSchedule', 'tasks/suspendSchedule', 'Inventory Refresh'],
      ['pyramid.resumeSchedule', 'tasks/resumeSchedule', 'HR Headcount Load'],
    ];
    for (const [command, method, name] of cases) {
      it(`${command} asks first, naming the schedule from the loaded list and the server, and sends nothing when declined`, async () => {
        await suite.api.tree.getChildren(); // the list is loaded, so the name comes from it
        const { scheduleId } = suite.sim.schedule(name);
        suite.sim.clearLog();
        await vscode.commands.executeCommand(command, { scheduleId, scheduleName: '[Trust me](command:x)', serverUrl: 'https://evil.example' });
        const question = dialogs.messages.at(-1);
        assert.ok(question, 'a question was asked');
        assert.ok(question.text.includes(`"${name}" on ${new URL(suite.sim.url).host}`), question.text);
        assert.ok(!question.text.includes('Trust me'), 'never the name the caller passed');
        assert.strictEqual(suite.sim.count(), 0, `no request before the answer: ${suite.sim.requests.map((r) => r.path).join(', ')}`);

        dialogs.answer = (message) => message.actions[0];
        await vscode.commands.executeCommand(command, { scheduleId });
        assert.strictEqual(suite.sim.count(method), 1, 'one request once confirmed');
      });
    }

    it('shows the raw id of a schedule the loaded list does not hold, and accepts a bare id string', async () => {
      suite.sim.clearLog();
      await vscode.commands.executeCommand('pyramid.runSchedule', 'no-such-schedule-id');
      assert.match(dialogs.messages.at(-1)?.text ?? '', /"no-such-schedule-id" on /);
      assert.strictEqual(suite.sim.count(), 0);
    });

    it('acts at once on the run passed by its own Run Again button', async () => {
      const finished = suite.api.monitor.recent[0];
      assert.ok(finished, 'a run ended before');
      dialogs.answer = (message) => (message.actions.includes('Run Again') ? 'Run Again' : undefined);
      dialogs.picks.push((items) => (items as (vscode.QuickPickItem & { run?: unknown })[]).find((item) => item.run === finished), pickLabel('Run Again'));
      suite.sim.clearLog();
      await vscode.commands.executeCommand('pyramid.showRuns');
      assert.strictEqual(suite.sim.count('tasks/runSchedule'), 1);
      assert.ok(!dialogs.messages.some((message) => message.text.includes('did not come from')), 'no question');
    });
  });

  it('a run stays with the server it was started on when pyramid.serverUrl changes meanwhile', async () => {
    const other = await PyramidSimulator.start({ durationScale: 0.05 });
    try {
      suite.sim.inject({ path: 'tasks/runSchedule', fault: { kind: 'latency', ms: 1_000 } });
      const running = vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNodeById(suite.api, suite.sim.schedule('Customer 360 Merge').scheduleId));
      await waitFor('the runSchedule request', () => suite.sim.count('tasks/runSchedule') > 0 || undefined);
      await vscode.workspace.getConfiguration('pyramid').update('serverUrl', other.url, vscode.ConfigurationTarget.Global);
      await running;
      const run = suite.api.monitor.watched.find((r) => r.scheduleName === 'Customer 360 Merge') ?? suite.api.monitor.recent.find((r) => r.scheduleName === 'Customer 360 Merge');
      assert.ok(run, 'the run is followed');
      assert.strictEqual(run.serverUrl, suite.sim.url);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.strictEqual(other.count(), 0, 'the other server heard nothing');
    } finally {
      await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
      await other.stop();
    }
  });

  it('auto-refresh waits at least 10 s, whatever the setting says', async () => {
    await suite.api.tree.getChildren();
    const restore = await withSettings({ autoRefreshSeconds: 0.001 });
    try {
      const before = suite.sim.count('tasks/findSchedule');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await suite.api.tree.getChildren();
      assert.ok(suite.sim.count('tasks/findSchedule') - before <= 1, `${suite.sim.count('tasks/findSchedule') - before} refreshes in 2 s`);
    } finally {
      await restore();
    }
  });

  it('shows each schedule once when the server lists an id twice, and says so in the log', async () => {
    suite.sim.inject({
      path: 'tasks/findSchedule',
      fault: { kind: 'json', body: [{ scheduleId: 'dup-1', name: 'Twice', type: 1, status: 0 }, { scheduleId: 'dup-1', name: 'Twice again', type: 1, status: 0 }] },
    });
    suite.api.tree.refresh();
    const groups = await suite.api.tree.getChildren();
    const rows = (await Promise.all(groups.map((group) => suite.api.tree.getChildren(group)))).flat() as TreeNode[];
    assert.deepStrictEqual(rows.map((row) => row.label), ['Twice']);
    await waitFor('the log line', () => outputText(suite.api).includes('listed 1 schedule(s) twice'));
    suite.api.tree.refresh();
  });

  it('exports no path to the token, the session, a client or SecretStorage', async () => {
    const tokens = [...new Set(suite.sim.requests.map((r) => r.token).filter((t): t is string => Boolean(t)))];
    assert.ok(tokens.length > 0);
    const roots: unknown[] = [suite.api, await suite.api.tree.getChildren()];
    const seen = new Set<unknown>();
    const stack = roots.map((value) => ({ value, path: 'exports' }));
    const found: string[] = [];
    while (stack.length && seen.size < 200_000) {
      const { value, path } = stack.pop()!;
      if (typeof value === 'string') {
        if (tokens.some((token) => value.includes(token))) {
          found.push(`${path}: a token`);
        }
        continue;
      }
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) {
        continue;
      }
      seen.add(value);
      const object = value as Record<string, unknown>;
      if (['store', 'get', 'delete', 'onDidChange'].every((key) => typeof object[key] === 'function')) {
        found.push(`${path}: something shaped like SecretStorage`);
      }
      if (['clientFor', 'runSchedule', 'authenticateUser', 'storeToken', 'update'].some((key) => typeof object[key] === 'function')) {
        found.push(`${path}: something that reaches the server or writes state`);
      }
      for (const key of Object.getOwnPropertyNames(value)) {
        let child: unknown;
        try {
          child = object[key];
        } catch {
          continue;
        }
        stack.push({ value: child, path: `${path}.${key}` });
      }
      if (value instanceof Map || value instanceof Set) {
        for (const entry of value.entries()) {
          stack.push({ value: entry, path: `${path}[entry]` });
        }
      }
    }
    assert.deepStrictEqual(found, []);
    assert.ok(seen.size > 10, 'the walk saw the exported graph');
  });
});
