// Once per machine: of the windows that want to announce or follow a run, the first to create its claim
// file wins. Two Claims on one folder are two windows.
import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLAIM_MAX_AGE_MS, Claims } from '../../../src/pins/claims';
import { ORIGIN, OTHER_ORIGIN } from './fakes';

const DAY_MS = 24 * 3_600_000;

/** Waits, a turn of the event loop at a time, until `done()`; fails rather than hangs. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let turns = 0; turns < 100_000; turns++) {
    if (await done()) {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never ${what}`);
}

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

describe('Claims', () => {
  let root: string;
  let dir: string;
  let warnings: string[];
  const log = { warn: (message: string) => warnings.push(message) };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'pyramid-claims-'));
    dir = path.join(root, 'announced-runs');
    warnings = [];
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('grants a run to exactly one of two windows, however many times they ask at once', async () => {
    const windows = [new Claims(dir, log), new Claims(dir, log)];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => windows[i % 2].claim(ORIGIN, 'e1')));
    assert.equal(answers.filter(Boolean).length, 1);
    assert.equal(await windows[0].claim(ORIGIN, 'e1'), false, 'and to nobody later');
    assert.equal(await windows[1].claim(ORIGIN, 'e1'), false);
    assert.deepEqual(warnings, []);
  });

  it('grants each of many runs claimed at once exactly once', async () => {
    const windows = [new Claims(dir, log), new Claims(dir, log)];
    const ids = Array.from({ length: 30 }, (_, i) => `run-${i}`);
    const answers = await Promise.all(ids.flatMap((id) => windows.map(async (claims) => ({ id, won: await claims.claim(ORIGIN, id) }))));
    for (const id of ids) {
      assert.equal(answers.filter((answer) => answer.id === id && answer.won).length, 1, id);
    }
    assert.equal((await fs.readdir(dir)).length, ids.length);
  });

  it('keeps the runs of different servers apart', async () => {
    const claims = new Claims(dir, log);
    assert.equal(await claims.claim(ORIGIN, 'e1'), true);
    assert.equal(await claims.claim(OTHER_ORIGIN, 'e1'), true);
    assert.equal(await claims.claim(OTHER_ORIGIN, 'e1'), false);
    assert.equal(await claims.claim(ORIGIN, 'e2'), true);
  });

  it('names the file after a hash, so a run id never reaches outside the folder', async () => {
    const claims = new Claims(dir, log);
    const hostile = ['../../escaped', '..', '/etc/passwd', 'a/b\\c', `${'x'.repeat(5_000)}`, 'nul\u0000byte', ''];
    for (const id of hostile) {
      assert.equal(await claims.claim(ORIGIN, id), true, JSON.stringify(id.slice(0, 20)));
      assert.equal(await claims.claim(ORIGIN, id), false);
    }
    const names = await fs.readdir(dir);
    assert.equal(names.length, hostile.length);
    assert.ok(names.every((name) => /^[0-9a-f]{64}$/.test(name)), names.join(' '));
    assert.deepEqual(await fs.readdir(root), ['announced-runs'], 'nothing written beside the folder');
    assert.deepEqual(warnings, []);
  });

  it('grants the claim, and says why, when the folder cannot be written: better told twice than never', async () => {
    await fs.writeFile(dir, 'a file where the folder should be');
    const claims = new Claims(dir, log);
    assert.equal(await claims.claim(ORIGIN, 'e1'), true);
    assert.equal(await claims.claim(ORIGIN, 'e1'), true);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^Could not record that run e1 was announced: /);
  });

  it('removes claim files older than CLAIM_MAX_AGE_MS after its first claim, and nothing else', async () => {
    const now = Date.now();
    await fs.mkdir(path.join(dir, 'a-folder'), { recursive: true });
    const ageOf: Record<string, number> = { old: CLAIM_MAX_AGE_MS + DAY_MS, older: 3 * CLAIM_MAX_AGE_MS, recent: CLAIM_MAX_AGE_MS - DAY_MS, 'a-folder': 3 * CLAIM_MAX_AGE_MS };
    for (const [name, age] of Object.entries(ageOf)) {
      const file = path.join(dir, name);
      if (name !== 'a-folder') {
        await fs.writeFile(file, '');
      }
      await fs.utimes(file, (now - age) / 1_000, (now - age) / 1_000);
    }

    // Every file is judged by one reading of the clock, and a file judged old is removed at once: once
    // all of them were judged, every removal has been asked for.
    let judged = 0;
    const removed: string[] = [];
    const rm = fs.rm;
    fs.rm = (file, options) => {
      removed.push(path.basename(String(file)));
      return rm(file, options);
    };
    try {
      const claims = new Claims(dir, log, () => {
        judged++;
        return now;
      });
      assert.equal(await claims.claim(ORIGIN, 'e1'), true);
      const files = 4; // old, older, recent and the new claim
      await until(() => judged === files, 'judged every file');
      assert.deepEqual(removed.sort(), ['old', 'older']);
      await until(async () => !(await exists(path.join(dir, 'old'))) && !(await exists(path.join(dir, 'older'))), 'removed the old claims');
    } finally {
      fs.rm = rm;
    }
    const left = (await fs.readdir(dir)).map((name) => (/^[0-9a-f]{64}$/.test(name) ? 'the new claim' : name));
    assert.deepEqual(left.sort(), ['a-folder', 'recent', 'the new claim']);
    assert.deepEqual(warnings, []);
  });
});
