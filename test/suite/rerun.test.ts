// Re-run Task, a publication's outputs and Open in Pyramid, inside a real VS Code against the simulator.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { PyramidClient } from '../../src/api';
import { RunMonitor, systemClock } from '../../src/monitor/runMonitor';
import type { HostMessage, PanelView } from '../../src/details/protocol';
import type { FinishedRun, SavedRuns, WatchedRun } from '../../src/monitor/runs';
import { findScheduleNode, outputText, pickLabel, useSimulator, waitFor } from './helpers';
import type { TreeNode } from './helpers';

type Node = TreeNode & { task?: { id: string }; command?: vscode.Command };

describe('re-run a task, open outputs and open in Pyramid', function () {
  this.timeout(90_000);
  const suite = useSimulator({
    simulator: { durationScale: 0.05 },
    settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, notifyOn: 'all' },
  });
  const { dialogs } = suite;
  const opened: unknown[] = [];
  let originalOpenExternal: typeof vscode.env.openExternal;

  before(() => {
    originalOpenExternal = vscode.env.openExternal;
    (vscode.env as { openExternal: unknown }).openExternal = async (target: unknown) => {
      opened.push(target);
      return true;
    };
  });

  after(() => {
    (vscode.env as { openExternal: unknown }).openExternal = originalOpenExternal;
  });

  afterEach(() => {
    // Followed tasks are known by `task:<id>`, not by their execution id.
    for (const run of suite.api.monitor.watched) {
      suite.api.monitor.stopWatching(run.kind === 'task' ? `task:${run.taskId}` : run.executionId);
    }
    suite.sim.setRerunBehaviour({ mode: 'sameTask', outcome: 'failed', refusal: undefined });
    opened.length = 0;
  });

  const children = async (node: Node) => (await suite.api.tree.getChildren(node as never)) as Node[];
  /** The first task of the newest run of a schedule, as the tree shows it. */
  const newestTask = async (schedule: string) => {
    const [newest] = await children(await findScheduleNode(suite.api, schedule));
    return (await children(newest))[0];
  };
  const rerunsSent = () => suite.sim.count('tasks/reRunTask');
  const finishedTask = (taskId: string, after: number) =>
    waitFor(`task ${taskId} to finish`, () => suite.api.monitor.recent.find((run) => run.kind === 'task' && run.taskId === taskId && run.finishedAt >= after), 60_000);

  it('re-runs a failed task from its tree row under its id and follows it to its end like a run', async () => {
    suite.sim.setRerunBehaviour({ outcome: 'succeeded' });
    const row = await newestTask('Marketing Spend Import');
    assert.equal(row.contextValue, 'task failed');
    const taskId = row.task!.id;
    const started = Date.now();
    const sentBefore = rerunsSent();
    await vscode.commands.executeCommand('pyramid.rerunTask', row);
    assert.equal(rerunsSent() - sentBefore, 1);
    const request = suite.sim.requests.filter((r) => r.path === 'tasks/reRunTask').at(-1)!;
    assert.equal(request.body, JSON.stringify(taskId), 'the body is the bare task id');

    const watched = suite.api.monitor.watched.find((run): run is WatchedRun & { kind: 'task' } => run.kind === 'task' && run.taskId === taskId);
    assert.ok(watched, 'the task is followed');
    assert.equal(watched.taskName, 'Marketing Model');
    await waitFor('the status bar to show the task running', () => /^\$\(sync~spin\) Marketing Spend Import · Marketing Model: (Starting|Running)$/.test(suite.api.statusBar.shownText ?? ''));

    const run = await finishedTask(taskId, started);
    assert.deepEqual([run.outcome, run.status.label], ['succeeded', 'Finished']);
    assert.equal(suite.api.statusBar.shownText, '$(check) Marketing Spend Import · Marketing Model: Finished');
    const notice = await waitFor('the notification', () => dialogs.messages.find((m) => m.text.includes('"Marketing Spend Import · Marketing Model" ended Finished')));
    assert.deepEqual(notice.actions, ['Show Output', 'Re-run Task', 'Show Details']);
    assert.ok(outputText(suite.api).includes('Marketing Spend Import · Marketing Model'), 'the output channel names the task');
    assert.equal(suite.sim.count('tasks/runSchedule'), 0, 'the schedule was not run');
  });

  it('follows the new run of the schedule when the server runs the schedule instead, and says so in the log', async () => {
    suite.sim.setRerunBehaviour({ mode: 'newExecution' });
    const row = await newestTask('Warehouse Sync');
    const executionsBefore = (await children(await findScheduleNode(suite.api, 'Warehouse Sync'))).length;
    const started = Date.now();
    await vscode.commands.executeCommand('pyramid.rerunTask', row);
    const run = await waitFor('the new run to finish', () =>
      suite.api.monitor.recent.find((candidate): candidate is FinishedRun => candidate.kind === 'execution' && candidate.scheduleName === 'Warehouse Sync' && candidate.finishedAt >= started),
    60_000);
    assert.equal(run.outcome, 'failed');
    assert.ok(suite.sim.scheduledRuns.length === 0 && suite.sim.count('tasks/runSchedule') === 0, 'the server started it, not a runSchedule');
    assert.ok(/Warehouse Sync · Warehouse Staging \(\w+\): the task still reads as its previous run after 3 checks, but a new run of the schedule appeared/.test(outputText(suite.api)));
    assert.equal((await children(await findScheduleNode(suite.api, 'Warehouse Sync'))).length, executionsBefore + 1);
  });

  it("shows the server's message when it refuses the re-run, and follows nothing", async () => {
    suite.sim.setRerunBehaviour({ refusal: 'Task engine te-01 is offline' });
    await vscode.commands.executeCommand('pyramid.rerunTask', await newestTask('Warehouse Sync'));
    const error = dialogs.messages.find((m) => m.severity === 'error');
    assert.ok(error, 'an error message');
    assert.equal(error.text, 'Could not re-run "Warehouse Sync · Warehouse Staging": Task engine te-01 is offline');
    assert.equal(suite.api.monitor.watched.length, 0);
  });

  it('sends one reRunTask for a double invoke, and asks before re-running a task already followed', async () => {
    const row = await newestTask('Warehouse Sync');
    const sentBefore = rerunsSent();
    await Promise.all([vscode.commands.executeCommand('pyramid.rerunTask', row), vscode.commands.executeCommand('pyramid.rerunTask', row)]);
    assert.equal(rerunsSent() - sentBefore, 1, 'one request for two invocations');

    await vscode.commands.executeCommand('pyramid.rerunTask', row);
    assert.equal(rerunsSent() - sentBefore, 1, 'declined: no second request');
    assert.ok(dialogs.messages.some((m) => m.text.startsWith('"Warehouse Sync · Warehouse Staging" is already being followed')));
    dialogs.answer = (message) => (message.actions.includes('Re-run Task') ? 'Re-run Task' : undefined);
    await vscode.commands.executeCommand('pyramid.rerunTask', row);
    assert.equal(rerunsSent() - sentBefore, 2, 'confirmed: a second request');
  });

  it('confirms a re-run asked for from outside the views before sending anything', async () => {
    const taskId = (await newestTask('Warehouse Sync')).task!.id;
    const sentBefore = rerunsSent();
    await vscode.commands.executeCommand('pyramid.rerunTask', { taskId });
    assert.equal(rerunsSent(), sentBefore);
    assert.ok(dialogs.messages.some((m) => m.text === `Re-run task ${taskId} on ${new URL(suite.sim.url).host}?`));
  });

  it('saves the followed re-run so that a reload resumes it from the saved runs to its end', async () => {
    suite.sim.setRerunBehaviour({ outcome: 'succeeded' });
    const row = await newestTask('Warehouse Sync');
    const taskId = row.task!.id;
    const client = new PyramidClient({ serverUrl: suite.sim.url, token: suite.sim.issueToken() });
    // The earlier tests' re-runs of this task may still be going.
    await waitFor('the task to have failed again', async () => (await client.getTaskData(taskId)).status.label === 'Error', 60_000);
    await vscode.commands.executeCommand('pyramid.rerunTask', row);
    const saved = await waitFor('the saved run', () => {
      const runs = suite.api.storedState.workspace.get('pyramid.runs') as SavedRuns | undefined;
      return runs?.watched.some((run) => run.kind === 'task' && run.taskId === taskId) ? (JSON.parse(JSON.stringify(runs)) as SavedRuns) : undefined;
    });
    const savedTask = saved.watched.find((run) => run.kind === 'task' && run.taskId === taskId);
    assert.ok(savedTask?.kind === 'task' && savedTask.rerun, 'saved with its re-run mark');
    assert.equal(savedTask.rerun.status, 'Error');
    suite.api.monitor.stopWatching(`task:${taskId}`);

    // A new window's monitor: restored from what this one saved (a real reload is not possible in-host).
    const logged: string[] = [];
    const log = { info: (line: string) => logged.push(line), warn: (line: string) => logged.push(line), error: (line: string) => logged.push(line), debug: () => undefined };
    const reloaded = new RunMonitor({
      clock: systemClock,
      intervals: () => ({ baseIntervalMs: 500, maxIntervalMs: 1_000 }),
      isFocused: () => true,
      clientFor: async () => client,
      store: { load: () => saved, save: () => undefined },
      log,
    });
    try {
      reloaded.restore();
      assert.deepEqual(reloaded.watched.map((run) => run.kind === 'task' && run.taskId), [taskId]);
      const run = await waitFor('the restored re-run to end', () => reloaded.recent.find((candidate) => candidate.kind === 'task' && candidate.taskId === taskId), 60_000);
      assert.deepEqual([run.outcome, run.status.label], ['succeeded', 'Finished']);
      assert.ok(logged.some((line) => line.includes('Resuming 1 watched run(s)')), logged.join('\n'));
    } finally {
      reloaded.dispose();
    }
  });

  it("lists the outputs under a publication's finished task and opens the download page with the id encoded", async () => {
    const row = await newestTask('Weekly Executive Report');
    assert.equal(row.contextValue, 'task outputs');
    assert.equal(row.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    suite.sim.setTaskOutputs(row.task!.id, [{ id: 'a/b c&d=e#f', name: 'Board pack.pdf' }, { id: 'x2' }]);
    const outputs = await children(row);
    assert.deepEqual(outputs.map((node) => [node.label, node.description, node.contextValue]), [['Board pack.pdf', 'PDF', 'output'], ['Output x2', 'PDF', 'output']]);

    const { command, arguments: args } = outputs[0].command!;
    await vscode.commands.executeCommand(command, ...(args ?? []));
    assert.deepEqual(opened, [`${suite.sim.url}/fileDownload?outputId=a%2Fb%20c%26d%3De%23f`]);
    assert.ok(!String(opened[0]).includes(suite.sim.requests.at(-1)?.token ?? 'no token'), 'never the token');
    const page = await fetch(String(opened[0]));
    assert.equal(page.status, 200, 'the simulator knows the output the link names');
    assert.match(await page.text(), /Download Board pack\.pdf/);

    const dataFlowTask = await newestTask('Nightly Sales Load');
    assert.equal(dataFlowTask.contextValue, 'task');
    assert.equal(dataFlowTask.collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('opens the schedule\'s content item in Pyramid from its row', async () => {
    await vscode.commands.executeCommand('pyramid.openInPyramid', await findScheduleNode(suite.api, 'Weekly Executive Report'));
    const itemId = suite.sim.schedule('Weekly Executive Report').scheduleItemId;
    assert.deepEqual(opened, [`${suite.sim.url}/direct/?id=${encodeURIComponent(itemId)}`]);
    assert.equal((await fetch(String(opened[0]))).status, 200);
  });

  describe('in the details editor', () => {
    const panelOf = (name: string) => suite.api.details.panels.find((panel) => panel.scheduleId === suite.sim.schedule(name).scheduleId);
    const shownData = async (name: string) => {
      await vscode.commands.executeCommand('pyramid.showDetails', await findScheduleNode(suite.api, name));
      const panel = await waitFor(`the details of "${name}"`, () => (panelOf(name)?.shown.kind === 'data' ? panelOf(name) : undefined));
      return panel.shown as Extract<PanelView, { kind: 'data' }>;
    };
    const postedTasks = (name: string) => (panelOf(name)?.posted ?? []).filter((message): message is Extract<HostMessage, { type: 'tasks' }> => message.type === 'tasks').at(-1);

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('every details panel to close', () => suite.api.details.panels.length === 0);
    });

    it('offers Re-run beside a failed task only, and re-runs it through the command, followed like one from the tree', async () => {
      const view = await shownData('Warehouse Sync');
      const failed = view.runs.find((run) => run.outcome === 'failed');
      assert.ok(failed, 'Warehouse Sync has a failed run');
      const scheduleId = view.header.scheduleId;
      await suite.api.details.deliver(scheduleId, { type: 'selectRun', executionId: failed.id });
      const [task] = postedTasks('Warehouse Sync')!.tasks;
      assert.equal(task.rerunnable, true);
      assert.equal(task.outputs, undefined, 'a data flow lists no outputs');

      const sentBefore = rerunsSent();
      await suite.api.details.deliver(scheduleId, { type: 'rerunTask', executionId: failed.id, taskId: 'not-a-task-of-this-run' });
      assert.equal(rerunsSent(), sentBefore, 'a task the panel did not list is ignored');
      await suite.api.details.deliver(scheduleId, { type: 'rerunTask', executionId: failed.id, taskId: task.id });
      assert.equal(rerunsSent() - sentBefore, 1);
      assert.ok(dialogs.messages.every((m) => !m.text.startsWith('Re-run task')), 'no confirmation: the button is the extension\'s own');
      const watched = suite.api.monitor.watched.find((run) => run.kind === 'task' && run.taskId === task.id);
      assert.deepEqual(watched && [watched.scheduleName, watched.kind === 'task' && watched.taskName, watched.executionId], ['Warehouse Sync', 'Warehouse Staging', failed.id]);
    });

    it("lists a publication task's outputs with Open, and Open in Pyramid in the header, opening the exact links", async () => {
      const view = await shownData('Weekly Executive Report');
      assert.ok(view.header.contentItemId, 'the header has a content item to open');
      const [newest] = view.runs;
      const executions = await new PyramidClient({ serverUrl: suite.sim.url, token: suite.sim.issueToken() }).getExecutions(suite.sim.schedule('Weekly Executive Report').scheduleId);
      const taskId = executions.find((execution) => execution.id === newest.id)!.tasks[0].id;
      suite.sim.setTaskOutputs(taskId, [{ id: 'pack 1/2?', name: 'Board pack.pdf' }]);
      await suite.api.details.deliver(view.header.scheduleId, { type: 'selectRun', executionId: newest.id });
      const task = postedTasks('Weekly Executive Report')!.tasks.find((candidate) => candidate.id === taskId)!;
      assert.equal(task.rerunnable, false);
      assert.deepEqual(task.outputs, [{ id: 'pack 1/2?', name: 'Board pack.pdf' }]);

      await suite.api.details.deliver(view.header.scheduleId, { type: 'openOutput', executionId: newest.id, taskId, outputId: 'some-other-output' });
      assert.deepEqual(opened, [], 'an output the panel did not list is not opened');
      await suite.api.details.deliver(view.header.scheduleId, { type: 'openOutput', executionId: newest.id, taskId, outputId: 'pack 1/2?' });
      await suite.api.details.deliver(view.header.scheduleId, { type: 'action', action: 'openInPyramid' });
      const itemId = suite.sim.schedule('Weekly Executive Report').scheduleItemId;
      assert.deepEqual(opened, [`${suite.sim.url}/fileDownload?outputId=pack%201%2F2%3F`, `${suite.sim.url}/direct/?id=${itemId}`]);
    });
  });

  // Last: the task it re-runs is still running when it ends.
  describe('from the Command Palette', () => {
    it('offers the failed tasks of recent runs, and re-runs the one picked', async () => {
      let offered: string[] = [];
      dialogs.picks.push((items) => {
        offered = items.map((item) => (typeof item === 'string' ? item : item.label));
        return pickLabel('Customer 360 Merge · Match loyalty accounts')(items);
      });
      const sentBefore = rerunsSent();
      await vscode.commands.executeCommand('pyramid.rerunTask');
      assert.ok(offered.length > 0 && offered.every((label) => / · /.test(label)), offered.join(', '));
      assert.ok(!offered.some((label) => label.startsWith('Nightly Sales Load')), 'no task of a run that succeeded');
      assert.equal(rerunsSent() - sentBefore, 1);
      assert.ok(suite.api.monitor.watched.some((run) => run.kind === 'task' && run.scheduleName === 'Customer 360 Merge' && run.taskName === 'Match loyalty accounts'));
    });
  });
});
