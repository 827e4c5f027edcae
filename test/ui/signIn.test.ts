import * as assert from 'assert';
import { openSignIn, SCHEDULES_VIEW, signInWithPassword, startJourney, type Journey } from './pyramid';
import { screenshotIfFailed } from './session';

describe('Journey: sign in with a user name and password', function () {
  this.timeout(60_000);
  let journey: Journey | undefined;

  before(async function () {
    this.timeout(120_000);
    journey = await startJourney({ durationScale: 0.25 });
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, journey?.workbench);
  });

  after(async () => {
    await journey?.close();
  });

  it('asks how to sign in, then for the user name and password, and shows the schedules', async () => {
    const { workbench, simulator } = journey!;
    await openSignIn(workbench, simulator.url);
    const methods = await workbench.quickPickLabels();
    assert.deepStrictEqual(methods, ['Sign in with username and password', 'Paste an API token']);
    await workbench.screenshot('sign-in');

    await signInWithPassword(workbench, simulator.url);
    const nightly = workbench.treeRow(SCHEDULES_VIEW, 'Nightly Sales Load');
    await nightly.waitFor();
    assert.strictEqual(simulator.count('authentication/authenticateUser'), 1, 'one sign-in request');

    const rows = await workbench.treeRows(SCHEDULES_VIEW);
    for (const group of ['Data flows', 'Publications', 'Alerts']) {
      assert.ok(rows.some((row) => row.startsWith(group)), `expected a "${group}" group, the tree shows:\n${rows.join('\n')}`);
    }
    assert.strictEqual(await workbench.rowDescription(SCHEDULES_VIEW, 'Nightly Sales Load'), 'Sales Model');
    assert.strictEqual(await workbench.rowDescription(SCHEDULES_VIEW, 'HR Headcount Load'), 'HR Model · suspended');
    assert.strictEqual(await nightly.getAttribute('aria-level'), '2', 'schedules are shown inside their (expanded) group');
    await workbench.notificationToasts().first().waitFor({ state: 'hidden' });
    await workbench.screenshot('schedules');
  });
});
