import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { STARTUP_REQUEST_LOG_ENV, STARTUP_SERVER_URL_ENV } from '../host/suiteEnv';

const EXTENSION_ID = 'pyramid-community.pyramid-schedules';

interface ContributedCommand {
  command: string;
}

function pyramidExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
  return extension;
}

// This file sorts first, so its tests run before any other test talks to a server.
describe('activation', () => {
  it('the extension is loaded', () => {
    pyramidExtension();
  });

  // The runner configured pyramid.serverUrl before the window started (test/host/startupServer.ts):
  // whether the extension activated on its own at startup or activates here, a server was configured.
  it('activating sends no request to the configured server', async () => {
    const requestLog = process.env[STARTUP_REQUEST_LOG_ENV];
    assert.ok(requestLog, `${STARTUP_REQUEST_LOG_ENV} is not set: run this suite through test/host/runInHost or runDesktop`);
    const serverUrl = vscode.workspace.getConfiguration('pyramid').get<string>('serverUrl');
    assert.strictEqual(serverUrl, process.env[STARTUP_SERVER_URL_ENV], 'pyramid.serverUrl is not the startup simulator');

    await pyramidExtension().activate();
    // Give fire-and-forget work started by activate() time to reach the server.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requests = fs.readFileSync(requestLog, 'utf8');
    if (requests !== '') {
      assert.fail(`the server received requests during activation:\n${requests}`);
    }
  });

  it('activates', async () => {
    const extension = pyramidExtension();
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command contributed in package.json', async () => {
    const extension = pyramidExtension();
    await extension.activate();
    const contributed: ContributedCommand[] = extension.packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    if (missing.length > 0) {
      assert.fail(`contributed but not registered: ${missing.join(', ')}`);
    }
  });
});
