/**
 * One status bar item for every watched run: the run itself when there is one, an aggregate when
 * there are several, and the last result until it is clicked or a new run starts. Hidden otherwise.
 */
import * as vscode from 'vscode';
import { RunMonitor } from './monitor/runMonitor';
import { FinishedRun, WatchedRun, isBadOutcome, runDuration, runId, runName, stateLabel } from './monitor/runs';
import { inertMarkdown } from './ui/tooltip';
import { formatDuration } from './util/format';
import { markdownText, statusBarText } from './util/untrusted';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pyramid.runs', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  /** The finished run whose result was already seen (clicked), so it is no longer shown. */
  private acknowledged: string | undefined;
  private shown = false;

  constructor(private readonly monitor: RunMonitor) {
    this.item.name = 'Pyramid Runs';
    this.item.command = 'pyramid.showRuns';
    this.subscription = monitor.onDidChange(() => this.render());
    this.render();
  }

  /** What the item shows, or undefined while it is hidden. */
  get shownText(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  /** The user looked at the runs: stop showing the last result. */
  acknowledge(): void {
    const last = this.monitor.recent[0];
    this.acknowledged = last && runId(last);
    this.render();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render(): void {
    const watched = this.monitor.watched;
    const last = this.monitor.recent[0];
    this.item.backgroundColor = undefined;
    if (watched.length === 1) {
      const [run] = watched;
      this.item.text = `${run.state === 'watching' ? '$(sync~spin)' : '$(warning)'} ${statusBarText(runName(run))}: ${statusBarText(stateLabel(run))}`;
    } else if (watched.length > 1) {
      const waiting = watched.filter((run) => run.state !== 'watching').length;
      this.item.text = `$(sync~spin) Pyramid: ${watched.length - waiting} running${waiting ? `, ${waiting} paused` : ''}`;
    } else if (last && runId(last) !== this.acknowledged) {
      this.item.text = `${resultIcon(last)} ${statusBarText(runName(last))}: ${statusBarText(last.status.label)}`;
      this.item.backgroundColor = isBadOutcome(last.outcome) ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } else {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.item.tooltip = this.tooltip(watched);
    this.item.show();
    this.shown = true;
  }

  private tooltip(watched: readonly WatchedRun[]): vscode.MarkdownString {
    // No theme icons here: the tooltip holds server text (see inertMarkdown).
    const lines = ['**Pyramid runs**', ''];
    for (const run of watched) {
      lines.push(`- Running: ${markdownText(runName(run))}: ${markdownText(stateLabel(run))}, ${formatDuration(runDuration(run))} so far`);
    }
    for (const run of this.monitor.recent.slice(0, 5)) {
      const ended = isBadOutcome(run.outcome) ? 'Failed' : 'Ended';
      lines.push(`- ${ended}: ${markdownText(runName(run))}: ${markdownText(run.status.label)} in ${formatDuration(runDuration(run))}`);
    }
    lines.push('', 'Click for details, Stop Watching and Run Again.');
    return inertMarkdown(lines.join('\n'));
  }
}

/** The codicon for how a finished run ended. */
export function resultIcon(run: FinishedRun): string {
  return isBadOutcome(run.outcome) ? '$(error)' : '$(check)';
}
