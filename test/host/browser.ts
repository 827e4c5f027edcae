import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { killOnExit, removeDir } from './cleanup';
import { chromiumPath } from './paths';

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

// Without the networking flags Chromium keeps trying Google's services, which a closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_MISSING =
  `Chromium not found at ${chromiumPath}: run apt-get install -y chromium libkrb5-dev pkg-config ripgrep ` +
  '(or set CHROMIUM_PATH)';

export function isChromiumInstalled(): boolean {
  return fs.existsSync(chromiumPath);
}

/** Headless Debian Chromium with a throwaway profile; never downloads a browser. */
export async function launchChromium(): Promise<Browser> {
  if (!isChromiumInstalled()) {
    throw new Error(CHROMIUM_MISSING);
  }
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-chromium-'));
  // Playwright itself kills the browser when this process exits.
  const forgetProfile = killOnExit(() => removeDir(profileDir));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    // Chromium keeps crash reports under XDG_CONFIG_HOME (~/.config/chromium) whatever the profile.
    env: { ...process.env, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      forgetProfile();
      removeDir(profileDir);
    },
  };
}
