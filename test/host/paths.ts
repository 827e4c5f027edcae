import * as fs from 'fs';
import * as path from 'path';

/** The folder holding the extension's package.json, found from wherever the bundle runs (out/test/...). */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'pyramid-schedules') {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no pyramid-schedules package.json above ${start}`);
    }
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const hostDir = path.join(repoRoot, 'test', 'host');
export const codeServerBin = path.join(hostDir, 'node_modules', '.bin', 'code-server');
export const installScript = path.join(hostDir, 'install.sh');
/** Scratch space of the tests and `npm start` (git-ignored). */
export const workDir = path.join(repoRoot, '.test-work');
/** Everything install.sh printed, when `npm start` ran it quietly. */
export const installLog = path.join(workDir, 'code-server-install.log');
/** Written by install.sh before npm runs and removed after it succeeded: while present, the install is not whole. */
export const installIncompleteMarker = path.join(workDir, 'code-server-install.incomplete');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const inHostSuiteEntry = path.join(repoRoot, 'out', 'test', 'suite', 'index.js');
export const screenshotDir = path.join(repoRoot, 'media', 'screenshots');
