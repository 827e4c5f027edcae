// The VSIX is what users install: it must hold only what runs, and install and work in VS Code.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchChromium } from '../host/browser';
import { removeDir } from '../host/cleanup';
import { startCodeServer, workbenchUrl } from '../host/codeServer';
import { repoRoot } from '../host/paths';
import { Workbench } from './workbench';

/** The most files a VSIX may hold: what it holds today grows only with a reason. */
const MAX_FILES = 12;
/** The details webview's script and stylesheet, together. */
const MAX_WEBVIEW_BYTES = 150 * 1024;

/** Everything a VSIX may contain: its manifests, the minified bundles, the manifest, media and docs. */
const ALLOWED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/webview/details.js',
  'extension/dist/webview/details.css',
  'extension/media/icon.png',
  'extension/media/pyramid.svg',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
];

function zipEntries(file: string): string[] {
  const script = 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim().split('\n');
}

describe('the VSIX', function () {
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-vsix-'));
  const vsix = path.join(dir, 'pyramid-schedules.vsix');

  before(() => {
    // vsce runs `npm run package` first: type check, lint, minified bundle without source maps.
    execFileSync('npx', ['vsce', 'package', '--out', vsix], { cwd: repoRoot, stdio: 'pipe' });
  });

  after(() => {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'pipe' }); // back to the development build
    removeDir(dir);
  });

  it('holds only the bundles, the manifest, media, README, CHANGELOG and LICENSE', () => {
    const entries = zipEntries(vsix);
    const bytes = fs.statSync(vsix).size;
    console.log(`      VSIX: ${(bytes / 1024).toFixed(1)} KB, ${entries.length} files`);
    assert.deepEqual([...entries].sort(), [...ALLOWED].sort());
    assert.ok(entries.length <= MAX_FILES, `${entries.length} files`);
    const webviewBytes = ['details.js', 'details.css'].reduce((sum, name) => sum + fs.statSync(path.join(repoRoot, 'dist', 'webview', name)).size, 0);
    assert.ok(webviewBytes < MAX_WEBVIEW_BYTES, `the details webview is ${webviewBytes} bytes`);
    const bundle = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("extension/dist/extension.js").decode())', vsix], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    assert.ok(!bundle.includes('sourceMappingURL'), 'the bundle points to no source map');
    // Minified code has no line breaks of its own; the few left are inside string literals. Unminified, lines average about 40 characters.
    const lines = bundle.split('\n');
    assert.ok(bundle.length / lines.length > 1000, `the bundle is minified (${lines.length} lines averaging ${Math.round(bundle.length / lines.length)} characters)`);
  });

  it('installs with --install-extension and shows the Pyramid view', async () => {
    const server = await startCodeServer({ vsixFiles: [vsix] });
    const browser = await launchChromium();
    try {
      const installed = fs.readdirSync(path.join(path.dirname(server.userDataDir), 'extensions'));
      assert.ok(installed.some((name) => name.startsWith('pyramid-community.pyramid-schedules-')), `installed: ${installed.join(', ')}`);
      await browser.page.goto(workbenchUrl(server)); // no development path: only the installed copy exists
      const workbench = new Workbench(browser.page);
      await workbench.waitUntilReady();
      await workbench.openViewContainer('Pyramid');
      assert.match(await workbench.welcomeText('Schedules'), /See, run and watch the schedules of your Pyramid server/);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
