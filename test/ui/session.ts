// One UI session: code-server with the extension loaded in development mode (from the repository,
// through the workbench URL's payload, so the current build is what gets tested) and headless
// Chromium showing its workbench.
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../host/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { Workbench } from './workbench';

export interface UiSession {
  /** The first window. */
  workbench: Workbench;
  server: CodeServer;
  /**
   * Opens another window of the same code-server, in another tab of the same browser: the same user
   * data (settings, global state, secrets) with an extension host of its own. It comes to the front.
   */
  openWindow(options?: WindowOptions): Promise<Workbench>;
  /** The windows not closed yet, the first one first. */
  windows(): Workbench[];
  close(): Promise<void>;
}

export interface WindowOptions {
  /** The folder the window opens; default the server's empty workspace. */
  folder?: string;
}

export interface UiSessionOptions {
  /** User settings, e.g. { 'pyramid.serverUrl': simulator.url }. */
  userSettings?: Record<string, unknown>;
  /** Other extensions installed beside the one under test. */
  extensionFolders?: { id: string; dir: string }[];
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
    startCodeServer({ userSettings: { ...STILL_PICTURE_SETTINGS, ...options.userSettings }, extensionFolders: options.extensionFolders }),
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
    const opened: Workbench[] = [];
    const show = async (page: Page, { folder }: WindowOptions = {}) => {
      await page.goto(workbenchUrl(server, { extensionDevelopmentPath: repoRoot, folder }));
      const workbench = new Workbench(page);
      await workbench.waitUntilReady();
      opened.push(workbench);
      return workbench;
    };
    const workbench = await show(browser.page);
    const openWindow = async (windowOptions?: WindowOptions) => {
      const another = await show(await browser.context.newPage(), windowOptions);
      // Playwright tells every tab it has the focus. With several windows only the one in front
      // should, as on a desktop, so that VS Code sees a window gain and lose the focus. (Set after
      // loading the workbench: a new page's first navigation would lose the setting.)
      for (const tab of browser.context.pages()) {
        await followRealFocus(tab);
      }
      await another.focusWindow();
      return another;
    };
    const windows = () => opened.filter((shown) => !shown.page.isClosed());
    return { workbench, server, openWindow, windows, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const followingRealFocus = new WeakSet<Page>();

async function followRealFocus(page: Page): Promise<void> {
  if (!followingRealFocus.has(page)) {
    // The session stays attached: the setting lasts as long as the session that made it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    followingRealFocus.add(page);
  }
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') {
    throw result.reason;
  }
  return result.value;
}

/** For an afterEach hook: keeps a picture of each window when a test failed, in .test-work/ui-failures. */
export async function screenshotIfFailed(test: Mocha.Test | undefined, ...workbenches: (Workbench | undefined)[]) {
  if (!test || test.state !== 'failed') {
    return;
  }
  const dir = path.join(repoRoot, '.test-work', 'ui-failures');
  fs.mkdirSync(dir, { recursive: true });
  const shown = workbenches.filter((workbench): workbench is Workbench => workbench !== undefined && !workbench.page.isClosed());
  for (const [index, workbench] of shown.entries()) {
    const suffix = index === 0 ? '' : `_window${index + 1}`;
    const file = path.join(dir, `${test.fullTitle().replace(/[^\w-]+/g, '_')}${suffix}.png`);
    await workbench.page.screenshot({ path: file }).catch(() => undefined);
    console.log(`    screenshot of the failure: ${path.relative(repoRoot, file)}`);
  }
}
