// Entry point of the in-host tests: VS Code (desktop through @vscode/test-electron, or code-server
// through test/host/runInHost) loads this module in its extension host and awaits run().
import * as fs from 'fs';
import * as vscode from 'vscode';
import { RESULTS_FILE_ENV } from '../host/suiteEnv';
import { IN_HOST_PREFIX, IN_HOST_START, summaryLine } from '../layer';
import { findFiles, runMochaFiles } from '../mochaRunner';

export async function run(): Promise<void> {
  const files = findFiles(__dirname, '.test.js');
  console.log(`${IN_HOST_START} ${files.length} test file(s) in ${vscode.env.appName} ${vscode.version} (${vscode.env.appHost})`);
  // Colors would reach the runner as raw escape codes through the browser's log hook.
  const result = await runMochaFiles(files, { color: false, timeout: 20_000 });
  console.log(IN_HOST_PREFIX + summaryLine(result));
  const resultsFile = process.env[RESULTS_FILE_ENV];
  if (resultsFile) {
    fs.writeFileSync(resultsFile, JSON.stringify(result));
  }
  if (result.failed > 0) {
    throw new Error(`${result.failed} in-host test(s) failed`);
  }
}
