// The simulator's reRunTask, task outputs and browser pages, read through the extension's client.
import assert from 'node:assert/strict';
import { PyramidClient, PyramidOperationError, Task } from '../../../src/api';
import { ManualClock, PyramidSimulator, TaskStatus } from '../../simulator/server';

const START = Date.parse('2025-03-10T12:00:00Z');
const SECOND = 1000;

describe('simulator: reRunTask, task outputs and browser pages', () => {
  let sim: PyramidSimulator;
  let clock: ManualClock;
  let client: PyramidClient;

  beforeEach(async () => {
    clock = new ManualClock(START);
    sim = await PyramidSimulator.start({ clock });
    client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retryDelayMs: 1 });
  });

  afterEach(async () => {
    await sim.stop();
  });

  /** The failed task of Warehouse Sync's newest run (the fixture's newest past run failed). */
  async function failedTask(): Promise<Task> {
    const [newest] = await client.getExecutions(sim.schedule('Warehouse Sync').scheduleId);
    const task = newest.tasks[0];
    assert.equal(task.status.raw, TaskStatus.ERROR);
    return task;
  }

  it('runs the same task again under its id: running, then its new outcome with new dates', async () => {
    const before = await failedTask();
    const answer = await client.reRunTask(before.id);
    assert.deepEqual(answer.modified.map((item) => item.id), [before.id]);
    assert.equal(sim.count('tasks/reRunTask'), 1);

    const running = await client.getTaskData(before.id);
    assert.equal(running.status.raw, TaskStatus.RUNNING);
    assert.equal(running.startDate?.getTime(), START);
    assert.equal(running.endDate, undefined);
    assert.equal(running.error, undefined);

    clock.advance(60 * SECOND);
    const after = await client.getTaskData(before.id);
    assert.equal(after.status.raw, TaskStatus.FINISHED);
    assert.ok(after.endDate && after.endDate.getTime() > START);
    // No new execution: the run's history still has its three past runs.
    assert.equal((await client.getExecutions(sim.schedule('Warehouse Sync').scheduleId)).length, 3);
  });

  it('can fail again with the task error', async () => {
    sim.setRerunBehaviour({ outcome: 'failed' });
    const task = await failedTask();
    await client.reRunTask(task.id);
    clock.advance(60 * SECOND);
    const after = await client.getTaskData(task.id);
    assert.equal(after.status.raw, TaskStatus.ERROR);
    assert.match(after.error ?? '', /refused/i);
  });

  it("with mode 'newExecution' starts a new run of the schedule and leaves the task as it was", async () => {
    sim.setRerunBehaviour({ mode: 'newExecution' });
    const task = await failedTask();
    await client.reRunTask(task.id);
    assert.equal((await client.getTaskData(task.id)).status.raw, TaskStatus.ERROR);
    const executions = await client.getExecutions(sim.schedule('Warehouse Sync').scheduleId);
    assert.equal(executions.length, 4);
    assert.equal(executions[0].startDate?.getTime(), START);
    assert.notEqual(executions[0].tasks[0].id, task.id);
  });

  it('answers success: false with the refusal, which the client throws with that text, and runs nothing', async () => {
    sim.setRerunBehaviour({ refusal: 'Task engine te-01 is offline' });
    const task = await failedTask();
    await assert.rejects(client.reRunTask(task.id), (error) => error instanceof PyramidOperationError && error.message === 'Task engine te-01 is offline');
    assert.equal((await client.getTaskData(task.id)).status.raw, TaskStatus.ERROR);
  });

  it('refuses an unknown task with success: false', async () => {
    await assert.rejects(client.reRunTask('no-such-task'), /Task not found: no-such-task/);
  });

  it("lists a finished publication task's output, the same for a user, and none for a data flow's task", async () => {
    const [report] = await client.getExecutions(sim.schedule('Weekly Executive Report').scheduleId);
    const task = report.tasks[0];
    const outputs = await client.getTaskOutputs(task.id);
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0].name, 'Executive Dashboard – PDF.pdf');
    assert.deepEqual(await client.getTaskOutputsForUser(task.id, 'some-user'), outputs);
    assert.deepEqual(await client.getTaskOutputsForUser(task.id), outputs);
    assert.deepEqual(await client.getTaskOutputs((await failedTask()).id), []);
    sim.setTaskOutputs(task.id, [{ id: 'a/b c&d', name: 'Board pack.pdf' }, { id: 'x2' }]);
    assert.deepEqual(await client.getTaskOutputs(task.id), [{ id: 'a/b c&d', name: 'Board pack.pdf' }, { id: 'x2', name: undefined }]);
  });

  it('serves the fileDownload page of a known output and the direct page of a content item, 404 otherwise', async () => {
    const [report] = await client.getExecutions(sim.schedule('Weekly Executive Report').scheduleId);
    sim.setTaskOutputs(report.tasks[0].id, [{ id: 'a/b c&d', name: 'Board pack.pdf' }]);
    const download = await fetch(`${sim.url}/fileDownload?outputId=${encodeURIComponent('a/b c&d')}`);
    assert.equal(download.status, 200);
    assert.match(await download.text(), /Download Board pack\.pdf/);
    assert.equal((await fetch(`${sim.url}/fileDownload?outputId=nothing`)).status, 404);

    const item = sim.schedule('Weekly Executive Report').scheduleItemId;
    const direct = await fetch(`${sim.url}/direct/?id=${encodeURIComponent(item)}`);
    assert.equal(direct.status, 200);
    assert.match(await direct.text(), /Content item Executive Dashboard/);
    assert.equal((await fetch(`${sim.url}/direct/?id=unknown`)).status, 404);
    assert.equal(sim.requests.at(-1)?.url, '/direct/?id=unknown');
  });
});
