// Schedule details inside a real VS Code: the shared panel and Keep Open, the messages both ways with
// the real webview, its states (loading, no runs, error and Retry, signed out, another server) and the
// serializer that restores panels after a reload.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { HostMessage, PanelView } from '../../src/details/protocol';
import type { DetailsPanelFacts } from '../../src/testApi';
import { PyramidSimulator, ScheduleStatus } from '../simulator/server';
import { findScheduleNode, signInTo, useSimulator, waitFor, withSettings } from './helpers';

const VIEW_TYPE = 'pyramid.scheduleDetails';
/** The first generated schedule of a simulator with more than the demo schedules: it has never run. */
const NEVER_RUN = 'Publication 00001 – Region South';

describe('schedule details', function () {
  this.timeout(60_000);
  const suite = useSimulator({ simulator: { schedules: 20, durationScale: 0.05 }, settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, notifyOn: 'failures' } });
  const { dialogs } = suite;

  const panels = () => suite.api.details.panels;
  const panelOf = (name: string) => panels().find((panel) => panel.scheduleId === suite.sim.schedule(name).scheduleId);
  const scheduleNode = (name: string) => findScheduleNode(suite.api, name);
  const executionsRequests = (name: string) =>
    suite.sim.requests.filter((request) => request.path === 'tasks/getExecutions' && request.body.includes(suite.sim.schedule(name).scheduleId)).length;

  /** Waits until the panel of `name` shows a view of this kind, and returns it. */
  async function shownView<K extends PanelView['kind']>(name: string, kind: K): Promise<Extract<PanelView, { kind: K }>> {
    const panel = await waitFor(`the details of "${name}" to show ${kind}`, () => {
      const found = panelOf(name);
      return found?.shown.kind === kind ? found : undefined;
    });
    return panel.shown as Extract<PanelView, { kind: K }>;
  }

  /** The messages the panel posted to its webview of one type. */
  const postedOf = <T extends HostMessage['type']>(panel: DetailsPanelFacts | undefined, type: T) =>
    (panel?.posted ?? []).filter((message): message is Extract<HostMessage, { type: T }> => message.type === type);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('every details panel to close', () => panels().length === 0);
  });

  it('a click on a row opens the details from the runs the tree just read: no second request', async () => {
    const node = await scheduleNode('Nightly Sales Load');
    assert.equal(node.command?.command, 'pyramid.showDetails', 'the row opens the details when clicked');
    await suite.api.tree.getChildren(node as never); // expanding the row reads the runs
    const before = executionsRequests('Nightly Sales Load');
    await vscode.commands.executeCommand(node.command!.command, ...(node.command!.arguments ?? []));

    const view = await shownView('Nightly Sales Load', 'data');
    assert.equal(executionsRequests('Nightly Sales Load'), before, 'the details took the cached runs');
    assert.equal(view.header.name, 'Nightly Sales Load');
    assert.equal(view.header.contentItem, 'Sales Model');
    assert.equal(view.header.state, 'active');
    assert.equal(view.limit, 30);
    assert.equal(view.runs.length, 30, 'the last pyramid.detailsRuns runs of a long history');
    assert.ok(view.runs.every((run, i) => i === 0 || (run.startedAt ?? 0) <= (view.runs[i - 1].startedAt ?? 0)), 'newest first');
    assert.equal(panelOf('Nightly Sales Load')?.title, 'Nightly Sales Load');
  });

  it('the real webview says it is ready and is sent the panel state and the data; Copy takes the id from the panel', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Warehouse Sync'));
    const panel = await waitFor('the webview to be ready', () => {
      const found = panelOf('Warehouse Sync');
      return found?.received.some((message) => message.type === 'ready') && found.shown.kind === 'data' ? found : undefined;
    });
    const [state] = postedOf(panel, 'state');
    assert.deepEqual(state.state, { scheduleId: suite.sim.schedule('Warehouse Sync').scheduleId, name: 'Warehouse Sync', origin: new URL(suite.sim.url).origin, kept: false });
    assert.equal(postedOf(panel, 'view').at(-1)?.view.kind, 'data');

    await suite.api.details.deliver(state.state.scheduleId, { type: 'copy', field: 'scheduleId' });
    assert.equal(await vscode.env.clipboard.readText(), suite.sim.schedule('Warehouse Sync').scheduleId, 'Copy puts the id the panel shows on the clipboard');
  });

  it('selecting a failed run sends its tasks with the full error, parameters filled in', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Warehouse Sync'));
    const view = await shownView('Warehouse Sync', 'data');
    const failed = view.runs.find((run) => run.outcome === 'failed');
    assert.ok(failed, 'Warehouse Sync has a failed run');
    await suite.api.details.deliver(view.header.scheduleId, { type: 'selectRun', executionId: failed.id });
    const [tasks] = postedOf(panelOf('Warehouse Sync'), 'tasks');
    assert.equal(tasks.executionId, failed.id);
    assert.equal(tasks.tasks[0].outcome, 'failed');
    assert.equal(tasks.tasks[0].error, 'Connection to warehouse-db01:5432 refused (ECONNREFUSED)');
    assert.ok(tasks.tasks[0].startedAt !== undefined && tasks.tasks[0].endedAt !== undefined);
  });

  it('one shared panel follows the clicked schedule; Keep Open gives it a panel of its own', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Nightly Sales Load'));
    await shownView('Nightly Sales Load', 'data');
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Inventory Refresh'));
    await shownView('Inventory Refresh', 'data');
    assert.deepEqual(
      panels().map((panel) => [panel.scheduleId, panel.kept]),
      [[suite.sim.schedule('Inventory Refresh').scheduleId, false]],
      'the shared panel moved on',
    );

    await suite.api.details.deliver(suite.sim.schedule('Inventory Refresh').scheduleId, { type: 'keepOpen' });
    assert.equal(panelOf('Inventory Refresh')?.kept, true);
    assert.equal(postedOf(panelOf('Inventory Refresh'), 'state').at(-1)?.state.kept, true, 'the webview keeps the new state for a reload');
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Warehouse Sync'));
    await shownView('Warehouse Sync', 'data');
    assert.deepEqual(
      panels().map((panel) => panel.kept),
      [false, true],
    );
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Inventory Refresh'));
    assert.equal(panels().length, 2, 'a kept schedule is revealed, not opened again');
  });

  it('the header actions go through the tree commands: Suspend at once, Pin, and the header follows', async () => {
    const id = suite.sim.schedule('Finance Cube Reprocess').scheduleId;
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Finance Cube Reprocess'));
    await shownView('Finance Cube Reprocess', 'data');

    await suite.api.details.deliver(id, { type: 'action', action: 'suspend' });
    assert.equal(suite.sim.schedule('Finance Cube Reprocess').status, ScheduleStatus.HOLD);
    assert.ok(!dialogs.messages.some((message) => message.severity === 'warning'), 'no confirmation: the panel passed an argument the extension made');
    assert.equal((await shownView('Finance Cube Reprocess', 'data')).header.state, 'suspended');

    await suite.api.details.deliver(id, { type: 'action', action: 'pin' });
    assert.ok(suite.api.pins.pinned.some((pin) => pin.scheduleId === id));
    await waitFor('the header to say pinned', async () => ((await shownView('Finance Cube Reprocess', 'data')).header.pinned ? true : undefined));

    await suite.api.details.deliver(id, { type: 'action', action: 'unpin' });
    await suite.api.details.deliver(id, { type: 'action', action: 'resume' });
    assert.equal(suite.sim.schedule('Finance Cube Reprocess').status, ScheduleStatus.IDLE);
  });

  it('Run from the header starts one run at once; its bar appears running, then ends', async () => {
    const schedule = suite.sim.schedule('Weekly Executive Report');
    const id = schedule.scheduleId;
    const tasks = schedule.run.tasks;
    schedule.run.tasks = [{ description: 'Executive Dashboard – PDF', runMs: 60_000 }]; // three seconds here: long enough to be seen running
    try {
      await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Weekly Executive Report'));
      const before = await shownView('Weekly Executive Report', 'data');
      await suite.api.details.deliver(id, { type: 'action', action: 'run' });
      assert.equal(suite.sim.count('tasks/runSchedule'), 1, 'one run, with no confirmation');
      const started = await waitFor('the new run in the details', async () => {
        const view = await shownView('Weekly Executive Report', 'data');
        return view.runs[0].id !== before.runs[0].id ? view.runs[0] : undefined;
      });
      const followed = suite.api.monitor.watched.find((run) => run.scheduleId === id);
      assert.equal(followed?.kind === 'execution' && followed.executionId, started.id, 'the run the monitor follows');
      assert.equal(started.outcome, 'running');
      assert.equal(started.endedAt, undefined, 'its bar grows in the webview until it ends');
      await waitFor('the run to end in the details', async () => {
        const [newest] = (await shownView('Weekly Executive Report', 'data')).runs;
        return newest.id === started.id && newest.outcome === 'succeeded';
      });
    } finally {
      schedule.run.tasks = tasks;
    }
  });

  it('"Show Details" on the notification of a failed run opens that schedule\u2019s details', async () => {
    dialogs.answer = (message) => (message.actions.includes('Show Details') ? 'Show Details' : undefined);
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Warehouse Sync'));
    const view = await shownView('Warehouse Sync', 'data');
    assert.equal(view.header.name, 'Warehouse Sync');
    assert.ok(dialogs.messages.some((message) => message.severity === 'error' && message.text.includes('"Warehouse Sync" ended')));
  });

  it('a schedule that never ran shows no runs yet', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', suite.sim.schedule(NEVER_RUN).scheduleId);
    const view = await shownView(NEVER_RUN, 'data');
    assert.deepEqual(view.runs, []);
    assert.equal(view.header.name, NEVER_RUN);
  });

  it('pyramid.detailsRuns sets how many runs it shows', async () => {
    const restore = await withSettings({ detailsRuns: 5 });
    try {
      await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Customer 360 Merge'));
      const view = await shownView('Customer 360 Merge', 'data');
      assert.equal(view.runs.length, 5);
      assert.equal(view.limit, 5);
    } finally {
      await restore();
    }
  });

  it('a failed read shows the error; Retry reads again and shows the runs', async () => {
    suite.sim.inject({ fault: { kind: 'status', status: 500, body: 'Database unavailable' }, path: 'tasks/getExecutions', times: Infinity });
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Revenue Drop Alert'));
    const error = await shownView('Revenue Drop Alert', 'error');
    assert.match(error.message, /Database unavailable/);

    suite.sim.clearFaults();
    await suite.api.details.deliver(suite.sim.schedule('Revenue Drop Alert').scheduleId, { type: 'retry' });
    assert.ok((await shownView('Revenue Drop Alert', 'data')).runs.length > 0);
  });

  it('signed out it offers Sign In; signed in again it shows the runs', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Daily KPI Digest'));
    await shownView('Daily KPI Digest', 'data');
    await vscode.commands.executeCommand('pyramid.signOut');
    const view = await shownView('Daily KPI Digest', 'signedOut');
    assert.equal(view.server, new URL(suite.sim.url).origin);

    await signInTo(suite.sim, dialogs);
    await shownView('Daily KPI Digest', 'data');
  });

  it('after the server changed it says so rather than showing the old server\u2019s data', async () => {
    await vscode.commands.executeCommand('pyramid.showDetails', await scheduleNode('Log Cleanup'));
    await shownView('Log Cleanup', 'data');
    const other = await PyramidSimulator.start();
    const restore = await withSettings({ serverUrl: other.url });
    try {
      const view = await shownView('Log Cleanup', 'serverChanged');
      assert.equal(view.openedOn, new URL(suite.sim.url).origin);
      assert.equal(view.configured, new URL(other.url).origin);
      assert.equal(other.count('tasks/getExecutions'), 0, 'nothing was asked of the other server');
    } finally {
      await restore();
      await other.stop();
    }
    await shownView('Log Cleanup', 'data');
  });

  it('the serializer restores a panel from the state its webview kept, and refuses any other state', async () => {
    const state = { scheduleId: suite.sim.schedule('Churn Model Training').scheduleId, name: 'Churn Model Training', origin: new URL(suite.sim.url).origin, kept: true };
    const restored = vscode.window.createWebviewPanel(VIEW_TYPE, 'restoring', vscode.ViewColumn.Active);
    await suite.api.details.restore(restored, state);
    const view = await shownView('Churn Model Training', 'data');
    assert.equal(view.header.name, 'Churn Model Training');
    assert.equal(panelOf('Churn Model Training')?.kept, true);
    assert.equal(restored.title, 'Churn Model Training');
    assert.equal(restored.webview.options.localResourceRoots?.length, 1, 'the webview loads only from its own folder');
    assert.match(restored.webview.options.localResourceRoots![0].path, /\/dist\/webview$/);
    assert.match(restored.webview.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[A-Za-z0-9]+'; style-src /);
    assert.ok(!/<script(?![^>]*nonce)/.test(restored.webview.html), 'every script has the nonce');

    let disposed = false;
    const broken = vscode.window.createWebviewPanel(VIEW_TYPE, 'broken', vscode.ViewColumn.Active);
    broken.onDidDispose(() => (disposed = true));
    await suite.api.details.restore(broken, { name: 'no schedule id' });
    assert.ok(disposed, 'a state without a schedule is not restored');
  });

  it('"Show Details" from the palette offers a quick pick', async () => {
    dialogs.picks.push((items) => items.find((item) => typeof item !== 'string' && item.label === 'Database Maintenance'));
    await vscode.commands.executeCommand('pyramid.showDetails');
    await shownView('Database Maintenance', 'data');
  });
});
