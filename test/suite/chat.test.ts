// The chat's language model tools, inside a real VS Code against the simulator: read-only tools through
// vscode.lm.invokeTool, the tools that change server state through their prepareInvocation and invoke.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DATA_NOTE } from '../../src/chat/resultText';
import { EXTENSION_ID, findScheduleNode, signInTo, useSimulator, waitFor } from './helpers';

async function invokeTool(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('chat tools', function () {
  this.timeout(90_000);
  const suite = useSimulator({ simulator: { durationScale: 0.05 }, settings: { pollIntervalSeconds: 1, maxPollIntervalSeconds: 2 } });

  it('are contributed for a configured server, each with a schema, a reference name and an icon', () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.languageModelTools as Record<string, unknown>[]) ?? [];
    assert.deepEqual(contributed.map((tool) => tool.name), [
      'pyramid_findSchedules',
      'pyramid_getScheduleStatus',
      'pyramid_runSchedule',
      'pyramid_suspendSchedule',
      'pyramid_resumeSchedule',
      'pyramid_pinnedStatus',
    ]);
    for (const tool of contributed) {
      assert.equal(tool.when, 'pyramid.serverConfigured');
      assert.equal((tool.inputSchema as { type: string }).type, 'object');
      assert.match(String(tool.icon), /^\$\([a-z-]+\)$/);
      assert.ok(tool.toolReferenceName && tool.modelDescription && tool.userDescription);
    }
  });

  it('find schedules by part of the name, type and status, with their ids', async () => {
    const host = new URL(suite.sim.url).host;
    const found = await invokeTool('pyramid_findSchedules', { name: 'Sales' });
    assert.ok(found.startsWith(DATA_NOTE));
    assert.match(found, new RegExp(`^2 schedule\\(s\\) on ${host.replace(/\./g, '\\.')}:$`, 'm'));
    assert.match(found, /- "Nightly Sales Load" \(id "[^"]+"; type "Data flow"; status "Active"/);
    assert.match(found, /- "Regional Sales Pack"/);
    const exact = await invokeTool('pyramid_findSchedules', { name: 'Nightly Sales Load', matchType: 'Equals' });
    assert.match(exact, /^1 schedule\(s\)/m);
    const flows = await invokeTool('pyramid_findSchedules', { type: 'Data flow' });
    assert.doesNotMatch(flows, /Regional Sales Pack/);
    assert.match(flows, /Warehouse Sync/);
    assert.match(await invokeTool('pyramid_findSchedules', { matchType: 'Sometimes' }), /^Unknown matchType/);
  });

  it('read one schedule status with its latest runs and the errors of failed tasks', async () => {
    const status = await invokeTool('pyramid_getScheduleStatus', { schedule: 'Warehouse Sync' });
    assert.ok(status.startsWith(DATA_NOTE));
    assert.match(status, /Schedule "Warehouse Sync" on .*: type "Data flow", status "Active"\./);
    assert.match(status, /- run "[^"]+": Failed, started /);
    assert.match(status, /task "Warehouse Staging" error: "[^"]+"/);
  });

  it('say when a schedule is not found or several match, listing them', async () => {
    assert.match(await invokeTool('pyramid_getScheduleStatus', { schedule: 'No Such Schedule' }), /No schedule named "No Such Schedule"/);
    const several = await invokeTool('pyramid_getScheduleStatus', { schedule: 'Sales' });
    assert.match(several, /Several schedules match "Sales"; call the tool again with one of these ids:/);
    assert.match(several, /"Nightly Sales Load" \(id/);
    assert.match(several, /"Regional Sales Pack" \(id/);
  });

  it('ask before running, naming the schedule and the server, without a request to run', async () => {
    const runsBefore = suite.sim.count('tasks/runSchedule');
    const prepared = await suite.api.chat.prepare('runSchedule', { schedule: 'Warehouse Sync' });
    const host = new URL(suite.sim.url).host;
    assert.equal(prepared.title, 'Run a Pyramid schedule');
    assert.equal(prepared.message, `Run "Warehouse Sync" on ${host}?`);
    assert.equal(prepared.invocationMessage, `Running "Warehouse Sync" on ${host} and waiting for its end…`);
    const suspend = await suite.api.chat.prepare('suspendSchedule', { schedule: 'Warehouse Sync' });
    assert.equal(suspend.message, `Suspend "Warehouse Sync" on ${host}?`);
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore);
  });

  it('run a schedule once, followed by the monitor, and wait for its end with the task errors', async () => {
    const runsBefore = suite.sim.count('tasks/runSchedule');
    const text = await suite.api.chat.invoke('runSchedule', { schedule: 'Warehouse Sync', timeoutSeconds: 60 });
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore + 1, 'one run started');
    assert.ok(text.startsWith(DATA_NOTE));
    assert.match(text, /The run "[^"]+" of "Warehouse Sync" on .* ended: Failed, after /);
    assert.match(text, /- task error: "[^"]+"/);
    const finished = suite.api.monitor.recent.find((run) => run.scheduleName === 'Warehouse Sync');
    assert.ok(finished, 'the monitor followed the run');
    assert.ok(text.includes(finished.executionId));
  });

  it('stop waiting at the timeout and say the run keeps going, without starting it again', async () => {
    const runsBefore = suite.sim.count('tasks/runSchedule');
    const text = await suite.api.chat.invoke('runSchedule', { schedule: 'Nightly Sales Load', timeoutSeconds: 0 });
    assert.match(text, /^Timed out: the run "[^"]+" of "Nightly Sales Load" .* was still going/m);
    assert.equal(suite.sim.count('tasks/runSchedule'), runsBefore + 1);
    assert.ok(suite.api.monitor.watched.some((run) => run.scheduleName === 'Nightly Sales Load'), 'still followed');
  });

  it('suspend and resume a schedule', async () => {
    assert.match(await suite.api.chat.invoke('suspendSchedule', { schedule: 'Inventory Refresh' }), /Suspended "Inventory Refresh" on /);
    assert.match(await invokeTool('pyramid_findSchedules', { name: 'Inventory Refresh', matchType: 'Equals' }), /status "Suspended"/);
    assert.match(await suite.api.chat.invoke('resumeSchedule', { schedule: 'Inventory Refresh' }), /Resumed "Inventory Refresh" on /);
    assert.match(await invokeTool('pyramid_findSchedules', { name: 'Inventory Refresh', matchType: 'Equals' }), /status "Active"/);
  });

  it('list the pinned schedules and the failing ones', async () => {
    assert.match(await invokeTool('pyramid_pinnedStatus', {}), /^No schedule is pinned for /);
    await vscode.commands.executeCommand('pyramid.pinSchedule', await findScheduleNode(suite.api, 'Warehouse Sync'));
    try {
      // The first check of the new pin finds the failed run.
      const text = await waitFor('the pin to read as failing', async () => {
        const answer = await invokeTool('pyramid_pinnedStatus', {});
        return /FAILING/.test(answer) ? answer : undefined;
      });
      assert.match(text, /1 pinned schedule\(s\) on .*, 1 failing/);
      assert.match(text, /- "Warehouse Sync" \(id "[^"]+"\): FAILING, failed /);
    } finally {
      await vscode.commands.executeCommand('pyramid.unpinSchedule', await findScheduleNode(suite.api, 'Warehouse Sync'));
    }
  });

  it('say so when signed out, never with a token', async () => {
    await vscode.commands.executeCommand('pyramid.signOut');
    try {
      const text = await invokeTool('pyramid_getScheduleStatus', { schedule: 'Warehouse Sync' });
      assert.match(text, /^Not signed in to a Pyramid server/);
      assert.match(await suite.api.chat.invoke('runSchedule', { schedule: 'Warehouse Sync' }), /^Not signed in/);
    } finally {
      await signInTo(suite.sim, suite.dialogs);
    }
  });
});
