// Unit layer: mocha in plain Node over the bundled unit tests (out/test/unit/**/*.test.js).
import * as path from 'path';
import { runLayerProgram, type LayerResult } from './layer';
import { findTestBundles, runMochaFiles } from './mochaRunner';

export function runUnit(): Promise<LayerResult> {
  return runMochaFiles(findTestBundles(path.join(__dirname, 'unit')));
}

if (process.argv[1]?.endsWith('runUnit.js')) {
  runLayerProgram('unit', runUnit);
}
