// Re-run Task in the real workbench: a failed task's row, under its run under its schedule, re-runs the
// task, which the status bar follows as "Schedule · Task" to its end.
import * as assert from 'assert';
import { RUNS_ITEM, SCHEDULES_VIEW, signedInJourney } from './pyramid';

describe('Re-run Task', function () {
  this.timeout(90_000);
  const journey = signedInJourney({ durationScale: 0.25 });

  it('re-runs the failed task of the last run from its tree row and follows it to its end in the status bar', async () => {
    const { workbench, simulator } = journey();
    const schedules = workbench.view(SCHEDULES_VIEW);
    await workbench.treeRow(SCHEDULES_VIEW, 'Warehouse Sync').locator('.monaco-tl-twistie').click();
    // The newest run comes first under the schedule; the fixture's newest run of Warehouse Sync failed.
    const newestRun = schedules.locator('.monaco-list-row[aria-level="3"]').first();
    await newestRun.waitFor();
    assert.match(await newestRun.innerText(), /Failed/);
    await newestRun.locator('.monaco-tl-twistie').click();
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Warehouse Staging', /^Error: Connection to warehouse-db01:5432 refused/);

    await workbench.clickRowAction(SCHEDULES_VIEW, 'Warehouse Staging', 'Re-run Task');
    await workbench.waitForStatusBarText(RUNS_ITEM, /^Warehouse Sync · Warehouse Staging: (Starting|Running)$/);
    assert.strictEqual(simulator.count('tasks/reRunTask'), 1, 'exactly one reRunTask request');
    assert.strictEqual(simulator.count('tasks/runSchedule'), 0, 'the schedule itself was not run');
    await workbench.waitForStatusBarText(RUNS_ITEM, /^Warehouse Sync · Warehouse Staging: Running$/);
    await workbench.waitForStatusBarText(RUNS_ITEM, /^Warehouse Sync · Warehouse Staging: Finished$/, 30_000);
    assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['check']);
    assert.strictEqual(simulator.count('tasks/reRunTask'), 1);
  });
});
