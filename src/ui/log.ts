/**
 * The Pyramid output channel as the rest of the extension writes to it: one line per event, with every
 * control character, escape sequence and invisible character made visible (see `logText`), so server
 * text in a line can neither forge another line nor colour this one.
 */
import * as vscode from 'vscode';
import { logText } from '../util/untrusted';

export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

export function createLog(name: string): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  return {
    trace: (message) => channel.trace(logText(message)),
    debug: (message) => channel.debug(logText(message)),
    info: (message) => channel.info(logText(message)),
    warn: (message) => channel.warn(logText(message)),
    error: (message) => channel.error(logText(message)),
    show: (preserveFocus) => channel.show(preserveFocus),
    dispose: () => channel.dispose(),
  };
}
