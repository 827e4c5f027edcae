// The fault matrix inside a real VS Code: each fault the simulator can inject, with what the user sees,
// what the tree keeps, what happens to watched runs, and that runSchedule is never sent twice.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { Fault, PyramidSimulator, VIEWER_USER } from '../simulator/server';
import { findScheduleNode, outputText, pickLabel, signInTo, useSimulator, waitFor } from './helpers';
import type { TreeNode as Node } from './helpers';

/** Faults a read may meet, and the message naming each (the client retries reads, so they persist). */
const READ_FAULTS: [string, Fault, RegExp][] = [
  ['500 with a text body', { kind: 'status', status: 500, body: 'Internal error: database is locked' }, /^The server answered HTTP 500: Internal error: database is locked$/],
  ['an HTML 502 page', { kind: 'html', status: 502 }, /^The server answered with an HTML page \(HTTP 502\): check the server URL or proxy\.$/],
  ['malformed JSON', { kind: 'malformedJson' }, /^The server's answer to findSchedule is not valid JSON\.$/],
  ['an empty body', { kind: 'emptyBody' }, /^The server sent an empty answer to findSchedule\.$/],
  ['a connection dropped mid-answer', { kind: 'dropMidBody' }, /^The connection to http:\/\/127\.0\.0\.1:\d+ was closed before the answer was complete\.$/],
  ['a dropped connection', { kind: 'drop' }, /^The connection to http:\/\/127\.0\.0\.1:\d+ was closed before the answer was complete\.$/],
  ['an answer that is not a list', { kind: 'json', body: { schedules: [] } }, /^The server's answer to findSchedule is not the expected list\.$/],
];

describe('faults', function () {
  this.timeout(60_000);
  const suite = useSimulator({
    simulator: { durationScale: 0.05 },
    settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2, requestTimeoutSeconds: 2, notifyOn: 'failures' },
  });
  const { dialogs } = suite;

  const rootNodes = async () => (await suite.api.tree.getChildren()) as Node[];
  const refreshed = async () => {
    await vscode.commands.executeCommand('pyramid.refresh');
    return rootNodes();
  };
  const scheduleNode = (name: string) => findScheduleNode(suite.api, name);
  const runsSent = () => suite.sim.count('tasks/runSchedule');
  const errors = () => dialogs.messages.filter((m) => m.severity === 'error');

  before(async () => {
    await waitFor('the schedules', async () => (await rootNodes()).some((node) => node.label === 'Data flows'));
  });

  for (const [name, fault, message] of READ_FAULTS) {
    it(`${name}: a refresh keeps the last list and says why; a first load shows an error node with Retry`, async () => {
      suite.sim.inject({ fault, path: 'tasks/findSchedule', times: Infinity });
      const kept = await refreshed();
      assert.ok(kept.some((node) => node.label === 'Data flows'), 'the last good list stays');
      const viewMessage = suite.api.tree.viewMessage ?? '';
      assert.ok(viewMessage.startsWith('Refresh failed, showing the last list: '), viewMessage);
      assert.match(viewMessage.replace('Refresh failed, showing the last list: ', ''), message);

      await vscode.commands.executeCommand('pyramid.signOut');
      await signInTo(suite.sim, dialogs);
      const [errorNode, ...rest] = await rootNodes();
      assert.equal(rest.length, 0);
      assert.equal(errorNode.label, 'Cannot load from the server: click to retry');
      assert.match(String(errorNode.description), message);
      assert.equal(errorNode.command?.command, 'pyramid.refresh');

      suite.sim.clearFaults();
      assert.ok((await refreshed()).some((node) => node.label === 'Data flows'), 'Retry brings the list back');
      assert.equal(suite.api.tree.viewMessage, undefined);
    });
  }

  it('an answer slower than the request timeout is named with the timeout', async () => {
    suite.sim.inject({ fault: { kind: 'latency', ms: 3_000 }, path: 'tasks/findSchedule', times: Infinity });
    await refreshed();
    assert.equal(suite.api.tree.viewMessage, `Refresh failed, showing the last list: The server at ${suite.sim.url} did not answer within 2 s.`);
  });

  it('a refused connection is named, and the list comes back when the server does', async () => {
    const other = await PyramidSimulator.start();
    const port = other.port;
    await signInTo(other, dialogs);
    await waitFor('the other server\'s schedules', async () => (await rootNodes()).some((node) => node.label === 'Data flows'));
    await other.stop();
    try {
      const kept = await refreshed();
      assert.ok(kept.some((node) => node.label === 'Data flows'));
      assert.equal(
        suite.api.tree.viewMessage,
        `Refresh failed, showing the last list: Cannot connect to http://127.0.0.1:${port}: the connection was refused. Check that the server is running and pyramid.serverUrl is right.`,
      );
    } finally {
      await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
    }
  });

  it('unknown codes and missing fields are shown as such, never a crash', async () => {
    suite.sim.inject({
      fault: { kind: 'json', body: [{ scheduleId: 'odd-1' }, { scheduleId: 'odd-2', name: 'Odd One', type: 'BRAND_NEW_TYPE', status: 42, createdDate: 'yesterday' }] },
      path: 'tasks/findSchedule',
    });
    const nodes = await refreshed();
    assert.deepEqual(nodes.map((node) => node.label), ['Other']);
    const items = (await suite.api.tree.getChildren(nodes[0] as never)) as Node[];
    assert.deepEqual(items.map((node) => [node.label, node.description]), [['(unnamed schedule)', 'unknown'], ['Odd One', 'unknown (42)']]);
    await refreshed();
  });

  it('a run whose status code is unknown keeps being watched and shows the code', async () => {
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Finance Cube Reprocess'));
    suite.sim.inject({ fault: { kind: 'json', body: { status: 99 } }, path: 'tasks/getScheduleExecutionStatus', times: Infinity });
    // The runs of earlier tests made a history: the time left may follow the status.
    await waitFor('the unknown status', () => /^\$\(sync~spin\) Finance Cube Reprocess: Unknown \(99\)( · .+)?$/.test(suite.api.statusBar.shownText ?? ''));
    assert.equal(suite.api.monitor.watched[0].state, 'watching');
  });

  it('a 403 on suspend says what the server refused, without asking to sign in', async () => {
    await vscode.commands.executeCommand('pyramid.signOut');
    dialogs.picks.push(pickLabel('username and password'));
    dialogs.inputs.push(VIEWER_USER.userName, VIEWER_USER.password);
    await vscode.commands.executeCommand('pyramid.signIn');
    try {
      await vscode.commands.executeCommand('pyramid.suspendSchedule', await scheduleNode('Nightly Sales Load'));
      const [error] = errors();
      assert.equal(error.text, 'Could not suspend "Nightly Sales Load": The server refused the request (HTTP 403): Insufficient permissions: Enterprise Admin role required.');
      assert.deepEqual(error.actions, ['Show Output']);
      assert.equal((await scheduleNode('Nightly Sales Load')).contextValue, 'schedule active');
    } finally {
      await vscode.commands.executeCommand('pyramid.signOut');
      await signInTo(suite.sim, dialogs);
    }
  });

  it('a 401 during a watched run pauses it and asks to sign in once', async () => {
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Finance Cube Reprocess'));
    suite.sim.inject({ fault: { kind: 'unauthorized' }, path: 'tasks/getScheduleExecutionStatus', times: Infinity });
    await waitFor('the pause', () => suite.api.monitor.watched[0]?.state === 'paused');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(dialogs.messages.filter((m) => m.actions.includes('Sign In')).length, 1);
    suite.sim.clearFaults();
    await signInTo(suite.sim, dialogs);
    await waitFor('watching again', () => suite.api.monitor.watched[0]?.state === 'watching');
  });

  it('a server restart during a watched run: the run is reported unknown and dropped', async () => {
    await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Finance Cube Reprocess'));
    await waitFor('a first status', () => suite.api.monitor.watched[0]?.status !== undefined);
    suite.sim.restart();
    const warning = await waitFor('the warning', () => dialogs.messages.find((m) => m.text.startsWith('Stopped watching "Finance Cube Reprocess"')));
    assert.match(warning.text, /the server no longer knows this run \(it may have restarted\)/);
    assert.equal(suite.api.monitor.watched.length, 0);
    assert.equal(suite.api.monitor.hasTimer, false);
  });

  for (const [name, fault, expected] of [
    ['a 503', { kind: 'status', status: 503, body: 'Service Unavailable' }, /^Could not run "Nightly Sales Load": The server answered HTTP 503: Service Unavailable$/],
    ['a dropped connection', { kind: 'drop' }, /was closed before the answer was complete\. The run may have started anyway: check its runs in the tree before running it again\.$/],
    ['no answer before the timeout', { kind: 'latency', ms: 3_000 }, /did not answer within 2 s\. The run may have started anyway/],
  ] as [string, Fault, RegExp][]) {
    it(`runSchedule meeting ${name} is sent once, and the user is told`, async () => {
      const before = runsSent();
      suite.sim.inject({ fault, path: 'tasks/runSchedule', times: Infinity });
      await vscode.commands.executeCommand('pyramid.runSchedule', await scheduleNode('Nightly Sales Load'));
      assert.equal(runsSent(), before + 1);
      const [error] = errors();
      assert.match(error.text, expected);
      assert.equal(suite.api.monitor.watched.length, 0);
    });
  }

  it('twenty watched runs survive a sign-out and sign-in, each reported exactly once', async function () {
    this.timeout(120_000);
    dialogs.answer = (message) => (message.actions.includes('Start Another Run') ? 'Start Another Run' : undefined);
    const node = await scheduleNode('Finance Cube Reprocess');
    for (let i = 0; i < 20; i++) {
      await vscode.commands.executeCommand('pyramid.runSchedule', node);
    }
    const ids = suite.api.monitor.watched.map((run) => run.executionId);
    assert.equal(new Set(ids).size, 20);
    await vscode.commands.executeCommand('pyramid.signOut');
    await waitFor('every run to pause', () => suite.api.monitor.watched.every((run) => run.state === 'paused'), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // the runs (9 s each) finish on the server meanwhile
    await signInTo(suite.sim, dialogs);
    await waitFor('every run to finish', () => suite.api.monitor.watched.length === 0, 60_000);
    const finished = suite.api.monitor.recent.filter((run) => ids.includes(run.executionId));
    assert.equal(finished.length, 20);
    assert.ok(finished.every((run) => run.outcome === 'succeeded'));
    const log = await waitFor('the last line', () => {
      const text = outputText(suite.api);
      return ids.every((id) => text.includes(`Finance Cube Reprocess (${id.split('-')[0]}): ended`)) ? text : undefined;
    });
    for (const id of ids) {
      const endings = log.split('\n').filter((line) => line.includes(`(${id.split('-')[0]}): ended`));
      assert.equal(endings.length, 1, `run ${id} ended ${endings.length} times`);
    }
  });
});
