import * as assert from 'assert';
import { RUNS_ITEM, signedInJourney } from './pyramid';
import { INVOKE_TITLE, toolInvokerFolder } from './toolInvoker';

// The run tool asks before it starts anything. Outside a chat VS Code asks in a modal dialog whose buttons are
// "Cancel" and "Yes"; a test-only extension invokes the tool, as a chat would, and shows what came back.
describe('The run tool from a chat, confirmed and refused in the real dialog', function () {
  this.timeout(120_000);
  const journey = signedInJourney({ durationScale: 0.25, extensionFolders: [toolInvokerFolder()] });

  it('refused: nothing is sent and the invocation ends as Canceled', async () => {
    const { workbench, simulator } = journey();
    const runsBefore = simulator.count('tasks/runSchedule');
    await workbench.runCommand(INVOKE_TITLE);
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Nightly Sales Load/);
    assert.deepStrictEqual(await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts(), ['Cancel', 'Yes']);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();

    await workbench.waitForNotification(/^Tool not run: Canceled$/);
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 0, 'no runSchedule request');
  });

  it('confirmed: one run, followed in the status bar, and the tool returns its outcome', async () => {
    const { workbench, simulator } = journey();
    const runsBefore = simulator.count('tasks/runSchedule');
    await workbench.runCommand(INVOKE_TITLE);
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Yes' }).click();

    await workbench.waitForStatusBarText(RUNS_ITEM, /^Nightly Sales Load: (Starting|Pending|Running)/);
    const result = await workbench.waitForNotification(/^Tool result: /, 60_000);
    assert.match(result, /Nightly Sales Load/);
    assert.match(result, /Finished/i);
    assert.strictEqual(simulator.count('tasks/runSchedule') - runsBefore, 1, 'exactly one runSchedule request');
  });
});
