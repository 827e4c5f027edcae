// tasks.json: the `pyramid` task type inside a real VS Code against the simulator. Tasks are written to
// the workspace folder's tasks.json, fetched and run as Tasks: Run Task would, and judged by their exit
// codes, what their terminal printed and what reached the simulator.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { HOSTILE_NAME } from './hostileText';
import { outputText, pickLabel, signInTo, useSimulator, waitFor } from './helpers';

/** The colours the terminal gives its own lines. */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const folder = () => vscode.workspace.workspaceFolders![0];

/** Replaces the folder's tasks.json with these tasks. */
async function writeTasks(tasks: object[]): Promise<void> {
  await vscode.workspace.getConfiguration('tasks', folder().uri).update('version', '2.0.0', vscode.ConfigurationTarget.WorkspaceFolder);
  await vscode.workspace.getConfiguration('tasks', folder().uri).update('tasks', tasks, vscode.ConfigurationTarget.WorkspaceFolder);
}

async function taskNamed(name: string): Promise<vscode.Task> {
  return waitFor(`the task "${name}"`, async () => (await vscode.tasks.fetchTasks()).find((task) => task.name === name));
}

/** Runs a task as Run Task does; resolves to the exit code of each task that ended, by name, once `last` ended. */
async function runTask(name: string, last = name): Promise<Map<string, number | undefined>> {
  const task = await taskNamed(name);
  const exitCodes = new Map<string, number | undefined>();
  const ended = new Promise<void>((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      exitCodes.set(event.execution.task.name, event.exitCode);
      if (event.execution.task.name === last) {
        listener.dispose();
        resolve();
      }
    });
  });
  await vscode.tasks.executeTask(task);
  await ended;
  return exitCodes;
}

async function exitCodeOf(name: string): Promise<number | undefined> {
  return (await runTask(name)).get(name);
}

describe('tasks.json', function () {
  this.timeout(90_000);
  const suite = useSimulator({ simulator: { durationScale: 0.05 }, settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, notifyOn: 'none' } });
  const marker = () => path.join(folder().uri.fsPath, 'chain-ran.txt');
  const terminal = (name: string) => suite.api.tasks.terminalText(name) ?? '';

  afterEach(async () => {
    await writeTasks([]);
    fs.rmSync(marker(), { force: true });
  });

  it('offers a task per listed schedule, named after it, when the server lists at most 50', async () => {
    const offered = await vscode.tasks.fetchTasks({ type: 'pyramid' });
    const names = offered.map((task) => task.name);
    assert.ok(names.includes('Nightly Sales Load') && names.includes('Warehouse Sync'), names.join(', '));
    const nightly = offered.find((task) => task.name === 'Nightly Sales Load')!;
    assert.deepEqual({ ...nightly.definition }, { type: 'pyramid', schedule: 'Nightly Sales Load' });
    assert.equal(nightly.source, 'pyramid');
  });

  it('ends with 0 when the run finished, printing the lines of the output channel', async () => {
    await writeTasks([{ label: 'load', type: 'pyramid', schedule: 'Inventory Refresh', problemMatcher: [] }]);
    const runsBefore = suite.sim.count('tasks/runSchedule');
    assert.equal(await exitCodeOf('load'), 0, terminal('load'));
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore + 1, 'one run started');
    const printed = terminal('load');
    assert.match(printed, /Inventory Refresh \([0-9a-f]{8}\): run started from a task\./);
    assert.match(printed, /Inventory Refresh \([0-9a-f]{8}\): Started → /);
    assert.match(printed, /Inventory Refresh \([0-9a-f]{8}\): ended Finished after /);
    assert.match(printed, /Closing this terminal stops the task, not the run/);
    const logged = outputText(suite.api);
    for (const line of printed.split('\r\n').filter((text) => / \(([0-9a-f]{8})\): /.test(text))) {
      const text = line.replace(/^\d\d:\d\d:\d\d /, '').replace(COLOUR, '');
      assert.ok(logged.includes(text), `the output channel has "${text}"`);
    }
  });

  it('ends with 1 when the run ended in error, printing the task errors', async () => {
    await writeTasks([{ label: 'sync', type: 'pyramid', schedule: 'Warehouse Sync', problemMatcher: [] }]);
    assert.equal(await exitCodeOf('sync'), 1, terminal('sync'));
    assert.match(terminal('sync'), /Warehouse Sync \([0-9a-f]{8}\): ended Error after /);
    assert.match(terminal('sync'), /Connection to warehouse-db01:5432 refused \(ECONNREFUSED\)/);
  });

  it('finds the schedule by its id as well as by its exact name, never by a part of it', async () => {
    const id = suite.sim.schedule('Inventory Refresh').scheduleId;
    await writeTasks([
      { label: 'by id', type: 'pyramid', schedule: id, problemMatcher: [] },
      { label: 'by part', type: 'pyramid', schedule: 'Inventory', problemMatcher: [] },
    ]);
    assert.equal(await exitCodeOf('by id'), 0, terminal('by id'));
    const runsBefore = suite.sim.count('tasks/runSchedule');
    assert.equal(await exitCodeOf('by part'), 2, terminal('by part'));
    assert.match(terminal('by part'), /No schedule named "Inventory" and no schedule with that id on /);
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore, 'nothing started');
  });

  it('ends with 2, listing them by id, when several schedules have the name', async () => {
    const nightlyId = suite.sim.schedule('Nightly Sales Load').scheduleId;
    const other = suite.sim.schedule('Regional Sales Pack');
    other.spec.name = 'Nightly Sales Load';
    try {
      await writeTasks([{ label: 'ambiguous', type: 'pyramid', schedule: 'Nightly Sales Load', problemMatcher: [] }]);
      const runsBefore = suite.sim.count('tasks/runSchedule');
      assert.equal(await exitCodeOf('ambiguous'), 2, terminal('ambiguous'));
      assert.match(terminal('ambiguous'), /Several schedules on .* are named "Nightly Sales Load"\. Name one by its id in tasks\.json:/);
      assert.ok(terminal('ambiguous').includes(other.scheduleId));
      assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore, 'nothing started');

      await vscode.commands.executeCommand('pyramid.refresh');
      await suite.api.tree.getChildren();
      const offered = (await vscode.tasks.fetchTasks({ type: 'pyramid' })).filter((task) => task.name === 'Nightly Sales Load');
      assert.deepEqual(offered.map((task) => task.definition.schedule).sort(), [nightlyId, other.scheduleId].sort(), 'offered tasks name them by id');
    } finally {
      other.spec.name = 'Regional Sales Pack';
      await vscode.commands.executeCommand('pyramid.refresh');
    }
  });

  it('ends with 2 when the server refuses the run or cannot be reached, saying so', async () => {
    await writeTasks([{ label: 'refused', type: 'pyramid', schedule: 'Inventory Refresh', problemMatcher: [] }]);
    suite.sim.inject({ path: 'tasks/runSchedule', fault: { kind: 'status', status: 500, body: '<html><body>Proxy error</body></html>' } });
    assert.equal(await exitCodeOf('refused'), 2, terminal('refused'));
    assert.match(terminal('refused'), /Could not run "Inventory Refresh" on /);
    assert.equal(suite.api.monitor.watched.length, 0, 'nothing followed');
  });

  it('ends with 1 when the run stopped after evaluating its triggers, which checkTriggers asks for', async () => {
    await writeTasks([
      { label: 'alert checked', type: 'pyramid', schedule: 'Low Stock Alert', checkTriggers: true, problemMatcher: [] },
      { label: 'alert', type: 'pyramid', schedule: 'Low Stock Alert', problemMatcher: [] },
    ]);
    assert.equal(await exitCodeOf('alert checked'), 1, terminal('alert checked'));
    assert.match(terminal('alert checked'), /run started from a task, with triggers checked\./);
    assert.equal(await exitCodeOf('alert'), 0, terminal('alert'));
  });

  it('ends with 2 when signed out, saying how to sign in, and sends nothing', async () => {
    await writeTasks([{ label: 'signed out', type: 'pyramid', schedule: 'Inventory Refresh', problemMatcher: [] }]);
    await vscode.commands.executeCommand('pyramid.signOut');
    try {
      const requestsBefore = suite.sim.count();
      assert.equal(await exitCodeOf('signed out'), 2, terminal('signed out'));
      assert.match(terminal('signed out'), /Not signed in to .*\. Run "Pyramid: Sign In", then run the task again\./);
      assert.equal(suite.sim.count(), requestsBefore, 'no request');
    } finally {
      await signInTo(suite.sim, suite.dialogs);
    }
  });

  it('runs the next task of a chain after a finishing run, and not after a failing one', async () => {
    const touch = { type: 'shell', command: `echo ran > "${marker()}"`, problemMatcher: [] };
    await writeTasks([
      { label: 'load', type: 'pyramid', schedule: 'Inventory Refresh', problemMatcher: [] },
      { label: 'sync', type: 'pyramid', schedule: 'Warehouse Sync', problemMatcher: [] },
      { label: 'after load', dependsOn: ['load'], ...touch },
      { label: 'after sync', dependsOn: ['sync'], ...touch },
    ]);
    const failing = await runTask('after sync', 'sync');
    assert.equal(failing.get('sync'), 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(!fs.existsSync(marker()), 'the shell task after a failing run never started');

    const finishing = await runTask('after load');
    assert.equal(finishing.get('load'), 0);
    assert.equal(finishing.get('after load'), 0);
    assert.ok(fs.existsSync(marker()), 'the shell task after a finishing run ran');
  });

  it('closing the terminal stops the task, not the run, which stays followed', async () => {
    await writeTasks([{ label: 'closed', type: 'pyramid', schedule: 'Finance Cube Reprocess', problemMatcher: [] }]);
    const task = await taskNamed('closed');
    const execution = await vscode.tasks.executeTask(task);
    const run = await waitFor('the run followed', () => suite.api.monitor.watched.find((watched) => watched.scheduleName === 'Finance Cube Reprocess'));
    await waitFor('the note about closing', () => terminal('closed').includes('Closing this terminal stops the task, not the run'));
    const ended = new Promise<void>((resolve) => vscode.tasks.onDidEndTask((event) => event.execution.task.name === 'closed' && resolve()));
    execution.terminate();
    await ended;
    assert.ok(suite.api.monitor.watched.some((watched) => watched.kind === 'execution' && run.kind === 'execution' && watched.executionId === run.executionId), 'still followed');
    assert.match(outputText(suite.api), /Finance Cube Reprocess \([0-9a-f]{8}\): the task stopped waiting for it; the run goes on on the server and stays followed here\./);
  });

  it('Ctrl+C in the terminal stops waiting with 2 and says that the run goes on', async () => {
    await writeTasks([{ label: 'interrupted', type: 'pyramid', schedule: 'Finance Cube Reprocess', problemMatcher: [] }]);
    const exited = runTask('interrupted');
    await waitFor('the note about closing', () => terminal('interrupted').includes('Closing this terminal stops the task, not the run'));
    const shown = await waitFor('the task terminal', () => vscode.window.terminals.find((candidate) => candidate.name.includes('interrupted')));
    shown.sendText('\x03', false);
    assert.equal((await exited).get('interrupted'), 2);
    assert.match(terminal('interrupted'), /Stopped waiting\. The run goes on on the server and stays followed in the status bar\./);
    assert.ok(suite.api.monitor.watched.some((watched) => watched.scheduleName === 'Finance Cube Reprocess'), 'still followed');
  });

  it('asks before starting a second run of a schedule that has one followed, and starts none when declined', async () => {
    // VS Code keeps one task per definition: the second names the schedule by its id.
    await writeTasks([
      { label: 'first', type: 'pyramid', schedule: 'Finance Cube Reprocess', problemMatcher: [] },
      { label: 'second', type: 'pyramid', schedule: suite.sim.schedule('Finance Cube Reprocess').scheduleId, problemMatcher: [] },
    ]);
    const first = runTask('first');
    await waitFor('the first run followed', () => suite.api.monitor.watched.some((run) => run.scheduleName === 'Finance Cube Reprocess'));
    const runsBefore = suite.sim.count('tasks/runSchedule');
    assert.equal(await exitCodeOf('second'), 2, terminal('second'));
    assert.ok(suite.dialogs.messages.some((message) => /^"Finance Cube Reprocess" already has a run in progress/.test(message.text)), 'asked first');
    assert.match(terminal('second'), /Not started: a run of this schedule is already in progress\./);
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore, 'no second run');
    assert.equal((await first).get('first'), 0);
  });

  it('a task that starts when the folder opens asks first, and starts nothing unless the answer is Run', async () => {
    await writeTasks([
      { label: 'on open', type: 'pyramid', schedule: 'Inventory Refresh', runOptions: { runOn: 'folderOpen' }, problemMatcher: [] },
      { label: 'chained on open', type: 'shell', command: 'true', dependsOn: ['sales'], runOptions: { runOn: 'folderOpen' }, problemMatcher: [] },
      { label: 'sales', type: 'pyramid', schedule: 'Nightly Sales Load', problemMatcher: [] },
    ]);
    const runsBefore = suite.sim.count('tasks/runSchedule');
    assert.equal(await exitCodeOf('on open'), 2, terminal('on open'));
    const question = suite.dialogs.messages.find((message) => message.text.startsWith('Run "Inventory Refresh" on '));
    assert.ok(question, 'asked first');
    assert.deepEqual(question.actions, ['Run']);
    assert.match(terminal('on open'), /Not started: the run was not confirmed\./);
    assert.equal(await exitCodeOf('sales'), 2, 'a pyramid task an automatic task depends on asks too');
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore, 'nothing started without a yes');

    suite.dialogs.answer = (message) => (message.text.startsWith('Run "Inventory Refresh"') ? 'Run' : undefined);
    assert.equal(await exitCodeOf('on open'), 0, terminal('on open'));
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore + 1);
  });

  it('waits for a new sign-in when the token expires mid-run, then goes on', async () => {
    await writeTasks([{ label: 'expiring', type: 'pyramid', schedule: 'Finance Cube Reprocess', problemMatcher: [] }]);
    const exited = exitCodeOf('expiring');
    await waitFor('the run under way', () => /: Started → /.test(terminal('expiring')));
    suite.sim.expireAllTokens();
    await waitFor('the terminal asking for a sign-in', () => terminal('expiring').includes('Sign-in needed'), 20_000);
    await signInTo(suite.sim, suite.dialogs);
    assert.equal(await exited, 0, terminal('expiring'));
    assert.match(terminal('expiring'), /Signed in again: following the run\./);
  });

  it('prints server text without its escape sequences', async () => {
    const schedule = suite.sim.schedule('Warehouse Sync');
    const name = schedule.spec.name;
    schedule.spec.name = `${HOSTILE_NAME}\x1b]8;;https://evil.example\x07link\x1b]8;;\x07`;
    try {
      await vscode.commands.executeCommand('pyramid.refresh');
      await suite.api.tree.getChildren();
      await writeTasks([{ label: 'hostile', type: 'pyramid', schedule: schedule.scheduleId, problemMatcher: [] }]);
      assert.equal(await exitCodeOf('hostile'), 1, terminal('hostile'));
      const printed = terminal('hostile');
      assert.ok(printed.includes('Nightly $(zap) [Click me]') && printed.includes('link'), `the words stay: ${printed}`);
      assert.ok(!printed.includes('\x1b]') && !printed.includes('\x07'), 'no OSC sequence of the server');
      assert.ok(!printed.includes('evil\x1b'), 'no colour of the server');
      assert.ok(!printed.includes('\n[error]'), 'no line of the server');
    } finally {
      schedule.spec.name = name;
      await vscode.commands.executeCommand('pyramid.refresh');
    }
  });
});

describe('tasks.json with more than 50 schedules', function () {
  this.timeout(60_000);
  const suite = useSimulator({ simulator: { schedules: 60 } });

  it('offers a task per pinned schedule only', async () => {
    const offered = async () => (await vscode.tasks.fetchTasks({ type: 'pyramid' })).map((task) => task.name);
    assert.deepEqual(await offered(), []);
    suite.dialogs.picks.push(pickLabel('Inventory Refresh'));
    await vscode.commands.executeCommand('pyramid.pinSchedule');
    try {
      assert.deepEqual(await offered(), ['Inventory Refresh']);
    } finally {
      suite.dialogs.picks.push(pickLabel('Inventory Refresh'));
      await vscode.commands.executeCommand('pyramid.unpinSchedule');
    }
  });
});
