import * as assert from 'assert';
import { RUNS_ITEM, runFromPalette, SCHEDULES_VIEW, signedInJourney } from './pyramid';

// At a quarter of the demo durations "Finance Cube Reprocess" runs for about 45 s and "Customer 360 Merge" for
// about 20 s: long enough to read the status bar while they run.
const DURATION_SCALE = 0.25;

/** Polls the simulator until `done` holds; fails after `timeoutMs`. */
async function until(what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Run estimates in the real status bar', function () {
  this.timeout(120_000);
  const journey = signedInJourney({ durationScale: DURATION_SCALE });

  it('shows no time left for a run whose schedule has never run', async () => {
    const { workbench, simulator } = journey();
    simulator.setHistory('Customer 360 Merge', []);
    await runFromPalette(workbench, 'Customer 360 Merge');

    await workbench.waitForStatusBarText(RUNS_ITEM, /^Customer 360 Merge: Running$/);
    // Its history was read after the first status; two more checks later the status still carries no estimate.
    const readAt = simulator.count('tasks/getExecutions');
    const checksBefore = simulator.count('tasks/getScheduleExecutionStatus');
    await until('two more status checks', () => simulator.count('tasks/getScheduleExecutionStatus') - checksBefore >= 2);
    assert.ok(readAt >= 1, 'the history was read');
    assert.match(await workbench.statusBarText(RUNS_ITEM), /^Customer 360 Merge: (Running|Finished)$/);
  });

  it('says "longer than usual" in the status bar, the row and one notification once a run overstays its history', async () => {
    const { workbench, simulator } = journey();
    // Twelve runs of about 2 s: a run of 45 s is clearly longer than usual.
    simulator.setHistory('Finance Cube Reprocess', Array.from({ length: 12 }, (_, i) => 2_000 + (i % 2) * 40));
    await runFromPalette(workbench, 'Finance Cube Reprocess');

    await workbench.waitForStatusBarText(RUNS_ITEM, /^Finance Cube Reprocess: Running · longer than usual$/, 30_000);
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Finance Cube Reprocess', /· longer than usual$/);
    const notice = await workbench.waitForNotification(/"Finance Cube Reprocess" is taking longer than usual/);
    assert.match(notice, /running for .+, usually \d+s \(median of the last 12 successful runs\)\.$/);
    assert.strictEqual(await workbench.notification(/taking longer than usual/).count(), 1, 'one notification');
  });
});
