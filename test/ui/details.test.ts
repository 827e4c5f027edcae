// Schedule details in the real workbench: a click on a row opens its details editor, whose webview
// shows the run-history chart, its statistics and the table of runs; selecting a failed run shows the
// task's error; a schedule named like markup shows as text.
import * as assert from 'assert';
import { SCHEDULES_VIEW, signedInJourney } from './pyramid';

const MARKUP_NAME = '<img src=x onerror=alert(1)>';

describe('Schedule details', function () {
  this.timeout(90_000);
  const journey = signedInJourney({ durationScale: 0.25, userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });

  it('a click on a row opens its details: the chart, its statistics and the table of the same runs', async () => {
    const { workbench } = journey();
    await workbench.clickTreeRow(SCHEDULES_VIEW, 'Nightly Sales Load');
    const details = workbench.webviewContent();
    await details.locator('h1', { hasText: 'Nightly Sales Load' }).waitFor();
    assert.deepStrictEqual(await workbench.editorTabTitles(), ['Nightly Sales Load']);

    const bars = details.locator('svg rect.bar');
    await bars.first().waitFor();
    assert.strictEqual(await bars.count(), 30, 'the last 30 runs (pyramid.detailsRuns)');
    assert.strictEqual(await details.locator('table.runs-table tbody tr').count(), 30, 'the table lists the same runs');
    assert.ok((await details.locator('svg rect.bar.failed').count()) >= 1, 'a time-out among them, in the failure colour');
    assert.match((await details.locator('[data-stat="Median"]').innerText()).trim(), /^\d+s$|^\d+m \d+s$/);
    assert.match((await details.locator('[data-stat="90th percentile"]').innerText()).trim(), /^\d+s$|^\d+m \d+s$/);
    assert.match((await details.locator('[data-stat="Success rate"]').innerText()).trim(), /^\d+%$/);

    // The keyboard reaches every run: the newest bar takes the focus, the arrows move it and show its tooltip.
    const newest = details.locator('svg rect.bar[tabindex="0"]');
    await newest.focus();
    await newest.press('ArrowLeft');
    const tooltip = details.locator('#tooltip');
    await tooltip.waitFor();
    assert.match(await tooltip.innerText(), /^Started \d{4}-\d\d-\d\d \d\d:\d\d\s+Finished\s+took \d/);

    // The time-out's tasks: its full error, parameters filled in.
    await details.locator('svg rect.bar.failed').last().click();
    const error = details.locator('tr.task-error .message');
    await error.waitFor();
    assert.strictEqual(await error.innerText(), 'Processing of Sales Model timed out after 3600 seconds');
    await workbench.moveMouseAway();
    await workbench.screenshot('details');
  });

  it('selecting a failed run in the table shows its tasks: status, start, duration, executor and error', async () => {
    const { workbench } = journey();
    await workbench.clickTreeRow(SCHEDULES_VIEW, 'Warehouse Sync');
    const details = workbench.webviewContent();
    await details.locator('h1', { hasText: 'Warehouse Sync' }).waitFor();
    assert.deepStrictEqual(await workbench.editorTabTitles(), ['Warehouse Sync'], 'the shared panel followed the click');

    const failedRow = details.locator('table.runs-table tbody tr', { hasText: 'Failed' }).first();
    await failedRow.locator('button').click();
    const task = details.locator('table.tasks-table tbody tr[data-task]').first();
    await task.waitFor();
    const cells = (await task.locator('td').allInnerTexts()).map((cell) => cell.trim());
    assert.strictEqual(cells[0], 'Warehouse Staging');
    assert.strictEqual(cells[1], 'Error');
    assert.match(cells[2], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.match(cells[3], /^\d+s$/);
    assert.strictEqual(await details.locator('tr.task-error .message').innerText(), 'Connection to warehouse-db01:5432 refused (ECONNREFUSED)');
  });

  it('a schedule named like markup shows its name as text, and no script of it runs', async () => {
    const { workbench, simulator } = journey();
    const dialogs: string[] = [];
    workbench.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    simulator.schedule('Log Cleanup').spec.name = MARKUP_NAME;
    await workbench.runCommand('Pyramid: Refresh Schedules');
    await workbench.treeRow(SCHEDULES_VIEW, MARKUP_NAME).waitFor();
    await workbench.clickTreeRow(SCHEDULES_VIEW, MARKUP_NAME);

    const details = workbench.webviewContent();
    const heading = details.locator('h1');
    await heading.filter({ hasText: MARKUP_NAME }).waitFor();
    assert.strictEqual(await heading.innerText(), MARKUP_NAME);
    assert.strictEqual(await details.locator('img').count(), 0, 'no element was made of the name');
    assert.deepStrictEqual(dialogs, []);
  });

  it('a double click on a row gives the schedule a panel of its own; the next click opens a new shared one', async () => {
    const { workbench } = journey();
    await workbench.treeRow(SCHEDULES_VIEW, 'Inventory Refresh').locator('.label-name').dblclick();
    const details = workbench.webviewContent();
    await details.locator('h1', { hasText: 'Inventory Refresh' }).waitFor();
    await details.locator('button', { hasText: 'Suspend' }).waitFor();
    assert.strictEqual(await details.locator('button', { hasText: 'Keep Open' }).count(), 0, 'kept: no Keep Open');

    await workbench.clickTreeRow(SCHEDULES_VIEW, 'Daily KPI Digest');
    await details.locator('h1', { hasText: 'Daily KPI Digest' }).waitFor();
    assert.deepStrictEqual(await workbench.editorTabTitles(), ['Inventory Refresh', 'Daily KPI Digest']);
  });
});
