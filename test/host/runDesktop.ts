// Runs the same in-host suite in desktop VS Code 1.100.3 (the version code-server 4.100.3 is built
// from) through @vscode/test-electron. It downloads VS Code on first use; without internet the run is
// skipped with one line, unless REQUIRE_DESKTOP_VSCODE=1. VSCODE_EXECUTABLE_PATH selects a local install.
// On Linux desktop VS Code needs a display (use xvfb-run on a headless machine).
import { ProgressReportStage, runTests, type ProgressReport } from '@vscode/test-electron';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLayerProgram, type LayerResult } from '../layer';
import { inHostSuiteEntry, repoRoot } from './paths';
import { startStartupServer } from './startupServer';
import { RESULTS_FILE_ENV } from './suiteEnv';

const VSCODE_VERSION = '1.100.3';
const OFFLINE_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH'];

export async function runDesktop(): Promise<LayerResult> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-desktop-'));
  const resultsFile = path.join(workDir, 'results.json');
  const startup = await startStartupServer();
  try {
    const userDataDir = path.join(workDir, 'user-data');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(startup.userSettings));
    const error = await runTests({
      version: VSCODE_VERSION,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      cachePath: path.join(repoRoot, '.vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: inHostSuiteEntry,
      extensionTestsEnv: { ...startup.env, [RESULTS_FILE_ENV]: resultsFile },
      launchArgs: [workDir, '--disable-extensions', '--user-data-dir', userDataDir],
      reporter: { report: reportDownload, error: () => undefined },
    }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    // The suite writes its counts whether its tests passed or not.
    if (fs.existsSync(resultsFile)) {
      return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as LayerResult;
    }
    const offline = offlineCode(error);
    if (!offline) {
      throw error ?? new Error('desktop VS Code ended without the suite reporting its results');
    }
    const reason = `cannot download VS Code ${VSCODE_VERSION} (${offline}); set VSCODE_EXECUTABLE_PATH to use a local install`;
    if (process.env.REQUIRE_DESKTOP_VSCODE === '1') {
      console.log(`desktop VS Code: FAILED, REQUIRE_DESKTOP_VSCODE=1 but ${reason}`);
      return { passed: 0, failed: 1 };
    }
    console.log(`desktop VS Code: skipped, ${reason}`);
    return { passed: 0, failed: 0, skipped: reason };
  } finally {
    await startup.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Says when a download really starts; stays quiet while the download is only being looked up. */
let downloadAnnounced = false;
function reportDownload(report: ProgressReport): void {
  if (report.stage === ProgressReportStage.Downloading && !downloadAnnounced) {
    downloadAnnounced = true;
    console.log(`desktop VS Code: downloading ${report.url} (${Math.round(report.totalBytes / 1e6)} MB)`);
  } else if (report.stage === ProgressReportStage.NewInstallComplete) {
    console.log(`desktop VS Code: installed in ${report.downloadedPath}`);
  }
}

/** The network error code behind a failed download, found in the message when not on the error. */
function offlineCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && OFFLINE_CODES.includes(code)) {
    return code;
  }
  const message = error instanceof Error ? error.message : String(error);
  return OFFLINE_CODES.find((candidate) => message.includes(candidate));
}

if (process.argv[1]?.endsWith('runDesktop.js')) {
  runLayerProgram('desktop', runDesktop);
}
