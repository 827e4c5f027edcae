// In an untrusted workspace, a pyramid.serverUrl set by the workspace is ignored: opening a folder
// cannot make the extension send the user's token (or password) to the folder's server.
import * as assert from 'assert';
import { launchChromium } from '../host/browser';
import { startCodeServer, workbenchUrl } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { PyramidSimulator } from '../simulator/server';
import { openSignIn, signInWithPassword } from './pyramid';
import { Workbench } from './workbench';

describe('untrusted workspace', function () {
  this.timeout(120_000);

  it('ignores the workspace\'s pyramid.serverUrl and signs in to the user\'s server', async () => {
    const userServer = await PyramidSimulator.start();
    const folderServer = await PyramidSimulator.start();
    const server = await startCodeServer({
      workspaceTrust: true,
      userSettings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never', // opens the folder in Restricted Mode
        'pyramid.serverUrl': userServer.url,
      },
      workspaceSettings: { 'pyramid.serverUrl': folderServer.url },
    });
    const browser = await launchChromium();
    try {
      await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: repoRoot }));
      const workbench = new Workbench(browser.page);
      await workbench.waitUntilReady();
      await browser.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();

      await workbench.openViewContainer('Pyramid');
      // Each step waits for its own input box, so no answer is typed before its box is open.
      await openSignIn(workbench, userServer.url);
      await signInWithPassword(workbench, userServer.url);
      await workbench.view('Schedules').locator('.monaco-list-row', { hasText: 'Data flows' }).waitFor();

      assert.equal(userServer.count('authentication/authenticateUser'), 1);
      assert.equal(folderServer.count(), 0, 'nothing went to the server the folder names');
    } finally {
      await browser.close();
      await server.stop();
      await userServer.stop();
      await folderServer.stop();
    }
  });
});
