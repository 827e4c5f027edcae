// The extension activates when the window has started (onStartupFinished), possibly before any test
// runs. So that the in-host suite can still check that activation sends no request, the runners
// configure pyramid.serverUrl from the start, pointing at a simulator that writes each request it
// receives to a file; the suite finds the file and the URL in the environment (suiteEnv.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PyramidSimulator } from '../simulator/server';
import { killOnExit, removeDir } from './cleanup';
import { STARTUP_REQUEST_LOG_ENV, STARTUP_SERVER_URL_ENV } from './suiteEnv';


export interface StartupServer {
  /** User settings for the window under test. */
  userSettings: Record<string, unknown>;
  /** Environment for the extension host. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStartupServer(): Promise<StartupServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-startup-'));
  const requestLog = path.join(dir, 'requests.log');
  fs.writeFileSync(requestLog, '');
  const forgetDir = killOnExit(() => removeDir(dir));
  const simulator = await PyramidSimulator.start({ log: (line) => fs.appendFileSync(requestLog, line + '\n') });
  return {
    userSettings: { 'pyramid.serverUrl': simulator.url },
    env: { [STARTUP_REQUEST_LOG_ENV]: requestLog, [STARTUP_SERVER_URL_ENV]: simulator.url },
    stop: async () => {
      await simulator.stop();
      forgetDir();
      removeDir(dir);
    },
  };
}
