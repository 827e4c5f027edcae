/**
 * The only way the extension talks to the user in notifications, modal dialogs, progress titles and
 * passing status bar messages. Each takes the whole text, server words included, through the
 * untrusted-text rule of its surface, so no caller can forget it (ESLint forbids the raw calls elsewhere).
 */
import * as vscode from 'vscode';
import { messageText, statusBarText } from '../util/untrusted';

export type Severity = 'info' | 'warning' | 'error';

const SHOW = {
  info: (text: string, ...actions: string[]) => vscode.window.showInformationMessage(text, ...actions),
  warning: (text: string, ...actions: string[]) => vscode.window.showWarningMessage(text, ...actions),
  error: (text: string, ...actions: string[]) => vscode.window.showErrorMessage(text, ...actions),
};

/** A notification with buttons; resolves to the button clicked, or undefined when dismissed. */
export function showMessage<Action extends string>(severity: Severity, text: string, ...actions: Action[]): Promise<Action | undefined> {
  return Promise.resolve(SHOW[severity](messageText(text), ...actions) as Thenable<Action | undefined>);
}

export const showInfo = <Action extends string>(text: string, ...actions: Action[]) => showMessage('info', text, ...actions);
export const showWarning = <Action extends string>(text: string, ...actions: Action[]) => showMessage('warning', text, ...actions);
export const showError = <Action extends string>(text: string, ...actions: Action[]) => showMessage('error', text, ...actions);

/** A modal question with one action besides Cancel; true when the user chose it. */
export async function confirm(text: string, action: string, detail?: string): Promise<boolean> {
  const options: vscode.MessageOptions = { modal: true, detail: detail === undefined ? undefined : messageText(detail) };
  return (await vscode.window.showWarningMessage(messageText(text), options, action)) === action;
}

/**
 * Runs a task under a progress notification. Cancelling aborts its request where that is safe; a run
 * that was sent cannot be taken back, so callers starting one pass `cancellable: false`.
 */
export function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>, cancellable = true): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: messageText(title), cancellable }, (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return task(controller.signal);
    }),
  );
}

/** Runs a task under a view's progress bar: no title, no text. */
export function withViewProgress<T>(viewId: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: { viewId } }, task));
}

/** A passing message in the status bar: our own codicon, if any, then the text with any `$(` of the server's kept literal. */
export function statusMessage(text: string, timeoutMs: number, icon?: string): vscode.Disposable {
  const shown = statusBarText(text, 200);
  return vscode.window.setStatusBarMessage(icon ? `$(${icon}) ${shown}` : shown, timeoutMs);
}
