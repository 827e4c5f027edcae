/**
 * The trust boundary for text. Everything the server sends (names, descriptions, task errors, HTTP
 * bodies, user names, unknown enum values) is data: it may hold markup, links, theme icons, escape
 * sequences or invisible characters meant to mislead. Each surface kind has one function here that
 * turns such text into inert text for that surface, and every place that shows server text uses it.
 * No `vscode` import: the rules are unit-tested in plain Node.
 */
/* eslint-disable no-control-regex, no-misleading-character-class -- matching those characters is this module's job */

/** Escape sequences a terminal or log viewer would act on: CSI (`ESC [ … m`), OSC (`ESC ] 8 ; …`
 * links, `ESC ] 52` clipboard writes) up to BEL or ST, DCS/SOS/PM/APC strings, and two-byte escapes. */
const ESCAPE_SEQUENCE =
  /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?/g;

/** C0 and C1 control characters (newlines, tabs and ESC among them), DEL, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Characters that change how text around them reads without being seen: bidi embeddings, overrides,
 * isolates and marks (the "Trojan Source" characters), zero-width spaces and joiners, word joiners,
 * invisible operators, the soft hyphen, variation selectors, BOM and interlinear annotations.
 */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/g;

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Every ASCII punctuation character: CommonMark lets each be escaped with a backslash. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Theme icon syntax, `$(name)`, expanded by the status bar, quick picks and MarkdownStrings with icons. */
const THEME_ICON = /\$\(/g;

/** How much of one server text each surface shows; the rest is cut with an ellipsis. */
export const LIMITS = {
  message: 600,
  statusBar: 60,
  quickPick: 200,
  tree: 200,
  markdown: 1_000,
  log: 4_000,
  webview: 20_000,
  tool: 2_000,
} as const;

/**
 * The base of every surface: well-formed, no escape sequences, no control or invisible characters,
 * white space folded, trimmed and at most `limit` characters. The words stay readable.
 */
export function plainText(text: string, limit: number = LIMITS.tree): string {
  return cap(fold(text), limit);
}

/**
 * Notifications, modal dialogs and progress titles. VS Code turns `[label](target)` in them into a
 * link, and a `command:` target runs that command with the link's arguments: the `](` that makes a
 * link is broken apart, so no link of any scheme survives.
 */
export function messageText(text: string, limit: number = LIMITS.message): string {
  return cap(fold(text).replace(/\]\(/g, '] ('), limit);
}

/** Status bar text, where `$(icon)` is expanded: server text shows its `$(` literally. */
export function statusBarText(text: string, limit: number = LIMITS.statusBar): string {
  return cap(escapeIcons(fold(text)), limit);
}

/** Quick pick labels, descriptions and details, which expand `$(icon)` too. */
export function quickPickText(text: string, limit: number = LIMITS.quickPick): string {
  return cap(escapeIcons(fold(text)), limit);
}

/**
 * Inside a MarkdownString (tooltips): every ASCII punctuation character is backslash-escaped, so no
 * emphasis, link, autolink, image, HTML tag, entity or theme icon can form; the text reads the same.
 * The MarkdownString itself must never be `isTrusted`, `supportHtml` or `supportThemeIcons` (VS Code
 * expands `$(icon)` after the Markdown is rendered, so an escaped `$(` would still become an icon).
 */
export function markdownText(text: string, limit: number = LIMITS.markdown): string {
  return plainText(text, limit).replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * A log line. Every event is one line: control characters (newlines, ESC), line separators and
 * invisible characters are written as visible escapes (`\n`, `\x1b`, `\u202e`), so server text can
 * neither forge a line nor colour one, and the log still shows exactly what was sent.
 */
export function logText(text: string, limit: number = LIMITS.log): string {
  const visible = String(text)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(CONTROL, visibleEscape)
    .replace(INVISIBLE, visibleEscape);
  return cap(visible, limit);
}

/**
 * Text written to a terminal (a pseudoterminal prints what it is given): escape sequences such as
 * OSC 8 links and OSC 52 clipboard writes are removed, not just their ESC, and so is every other
 * control character. Line breaks are the caller's own `\r\n`.
 */
export function terminalText(text: string, limit: number = LIMITS.log): string {
  return plainText(text, limit);
}

/**
 * A longer text in the details webview, which inserts it with `textContent` only (so markup stays
 * text): line breaks and tabs are kept, as the server wrote them, but escape sequences, other control
 * characters and the invisible characters that change how text reads are removed.
 */
export function webviewText(text: string, limit: number = LIMITS.webview): string {
  const lines = String(text)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(ESCAPE_SEQUENCE, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, '');
  return cap(lines.trim(), limit);
}

/**
 * Server text in a language model tool's result: plain text on one line, quoted as a JSON string (so a
 * quote inside cannot end it early). The result says that quoted text is data from the server.
 */
export function toolText(text: string, limit: number = LIMITS.tool): string {
  return JSON.stringify(plainText(text, limit));
}

/** Well-formed, no escape sequences, no control or invisible characters, white space folded and trimmed. */
function fold(text: string): string {
  return String(text)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(ESCAPE_SEQUENCE, ' ')
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeIcons(text: string): string {
  return text.replace(THEME_ICON, '\\$(');
}

function visibleEscape(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
  }
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** At most `limit` characters, an ellipsis marking a cut; a surrogate pair is never split. */
function cap(text: string, limit: number): string {
  if (text.length <= limit) {
    return text;
  }
  let end = Math.max(0, limit - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    end--;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}
