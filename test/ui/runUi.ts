// UI layer: mocha in plain Node; each test file drives headless Chromium against code-server.
import { runLayerProgram, type LayerResult } from '../layer';
import { findTestBundles, runMochaFiles } from '../mochaRunner';

export function runUi(): Promise<LayerResult> {
  return runMochaFiles(findTestBundles(__dirname), { timeout: 60_000 });
}

if (process.argv[1]?.endsWith('runUi.js')) {
  runLayerProgram('ui', runUi);
}
