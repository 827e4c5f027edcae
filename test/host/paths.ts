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
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const inHostSuiteEntry = path.join(repoRoot, 'out', 'test', 'suite', 'index.js');
export const screenshotDir = path.join(repoRoot, 'media', 'screenshots');
