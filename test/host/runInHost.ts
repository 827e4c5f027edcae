// Runs the in-host suite (out/test/suite) inside code-server's real extension host, with headless
// Chromium as the window: the workbench loads the extension in development mode, calls the suite's
// run(), and reports through two hooks that VS Code's own browser test runner uses.
// Expects a finished build (npm run build) and an installed code-server (test/host/install.sh).
import { format } from 'util';
import { IN_HOST_PREFIX, parseSummary, runLayerProgram, type LayerResult } from '../layer';
import { launchChromium } from './browser';
import { startCodeServer, workbenchUrl } from './codeServer';
import { inHostSuiteEntry, repoRoot } from './paths';
import { startStartupServer } from './startupServer';
import { SuiteLog } from './suiteLog';
import { withTimeout } from './timing';

const TIMEOUT_MS = 5 * 60_000;

export interface InHostOptions {
  /** The extension to test; the repository by default. */
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

export async function runInHost(options: InHostOptions = {}): Promise<LayerResult> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const startup = await startStartupServer();
    cleanups.unshift(startup.stop);
    const server = await startCodeServer({ userSettings: startup.userSettings, env: startup.env });
    cleanups.unshift(server.stop);
    const { page, close } = await launchChromium();
    cleanups.unshift(close);

    const log = new SuiteLog();
    let reportExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => log.add(format(...args)));
    await page.goto(
      workbenchUrl(server, {
        extensionDevelopmentPath: options.extensionDevelopmentPath ?? repoRoot,
        extensionTestsPath: options.extensionTestsPath ?? inHostSuiteEntry,
        // The most detailed level, so the suite can check that no log line at all holds a secret.
        extensionLogLevels: { 'pyramid-community.pyramid-schedules': 'trace' },
      }),
    );

    const timeoutMessage = `in-host tests did not finish within ${TIMEOUT_MS / 60_000} min`;
    const code = await withTimeout(exitCode, TIMEOUT_MS, timeoutMessage).catch((error: unknown) => {
      log.printWorkbenchOutput();
      console.log(`code-server output:\n${server.output()}`);
      throw error;
    });
    const result = parseSummary(IN_HOST_PREFIX, log.suiteOutput);
    if (!result) {
      log.printWorkbenchOutput();
      throw new Error(`the in-host suite ended (exit code ${code}) without its summary line`);
    }
    if (code !== 0 && result.failed === 0) {
      throw new Error(`the in-host suite failed (exit code ${code})`);
    }
    return result;
  } finally {
    for (const cleanup of cleanups) {
      await cleanup();
    }
  }
}

if (process.argv[1]?.endsWith('runInHost.js')) {
  runLayerProgram('in-host', () => runInHost());
}
