/**
 * Completion notifications per `pyramid.notifyOn`. Runs that end close together become one summary
 * rather than a stack of toasts.
 */
import * as vscode from 'vscode';
import * as config from './config';
import { RunMonitor } from './monitor/runMonitor';
import { FinishedRun, isBadOutcome, runDuration, runName } from './monitor/runs';
import { showMessage } from './ui/messages';
import { ownArgument } from './ui/provenance';
import { formatDuration } from './util/format';

/** Runs ending within this window are announced together. */
const BATCH_MS = 1_000;

export class RunNotifier implements vscode.Disposable {
  private pending: FinishedRun[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(monitor: RunMonitor) {
    this.subscription = monitor.onDidFinish((run) => this.finished(run));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }

  private finished(run: FinishedRun): void {
    const notifyOn = config.notifyOn();
    if (notifyOn === 'none' || (notifyOn === 'failures' && !isBadOutcome(run.outcome))) {
      return;
    }
    this.pending.push(run);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    const runs = this.pending;
    this.pending = [];
    this.timer = undefined;
    if (runs.length === 1) {
      void this.announce(runs[0]);
    } else if (runs.length > 1) {
      const failed = runs.filter((run) => isBadOutcome(run.outcome)).length;
      const text = `${runs.length} Pyramid runs ended: ${runs.length - failed} succeeded, ${failed} failed or finished with errors.`;
      void showMessage(failed ? 'error' : 'info', text, 'Show Output').then((choice) => choice && vscode.commands.executeCommand('pyramid.showOutput'));
    }
  }

  private async announce(run: FinishedRun): Promise<void> {
    const duration = formatDuration(runDuration(run));
    const bad = isBadOutcome(run.outcome);
    const detail = bad && run.taskErrors?.length ? `: ${run.taskErrors[0]}` : '';
    const text = `"${runName(run)}" ended ${run.status.label} after ${duration}${detail}`;
    const choice = await showMessage(bad ? 'error' : 'info', text, 'Show Output', 'Run Again');
    if (choice === 'Show Output') {
      await vscode.commands.executeCommand('pyramid.showOutput');
    } else if (choice === 'Run Again') {
      await vscode.commands.executeCommand('pyramid.runSchedule', ownArgument(run));
    }
  }
}
