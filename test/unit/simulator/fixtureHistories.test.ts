// The simulator's long run histories: enough runs for the details chart, one schedule slowly getting
// slower, a few failures, and the same history on every start.
import assert from 'node:assert/strict';
import { PyramidSimulator } from '../../simulator/server';
import { WireExecution } from './wireExecution';

type Execution = WireExecution<{ taskSummary?: { error?: { msg: string; params: string[] } } }>;

describe('Pyramid simulator: long run histories', () => {
  let sim: PyramidSimulator;
  let token: string;

  before(async () => {
    sim = await PyramidSimulator.start();
    token = sim.issueToken();
  });
  after(() => sim.stop());

  async function executionsOf(name: string): Promise<Execution[]> {
    const response = await fetch(`${sim.url}/API3/tasks/getExecutions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', paToken: token },
      body: JSON.stringify(sim.schedule(name).scheduleId),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as Execution[]).sort((a, b) => b.startDate - a.startDate);
  }

  const durationOf = (execution: Execution) => execution.endDate! - execution.startDate;
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

  it('"Nightly Sales Load" has 60+ daily runs that get slower, with a few time-outs', async () => {
    const runs = await executionsOf('Nightly Sales Load');
    assert.ok(runs.length >= 60, `${runs.length} runs`);
    assert.ok(runs.every((run) => run.endDate !== null && run.endDate <= Date.now()), 'every past run has ended');
    const newest = mean(runs.slice(0, 10).map(durationOf));
    const oldest = mean(runs.slice(-10).map(durationOf));
    assert.ok(newest > oldest * 1.5, `the newest runs take ${newest} ms on average, the oldest ${oldest} ms`);
    const failed = runs.filter((run) => run.failedCount > 0);
    assert.ok(failed.length >= 2 && failed.length <= 5, `${failed.length} failed runs`);
    assert.equal(failed[0].items[0].taskSummary?.error?.msg, 'Processing of {0} timed out after {1} seconds');
    assert.deepEqual(
      runs.slice(0, 5).map((run) => run.failedCount),
      [0, 0, 0, 0, 0],
      'the newest runs are the ones the other tests know',
    );
  });

  it('"Inventory Refresh" varies in duration and "Customer 360 Merge" finishes with errors now and then', async () => {
    const inventory = (await executionsOf('Inventory Refresh')).map(durationOf);
    assert.ok(inventory.length >= 60);
    assert.ok(Math.max(...inventory) > Math.min(...inventory) * 1.3, 'durations vary');
    const merge = await executionsOf('Customer 360 Merge');
    assert.ok(merge.length >= 60);
    assert.ok(merge.filter((run) => run.failedCount > 0 && run.successCount > 0).length >= 3);
  });

  it('is the same on every start', async () => {
    const again = await PyramidSimulator.start();
    try {
      const runs = await executionsOf('Nightly Sales Load');
      const otherToken = again.issueToken();
      const response = await fetch(`${again.url}/API3/tasks/getExecutions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', paToken: otherToken },
        body: JSON.stringify(again.schedule('Nightly Sales Load').scheduleId),
      });
      const other = ((await response.json()) as Execution[]).sort((a, b) => b.startDate - a.startDate);
      assert.deepEqual(other.map((run) => [run.id, durationOf(run)]), runs.map((run) => [run.id, durationOf(run)]));
    } finally {
      await again.stop();
    }
  });
  it('demo schedules\' past runs vary around their usual time, enough for an estimate', async () => {
    const durations = (await executionsOf('Weekly Executive Report')).map(durationOf);
    assert.ok(durations.length >= 3);
    assert.ok(new Set(durations).size > 1, `not all alike: ${durations.join(', ')}`);
    const usual = mean(durations);
    assert.ok(durations.every((ms) => Math.abs(ms - usual) <= usual * 0.25), `within the spread of one schedule: ${durations.join(', ')}`);
  });

  it('setHistory replaces a schedule\'s past runs with successful runs of the given durations, newest first', async () => {
    sim.setHistory('Log Cleanup', [30_000, 45_000, 60_000]);
    const runs = await executionsOf('Log Cleanup');
    assert.deepEqual(runs.map(durationOf), [30_000, 45_000, 60_000]);
    assert.ok(runs.every((run) => run.successCount > 0 && run.failedCount === 0));
    sim.setHistory('Log Cleanup', []);
    assert.deepEqual(await executionsOf('Log Cleanup'), []);
  });
});
