import * as assert from 'assert';
import { ScheduleStatus } from '../simulator/server';
import { EXTENSION_MESSAGE_ITEM, RUNS_ITEM, runFromPalette, runRequestsFor, SCHEDULES_VIEW, signedInJourney } from './pyramid';

// At a quarter of the demo durations, "Nightly Sales Load" runs for about 5 s and "Warehouse Sync"
// fails after about 1.5 s: long enough to see each status, short enough for a quick suite.
const DURATION_SCALE = 0.25;
const RUN_ENDS_WITHIN_MS = 20_000;

/** A line of the Pyramid output channel about a run, e.g. `[info] Warehouse Sync (ebf5609a): Running → Error`. */
function runLogLine(schedule: string, event: string): RegExp {
  return new RegExp(`\\[(info|error)\\] ${schedule} \\([0-9a-f]{8}\\): +${event}$`);
}

describe('Journeys in a signed-in window', function () {
  this.timeout(60_000);
  const journey = signedInJourney({ durationScale: DURATION_SCALE });

  describe('run schedules and watch them', () => {
    it('runs a schedule from the Run action of its tree row', async () => {
      const { workbench, simulator } = journey();
      const runsBefore = simulator.count('tasks/runSchedule');
      await workbench.clickRowAction(SCHEDULES_VIEW, 'Weekly Executive Report', 'Run Schedule');

      await workbench.waitForStatusBarText(RUNS_ITEM, /^Weekly Executive Report: (Starting|Pending|Running)( · .+ left)?$/);
      assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'exactly one runSchedule request');
      assert.strictEqual(runRequestsFor(simulator, 'Weekly Executive Report'), 1, 'the run is of the clicked schedule');
      await workbench.waitForStatusBarText(RUNS_ITEM, /^Weekly Executive Report: Finished$/, RUN_ENDS_WITHIN_MS);
      assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'still one run after it ended');
    });

    it('runs "Nightly Sales Load" from the palette; the status bar shows it running, then finished', async () => {
      const { workbench } = journey();
      await workbench.waitForStatusBarText(EXTENSION_MESSAGE_ITEM, /^$/); // the passing "Signed in" is not for the picture
      await runFromPalette(workbench, 'Nightly Sales Load');

      await workbench.waitForStatusBarText(RUNS_ITEM, /^Nightly Sales Load: (Starting|Pending|Running)( · .+ left)?$/);
      assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['sync', 'modifier-spin']);
      await workbench.runCommand('Pyramid: Show Output');
      await workbench.waitForOutputLine(runLogLine('Nightly Sales Load', 'Pending → Running'));
      // Its history says about 21 s; at a quarter of that, the estimate stays under a minute.
      await workbench.waitForStatusBarText(RUNS_ITEM, /^Nightly Sales Load: Running · less than a minute left$/);
      await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Nightly Sales Load', /^Sales Model · running · less than a minute left$/);
      await workbench.screenshot('run-status-bar');

      await workbench.waitForStatusBarText(RUNS_ITEM, /^Nightly Sales Load: Finished$/, RUN_ENDS_WITHIN_MS);
      assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['check']);
      await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Nightly Sales Load', /^Sales Model$/);
      await workbench.waitForOutputLine(runLogLine('Nightly Sales Load', 'ended Finished after \\d+s'));
      await workbench.runCommand('View: Hide Panel');
    });

    it('shows a failed run in the status bar, a notification and the output channel', async () => {
      const { workbench } = journey();
      await runFromPalette(workbench, 'Warehouse Sync');

      await workbench.waitForStatusBarText(RUNS_ITEM, /^Warehouse Sync: Error$/, RUN_ENDS_WITHIN_MS);
      assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['error']);
      assert.match((await workbench.statusBarItem(RUNS_ITEM).getAttribute('class')) ?? '', /\berror-kind\b/, 'error background');
      const failure = /^"Warehouse Sync" ended Error after \d+s: Connection to warehouse-db01:5432 refused \(ECONNREFUSED\)$/;
      await workbench.waitForNotification(failure);
      assert.deepStrictEqual(await workbench.notificationButtons(failure), ['Show Output', 'Run Again', 'Show Details']);
      await workbench.screenshot('run-failed');

      await workbench.clickNotificationButton(failure, 'Show Output');
      assert.strictEqual(await workbench.shownOutputChannel(), 'Pyramid');
      await workbench.runCommand('View: Toggle Maximized Panel'); // room for the whole log in the picture
      await workbench.waitForOutputLine(runLogLine('Warehouse Sync', 'Running → Error'));
      await workbench.waitForOutputLine(runLogLine('Warehouse Sync', 'Connection to warehouse-db01:5432 refused \\(ECONNREFUSED\\)'));
      await workbench.screenshot('output');
      await workbench.runCommand('View: Hide Panel');
    });
  });

  describe('suspend and resume from the tree', () => {
    it('Suspend marks "Nightly Sales Load" suspended, Resume makes it active again', async () => {
      const { workbench, simulator } = journey();
      const nightly = simulator.schedule('Nightly Sales Load');
      assert.strictEqual(nightly.status, ScheduleStatus.IDLE);

      await workbench.clickRowAction(SCHEDULES_VIEW, 'Nightly Sales Load', 'Suspend Schedule');
      await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Nightly Sales Load', /^Sales Model · suspended$/);
      assert.strictEqual(nightly.status, ScheduleStatus.HOLD, 'the server holds the schedule');
      assert.strictEqual(simulator.count('tasks/suspendSchedule'), 1);

      await workbench.clickRowAction(SCHEDULES_VIEW, 'Nightly Sales Load', 'Resume Schedule');
      await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Nightly Sales Load', /^Sales Model$/);
      assert.strictEqual(nightly.status, ScheduleStatus.IDLE, 'the server runs the schedule again');
      assert.strictEqual(simulator.count('tasks/resumeSchedule'), 1);
    });
  });
});
