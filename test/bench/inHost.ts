// Runs host/benchInHost.ts inside a real extension host: the tree against 1,000 and 10,000 schedules,
// Run to the status bar's first status, the idle monitor, and the bundle's evaluation time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withTimeout } from '../host/timing';
import { BenchServer, InHostResult, RESULT_FILE_ENV, SERVERS_ENV } from './host/protocol';
import { openBenchWindow } from './window';

const MODULE = 'benchInHost.js';
const TIMEOUT_MS = 4 * 60_000;

export async function runInHostBench(extensionDir: string, servers: BenchServer[]): Promise<InHostResult> {
  const moduleDir = path.join(extensionDir, 'bench');
  fs.mkdirSync(moduleDir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'host', MODULE), path.join(moduleDir, MODULE));
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-bench-result-')), 'result.json');
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  const window = await openBenchWindow({
    extensionDir,
    testsPath: path.join(moduleDir, MODULE),
    env: { [RESULT_FILE_ENV]: resultFile, [SERVERS_ENV]: JSON.stringify(servers) },
    beforeLoad: async (page) => {
      await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
      await page.exposeFunction('codeAutomationLog', () => undefined);
    },
  });
  try {
    await withTimeout(exited, TIMEOUT_MS, `the in-host benchmark did not finish within ${TIMEOUT_MS / 60_000} min`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as InHostResult;
    if (result.error) {
      throw new Error(`the in-host benchmark failed: ${result.error}`);
    }
    return result;
  } finally {
    await window.close();
    fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  }
}
