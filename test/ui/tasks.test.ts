// tasks.json in the real workbench: a `pyramid` task run from "Tasks: Run Task" shows its run in a
// terminal to its end, a provided one too; a task that runs when its folder opens asks first in a modal
// dialog, and nothing reaches the server unless the answer is Run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { signedInJourney } from './pyramid';
import { TASK_ENDED } from './workbench';

/** Without the GPU renderer the terminal draws its rows as text in the DOM, where the tests read them. */
const DOM_TERMINAL = { 'terminal.integrated.gpuAcceleration': 'off' };
/** A line of the run in the terminal: the time of day, the schedule and the run's short id, then `rest`. */
const runRow = (schedule: string, rest: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${schedule} \\([0-9a-f]{8}\\): ${rest}`);
/** A line of the task's own about the run. */
const taskRow = (text: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${text}`);
/**
 * VS Code's line for a task that ended with an exit code other than 0: "terminated with exit code: 2.", or
 * "failed to launch (exit code: 2)." when it ended within half a second of starting.
 */
const EXIT_CODE = /^ \* {2}The terminal process (?:terminated with exit code: (\d+)|failed to launch \(exit code: (\d+)\))\.$/;

/** Writes a folder's .vscode/tasks.json with these tasks. */
function writeTasks(folder: string, tasks: object[]): void {
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'tasks.json'), JSON.stringify({ version: '2.0.0', tasks }, null, 2));
}

/** Each pattern matches a row after the row the one before it matched. */
function assertRowsInOrder(rows: string[], patterns: RegExp[]): void {
  let next = 0;
  for (const pattern of patterns) {
    const found = rows.findIndex((row, index) => index >= next && pattern.test(row));
    assert.ok(found >= 0, `a row matching ${pattern} after row ${next} of the terminal:\n${rows.join('\n')}`);
    next = found + 1;
  }
}

describe('pyramid tasks', function () {
  this.timeout(120_000);
  // Inventory Refresh and Daily KPI Digest take 2 to 3 s.
  const journey = signedInJourney({ durationScale: 0.25, userSettings: DOM_TERMINAL });

  it('runs a tasks.json task from "Tasks: Run Task" and shows its run in the terminal to its end', async () => {
    const { workbench, simulator, session } = journey();
    writeTasks(session.server.workspaceDir, [{ label: 'Refresh inventory', type: 'pyramid', schedule: 'Inventory Refresh', problemMatcher: [] }]);
    const runsBefore = simulator.count('tasks/runSchedule');
    await workbench.openFile('tasks.json'); // for the picture

    await workbench.runTask('Refresh inventory');
    await workbench.waitForTerminalRow(runRow('Inventory Refresh', 'run started from a task\\.$'));
    const rows = await workbench.waitForTaskEnd('Refresh inventory', 30_000);
    assertRowsInOrder(rows, [
      runRow('Inventory Refresh', 'run started from a task\\.$'),
      taskRow('Closing this terminal stops the task, not the run'),
      runRow('Inventory Refresh', 'Started → \\w+$'),
      runRow('Inventory Refresh', '\\w+ → Finished$'),
      runRow('Inventory Refresh', 'ended Finished after \\d+s$'),
      TASK_ENDED,
    ]);
    assert.ok(!rows.some((row) => EXIT_CODE.test(row)), 'exit code 0: VS Code names no exit code');
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'exactly one runSchedule request');

    await workbench.resizePanel(300);
    await workbench.screenshot('task-terminal');
  });

  it('runs a task the extension provides, from the "pyramid" group of "Tasks: Run Task"', async () => {
    const { workbench, simulator } = journey();
    const runsBefore = simulator.count('tasks/runSchedule');
    await workbench.runTask('pyramid: Daily KPI Digest', 'pyramid'); // VS Code puts the source before a provided task's name
    const rows = await workbench.waitForTaskEnd('pyramid: Daily KPI Digest', 30_000);
    assertRowsInOrder(rows, [runRow('Daily KPI Digest', 'run started from a task\\.$'), runRow('Daily KPI Digest', 'ended Finished after \\d+s$'), TASK_ENDED]);
    assert.ok(!rows.some((row) => EXIT_CODE.test(row)), 'exit code 0: VS Code names no exit code');
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'exactly one runSchedule request');
  });

  it('a task that runs when its folder opens asks first, and runs the schedule only when the answer is Run', async () => {
    const { session, simulator } = journey();
    const folder = path.join(path.dirname(session.server.workspaceDir), 'automatic-task');
    writeTasks(folder, [{ label: 'Refresh on open', type: 'pyramid', schedule: 'Inventory Refresh', runOptions: { runOn: 'folderOpen' }, problemMatcher: [] }]);
    const runsBefore = simulator.count('tasks/runSchedule');
    const question = {
      message: `Run "Inventory Refresh" on ${new URL(simulator.url).host}?`,
      detail: 'A task in tasks.json runs this schedule when the folder opens. Nothing runs on the server unless you choose Run.',
      buttons: ['Cancel', 'Run'],
    };

    // VS Code runs a folder's automatic tasks as a window opens it (the tests' workspaces are trusted).
    const window = await session.openWindow({ folder });
    assert.deepStrictEqual(await window.waitForDialog(/^Run "Inventory Refresh" on /), question);
    await window.waitForTerminalRow(taskRow('This schedule is run by a task that starts when the folder opens'));
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 0, 'nothing runs while the question is open');
    await window.clickDialogButton('Cancel');
    const refused = await window.waitForTaskEnd('Refresh on open');
    assertRowsInOrder(refused, [taskRow('Not started: the run was not confirmed\\.$'), EXIT_CODE, TASK_ENDED]);
    const [, terminated, failedToLaunch] = EXIT_CODE.exec(refused.find((row) => EXIT_CODE.test(row))!)!;
    assert.strictEqual(terminated ?? failedToLaunch, '2', 'exit code 2: not started');
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 0, 'nothing ran after Cancel');
    // Room for every line of the next run (the window keeps the panel's height when it reloads).
    await window.resizePanel(400);

    // The folder opens again: the same question, answered Run this time.
    await window.reloadWindow();
    assert.deepStrictEqual(await window.waitForDialog(/^Run "Inventory Refresh" on /), question);
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 0, 'nothing runs while the question is open');
    await window.clickDialogButton('Run');
    const confirmed = await window.waitForTaskEnd('Refresh on open', 30_000);
    assertRowsInOrder(confirmed, [runRow('Inventory Refresh', 'run started from a task\\.$'), runRow('Inventory Refresh', 'ended Finished after \\d+s$'), TASK_ENDED]);
    assert.ok(!confirmed.some((row) => EXIT_CODE.test(row)), 'exit code 0');
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'exactly one runSchedule request, after Run');
  });
});
