import * as assert from 'assert';
import { RUNS_ITEM, runFromPalette, SCHEDULES_VIEW, signedInJourney } from './pyramid';

// "Finance Cube Reprocess" takes 3 minutes on the demo server; at this scale about 22 s: time enough
// to reload the window while it runs.
const DURATION_SCALE = 0.12;
const RUN_ENDS_WITHIN_MS = 45_000;

describe('Journey: a watched run survives a window reload', function () {
  this.timeout(90_000);
  const journey = signedInJourney({ durationScale: DURATION_SCALE });

  it('keeps showing "Finance Cube Reprocess" in the status bar after "Developer: Reload Window", until it finishes', async () => {
    const { workbench, simulator } = journey();
    await runFromPalette(workbench, 'Finance Cube Reprocess');
    await workbench.waitForStatusBarText(RUNS_ITEM, /^Finance Cube Reprocess: Running( · .+)?$/);

    await workbench.reloadWindow();
    const pollsBefore = simulator.count('tasks/getScheduleExecutionStatus');
    await workbench.openViewContainer('Pyramid');
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Finance Cube Reprocess', /^Finance Cube · running( · .+)?$/);
    await workbench.waitForStatusBarText(RUNS_ITEM, /^Finance Cube Reprocess: Running( · .+)?$/);
    assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['sync', 'modifier-spin']);

    await workbench.waitForStatusBarText(RUNS_ITEM, /^Finance Cube Reprocess: Finished$/, RUN_ENDS_WITHIN_MS);
    assert.ok(simulator.count('tasks/getScheduleExecutionStatus') > pollsBefore, 'the reloaded window polled the run');
    assert.strictEqual(simulator.count('tasks/runSchedule'), 1, 'the reload did not start another run');
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Finance Cube Reprocess', /^Finance Cube$/);
  });
});
