// Time left and "longer than usual" inside a real VS Code: the status bar (and the details header) of a run
// whose schedule has a history, of one whose schedule has none, and of a run that overstays (live runs take three times what
// the simulator's history says, as a slow day would).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { findScheduleNode, useSimulator, waitFor } from './helpers';

/** The first generated schedule: it has never run, so it has no history. */
const NO_HISTORY = 'Publication 00001 – Region South';

describe('run estimates', function () {
  this.timeout(120_000);
  const suite = useSimulator({
    simulator: { schedules: 20, durationScale: 3 },
    settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, notifyOn: 'none', notifyLongerThanUsual: true },
  });

  const statusText = () => suite.api.statusBar.shownText ?? '';
  const historyReads = (name: string) =>
    suite.sim.requests.filter((request) => request.path === 'tasks/getExecutions' && request.body.includes(suite.sim.schedule(name).scheduleId)).length;
  const run = async (name: string) => vscode.commands.executeCommand('pyramid.runSchedule', await findScheduleNode(suite.api, name));
  const overstayMessages = (name: string) => suite.dialogs.messages.filter((message) => message.text.startsWith(`"${name}" is taking longer than usual`));

  it('shows the time left of a run whose schedule has a history', async () => {
    await run('Nightly Sales Load');
    const text = await waitFor('the status bar to show the time left', () => {
      const shown = statusText();
      return / · (about \d+ min|less than a minute) left$/.test(shown) ? shown : undefined;
    });
    assert.match(text, /^\$\(sync~spin\) Nightly Sales Load: (Pending|Running) · /);
    assert.equal(historyReads('Nightly Sales Load'), 1, 'one history read for the run start');

    await vscode.commands.executeCommand('pyramid.showDetails', await findScheduleNode(suite.api, 'Nightly Sales Load'));
    const estimate = await waitFor('the details header to show the time left', () => {
      const panel = suite.api.details.panels.find((candidate) => candidate.scheduleId === suite.sim.schedule('Nightly Sales Load').scheduleId);
      return panel?.shown.kind === 'data' ? panel.shown.header.estimate : undefined;
    });
    assert.match(estimate.label, /left$|longer than usual/);
    assert.match(estimate.basis, /^usually \d+s \(median of the last 12 successful runs\)$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows no estimate for a run whose schedule has no history', async () => {
    await run(NO_HISTORY);
    await waitFor('the history to be read', () => historyReads(NO_HISTORY) > 0);
    const read = suite.sim.requests.findIndex((request) => request.path === 'tasks/getExecutions');
    const checksSince = () => suite.sim.requests.slice(read).filter((request) => request.path === 'tasks/getScheduleExecutionStatus').length;
    // Two status checks after the history read: its answer was in long before the second.
    const text = await waitFor('the run to be running, two checks after the history read', () => {
      const shown = statusText();
      return checksSince() >= 2 && shown.includes(`${NO_HISTORY}: Running`) ? shown : undefined;
    });
    assert.ok(suite.api.monitor.watched.length === 1, 'still running');
    assert.ok(!/ left|usual/.test(text), `no estimate: ${text}`);
  });

  it('says "longer than usual" once a run overstays its history, and notifies once', async () => {
    await run('Inventory Refresh');
    await waitFor('the status bar to say the run takes longer than usual', () => statusText().endsWith(' · longer than usual'), 60_000);
    await waitFor('the notification', () => overstayMessages('Inventory Refresh').length > 0);
    assert.match(overstayMessages('Inventory Refresh')[0].text, /running for .*, usually .* \(median of the last \d+ successful runs\)\.$/);
    await waitFor('the run to end', () => suite.api.monitor.watched.length === 0, 60_000);
    assert.equal(overstayMessages('Inventory Refresh').length, 1, 'one notification per run');
  });
});
