/**
 * Every message about a followed run: its end (per `pyramid.notifyOn`; runs that end close together
 * become one summary rather than a stack of toasts), an expired session that paused runs, a run the
 * server no longer knows, a run that stopped being checked, and a run taking longer than usual (once
 * per run, per `pyramid.notifyLongerThanUsual`).
 */
import * as vscode from 'vscode';
import { AuthPrompt } from './auth/authPrompt';
import * as config from './config';
import { estimateBasis } from './monitor/estimates';
import { RunMonitor } from './monitor/runMonitor';
import { FinishedRun, WatchedRun, originOf } from './monitor/runs';
import { isBadOutcome, runDurationText, runName } from './present/look';
import { Log } from './ui/log';
import { showMessage, showWarning } from './ui/messages';
import { ownArgument } from './ui/provenance';

/** Runs ending within this window are announced together. */
const BATCH_MS = 1_000;

export class RunNotifier implements vscode.Disposable {
  private pending: FinishedRun[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly monitor: RunMonitor,
    private readonly authPrompt: AuthPrompt,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      monitor.onDidFinish((run) => this.finished(run)),
      monitor.onDidRequireSignIn((origin) => this.signInRequired(origin)),
      monitor.onDidLose((run) => this.lost(run)),
      monitor.onDidStall((run) => void this.stalled(run)),
      monitor.onDidOverstay((run) => void this.overstayed(run)),
    ];
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
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
      void showMessage(failed ? 'error' : 'info', text, 'Show Output').then((choice) => choice && this.log.show());
    }
  }

  private async announce(run: FinishedRun): Promise<void> {
    const bad = isBadOutcome(run.outcome);
    const detail = bad && run.taskErrors?.length ? `: ${run.taskErrors[0]}` : '';
    const text = `"${runName(run)}" ended ${run.status.label} after ${runDurationText(run)}${detail}`;
    // A followed task runs again on its own; a whole run starts the schedule again.
    const again = run.kind === 'task' ? 'Re-run Task' : 'Run Again';
    const choice = await showMessage(bad ? 'error' : 'info', text, 'Show Output', again, 'Show Details');
    if (choice === 'Show Output') {
      this.log.show();
    } else if (choice === 'Re-run Task' && run.kind === 'task') {
      const { taskId, taskName, scheduleId, scheduleName, executionId, serverUrl } = run;
      await vscode.commands.executeCommand('pyramid.rerunTask', ownArgument({ taskId, taskName, scheduleId, scheduleName, executionId, serverUrl }));
    } else if (choice === 'Run Again') {
      await vscode.commands.executeCommand('pyramid.runSchedule', ownArgument(run));
    } else if (choice === 'Show Details') {
      await vscode.commands.executeCommand('pyramid.showDetails', ownArgument({ scheduleId: run.scheduleId, scheduleName: run.scheduleName, serverUrl: run.serverUrl }));
    }
  }

  private async overstayed(run: WatchedRun): Promise<void> {
    const estimate = this.monitor.estimateOf(run);
    if (!config.notifyLongerThanUsual() || !estimate) {
      return;
    }
    const text = `"${runName(run)}" is taking longer than usual: running for ${runDurationText(run)}, ${estimateBasis(estimate)}.`;
    const choice = await showMessage('warning', text, 'Show Details', 'Show Output');
    if (choice === 'Show Output') {
      this.log.show();
    } else if (choice === 'Show Details') {
      await vscode.commands.executeCommand('pyramid.showDetails', ownArgument({ scheduleId: run.scheduleId, scheduleName: run.scheduleName, serverUrl: run.serverUrl }));
    }
  }

  /** One prompt per server, however many runs it paused. */
  private signInRequired(origin: string): void {
    const paused = this.monitor.watched.filter((run) => originOf(run) === origin).length;
    this.authPrompt.report(origin, `the session has expired. Watching ${paused} run(s) is paused until you sign in again.`);
  }

  private lost(run: WatchedRun): void {
    void showWarning(`Stopped watching "${runName(run)}": the server no longer knows this run (it may have restarted). ${run.problem ?? ''}`.trim());
  }

  private async stalled(run: WatchedRun): Promise<void> {
    const choice = await showWarning(`Stopped checking "${runName(run)}": ${run.problem}`, 'Retry', 'Show Output');
    if (choice === 'Retry') {
      this.monitor.retry(run);
    } else if (choice === 'Show Output') {
      this.log.show();
    }
  }
}
