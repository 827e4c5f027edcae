import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import type { LayerResult } from './layer';

/** Every file below `dir` whose name ends with `suffix`, sorted; [] when `dir` does not exist. */
export function findFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name))
    .sort();
}

/**
 * The test bundles below `dir` (out/test/…/*.test.js) whose source test/…/*.test.ts still exists: the
 * build never deletes from out/, so a test that was moved or removed must not run from an old bundle.
 */
export function findTestBundles(dir: string): string[] {
  return findFiles(dir, '.test.js').filter((bundle) => {
    const parts = /^(.*)[\\/]out[\\/](test[\\/].*)\.js$/.exec(bundle);
    return !parts || fs.existsSync(path.join(parts[1], `${parts[2]}.ts`));
  });
}

/**
 * Runs the files through mocha (BDD, spec reporter) and counts passing and failing tests.
 * `configure` may add root hooks, e.g. a last check after every file ran; their failures are counted.
 */
export function runMochaFiles(files: string[], options: Mocha.MochaOptions = {}, configure?: (mocha: Mocha) => void): Promise<LayerResult> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', ...options });
  files.forEach((file) => mocha.addFile(file));
  configure?.(mocha);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 });
      });
    } catch (error) {
      reject(error);
    }
  });
}
