// One UI session: code-server with the extension loaded in development mode (from the repository,
// through the workbench URL's payload, so the current build is what gets tested) and headless
// Chromium showing its workbench.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium } from '../host/browser';
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

// Screenshots must show what the test arranged: no tooltip of whatever the mouse last passed over,
// no highlight of the word under the cursor in the Output panel.
const STILL_PICTURE_SETTINGS = {
  'workbench.hover.delay': 600_000,
  'editor.hover.enabled': false,
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
  'editor.cursorBlinking': 'solid',
  'remote.autoForwardPorts': false, // the simulators' ports would be counted in the status bar
};

export async function openWorkbench(options: UiSessionOptions = {}): Promise<UiSession> {
  // Neither needs the other to start, and each takes a second or two.
  const [started, launched] = await Promise.allSettled([
    startCodeServer({ userSettings: { ...STILL_PICTURE_SETTINGS, ...options.userSettings } }),
    launchChromium(),
  ]);
  const close = async () => {
    if (launched.status === 'fulfilled') {
      await launched.value.close();
    }
    if (started.status === 'fulfilled') {
      await started.value.stop();
    }
  };
  try {
    const server = fulfilled(started);
    const browser = fulfilled(launched);
    await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: repoRoot }));
    const workbench = new Workbench(browser.page);
    await workbench.waitUntilReady();
    return { workbench, server, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') {
    throw result.reason;
  }
  return result.value;
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
