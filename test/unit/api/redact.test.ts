import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { EXCERPT_SCAN_CHARS, REDACTED, excerpt, redact } from '../../../src/api/redact';

/** Characters that need escaping somewhere, so the properties meet them often. */
const TRICKY = ['"', '\\', '/', ' ', '+', '%', '&', '=', '?', '#', "'", '<', '\n', '\t', '\u0000', 'é', 'ß', '€', '中', '😀', 'u', '0', 'A', 'f'];
const character = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
const secretArb = fc.array(character, { minLength: 4, maxLength: 24 }).map((chars) => chars.join(''));
const textArb = fc.array(character, { maxLength: 30 }).map((chars) => chars.join(''));

const hex = (n: number, width: number, upper: boolean) => {
  const digits = n.toString(16).padStart(width, '0');
  return upper ? digits.toUpperCase() : digits;
};
const unicodeEscape = (char: string, upper: boolean) => Array.from({ length: char.length }, (_, i) => `\\u${hex(char.charCodeAt(i), 4, upper)}`).join('');
const percentEncode = (char: string, upper: boolean) => [...Buffer.from(char, 'utf8')].map((byte) => `%${hex(byte, 2, upper)}`).join('');

/** Every way a writer may spell one character (JSON, JavaScript, URL and form encoders). */
function spellings(char: string): string[] {
  const forms = [char, unicodeEscape(char, false), unicodeEscape(char, true), JSON.stringify(char).slice(1, -1), percentEncode(char, false), percentEncode(char, true)];
  if (/^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(char)) {
    forms.push(`\\${char}`);
  }
  if (char === ' ') {
    forms.push('+');
  }
  return forms;
}

/** The secret with each character spelled one of its ways, chosen by `choices`. */
const mixed = (secret: string, choices: number[]) =>
  Array.from(secret, (char, i) => {
    const forms = spellings(char);
    return forms[choices[i % choices.length] % forms.length];
  }).join('');

/** What the redacted text still shows: the parts between the markers (a marker is no leak, whatever it neighbours). */
const shown = (redacted: string) => redacted.split(REDACTED);

function assertHidden(redacted: string, ...encodings: string[]): void {
  for (const part of shown(redacted)) {
    for (const encoding of encodings) {
      assert.ok(!part.includes(encoding), `${JSON.stringify(encoding)} is still in ${JSON.stringify(redacted)}`);
    }
  }
}

/** Whether any base64 run in the text, read from any of its characters, decodes to bytes that hold the secret. */
function base64Holds(text: string, secret: string): boolean {
  const bytes = Buffer.from(secret, 'utf8');
  for (const run of text.match(/[A-Za-z0-9+/_-]+/g) ?? []) {
    for (let offset = 0; offset < 4; offset++) {
      if (Buffer.from(run.slice(offset), 'base64').includes(bytes)) {
        return true;
      }
    }
  }
  return false;
}

describe('redact', () => {
  it('replaces a secret and leaves the rest of the text', () => {
    assert.equal(redact('token abcd-1234 rejected', ['abcd-1234']), 'token [redacted] rejected');
    assert.equal(redact('nothing secret here', ['abcd-1234', undefined]), 'nothing secret here');
  });

  it('ignores secrets shorter than 4 characters', () => {
    assert.equal(redact('abc and abc', ['abc', '', undefined]), 'abc and abc');
  });

  it('catches JSON, JavaScript and URL spellings in either hex case, and mixtures', () => {
    const secret = 'pä ss/"\\w😀rd';
    const echoes = [
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
      Array.from(secret, (c) => unicodeEscape(c, false)).join(''),
      Array.from(secret, (c) => unicodeEscape(c, true)).join(''),
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      new URLSearchParams({ p: secret }).toString().slice(2),
      mixed(secret, [0, 1, 2, 3, 4, 5, 6, 7]),
    ];
    for (const echo of echoes) {
      assert.equal(redact(`before ${echo} after`, [secret]), 'before [redacted] after', echo);
    }
  });

  it('catches base64 in both alphabets, with and without padding, alone or inside a longer blob', () => {
    const password = 'hunter2?>~';
    const echoes = [
      Buffer.from(password).toString('base64'),
      Buffer.from(password).toString('base64url'),
      Buffer.from(`admin:${password}`).toString('base64'),
      Buffer.from(`ad:${password}`).toString('base64').replace(/=+$/, ''),
      Buffer.from(`a:${password}:tail`).toString('base64url'),
      JSON.stringify(Buffer.from(`user:${password}`).toString('base64')).slice(1, -1).replace(/\//g, '\\/'),
    ];
    for (const echo of echoes) {
      const redacted = redact(`Authorization: Basic ${echo}, refused`, [password]);
      assert.equal(redacted, 'Authorization: Basic [redacted], refused', echo);
    }
  });

  describe('properties: no spelling of an arbitrary secret survives, in arbitrary text', () => {
    const embedded = (encode: (secret: string) => string) =>
      fc.property(secretArb, textArb, textArb, (secret, before, after) => {
        const encoded = encode(secret);
        assertHidden(redact(before + encoded + after, [secret]), secret, encoded);
      });

    it('as itself', () => {
      fc.assert(embedded((secret) => secret));
    });

    it('JSON-escaped by JSON.stringify, with `\\/`, and as \\uXXXX for every character in either case', () => {
      fc.assert(embedded((secret) => JSON.stringify(secret)));
      fc.assert(embedded((secret) => JSON.stringify(secret).replace(/\//g, '\\/')));
      fc.assert(embedded((secret) => Array.from(secret, (c) => unicodeEscape(c, false)).join('')));
      fc.assert(embedded((secret) => Array.from(secret, (c) => unicodeEscape(c, true)).join('')));
    });

    it('URL-encoded by encodeURIComponent and by a form, in either hex case', () => {
      fc.assert(embedded((secret) => encodeURIComponent(secret)));
      fc.assert(embedded((secret) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())));
      fc.assert(embedded((secret) => new URLSearchParams({ q: secret }).toString()));
    });

    it('with each character spelled its own way', () => {
      fc.assert(
        fc.property(secretArb, textArb, textArb, fc.array(fc.nat(), { minLength: 1, maxLength: 24 }), (secret, before, after, choices) => {
          const encoded = mixed(secret, choices);
          assertHidden(redact(before + encoded + after, [secret]), secret, encoded);
        }),
      );
    });

    it('in base64, either alphabet, padded or not, inside a blob at any alignment', () => {
      const bytes = fc.uint8Array({ maxLength: 7 });
      fc.assert(
        fc.property(secretArb, textArb, textArb, bytes, bytes, fc.boolean(), fc.boolean(), (secret, before, after, head, tail, urlSafe, padded) => {
          let blob = Buffer.concat([head, Buffer.from(secret, 'utf8'), tail]).toString(urlSafe ? 'base64url' : 'base64');
          blob = padded ? blob.padEnd(Math.ceil(blob.length / 4) * 4, '=') : blob.replace(/=+$/, '');
          const redacted = redact(before + blob + after, [secret]);
          assertHidden(redacted, secret, blob);
          assert.ok(!shown(redacted).some((part) => base64Holds(part, secret)), `a decodable ${JSON.stringify(secret)} is in ${JSON.stringify(redacted)}`);
        }),
      );
    });

    it('as Basic auth: base64("user:" + password)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), secretArb, textArb, (user, password, around) => {
          const header = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
          const redacted = redact(`${around} ${header} ${around}`, [password]);
          assert.ok(!shown(redacted).some((part) => base64Holds(part, password)), redacted);
        }),
      );
    });

    it('for several secrets at once', () => {
      fc.assert(
        fc.property(secretArb, secretArb, textArb, (token, password, between) => {
          const text = `${encodeURIComponent(token)}${between}${Buffer.from(`u:${password}`).toString('base64')}${between}${JSON.stringify(token)}`;
          const redacted = redact(text, [token, password]);
          assertHidden(redacted, token, password, encodeURIComponent(token), JSON.stringify(token).slice(1, -1));
          assert.ok(!shown(redacted).some((part) => base64Holds(part, password)));
        }),
      );
    });
  });

  it('takes time linear in the text, even for a token chosen to make a backtracking matcher crawl', function () {
    this.timeout(10_000);
    const token = `${'a'.repeat(4095)}b`;
    const started = Date.now();
    assert.equal(redact('a'.repeat(64 * 1024), [token]), 'a'.repeat(64 * 1024));
    assert.equal(redact(`${'%61'.repeat(4095)}b`.repeat(4), [token]), REDACTED.repeat(4));
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });
});

describe('excerpt', () => {
  it('redacts, then shortens', () => {
    assert.equal(excerpt(`  token\n abcd-1234   rejected ${'x'.repeat(400)}`, ['abcd-1234']).slice(0, 25), 'token [redacted] rejected');
    assert.equal(excerpt('x'.repeat(400), []).length, 300);
  });

  it('reads only the start of a long text, and shows no part of a secret cut at the end of what it read', () => {
    const secret = 'hunter2-secret';
    for (let cut = 1; cut < secret.length; cut++) {
      const text = `${' '.repeat(EXCERPT_SCAN_CHARS - cut)}${secret} and more`;
      const shownText = excerpt(text, [secret]);
      assert.ok(!shownText.includes(secret.slice(0, Math.min(cut, 4))), JSON.stringify(shownText));
    }
    assert.equal(excerpt(`${'x'.repeat(EXCERPT_SCAN_CHARS * 10)}`, ['abcd']).length, 300);
  });
});
