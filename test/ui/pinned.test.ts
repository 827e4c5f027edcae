// Pinned schedules in the real workbench: the menus that pin and unpin, the Pinned group and the
// badge, and the failures of runs the server started, announced by one window of the machine only,
// also when they happened while VS Code was closed.
import * as assert from 'assert';
import { sleep } from '../host/timing';
import type { PyramidSimulator } from '../simulator/server';
import { EXTENSION_ID, EXTENSION_MESSAGE_ITEM, openAnotherWindow, pinFromContextMenu, pinnedRow, SCHEDULES_VIEW, showPyramidView, signedInJourney } from './pyramid';
import type { Workbench } from './workbench';

const CHECK_PINNED_COMMAND = 'Pyramid: Check Pinned Schedules Now';
const CHECK_PINNED_ACTION = 'Check Pinned Schedules Now';
/** The activity-bar entry of the extension's view container, which shows the view's badge. */
const PYRAMID = 'Pyramid';
/** A window checks its pins 5 s after it starts; a busy machine may take a while to get there. */
const FIRST_CHECK_WITHIN_MS = 60_000;
const PIN_REACHES_WINDOW_WITHIN_MS = 30_000;

/** How long a run of the schedule takes on this simulator, from its launch to its end. */
function runTakesMs(simulator: PyramidSimulator, scheduleName: string, durationScale: number): number {
  const { run } = simulator.schedule(scheduleName);
  return (run.pendingMs + run.tasks.reduce((sum, task) => sum + task.runMs, 0)) * durationScale;
}

/**
 * Switches from one window to the other until the other shows the schedule in its Pinned group. A
 * window looks for pins made elsewhere when it gets the focus, and a pin takes a moment to reach the
 * other windows' state: a switch right after pinning may come too early.
 */
async function switchUntilPinned(from: Workbench, to: Workbench, scheduleName: string): Promise<void> {
  const deadline = Date.now() + PIN_REACHES_WINDOW_WITHIN_MS;
  for (;;) {
    await from.focusWindow();
    await to.focusWindow();
    try {
      await to.waitForRowDescription(SCHEDULES_VIEW, scheduleName, /^(not checked yet|finished |failed )/, 2_000);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

async function shownNotifications(windows: Workbench[], message: RegExp): Promise<number[]> {
  return Promise.all(windows.map((window) => window.notification(message).count()));
}

describe('Pinned schedules: the menus, the Pinned group and the badge', function () {
  this.timeout(120_000);
  // At the demo durations "Finance Cube Reprocess" runs for 3 minutes: still running in the picture.
  const journey = signedInJourney({ durationScale: 1 });

  it('offers Pin on an unpinned row and Unpin on a pinned one; Check Pinned Now is in the title only while something is pinned', async () => {
    const { workbench } = journey();
    assert.ok(!(await workbench.viewTitleActions()).includes(CHECK_PINNED_ACTION), 'no Check Pinned Now while nothing is pinned');
    const unpinnedMenu = await workbench.openContextMenu(workbench.treeRow(SCHEDULES_VIEW, 'Warehouse Sync'));
    assert.ok(unpinnedMenu.includes('Pin Schedule') && !unpinnedMenu.includes('Unpin Schedule'), `the menu of an unpinned row: ${unpinnedMenu.join(', ')}`);
    await workbench.clickContextMenuItem('Pin Schedule');

    await workbench.waitForViewTitleAction(CHECK_PINNED_ACTION, true);
    const rows = await workbench.treeRows(SCHEDULES_VIEW);
    assert.ok(rows[0].startsWith('Pinned') && rows[1].startsWith('Warehouse Sync'), `the Pinned group comes first:\n${rows.join('\n')}`);
    const [pinnedGroupRow, groupRow] = [pinnedRow(workbench, 'Warehouse Sync'), workbench.treeRow(SCHEDULES_VIEW, 'Warehouse Sync').last()];
    for (const [where, row] of [['in the Pinned group', pinnedGroupRow], ['in its own group', groupRow]] as const) {
      const menu = await workbench.openContextMenu(row);
      assert.ok(menu.includes('Unpin Schedule') && !menu.includes('Pin Schedule'), `the menu of the pinned row ${where}: ${menu.join(', ')}`);
      await workbench.closeContextMenu();
    }

    await workbench.openContextMenu(pinnedGroupRow);
    await workbench.clickContextMenuItem('Unpin Schedule');
    await workbench.waitForViewTitleAction(CHECK_PINNED_ACTION, false);
    await workbench.treeRow(SCHEDULES_VIEW, 'Pinned').waitFor({ state: 'detached' });
    const menuAgain = await workbench.openContextMenu(workbench.treeRow(SCHEDULES_VIEW, 'Warehouse Sync'));
    assert.ok(menuAgain.includes('Pin Schedule') && !menuAgain.includes('Unpin Schedule'), `the menu once unpinned: ${menuAgain.join(', ')}`);
    await workbench.closeContextMenu();
  });

  it('shows each pinned schedule with its latest run, and the number of failing ones on the activity bar (screenshot)', async () => {
    const { workbench, simulator } = journey();
    // The newest past run of "Warehouse Sync" failed; those of the other two finished.
    const pinned = ['Warehouse Sync', 'Nightly Sales Load', 'Finance Cube Reprocess'];
    for (const name of pinned) {
      await pinFromContextMenu(workbench, name);
    }
    // The server's scheduler started it a minute and a half ago; it runs for three minutes.
    simulator.startScheduledRun('Finance Cube Reprocess', { at: Date.now() - 90_000 });
    await workbench.runCommand(CHECK_PINNED_COMMAND);

    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Finance Cube Reprocess', /^running for \d+m$/);
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Warehouse Sync', /^failed .+ ago$/);
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Nightly Sales Load', /^finished .+ · (\d+[hm] )?\d+[ms]$/);
    const rows = await workbench.treeRows(SCHEDULES_VIEW);
    assert.deepStrictEqual(
      rows.slice(1, 4).map((row) => pinned.find((name) => row.startsWith(name))),
      pinned,
      `the Pinned group lists the pins in the order they were pinned:\n${rows.join('\n')}`,
    );
    assert.strictEqual(await workbench.waitForActivityBarBadge(PYRAMID, /^\d+$/), '1', 'one failing pinned schedule');
    assert.strictEqual(await workbench.activityBarLabel(PYRAMID), 'Pyramid - Failing pinned schedules: Warehouse Sync');

    await workbench.waitForStatusBarText(EXTENSION_MESSAGE_ITEM, /^$/); // the passing "Checked 3 pinned schedule(s)" is not for the picture
    await workbench.notificationToasts().first().waitFor({ state: 'hidden' });
    await workbench.clearTreeFocus(SCHEDULES_VIEW); // no outline nor actions on the row whose menu was open last
    await workbench.screenshot('pinned');
  });
});

describe('Pinned schedules in two windows of one machine', function () {
  this.timeout(120_000);
  const durationScale = 0.25;
  const journey = signedInJourney({ durationScale });

  it('a run of a pinned schedule that ended badly is announced by one window only, and both show the badge', async () => {
    const { workbench: first, simulator } = journey();
    const second = await openAnotherWindow(journey(), 'another-folder');

    await first.focusWindow();
    await pinFromContextMenu(first, 'Customer 360 Merge');
    await first.waitForRowDescription(SCHEDULES_VIEW, 'Customer 360 Merge', /^finished \d/); // its first check
    await switchUntilPinned(first, second, 'Customer 360 Merge');
    await second.waitForRowDescription(SCHEDULES_VIEW, 'Customer 360 Merge', /^finished \d/);
    for (const window of [first, second]) {
      assert.strictEqual(await window.activityBarBadge(PYRAMID), '', 'no pinned schedule is failing yet');
    }

    // The server's scheduler ran it a moment ago; its last task failed.
    simulator.startScheduledRun('Customer 360 Merge', { outcome: 'failed', at: Date.now() - runTakesMs(simulator, 'Customer 360 Merge', durationScale) - 1000 });
    // Both windows check at the same moment: each reads the pin's mark before the other has moved it,
    // so only the claim on the run keeps the second window from announcing it too.
    const checks = await Promise.all([first.readyCommand(CHECK_PINNED_COMMAND), second.readyCommand(CHECK_PINNED_COMMAND)]);
    await Promise.all(checks.map((check) => check()));

    for (const window of [first, second]) {
      // The row changes once the window has dealt with the failure: announced it, or found it taken.
      await window.waitForRowDescription(SCHEDULES_VIEW, 'Customer 360 Merge', /^finished with errors /);
      await window.waitForActivityBarBadge(PYRAMID, /^1$/);
      assert.strictEqual(await window.activityBarLabel(PYRAMID), 'Pyramid - Failing pinned schedules: Customer 360 Merge');
    }
    const failure = /^Pinned schedule "Customer 360 Merge" finished with errors \(.+\): Duplicate key value violates unique constraint "dim_customer_pk"/;
    const shown = await shownNotifications([first, second], failure);
    assert.deepStrictEqual([...shown].sort(), [0, 1], `exactly one window announces the failure; the windows show ${shown.join(' and ')}`);
  });
});

describe('A pinned schedule that failed while VS Code was closed', function () {
  this.timeout(180_000);
  const durationScale = 0.25;
  const journey = signedInJourney({ durationScale });

  it('is announced once when the window opens again, and not again after a reload', async () => {
    const { workbench, session, simulator } = journey();
    await pinFromContextMenu(workbench, 'Inventory Refresh');
    await workbench.waitForRowDescription(SCHEDULES_VIEW, 'Inventory Refresh', /^finished /);
    await workbench.waitForSavedGlobalState(EXTENSION_ID, (state) => JSON.stringify(state['pyramid.pins'] ?? null).includes('Inventory Refresh'));
    await workbench.closeWindow();

    // The night: the server's scheduler starts the schedule after the window closed, and the run fails.
    const closedAt = Date.now();
    await sleep(runTakesMs(simulator, 'Inventory Refresh', durationScale) + 1000);
    simulator.startScheduledRun('Inventory Refresh', { outcome: 'failed', at: closedAt });

    const reopened = await session.openWindow();
    await showPyramidView(reopened);
    const failure = /^Pinned schedule "Inventory Refresh" failed while VS Code was closed \(.+\): Processing of Inventory Model timed out after 3600 seconds$/;
    await reopened.waitForNotification(failure, FIRST_CHECK_WITHIN_MS);
    await reopened.waitForRowDescription(SCHEDULES_VIEW, 'Inventory Refresh', /^failed /);
    assert.deepStrictEqual(await shownNotifications([reopened], /Inventory Refresh/), [1], 'one notification');
    await reopened.waitForActivityBarBadge(PYRAMID, /^1$/);

    await reopened.reloadWindow();
    // The row says "failed" once the first check after the reload has dealt with the run.
    await reopened.waitForRowDescription(SCHEDULES_VIEW, 'Inventory Refresh', /^failed /, FIRST_CHECK_WITHIN_MS);
    await reopened.runCommand(CHECK_PINNED_COMMAND);
    await reopened.waitForStatusBarText(EXTENSION_MESSAGE_ITEM, /^Checked 1 pinned schedule\(s\)$/);
    await reopened.waitForActivityBarBadge(PYRAMID, /^1$/);
    assert.deepStrictEqual(await shownNotifications([reopened], /Inventory Refresh/), [0], 'not announced again');
  });
});
