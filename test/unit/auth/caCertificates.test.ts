import * as FakeTimers from '@sinonjs/fake-timers';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PyramidError } from '../../../src/api';
import { CA_READ_TIMEOUT_MS, MAX_CA_FILE_BYTES, readCertificates } from '../../../src/auth/caCertificates';

/** The settled outcome of a read, or 'still waiting' when it takes longer than a healthy read ever does. */
async function outcome(paths: string[], waitMs = 1_000): Promise<string[] | Error | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'still waiting'>((resolve) => {
    timer = setTimeout(() => resolve('still waiting'), waitMs);
  });
  const read = readCertificates(paths).then(
    (texts) => texts,
    (error: Error) => error,
  );
  try {
    return await Promise.race([read, waited]);
  } finally {
    clearTimeout(timer);
  }
}

function assertRefused(result: Awaited<ReturnType<typeof outcome>>, message: string | RegExp): void {
  assert.ok(result instanceof PyramidError, `expected a PyramidError, got ${result instanceof Error ? result.message : JSON.stringify(result).slice(0, 200)}`);
  if (typeof message === 'string') {
    assert.equal(result.message, message);
  } else {
    assert.match(result.message, message);
  }
}

describe('readCertificates (pyramid.caCertificates)', function () {
  this.timeout(10_000);
  /** Only the PEM header is checked when reading; the TLS stack parses the rest. */
  const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJj\n-----END CERTIFICATE-----\n';
  let dir: string;
  let fifo: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pyramid-ca-'));
    fifo = undefined;
  });

  afterEach(() => {
    if (fifo) {
      // Should a regression have opened the FIFO for reading, a writer that opens and closes it ends that read.
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: no reader, nothing was opened.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads PEM files', async () => {
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, pem);
    assert.deepEqual(await outcome([file, file]), [pem, pem]);
  });

  it('names a missing file and a file that is not PEM', async () => {
    const missing = path.join(dir, 'missing.pem');
    assertRefused(await outcome([missing]), `Cannot read the CA certificate file "${missing}" from pyramid.caCertificates (ENOENT).`);
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    assertRefused(await outcome([text]), `"${text}" in pyramid.caCertificates is not a PEM certificate file.`);
  });

  it('refuses a FIFO at once, without opening it', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    fifo = path.join(dir, 'ca.pem');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    assertRefused(await outcome([fifo]), `"${fifo}" in pyramid.caCertificates is a named pipe (FIFO), not a regular file: it was not read.`);
    assert.ok(Date.now() - started < 500, `took ${Date.now() - started} ms`);
  });

  it('refuses a folder and a device', async function () {
    const folder = path.join(dir, 'certs');
    mkdirSync(folder);
    assertRefused(await outcome([folder]), `"${folder}" in pyramid.caCertificates is a folder, not a regular file: it was not read.`);
    if (process.platform === 'win32') {
      this.skip();
    }
    // A link in the temp folder to a device: what counts is what the path names in the end.
    const device = path.join(dir, 'ca-device.pem');
    symlinkSync('/dev/null', device);
    assertRefused(await outcome([device]), `"${device}" in pyramid.caCertificates is a device, not a regular file: it was not read.`);
  });

  it('refuses a file larger than 1 MB', async () => {
    assert.equal(MAX_CA_FILE_BYTES, 1024 * 1024);
    const large = path.join(dir, 'bundle.pem');
    writeFileSync(large, pem.padEnd(MAX_CA_FILE_BYTES + 1, '\n'));
    assertRefused(await outcome([large]), `"${large}" in pyramid.caCertificates is larger than 1 MB, too large for a CA certificate file.`);
    const limit = path.join(dir, 'limit.pem');
    writeFileSync(limit, pem.padEnd(MAX_CA_FILE_BYTES, '\n'));
    const read = await outcome([limit]);
    assert.ok(Array.isArray(read) && read[0].length === MAX_CA_FILE_BYTES);
  });

  it('gives up on a read that takes longer than 5 s', async () => {
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, pem);
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    let read: Promise<string[]>;
    try {
      read = readCertificates([file]);
      // The clock passes the timeout before the file system has had a turn to answer.
      clock.tick(CA_READ_TIMEOUT_MS);
    } finally {
      clock.uninstall();
    }
    await assert.rejects(read, new PyramidError(`Reading "${file}" from pyramid.caCertificates took longer than 5 s: check that the file is on a reachable drive.`));
  });
});
