// Server text that tries to be markup, links, log lines or escape sequences, and the patterns that
// tell whether a surface kept it inert; shared by the suites that check the trust boundary.

export const HOSTILE_NAME = 'Nightly $(zap) [Click me](command:pyramid.suspendSchedule?%7B%22scheduleId%22%3A%22x%22%7D) <img src=x onerror=alert(1)>\n[error] forged line \u202eevil\u001b[31m';
export const HOSTILE_ERROR = {
  msg: 'Load failed: [Open](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20pwned%5Cn%22%7D) {0}',
  params: ['<b>bold</b>\n2026-01-01 00:00:00.000 [info] forged\u001b[2J'],
  code: 1001,
};
/** What VS Code turns into a link in notifications and progress titles. */
export const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)/i;
/** Every line VS Code writes to a log output channel starts with its time and level. */
export const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(trace|debug|info|warning|error)\] /;
