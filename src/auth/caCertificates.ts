/**
 * The PEM files of `pyramid.caCertificates`, read once per change of the setting for the https agent.
 * Every request waits for them, so a path that names something odd must fail fast and clearly: only
 * regular files are read (opening a FIFO blocks until someone writes to it, a device may never end),
 * at most MAX_CA_FILE_BYTES, within CA_READ_TIMEOUT_MS. No `vscode` import: it runs in plain Node.
 */
import { constants, promises as fs, Stats } from 'node:fs';
import * as os from 'node:os';
import { PyramidError } from '../api/errors';

/** A bundle of a few hundred CA certificates is about 200 KB; more is not a CA file. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;
/** A local file is read in milliseconds; a hung network drive must not hold every request. */
export const CA_READ_TIMEOUT_MS = 5_000;

/** Reads PEM files; a missing, unreadable, special, oversized or slow file is an error that names it. */
export async function readCertificates(paths: readonly string[]): Promise<string[]> {
  return Promise.all(paths.map((raw) => withTimeout(readCertificate(raw), raw)));
}

async function readCertificate(raw: string): Promise<string> {
  const path = raw.startsWith('~/') ? os.homedir() + raw.slice(1) : raw;
  let text: string;
  try {
    checkRegularFile(raw, await fs.stat(path));
    // Non-blocking, should the path have turned into a FIFO since the stat: the open returns at once.
    const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      checkRegularFile(raw, await handle.stat());
      text = await readAtMost(handle, raw);
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof PyramidError) {
      throw error;
    }
    throw new PyramidError(`Cannot read the CA certificate file "${raw}" from pyramid.caCertificates (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PyramidError(`"${raw}" in pyramid.caCertificates is not a PEM certificate file.`);
  }
  return text;
}

function checkRegularFile(raw: string, stats: Stats): void {
  if (!stats.isFile()) {
    const kind = stats.isDirectory()
      ? 'a folder'
      : stats.isFIFO()
        ? 'a named pipe (FIFO)'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : stats.isSocket()
            ? 'a socket'
            : 'not a file';
    throw new PyramidError(`"${raw}" in pyramid.caCertificates is ${kind}, not a regular file: it was not read.`);
  }
  if (stats.size > MAX_CA_FILE_BYTES) {
    throw tooLarge(raw);
  }
}

/** The file's text, read up to one byte past the cap: a file that grew since its stat is caught too. */
async function readAtMost(handle: fs.FileHandle, raw: string): Promise<string> {
  const buffer = Buffer.alloc(MAX_CA_FILE_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) {
      break;
    }
    length += bytesRead;
  }
  if (length > MAX_CA_FILE_BYTES) {
    throw tooLarge(raw);
  }
  return buffer.toString('utf8', 0, length);
}

function tooLarge(raw: string): PyramidError {
  return new PyramidError(`"${raw}" in pyramid.caCertificates is larger than ${MAX_CA_FILE_BYTES / 1024 / 1024} MB, too large for a CA certificate file.`);
}

function withTimeout<T>(work: Promise<T>, raw: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new PyramidError(`Reading "${raw}" from pyramid.caCertificates took longer than ${CA_READ_TIMEOUT_MS / 1000} s: check that the file is on a reachable drive.`)),
      CA_READ_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
