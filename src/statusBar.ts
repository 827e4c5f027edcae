/**
 * One status bar item for every watched run: the run itself when there is one, an aggregate when
 * there are several, and the last result until it is clicked or a new run starts. Hidden otherwise.
 */
import * as vscode from 'vscode';
import { RunMonitor } from './monitor/runMonitor';
import { estimateBasis, timeLeftMs } from './monitor/estimates';
import { WatchedRun, runId } from './monitor/runs';
import { isBadOutcome, resultCodicon, runDurationText, runLook, runName, stateLabel } from './present/look';
import { inertMarkdown } from './ui/tooltip';
import { markdownText, statusBarText } from './util/untrusted';

/** The one status bar item of the runs; its text is empty while it is hidden. */
export function createRunsItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('pyramid.runs', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Pyramid Runs';
  item.command = 'pyramid.showRuns';
  return item;
}

export class RunStatusBar implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  /** The finished run whose result was already seen (clicked), so it is no longer shown. */
  private acknowledged: string | undefined;

  constructor(
    private readonly monitor: RunMonitor,
    private readonly item: vscode.StatusBarItem,
  ) {
    this.subscription = monitor.onDidChange(() => this.render());
    this.render();
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
      this.item.text = `$(${runLook(run).icon}) ${statusBarText(runName(run))}: ${statusBarText(stateLabel(run))}${this.estimateSuffix(run)}`;
      if (this.monitor.estimateLabelOf(run) === 'longer than usual') {
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
    } else if (watched.length > 1) {
      const waiting = watched.filter((run) => run.state !== 'watching').length;
      const soonest = this.soonest(watched);
      this.item.text = `$(sync~spin) Pyramid: ${watched.length - waiting} running${waiting ? `, ${waiting} paused` : ''}${soonest ? this.estimateSuffix(soonest) : ''}`;
    } else if (last && runId(last) !== this.acknowledged) {
      this.item.text = `${resultCodicon(last)} ${statusBarText(runName(last))}: ${statusBarText(last.status.label)}`;
      this.item.backgroundColor = isBadOutcome(last.outcome) ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } else {
      this.item.hide();
      this.item.text = '';
      return;
    }
    this.item.tooltip = this.tooltip(watched);
    this.item.show();
  }

  /** ` · about 3 min left` for a running run whose schedule has an estimate; '' otherwise. */
  private estimateSuffix(run: WatchedRun): string {
    const label = run.state === 'watching' ? this.monitor.estimateLabelOf(run) : undefined;
    return label ? ` · ${label}` : '';
  }

  /** The watched run expected to end first, among those with an estimate. */
  private soonest(watched: readonly WatchedRun[]): WatchedRun | undefined {
    let best: { run: WatchedRun; left: number } | undefined;
    for (const run of watched) {
      const estimate = run.state === 'watching' ? this.monitor.estimateOf(run) : undefined;
      const left = estimate && timeLeftMs(estimate, Date.now() - run.startedAt);
      if (left !== undefined && (!best || left < best.left)) {
        best = { run, left };
      }
    }
    return best?.run;
  }

  private tooltip(watched: readonly WatchedRun[]): vscode.MarkdownString {
    // No theme icons here: the tooltip holds server text (see inertMarkdown).
    const lines = ['**Pyramid runs**', ''];
    for (const run of watched) {
      const estimate = this.monitor.estimateOf(run);
      const expected = estimate ? `${this.estimateSuffix(run).replace(' · ', ', ')}; ${estimateBasis(estimate)}` : '';
      lines.push(`- Running: ${markdownText(runName(run))}: ${markdownText(stateLabel(run))}, ${runDurationText(run)} so far${markdownText(expected)}`);
    }
    for (const run of this.monitor.recent.slice(0, 5)) {
      const ended = isBadOutcome(run.outcome) ? 'Failed' : 'Ended';
      lines.push(`- ${ended}: ${markdownText(runName(run))}: ${markdownText(run.status.label)} in ${runDurationText(run)}`);
    }
    lines.push('', 'Click for details, Stop Watching and Run Again.');
    return inertMarkdown(lines.join('\n'));
  }
}
