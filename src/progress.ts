import * as vscode from 'vscode';

/**
 * Runs a task under a progress notification. Cancelling aborts its request where that is safe; a run
 * that was sent cannot be taken back, so callers starting one pass `cancellable: false`.
 */
export function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>, cancellable = true): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return task(controller.signal);
    }),
  );
}
