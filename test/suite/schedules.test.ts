// The product inside a real VS Code against the simulator: sign-in, the tree, run, suspend, resume,
// the monitor's status bar, output channel and notifications, and an expired token during a run.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ScheduleStatus } from '../simulator/server';
import { findScheduleNode, outputText, pickLabel, signInTo, useSimulator, waitFor, withSettings } from './helpers';
import type { TreeNode as Node } from './helpers';

describe('schedules, runs and the monitor', function () {
  this.timeout(60_000);
  const suite = useSimulator({
    simulator: { durationScale: 0.05 },
    settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, notifyOn: 'all', groupBy: 'type' },
  });
  const { dialogs } = suite;

  const rootNodes = async () => (await suite.api.tree.getChildren()) as Node[];
  const groupNames = async () => (await rootNodes()).map((node) => String(node.label));
  const scheduleNode = (name: string) => findScheduleNode(suite.api, name);
  const runSent = (name: string) =>
    suite.sim.requests.filter((r) => r.path === 'tasks/runSchedule' && JSON.parse(r.body).scheduleId === suite.sim.schedule(name).scheduleId);
  const finishedRun = (name: string, after = 0) =>
    waitFor(`"${name}" to finish`, () => suite.api.monitor.recent.find((run) => run.scheduleName === name && run.startedAt >= after), 30_000);

  it('signs in with a password and lists the schedules grouped by type and sorted by name', async () => {
    assert.equal(suite.sim.count('authentication/authenticateUser'), 1);
    const groups = await waitFor('the schedules', async () => ((await groupNames()).includes('Data flows') ? groupNames() : undefined));
    assert.deepEqual(groups, ['Data flows', 'Publications', 'Alerts', 'Subscriptions', 'Machine learning', 'System']);
    const dataFlows = (await suite.api.tree.getChildren((await rootNodes())[0] as never)) as Node[];
    const names = dataFlows.map((node) => String(node.label));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.ok(!names.includes('Legacy CRM Import'), 'deleted schedules are not listed');
    const nightly = await scheduleNode('Nightly Sales Load');
    assert.equal(nightly.description, 'Sales Model');
    assert.equal(nightly.contextValue, 'schedule active');
    const hover = String((suite.api.tree.resolveTreeItem(nightly, nightly as never).tooltip as vscode.MarkdownString).value);
    for (const field of ['Data flow', 'Active', 'Recurring', 'Sales Model', 'Created by', suite.sim.schedule('Nightly Sales Load').scheduleId.replace(/-/g, '\\-')]) {
      assert.ok(hover.includes(field), `the tooltip lacks ${field}: ${hover}`);
    }
    assert.equal((await scheduleNode('HR Headcount Load')).description, 'HR Model · suspended');
  });

  it('lists recent executions, newest first, and the tasks of a failed one with their error', async () => {
    const executions = (await suite.api.tree.getChildren((await scheduleNode('Warehouse Sync')) as never)) as Node[];
    assert.ok(executions.length >= 3);
    assert.match(String(executions[0].description), /^Failed/);
    const tasks = (await suite.api.tree.getChildren(executions[0] as never)) as Node[];
    assert.match(String(tasks[0].description), /Error: Connection to warehouse-db01:5432 refused/);
  });

  it('runs a schedule from the tree and streams its status to the status bar, output channel and a notification', async () => {
    const started = Date.now();
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Nightly Sales Load'));
    assert.equal(runSent('Nightly Sales Load').length, 1);
    assert.equal(JSON.parse(runSent('Nightly Sales Load')[0].body).checkTriggers, false);
    assert.match(suite.api.statusBar.shownText ?? '', /^\$\(sync~spin\) Nightly Sales Load: (Starting|Pending|Running)( · .+ left)?$/);
    const watchedNode = await scheduleNode('Nightly Sales Load');
    assert.equal((watchedNode.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    assert.equal(watchedNode.contextValue, 'schedule active running');

    const run = await finishedRun('Nightly Sales Load', started);
    assert.equal(run.outcome, 'succeeded');
    assert.equal(suite.api.statusBar.shownText, '$(check) Nightly Sales Load: Finished');
    const log = await waitFor('the output lines', () => (/ended Finished after/.test(outputText(suite.api)) ? outputText(suite.api) : undefined));
    const id = run.executionId.split('-')[0];
    for (const line of [`Nightly Sales Load (${id}): Started → Pending`, `Nightly Sales Load (${id}): Pending → Running`, `Nightly Sales Load (${id}): Running → Finished`]) {
      assert.ok(log.includes(line), `output lacks "${line}"`);
    }
    const notice = await waitFor('the notification', () => dialogs.messages.find((m) => m.text.includes('"Nightly Sales Load" ended Finished')));
    assert.deepEqual(notice.actions, ['Show Output', 'Run Again', 'Show Details']);
  });

  it('shows a failed run with its task error in the status bar, output channel and an error notification', async () => {
    const started = Date.now();
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Warehouse Sync'));
    const run = await finishedRun('Warehouse Sync', started);
    assert.equal(run.outcome, 'failed');
    assert.equal(suite.api.statusBar.shownText, '$(error) Warehouse Sync: Error');
    await waitFor('the task error in the output', () => outputText(suite.api).includes('Connection to warehouse-db01:5432 refused (ECONNREFUSED)'));
    const notice = await waitFor('the error notification', () => dialogs.messages.find((m) => m.severity === 'error' && m.text.includes('Warehouse Sync')));
    assert.match(notice.text, /ended Error after .*: Connection to warehouse-db01:5432 refused/);
  });

  it('starts one run for a double click', async () => {
    const node = await scheduleNode('Inventory Refresh');
    await Promise.all([vscode.commands.executeCommand('pyramid.runSchedule', node), vscode.commands.executeCommand('pyramid.runSchedule', node)]);
    assert.equal(runSent('Inventory Refresh').length, 1);
  });

  it('asks before starting a second run of a schedule that is being watched', async () => {
    const node = await scheduleNode('Finance Cube Reprocess');
    await vscode.commands.executeCommand('pyramid.runSchedule', node);
    await vscode.commands.executeCommand('pyramid.runSchedule', node);
    assert.equal(runSent('Finance Cube Reprocess').length, 1, 'declined: no second run');
    assert.ok(dialogs.messages.some((m) => m.text.includes('"Finance Cube Reprocess" already has a run in progress')));

    dialogs.answer = (message) => (message.actions.includes('Start Another Run') ? 'Start Another Run' : undefined);
    await vscode.commands.executeCommand('pyramid.runSchedule', node);
    assert.equal(runSent('Finance Cube Reprocess').length, 2, 'confirmed: a second run');
    // The runs of earlier tests made a history: the soonest time left may follow.
    assert.match(suite.api.statusBar.shownText ?? '', /^\$\(sync~spin\) Pyramid: 2 running( · .+ left)?$/);
  });

  it('announces runs that end together in one summary notification', async () => {
    dialogs.answer = (message) => (message.actions.includes('Start Another Run') ? 'Start Another Run' : undefined);
    // Without a history all three are checked on the same cadence from their start; with one, a run at a
    // twentieth of its usual time ends long before its window, and the checks of runs first seen Pending
    // and first seen Running drift apart by more than the batching second.
    suite.sim.setHistory('Log Cleanup', []);
    const node = await scheduleNode('Log Cleanup');
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand('pyramid.runSchedule', node);
    }
    const ids = suite.api.monitor.watched.map((run) => run.executionId);
    await waitFor('the three runs to end', () => ids.every((id) => suite.api.monitor.recent.some((run) => run.executionId === id)));
    const summary = await waitFor('the summary', () => dialogs.messages.find((m) => m.text.startsWith('3 Pyramid runs ended')));
    assert.equal(summary.text, '3 Pyramid runs ended: 3 succeeded, 0 failed or finished with errors.');
    assert.ok(!dialogs.messages.some((m) => m.text.startsWith('"Log Cleanup" ended')), 'no separate notification per run');
  });

  it('stops watching a run from the status bar menu', async () => {
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Churn Model Training'));
    dialogs.picks.push(pickLabel('Churn Model Training'), pickLabel('Stop Watching'));
    await vscode.commands.executeCommand('pyramid.showRuns');
    assert.equal(suite.api.monitor.watched.length, 0);
    assert.equal(suite.api.monitor.hasTimer, false, 'no timer once nothing is watched');
    assert.ok(outputText(suite.api).includes('stopped watching'));
  });

  it('refreshes the list on its own while auto-refresh is on and the view is visible', async function () {
    this.timeout(40_000);
    await vscode.commands.executeCommand('pyramid.schedules.focus');
    const before = suite.sim.count('tasks/findSchedule');
    const restore = await withSettings({ autoRefreshSeconds: 10 }); // the shortest interval allowed
    try {
      await vscode.commands.executeCommand('pyramid.refresh');
      await waitFor('an automatic refresh', () => suite.sim.count('tasks/findSchedule') >= before + 2, 20_000);
    } finally {
      await restore();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = suite.sim.count('tasks/findSchedule');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(suite.sim.count('tasks/findSchedule'), after, 'no refresh once it is off');
  });

  it('runs from the palette through a quick pick of schedules', async () => {
    let offered: readonly vscode.QuickPickItem[] = [];
    dialogs.picks.push((items) => {
      offered = items as vscode.QuickPickItem[];
      return pickLabel('Daily KPI Digest')(items);
    });
    await vscode.commands.executeCommand('pyramid.runSchedule');
    assert.equal(runSent('Daily KPI Digest').length, 1);
    const item = offered.find((i) => i.label === 'Daily KPI Digest');
    assert.equal(item?.detail, 'Subscription · Active');
  });

  it('runs with triggers checked from the context menu command', async () => {
    const started = Date.now();
    await vscode.commands.executeCommand('pyramid.runScheduleCheckTriggers', await scheduleNode('Low Stock Alert'));
    assert.equal(JSON.parse(runSent('Low Stock Alert')[0].body).checkTriggers, true);
    const run = await finishedRun('Low Stock Alert', started);
    assert.equal(run.status.label, 'Stopped by trigger');
  });

  it('suspends and resumes, updating the schedule node', async () => {
    await vscode.commands.executeCommand('pyramid.suspendSchedule', await scheduleNode('Nightly Sales Load'));
    assert.equal(suite.sim.schedule('Nightly Sales Load').status, ScheduleStatus.HOLD);
    let node = await scheduleNode('Nightly Sales Load');
    assert.equal(node.description, 'Sales Model · suspended');
    assert.equal(node.contextValue, 'schedule suspended');

    await vscode.commands.executeCommand('pyramid.resumeSchedule', node);
    assert.equal(suite.sim.schedule('Nightly Sales Load').status, ScheduleStatus.IDLE);
    node = await scheduleNode('Nightly Sales Load');
    assert.equal(node.contextValue, 'schedule active');
  });

  it('reports the server message when it refuses to resume', async () => {
    await vscode.commands.executeCommand('pyramid.resumeSchedule', await scheduleNode('Inventory Refresh'));
    const error = dialogs.messages.find((m) => m.severity === 'error');
    assert.equal(error?.text, 'Could not resume "Inventory Refresh": Schedule \'Inventory Refresh\' is already active');
    assert.equal(suite.sim.schedule('Inventory Refresh').status, ScheduleStatus.IDLE);
  });

  it('filters on the server and clears the filter', async () => {
    dialogs.inputs.push('sales');
    dialogs.picks.push(pickLabel('contains'));
    await vscode.commands.executeCommand('pyramid.filter');
    assert.deepEqual(suite.api.tree.filter, { text: 'sales', matchType: 0 });
    assert.equal(suite.api.tree.viewMessage, 'Filter: name contains "sales"');
    const names = await waitFor('the filtered tree', async () => {
      const groups = await rootNodes();
      const children = await Promise.all(groups.map((group) => suite.api.tree.getChildren(group as never)));
      const all = (children.flat() as Node[]).map((node) => String(node.label));
      return all.length && all.every((name) => /sales/i.test(name)) ? all : undefined;
    });
    assert.deepEqual(names.sort(), ['Nightly Sales Load', 'Regional Sales Pack']);
    const search = suite.sim.requests.filter((r) => r.path === 'tasks/findSchedule').at(-1)!;
    assert.deepEqual(JSON.parse(search.body).searchCriteria, { searchValue: 'sales', searchMatchType: 0 });

    await vscode.commands.executeCommand('pyramid.clearFilter');
    assert.equal(suite.api.tree.filter, undefined);
    await waitFor('the whole list again', async () => (await groupNames()).includes('Alerts'));
  });

  it('pauses on an expired token, says so once, and resumes the run after signing in again', async () => {
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Finance Cube Reprocess'));
    const [run] = suite.api.monitor.watched;
    await waitFor('the run to be running', () => run.status?.label === 'Running');
    suite.sim.expireAllTokens();
    await waitFor('the run to pause', () => run.state === 'paused');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const prompts = dialogs.messages.filter((m) => m.actions.includes('Sign In'));
    assert.equal(prompts.length, 1, `asked ${prompts.length} times`);
    assert.match(prompts[0].text, /session has expired\. Watching 1 run\(s\) is paused/);
    assert.match(suite.api.statusBar.shownText ?? '', /Finance Cube Reprocess: Paused \(sign in\)/);

    await signInTo(suite.sim, dialogs);
    const finished = await finishedRun('Finance Cube Reprocess', run.startedAt);
    assert.equal(finished.executionId, run.executionId);
    assert.equal(finished.outcome, 'succeeded');
  });

  it('never writes a token into the output channel or settings', async () => {
    const tokens = new Set(suite.sim.requests.map((r) => r.token).filter((t): t is string => Boolean(t)));
    assert.ok(tokens.size > 0);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('pyramid'));
    for (const token of tokens) {
      assert.ok(!outputText(suite.api).includes(token), 'the output channel holds a token');
      assert.ok(!settings.includes(token), 'a setting holds a token');
    }
  });
});
