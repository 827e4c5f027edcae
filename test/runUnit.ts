// Unit layer: mocha in plain Node over the bundled unit tests (out/test/unit/**/*.test.js).
import * as path from 'path';
import { runLayerProgram, type LayerResult } from './layer';
import { findFiles, runMochaFiles } from './mochaRunner';

export function runUnit(): Promise<LayerResult> {
  return runMochaFiles(findFiles(path.join(__dirname, 'unit'), '.test.js'));
}

if (process.argv[1]?.endsWith('runUnit.js')) {
  runLayerProgram('unit', runUnit);
}
