// One UI session: code-server with the extension loaded in development mode (from the repository,
// through the workbench URL's payload, so the current build is what gets tested) and headless
// Chromium showing its workbench.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium, type Browser } from '../host/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { Workbench } from './workbench';

export interface UiSession {
  workbench: Workbench;
  server: CodeServer;
  close(): Promise<void>;
}

export interface UiSessionOptions {
  /** User settings, e.g. { 'pyramid.serverUrl': simulator.url }. */
  userSettings?: Record<string, unknown>;
}

export async function openWorkbench(options: UiSessionOptions = {}): Promise<UiSession> {
  const server = await startCodeServer({ userSettings: options.userSettings });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.stop();
  };
  try {
    browser = await launchChromium();
    await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: repoRoot }));
    const workbench = new Workbench(browser.page);
    await workbench.waitUntilReady();
    return { workbench, server, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** For an afterEach hook: keeps a picture of the window when a test failed, in .test-work/ui-failures. */
export async function screenshotIfFailed(test: Mocha.Test | undefined, workbench: Workbench | undefined) {
  if (!test || test.state !== 'failed' || !workbench) {
    return;
  }
  const dir = path.join(repoRoot, '.test-work', 'ui-failures');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${test.fullTitle().replace(/[^\w-]+/g, '_')}.png`);
  await workbench.page.screenshot({ path: file }).catch(() => undefined);
  console.log(`    screenshot of the failure: ${path.relative(repoRoot, file)}`);
}
