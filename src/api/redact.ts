/**
 * Secrets must never reach a message, a log line or an exception. Everything the client builds from
 * server text or system errors goes through `redact`, which knows the secrets of that client.
 *
 * The server is not trusted, and servers and proxies echo what they received in many spellings, so a
 * secret is found however it was written: as itself; JSON-escaped (`\uXXXX` in either hex case, `\/`,
 * `\"`, `\\`, `\n`…) for any or all of its characters; URL-encoded (`%XX` in either case, `+` for a
 * space, mixed with plain characters); or in base64 (standard or URL-safe, padded or not), alone or
 * inside a longer blob at any byte alignment, e.g. Basic auth's base64("user:" + password).
 *
 * The matching is not a regular expression: the server chooses the token, and a backtracking pattern
 * for a token like "aaaa…ab" over an answer of "aaaa…" takes minutes. It runs in time linear in the text.
 */
export const REDACTED = '[redacted]';

/** Shorter secrets are ignored: replacing every "abc" would mangle text and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret, in any of the spellings above, with `[redacted]`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const spans: Span[] = [];
  let runs: Base64Run[] | undefined;
  for (const secret of secrets) {
    // No spelling of a secret is shorter than the secret: most task texts are shorter than a token.
    if (secret && secret.length >= MIN_SECRET_LENGTH && text.length >= secret.length) {
      runs ??= base64Runs(text);
      spans.push(...spelledSpans(text, secret), ...base64Spans(runs, secret));
    }
  }
  return spans.length ? replaceSpans(text, spans) : text;
}

/** How much of a long server text is read for an excerpt: far more than is shown, and a bound on the work. */
export const EXCERPT_SCAN_CHARS = 64 * 1024;
/** No spelling of a character is longer than 12 UTF-16 units (`%F0%9F%98%80`, `\uD83D\uDE00`). */
const LONGEST_SPELLING = 12;

/** Server text as we show it: redacted, then shortened. Only the start of a very long text is read. */
export function excerpt(text: string, secrets: readonly (string | undefined)[], limit = 300): string {
  if (text.length <= EXCERPT_SCAN_CHARS) {
    return shorten(redact(text, secrets), limit);
  }
  // A secret cut in two by the end of what was read is not found: drop the end, where it could be.
  const margin = LONGEST_SPELLING * Math.max(0, ...secrets.map((secret) => secret?.length ?? 0));
  const read = redact(text.slice(0, EXCERPT_SCAN_CHARS), secrets);
  return shorten(`${read.slice(0, Math.max(0, read.length - margin))}…`, limit);
}

/** Server text as we show it: whitespace folded, trimmed, at most `limit` characters. */
export function shorten(text: string, limit = 300): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > limit ? `${folded.slice(0, limit - 1)}…` : folded;
}

/** [start, end) of text to replace. */
type Span = [number, number];

// ---------------------------------------------------------------------------------------------------
// Spellings: a secret written character by character, each character as itself, JSON-escaped or
// URL-encoded. Found with a bit-parallel automaton (shift-and), whose state after each position of the
// text is the set of prefixes of the secret spelled so far.

/** Called with each way the text at a position can spell one character: its length and the character. */
type Visit = (length: number, char: string) => void;

/** JSON's short escapes for control characters. */
const SHORT_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** `\/`, `\"`, `\\` and any other punctuation a JSON, JavaScript or shell writer may escape. */
const ESCAPABLE = /^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/;
/** A bit-parallel state is kept for the next positions a spelling can reach: more than LONGEST_SPELLING. */
const RING = 16;

/** `count` hex digits (either case) at `index` as a number, or -1. */
function hexAt(text: string, index: number, count: number): number {
  const digits = text.slice(index, index + count);
  return digits.length === count && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : -1;
}

/** Each character the text at `index` can stand for, as it is or decoded. */
function spellingsAt(text: string, index: number, visit: Visit): void {
  const literal = String.fromCodePoint(text.codePointAt(index)!);
  visit(literal.length, literal);
  const char = text[index];
  if (char === '+') {
    visit(1, ' ');
  } else if (char === '\\') {
    const next = text[index + 1];
    if (next === 'u') {
      const unit = hexAt(text, index + 2, 4);
      if (unit >= 0) {
        visit(6, String.fromCharCode(unit));
        if (unit >= 0xd800 && unit < 0xdc00 && text.startsWith('\\u', index + 6)) {
          const low = hexAt(text, index + 8, 4);
          if (low >= 0xdc00 && low < 0xe000) {
            visit(12, String.fromCharCode(unit, low));
          }
        }
      }
    } else if (next !== undefined && next in SHORT_ESCAPES) {
      visit(2, SHORT_ESCAPES[next]);
    } else if (next !== undefined && ESCAPABLE.test(next)) {
      visit(2, next);
    }
  } else if (char === '%') {
    percentEncoded(text, index, visit);
  }
}

/** One character's UTF-8 bytes, percent-encoded: `%41`, `%C3%A9`, `%F0%9F%98%80`. */
function percentEncoded(text: string, index: number, visit: Visit): void {
  const lead = hexAt(text, index + 1, 2);
  const count = lead < 0 ? 0 : lead < 0x80 ? 1 : lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
  if (count === 0) {
    return;
  }
  const bytes = [lead];
  for (let k = 1; k < count; k++) {
    const byte = text[index + 3 * k] === '%' ? hexAt(text, index + 3 * k + 1, 2) : -1;
    if (byte < 0x80 || byte >= 0xc0) {
      return;
    }
    bytes.push(byte);
  }
  const char = Buffer.from(bytes).toString('utf8');
  if (Array.from(char).length === 1 && Buffer.from(char, 'utf8').equals(Buffer.from(bytes))) {
    visit(3 * count, char);
  }
}

/** For each character of the pattern, the bit set of the positions where it occurs. */
function positionMasks(chars: readonly string[], words: number): Map<string, Uint32Array> {
  const masks = new Map<string, Uint32Array>();
  chars.forEach((char, position) => {
    let mask = masks.get(char);
    if (!mask) {
      mask = new Uint32Array(words);
      masks.set(char, mask);
    }
    mask[position >>> 5] |= 1 << (position & 31);
  });
  return masks;
}

/**
 * A shift-and automaton for `chars` over spellings. State bit k at a boundary of the text means: the
 * first k+1 characters are spelled by the text up to that boundary (from some start).
 */
class Automaton {
  readonly words: number;
  private readonly masks: Map<string, Uint32Array>;
  private readonly ring: Uint32Array[];
  private readonly live = new Uint8Array(RING);
  private liveCount = 0;
  private readonly shifted: Uint32Array;
  private readonly lastWord: number;
  private readonly lastBit: number;

  constructor(readonly chars: readonly string[]) {
    this.words = (chars.length + 31) >>> 5;
    this.masks = positionMasks(chars, this.words);
    this.ring = Array.from({ length: RING }, () => new Uint32Array(this.words));
    this.shifted = new Uint32Array(this.words);
    this.lastWord = (chars.length - 1) >>> 5;
    this.lastBit = 1 << ((chars.length - 1) & 31);
  }

  get idle(): boolean {
    return this.liveCount === 0;
  }

  isLive(boundary: number): boolean {
    return this.live[boundary % RING] === 1;
  }

  /** Whether the whole pattern is spelled up to this boundary. */
  complete(boundary: number): boolean {
    return this.isLive(boundary) && (this.ring[boundary % RING][this.lastWord] & this.lastBit) !== 0;
  }

  /** Prepares the step from a boundary: its state moved on by one character, plus a new start if asked. */
  shiftFrom(boundary: number, start: boolean): void {
    const state = this.ring[boundary % RING];
    const live = this.isLive(boundary);
    let carry = start ? 1 : 0;
    for (let w = 0; w < this.words; w++) {
      const value = live ? state[w] : 0;
      this.shifted[w] = (value << 1) | carry;
      carry = value >>> 31;
    }
  }

  /** The text between the prepared boundary and `to` spells `char`. */
  step(to: number, char: string): void {
    const mask = this.masks.get(char);
    if (!mask) {
      return;
    }
    const target = this.ring[to % RING];
    let any = 0;
    for (let w = 0; w < this.words; w++) {
      const bits = this.shifted[w] & mask[w];
      target[w] |= bits;
      any |= bits;
    }
    if (any !== 0 && !this.live[to % RING]) {
      this.live[to % RING] = 1;
      this.liveCount++;
    }
  }

  /** Forgets a boundary that was dealt with, so its slot can serve one RING positions away. */
  clear(boundary: number): void {
    if (this.isLive(boundary)) {
      this.ring[boundary % RING].fill(0);
      this.live[boundary % RING] = 0;
      this.liveCount--;
    }
  }
}

/** Where the text spells the secret: each occurrence's first start for each end. */
function spelledSpans(text: string, secret: string): Span[] {
  const chars = Array.from(secret);
  const forward = new Automaton(chars);
  const backward = new Automaton([...chars].reverse());
  // What can begin a spelling of the first character: itself, `%`, `\\`, or `+` (for a space).
  const begin = new RegExp(`[\\u${chars[0].charCodeAt(0).toString(16).padStart(4, '0')}%\\\\+]`, 'g');
  const spans: Span[] = [];
  let covered = -1;
  for (let i = 0; i <= text.length; i++) {
    if (forward.idle) {
      // Nothing under way: skip to where a spelling can begin.
      begin.lastIndex = i;
      const next = begin.exec(text);
      if (!next) {
        break;
      }
      i = next.index;
    }
    if (forward.complete(i)) {
      // Every spelling is at least as long as its character, so this occurrence starts by i - secret.length:
      // if that is inside the last span, the two overlap and merge. Looking for its exact start there
      // would cost the whole secret again at each end of a dense run (a text of "aaaa…" and a secret of
      // "aaaa"), and it could begin before the last span's start only by spelling the same characters
      // twice over, longer, around it.
      if (i - secret.length < covered && spans.length) {
        spans[spans.length - 1][1] = i;
      } else {
        spans.push([startOf(text, i, backward), i]);
      }
      covered = i;
    }
    if (i === text.length) {
      break;
    }
    forward.shiftFrom(i, true);
    spellingsAt(text, i, (length, char) => forward.step(i + length, char));
    forward.clear(i);
  }
  return spans;
}

/** The first start of a spelling of the secret that ends at `end`: the reversed secret, read backwards. */
function startOf(text: string, end: number, backward: Automaton): number {
  let start = end;
  for (let j = end; j >= 0 && (j === end || !backward.idle); j--) {
    if (j !== end && backward.complete(j)) {
      start = j;
    }
    if (j === end || backward.isLive(j)) {
      backward.shiftFrom(j, j === end);
      for (let from = j - 1; from >= Math.max(0, j - LONGEST_SPELLING); from--) {
        spellingsAt(text, from, (length, char) => {
          if (from + length === j) {
            backward.step(from, char);
          }
        });
      }
    }
    backward.clear(j);
  }
  return start; // every boundary reached was cleared: the automaton is idle for the next call
}

// ---------------------------------------------------------------------------------------------------
// Base64: the characters of an encoding that depend on the secret alone, searched for in each run of
// base64 characters; a run that holds them is replaced whole, so no part of the blob is left to decode.

interface Base64Run {
  start: number;
  /** After the run's `=` padding. */
  end: number;
  /** The run in the standard alphabet, escapes undone. */
  normalized: string;
}

/** Base64 characters of either alphabet; and what may begin a run, escapes (`\/`, `%2B`, `%2F`) included. */
const BASE64_PLAIN = /[A-Za-z0-9+/_-]+/y;
const BASE64_BEGIN = /[A-Za-z0-9+/_\-\\%]/g;

/** The length of the escaped base64 character at `index` (`\/`, `%2B`, `%2F`), else 0. */
function escapedBase64At(text: string, index: number): number {
  if (text[index] === '\\' && text[index + 1] === '/') {
    return 2;
  }
  return text[index] === '%' && /^%2[bBfF]$/.test(text.slice(index, index + 3)) ? 3 : 0;
}

/** The runs of base64 characters, each with its padding. Scanned piecewise: a run may be megabytes. */
function base64Runs(text: string): Base64Run[] {
  const runs: Base64Run[] = [];
  let index = 0;
  for (;;) {
    BASE64_BEGIN.lastIndex = index;
    const begin = BASE64_BEGIN.exec(text);
    if (!begin) {
      return runs;
    }
    const start = begin.index;
    index = start;
    for (;;) {
      BASE64_PLAIN.lastIndex = index;
      if (BASE64_PLAIN.test(text)) {
        index = BASE64_PLAIN.lastIndex;
        continue;
      }
      const escaped = escapedBase64At(text, index);
      if (escaped === 0) {
        break;
      }
      index += escaped;
    }
    if (index === start) {
      index++; // a `\` or `%` that escapes nothing of base64
      continue;
    }
    const data = text.slice(start, index);
    for (;;) {
      if (text[index] === '=') {
        index++;
      } else if (/^%3[dD]$/.test(text.slice(index, index + 3))) {
        index += 3;
      } else {
        break;
      }
    }
    const normalized = data.replace(/\\\//g, '/').replace(/%2[bB]|-/g, '+').replace(/%2[fF]|_/g, '/');
    runs.push({ start, end: index, normalized });
  }
}

/**
 * The base64 characters that depend on the secret's bytes alone, for each of the three alignments the
 * secret can have inside a longer blob: the characters before and after also carry neighbouring bytes.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  });
}

function base64Spans(runs: readonly Base64Run[], secret: string): Span[] {
  const cores = base64Cores(secret);
  return runs.filter((run) => cores.some((core) => run.normalized.includes(core))).map((run): Span => [run.start, run.end]);
}

/** The text with each span (merged where they overlap) replaced by one `[redacted]`. */
function replaceSpans(text: string, spans: Span[]): string {
  spans.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let copied = 0;
  let current: Span | undefined;
  for (const span of spans) {
    if (current && span[0] < current[1]) {
      current[1] = Math.max(current[1], span[1]);
      continue;
    }
    if (current) {
      parts.push(text.slice(copied, current[0]), REDACTED);
      copied = current[1];
    }
    current = [span[0], span[1]];
  }
  if (current) {
    parts.push(text.slice(copied, current[0]), REDACTED);
    copied = current[1];
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
