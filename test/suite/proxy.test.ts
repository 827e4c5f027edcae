// VS Code's proxy settings keep working for the extension: with `http.proxy` set, its requests to the
// Pyramid server go through that proxy (VS Code wraps the extension's requests; the extension's own
// keep-alive agent does not bypass it). VS Code never proxies localhost and 127.0.0.1, so the server
// is addressed as 127.0.0.2, which only the proxy maps to the simulator: an answer proves the path.
import * as assert from 'assert';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as vscode from 'vscode';
import type { PyramidSchedulesTestApi as PyramidSchedulesApi } from '../../src/testApi';
import { DEMO_USER, PyramidSimulator } from '../simulator/server';
import { Dialogs, extensionApi, pickLabel, waitFor, withSettings } from './helpers';

/** A forwarding HTTP proxy that records the absolute URLs it was asked for. */
async function startProxy(): Promise<{ url: string; seen: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    target.hostname = '127.0.0.1'; // where the simulator listens
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('proxy', function () {
  this.timeout(30_000);

  it('sends the requests through the proxy configured in VS Code', async () => {
    const api: PyramidSchedulesApi = await extensionApi();
    const sim = await PyramidSimulator.start();
    const proxy = await startProxy();
    const serverUrl = sim.url.replace('127.0.0.1', '127.0.0.2');
    const restore = await withSettings({ serverUrl });
    const restoreProxy = async () => vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    const dialogs = new Dialogs();
    dialogs.install();
    try {
      await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      dialogs.picks.push(pickLabel('username and password'));
      dialogs.inputs.push(DEMO_USER.userName, DEMO_USER.password);
      await vscode.commands.executeCommand('pyramid.signIn');
      assert.deepEqual(dialogs.messages.filter((m) => m.severity === 'error'), []);
      await waitFor('the schedules', async () => (await api.tree.getChildren()).some((node) => node.label === 'Data flows'));
      assert.ok(proxy.seen.includes(`POST ${serverUrl}/API3/authentication/authenticateUser`), `the proxy saw: ${proxy.seen.join(', ')}`);
      assert.ok(proxy.seen.includes(`POST ${serverUrl}/API3/tasks/findSchedule`));
    } finally {
      await vscode.commands.executeCommand('pyramid.signOut');
      dialogs.restore();
      await restoreProxy();
      await restore();
      await proxy.stop();
      await sim.stop();
    }
  });
});
