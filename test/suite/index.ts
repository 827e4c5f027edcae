// Entry point of the in-host tests: VS Code (desktop through @vscode/test-electron, or code-server
// through test/host/runInHost) loads this module in its extension host and awaits run().
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RESULTS_FILE_ENV } from '../host/suiteEnv';
import { IN_HOST_PREFIX, IN_HOST_START, summaryLine } from '../layer';
import { findTestBundles, runMochaFiles } from '../mochaRunner';

const EXTENSION_ID = 'pyramid-community.pyramid-schedules';

export async function run(): Promise<void> {
  const files = findTestBundles(__dirname);
  console.log(`${IN_HOST_START} ${files.length} test file(s) in ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost})`);
  const strays = new StrayErrors(extensionBundlePath());
  strays.install();
  try {
    // Colors would reach the runner as raw escape codes through the browser's log hook.
    const result = await runMochaFiles(files, { color: false, timeout: 20_000 }, (mocha) => {
      // Last of all: an error that escaped the extension fails the suite even when no test looked for it.
      mocha.suite.afterAll('no unhandled rejection or uncaught exception from the extension', () => strays.check());
    });
    // Anything that escaped after that hook (while mocha wound down) still counts.
    const late = strays.unreported();
    if (late) {
      console.log(`  1) after the suite:\n${late}`);
      result.failed++;
    }
    console.log(IN_HOST_PREFIX + summaryLine(result));
    const resultsFile = process.env[RESULTS_FILE_ENV];
    if (resultsFile) {
      fs.writeFileSync(resultsFile, JSON.stringify(result));
    }
    if (result.failed > 0) {
      throw new Error(`${result.failed} in-host test(s) failed`);
    }
  } finally {
    strays.dispose();
  }
}

/** The bundle VS Code runs: the frames of the extension's own code in a stack name this file. */
function extensionBundlePath(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  return path.join(extension.extensionPath, 'dist', 'extension.js');
}

/**
 * Collects unhandled rejections and uncaught exceptions whose stack passes through the extension's
 * bundle, for the whole run: the extension host only logs them, so a bug in fire-and-forget work would
 * otherwise go unnoticed. Other extensions' errors do not count, nor do the tests' own (their stacks
 * name out/test/...). `rejectionHandled` is no excuse: VS Code's own logger catches every rejection
 * after a second, which would excuse them all.
 */
class StrayErrors {
  /** Stack texts as seen at once: mocha rewrites the stacks of errors it reports (relative paths). */
  private readonly seen: string[] = [];
  private reportedCount = 0;

  constructor(private readonly bundlePath: string) {}

  private readonly onRejection = (reason: unknown) => this.record('unhandled rejection', reason);
  private readonly onException = (error: unknown) => this.record('uncaught exception', error);

  install(): void {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
  }

  dispose(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }

  /** Throws, with every stack, when the extension let an error escape. */
  check(): void {
    const text = this.unreported();
    if (text) {
      const error = new Error(text);
      error.stack = text; // The stacks are the extension's; this hook's own frames would only hide them.
      throw error;
    }
  }

  /** The errors not reported yet, one block each, or '' when none. */
  unreported(): string {
    const text = this.seen.slice(this.reportedCount).join('\n\n');
    this.reportedCount = this.seen.length;
    return text;
  }

  private record(kind: string, error: unknown): void {
    const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    if (stack.includes(this.bundlePath)) {
      this.seen.push(`${kind} from the extension: ${stack}`);
    }
  }
}
