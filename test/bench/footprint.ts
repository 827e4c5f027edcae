// 1. Footprint: the minified bundle and the VSIX, built the way `npm run package` and `vsce package`
// build them, in a staging folder so that the repository's dist/ (the development build) stays as it is.
// The staging folder is then the extension the benchmark windows load: what ships is what is measured.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { killOnExit, removeDir } from '../host/cleanup';
import { repoRoot } from '../host/paths';
import { Section, table } from './report';
import { kb, ratio } from './stats';

/** The closest peer extension's bundle, as the issue states it. */
const PEER_BUNDLE_BYTES = 453 * 1024;
const BUNDLE_TARGET_BYTES = 100 * 1024;
const VSIX_MAX_FILES = 12;
/** Build outputs and what is not the project's source stay out of the staging folder. */
const NOT_LINKED = new Set(['dist', 'out', 'node_modules', '.git', '.vscode-test', '.test-work']);

export interface StagedExtension {
  /** A folder laid out like the installed extension: package.json, dist/extension.js, media, … */
  dir: string;
  bundlePath: string;
  remove(): void;
}

export interface Footprint {
  bundleBytes: number;
  vsixBytes: number;
  vsixEntries: string[];
}

interface VscePackage {
  pack(options: { cwd: string; packagePath: string; dependencies: boolean }): Promise<unknown>;
}

/** Builds the production bundle into a staging folder and copies what .vscodeignore lets into the VSIX. */
export function stageExtension(): StagedExtension {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-bench-extension-'));
  const forget = killOnExit(() => removeDir(dir));
  // esbuild.js builds from the current folder into ./dist: show it the repository through links.
  const links = fs.readdirSync(repoRoot).filter((name) => !NOT_LINKED.has(name));
  for (const name of links) {
    fs.symlinkSync(path.join(repoRoot, name), path.join(dir, name));
  }
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'esbuild.js'), '--production'], { cwd: dir, encoding: 'utf8' });
  for (const name of links) {
    fs.rmSync(path.join(dir, name));
  }
  if (build.status !== 0) {
    throw new Error(`the production build failed:\n${build.stdout}${build.stderr}`);
  }
  for (const file of [...shippedFiles(), '.vscodeignore']) {
    if (file !== 'dist/extension.js') {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(dir, file));
    }
  }
  return {
    dir,
    bundlePath: path.join(dir, 'dist', 'extension.js'),
    remove: () => {
      forget();
      removeDir(dir);
    },
  };
}

/** The files .vscodeignore lets through (`!path` lines after an ignore-all `**`). */
function shippedFiles(): string[] {
  return fs
    .readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1));
}

/** Packages the staged extension with vsce (its prepublish step is the production build done above). */
export async function measureFootprint(staged: StagedExtension): Promise<Footprint> {
  const vsce = createRequire(path.join(repoRoot, 'package.json'))('@vscode/vsce/out/package') as VscePackage;
  const vsixPath = path.join(os.tmpdir(), `pyramid-bench-${process.pid}.vsix`);
  const log = console.log;
  console.log = () => undefined; // vsce prints its file tree
  try {
    await vsce.pack({ cwd: staged.dir, packagePath: vsixPath, dependencies: false });
  } finally {
    console.log = log;
  }
  const vsix = fs.readFileSync(vsixPath);
  fs.rmSync(vsixPath, { force: true });
  return { bundleBytes: fs.statSync(staged.bundlePath).size, vsixBytes: vsix.length, vsixEntries: zipEntryNames(vsix) };
}

/** The names in a zip's central directory. */
function zipEntryNames(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export function footprintSection(footprint: Footprint): Section {
  const { bundleBytes, vsixBytes, vsixEntries } = footprint;
  return {
    title: '1. Footprint',
    lines: [
      'The production bundle is built by `node esbuild.js --production` (minified, what `npm run package` builds) and packaged',
      'with vsce in a staging folder; the windows below load that staged extension.',
      '',
      ...table(
        ['', 'Pyramid Schedules', 'Closest peer', 'Ratio'],
        [
          ['Minified bundle', kb(bundleBytes), kb(PEER_BUNDLE_BYTES), `${ratio(PEER_BUNDLE_BYTES, bundleBytes)} smaller`],
          ['VSIX', `${kb(vsixBytes)}, ${vsixEntries.length} files`, '', ''],
        ],
      ),
      '',
      `VSIX entries: ${vsixEntries.map((name) => `\`${name}\``).join(', ')}.`,
    ],
    checks: [
      {
        name: 'Bundle size',
        target: '< 100 KB',
        measured: kb(bundleBytes),
        met: bundleBytes < BUNDLE_TARGET_BYTES,
        note:
          'The target was set when the extension listed, ran and watched schedules (97 KB then). Pinned schedules, the details ' +
          "editor's host side, task re-runs and outputs, run estimates, the chat tools and the tasks.json task type added about 66 KB of the extension's own code; " +
          'node-fetch with what it bundles is about 28 KB of the rest. Replacing node-fetch with Node\'s own https module would ' +
          'save most of those 28 KB, not enough alone; meeting the target means that and trimming features.',
      },
      { name: 'VSIX files', target: `≤ ${VSIX_MAX_FILES}`, measured: `${vsixEntries.length} (${kb(vsixBytes)})`, met: vsixEntries.length <= VSIX_MAX_FILES },
    ],
  };
}
