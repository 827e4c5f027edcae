// UI layer: mocha in plain Node; each test file drives headless Chromium against code-server.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../host/paths';
import { runLayerProgram, type LayerResult } from '../layer';
import { findFiles, runMochaFiles } from '../mochaRunner';

/** The build never deletes from out/: a bundle whose test file was renamed or removed must not run. */
function hasSource(bundle: string): boolean {
  const relative = path.relative(__dirname, bundle).replace(/\.js$/, '.ts');
  return fs.existsSync(path.join(repoRoot, 'test', 'ui', relative));
}

export function runUi(): Promise<LayerResult> {
  return runMochaFiles(findFiles(__dirname, '.test.js').filter(hasSource), { timeout: 60_000 });
}

if (process.argv[1]?.endsWith('runUi.js')) {
  runLayerProgram('ui', runUi);
}
