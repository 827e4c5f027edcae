// A hostile server in the real workbench: a schedule name and a task error made of links, theme
// icons and HTML reach the tree, the status bar and a notification only as text.
import * as assert from 'assert';
import { RUNS_ITEM, SCHEDULES_VIEW, signedInJourney } from './pyramid';

const HOSTILE_NAME = 'Warehouse Sync $(zap) [Open](command:pyramid.suspendSchedule) <b>bold</b>';
const HOSTILE_ERROR = {
  msg: 'Refused: [Click here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20pwned%5Cn%22%7D) <img src=x> {0}',
  params: ['[docs](https://evil.example/a)'],
  code: 1001,
};

describe('A hostile server', function () {
  this.timeout(60_000);
  const journey = signedInJourney({ durationScale: 0.25 });

  it('a failure named with links, icons and HTML shows as text: the notification holds no link', async () => {
    const { workbench, simulator } = journey();
    const schedule = simulator.schedule('Warehouse Sync');
    schedule.spec.name = HOSTILE_NAME;
    schedule.run.tasks = [{ description: 'Load <i>staging</i>', runMs: 1_000, error: HOSTILE_ERROR }];
    await workbench.runCommand('Pyramid: Refresh Schedules');

    // The tree shows the name as it is, with no codicon made of it.
    const row = workbench.treeRow(SCHEDULES_VIEW, HOSTILE_NAME);
    await row.waitFor();
    assert.strictEqual(await row.locator('.label-name .codicon, .label-name a, .label-name b').count(), 0);

    await workbench.clickRowAction(SCHEDULES_VIEW, HOSTILE_NAME, 'Run Schedule');
    const failure = /ended Error after \d+s: Refused: /;
    const text = await workbench.waitForNotification(failure);
    assert.strictEqual(await workbench.notification(failure).locator('.notification-list-item-message a').count(), 0, `no link in: ${text}`);
    assert.strictEqual(await workbench.notification(failure).locator('.notification-list-item-message img, .notification-list-item-message b').count(), 0);
    assert.ok(text.includes('[Open] (command:pyramid.suspendSchedule) <b>bold</b>'), `the words are all there: ${text}`);
    assert.ok(text.includes('<img src=x> [docs] (https://evil.example/a)'), `the error's words are all there: ${text}`);

    // The status bar shows the name's $(zap) as text: its only icon is the extension's own.
    const shown = await workbench.waitForStatusBarText(RUNS_ITEM, /: Error$/);
    assert.ok(shown.includes('$(zap)'), shown);
    assert.deepStrictEqual(await workbench.statusBarIcons(RUNS_ITEM), ['error']);
    assert.strictEqual(simulator.count('tasks/suspendSchedule'), 0);
  });
});
