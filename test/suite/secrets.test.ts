// After the journeys of the files before this one (sign-in, runs, failures, faults), no token or
// password may be anywhere a user or another program could read it: the output channel at trace
// level, messages, settings files, or the workspace and global state on disk.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEMO_USER, PyramidSimulator, VIEWER_USER } from '../simulator/server';
import { Dialogs, extensionApi, findScheduleNode, outputText, signInTo, waitFor, withSettings } from './helpers';

/** Every file below a folder, with its path. */
function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(full) : [full];
  });
}

/** The folder holding this window's `User` settings and state: an ancestor of the log folder. */
function userDataDir(logUri: vscode.Uri): string {
  for (let dir = logUri.fsPath; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'User', 'settings.json'))) {
      return dir;
    }
  }
  assert.fail(`no user data folder above ${logUri.fsPath}`);
}

describe('secrets', function () {
  this.timeout(60_000);

  it('no token or password appears in the trace-level output, messages, settings or stored state', async () => {
    const api = await extensionApi();
    const sim = await PyramidSimulator.start({ durationScale: 0.05 });
    const restore = await withSettings({ serverUrl: sim.url, pollIntervalSeconds: 1, maxPollIntervalSeconds: 1 });
    const dialogs = new Dialogs();
    dialogs.install();
    try {
      // A journey of its own, so this file also stands alone: sign in, a failing run, an expired token.
      await signInTo(sim, dialogs);
      const started = Date.now();
      await vscode.commands.executeCommand('pyramid.runSchedule', await findScheduleNode(api, 'Warehouse Sync'));
      await waitFor('the failed run', () => api.monitor.recent.some((run) => run.scheduleName === 'Warehouse Sync' && run.startedAt >= started && run.outcome === 'failed'), 20_000);
      sim.inject({ fault: { kind: 'status', status: 500, body: `echo of ${sim.requests.at(-1)?.token}` }, times: 3 });
      await vscode.commands.executeCommand('pyramid.refresh');
      await api.tree.getChildren();
      sim.expireAllTokens();
      await vscode.commands.executeCommand('pyramid.refresh');
      await api.tree.getChildren();
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the log be written

      const output = outputText(api);
      // The runner sets this channel to trace level (test/host/runInHost.ts).
      assert.match(output, /\[trace\] POST tasks\/getScheduleExecutionStatus → 200/, 'the output channel is at trace level');
      const secrets = [...new Set(sim.requests.map((r) => r.token).filter((t): t is string => Boolean(t)))];
      secrets.push(DEMO_USER.password, VIEWER_USER.password);
      assert.ok(secrets.length >= 3);

      const places: [string, string][] = [
        ['the output channel', output],
        ['messages and notifications', JSON.stringify(dialogs.messages)],
        ...(['workspace', 'global'] as const).map((scope): [string, string] => {
          const memento = api.storedState[scope];
          return [`the ${scope} state`, JSON.stringify(memento.keys().map((key) => [key, memento.get(key)]))];
        }),
        // Settings and every other file VS Code keeps for this user on disk (code-server keeps the
        // state databases in the browser, which the two entries above read through the API).
        ...filesBelow(path.join(userDataDir(api.logUri), 'User')).map((file): [string, string] => [file, fs.readFileSync(file).toString('latin1')]),
      ];
      assert.ok(places.some(([where]) => where.endsWith('settings.json')), 'the settings file was searched');
      assert.match(places.find(([where]) => where === 'the workspace state')![1], /pyramid\.runs/, 'the watched runs were searched');
      for (const [where, text] of places) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 3)}…) is in ${where}`);
        }
      }
    } finally {
      await vscode.commands.executeCommand('pyramid.signOut');
      dialogs.restore();
      await restore();
      await sim.stop();
    }
  });
});
