// The untrusted-text rules, tried with hostile strings: fixed examples, then properties over strings
// built from the pieces attackers use (link syntax, theme icons, HTML, escape sequences, bidi
// overrides, lone surrogates, very long runs) mixed with arbitrary text.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { marked } from 'marked';
import { LIMITS, logText, markdownText, messageText, plainText, quickPickText, statusBarText, terminalText, webviewText } from '../../../src/util/untrusted';

const HOSTILE_PIECES = [
  '](',
  ')',
  '[x',
  '[Click here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
  '[docs](https://evil.example/a)',
  '<https://evil.example>',
  'https://evil.example/x',
  'www.evil.example',
  'mail@evil.example',
  'command:',
  '$(',
  '$(zap)',
  '\\$(zap)',
  '<img src=x onerror=alert(1)>',
  '<b>',
  '![i](https://evil.example/i.png)',
  '&lt;',
  '**',
  '`',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
  '\u001b]52;c;cm0gLXJmIH4=\u0007',
  '\u009b2J',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200f',
  '\ufeff',
  '\u2028',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'x'.repeat(700),
  ' ',
  'Nightly Sales Load',
];

const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 20 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

const property = (predicate: (text: string) => void) => fc.assert(fc.property(hostile, predicate), { numRuns: 500 });

/** What VS Code turns into a link in notifications (vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** What VS Code renders as a theme icon in labels: an unescaped `$(name)` (vs/base/browser/ui/iconLabel/iconLabels.ts). */
const VSCODE_ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
// eslint-disable-next-line no-control-regex -- the characters under test
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unescapedIcons(text: string): string[] {
  return [...text.matchAll(VSCODE_ICON)].filter((match) => match[1] === undefined).map((match) => match[0]);
}

function decodeEntities(html: string): string {
  return html.replace(/&(lt|gt|amp|quot|#39);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" })[name] ?? '');
}

describe('untrusted text', () => {
  describe('plainText: the base of every surface', () => {
    it('keeps the words and drops what is not seen', () => {
      assert.strictEqual(plainText('  Nightly\nSales\u202e Load\u200b\u001b[31m  '), 'Nightly Sales Load');
      assert.strictEqual(plainText('a\ud800b'), 'a\ufffdb');
      assert.strictEqual(plainText('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
      assert.strictEqual(plainText('\ud83d\ude00'.repeat(10), 4), '\ud83d\ude00…', 'an emoji is not cut in half');
    });

    it('holds no control, invisible or lone surrogate character, no outer space, and stays within its limit', () => {
      property((text) => {
        const shown = plainText(text);
        assert.ok(!CONTROL.test(shown), JSON.stringify(shown));
        assert.ok(!INVISIBLE.test(shown), JSON.stringify(shown));
        assert.ok(!LONE_SURROGATE.test(shown), JSON.stringify(shown));
        assert.strictEqual(shown, shown.trim());
        assert.ok(shown.length <= LIMITS.tree);
      });
    });

    it('is stable: applying it twice changes nothing', () => {
      property((text) => assert.strictEqual(plainText(plainText(text)), plainText(text)));
    });
  });

  describe('messageText: notifications, dialogs, progress titles', () => {
    it('breaks a command link apart and keeps its words', () => {
      const shown = messageText('Load failed: [Click here](command:workbench.action.terminal.sendSequence?%7B%7D)');
      assert.strictEqual(shown, 'Load failed: [Click here] (command:workbench.action.terminal.sendSequence?%7B%7D)');
    });

    it('leaves nothing VS Code would turn into a link', () => {
      property((text) => {
        const shown = messageText(text);
        assert.deepStrictEqual([...shown.matchAll(VSCODE_LINK)], [], JSON.stringify(shown));
        assert.ok(!/\]\(/.test(shown));
        assert.ok(!CONTROL.test(shown) && shown.length <= LIMITS.message);
      });
    });
  });

  describe('statusBarText and quickPickText: surfaces that expand $(icon)', () => {
    it('shows a $(icon) of the server literally', () => {
      assert.strictEqual(statusBarText('$(zap) Nightly'), '\\$(zap) Nightly');
      assert.deepStrictEqual(unescapedIcons(statusBarText('x$(zap)$(sync~spin)')), []);
    });

    it('leaves no unescaped theme icon', () => {
      property((text) => {
        assert.deepStrictEqual(unescapedIcons(statusBarText(text)), [], JSON.stringify(text));
        assert.deepStrictEqual(unescapedIcons(quickPickText(text)), [], JSON.stringify(text));
        assert.ok(statusBarText(text).length <= LIMITS.statusBar, 'a status bar name stays short');
      });
    });
  });

  describe('markdownText: tooltips', () => {
    it('renders a link, an image and HTML as their text', () => {
      const html = marked.parse(markdownText('[x](command:foo) ![i](https://e.example/i.png) <img src=x> https://e.example **b**'), { async: false });
      assert.strictEqual(
        html.trim(),
        '<p>[x](command:foo) ![i](https://e.example/i.png) &lt;img src=x&gt; https://e.example **b**</p>',
      );
    });

    it('renders to one paragraph of exactly the plain text: no link, image, tag or emphasis', () => {
      property((text) => {
        const shown = markdownText(text);
        const html = marked.parse(shown, { async: false, gfm: true }).trim();
        const expected = plainText(text, LIMITS.markdown);
        if (expected === '') {
          assert.strictEqual(html, '');
          return;
        }
        assert.match(html, /^<p>[^<>]*<\/p>$/, `${JSON.stringify(text)} rendered as ${html}`);
        assert.strictEqual(decodeEntities(html.slice(3, -4)), expected);
      });
    });
  });

  describe('webviewText: longer texts in the details webview', () => {
    it('keeps line breaks and tabs, and markup as it was written (the webview inserts text, never markup)', () => {
      assert.equal(webviewText('Step 1 failed\r\n\tat <b>Load</b>\r\nStep 2'), 'Step 1 failed\n\tat <b>Load</b>\nStep 2');
    });

    it('removes escape sequences, other control characters and the characters that change how text reads', () => {
      assert.equal(webviewText('\u001b[31mred\u001b[0m \u202eevil\u200b \u0007bell\u2028'), 'red  evil  bell');
    });

    it('is cut at its limit', () => {
      assert.equal(webviewText('x'.repeat(LIMITS.webview + 10)).length, LIMITS.webview);
    });
  });

  describe('logText: the output channel', () => {
    it('writes control and invisible characters as visible escapes, so one event is one line', () => {
      assert.strictEqual(logText('a\nb\r\u001b[31mc\u202ed'), 'a\\nb\\r\\x1b[31mc\\u202ed');
    });

    it('never holds a line break or another control character', () => {
      property((text) => {
        const line = logText(text);
        assert.ok(!CONTROL.test(line), JSON.stringify(line));
        assert.ok(!INVISIBLE.test(line), JSON.stringify(line));
      });
    });
  });

  describe('terminalText: a pseudoterminal', () => {
    it('removes whole escape sequences: OSC 8 links and OSC 52 clipboard writes', () => {
      assert.strictEqual(terminalText('see \u001b]8;;https://evil.example\u0007here\u001b]8;;\u0007 \u001b]52;c;cm0=\u0007done'), 'see here done');
      assert.strictEqual(terminalText('\u001b[31mred\u001b[0m'), 'red');
    });

    it('leaves no escape or control character', () => {
      property((text) => assert.ok(!CONTROL.test(terminalText(text)), JSON.stringify(terminalText(text))));
    });
  });
});
