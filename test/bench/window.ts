// One benchmark window: a fresh code-server with the staged extension in development mode and headless
// Chromium showing its workbench. A fresh server and browser profile per window: nothing (extension
// host, signed-in token, workspace state) carries over from the window before.
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../host/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../host/codeServer';
import { Workbench } from '../ui/workbench';

export interface BenchWindowOptions {
  extensionDir: string;
  userSettings?: Record<string, unknown>;
  /** Environment of the extension host. */
  env?: Record<string, string>;
  /** A module in the extension's folder whose run() the extension host calls once the window has started. */
  testsPath?: string;
  /** Called before the workbench loads, e.g. to expose functions to the page. */
  beforeLoad?: (page: Page) => Promise<void>;
}

export interface BenchWindow {
  server: CodeServer;
  page: Page;
  workbench: Workbench;
  close(): Promise<void>;
}

export async function openBenchWindow(options: BenchWindowOptions): Promise<BenchWindow> {
  const server = await startCodeServer({ userSettings: options.userSettings, env: options.env });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.stop();
  };
  try {
    browser = await launchChromium();
    await options.beforeLoad?.(browser.page);
    await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: options.extensionDir, extensionTestsPath: options.testsPath }));
    const workbench = new Workbench(browser.page);
    await workbench.waitUntilReady();
    return { server, page: browser.page, workbench, close };
  } catch (error) {
    await close();
    throw error;
  }
}
