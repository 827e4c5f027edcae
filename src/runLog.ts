/**
 * The life of every watched run as lines: one per status change, the duration at the end, the task
 * errors of a failure. The Pyramid output channel gets them for every run, and a tasks.json task's
 * terminal the same lines for its own run. Nothing here can hold a secret: lines are built from
 * schedule names, ids, statuses and server error texts that the client redacted.
 */
import * as vscode from 'vscode';
import { Estimate } from './monitor/estimates';
import { RunMonitor, Transition } from './monitor/runMonitor';
import { ExecutionRef, FinishedRun, WatchedRun, describeRun } from './monitor/runs';
import { isBadOutcome, runDurationText } from './present/look';
import { Log } from './ui/log';

export interface RunLine {
  level: 'info' | 'warn' | 'error';
  text: string;
}

export const runLines = {
  started: (run: Omit<ExecutionRef, 'kind'>, how: string): RunLine => ({ level: 'info', text: `${describeRun({ ...run, kind: 'execution' })}: run started${how}.` }),
  transition: ({ run, from, to }: Transition): RunLine => ({ level: 'info', text: `${describeRun(run)}: ${from ? from.label : 'Started'} → ${to.label}` }),
  finished(run: FinishedRun): RunLine[] {
    const text = `${describeRun(run)}: ended ${run.status.label} after ${runDurationText(run)}`;
    if (!isBadOutcome(run.outcome)) {
      return [{ level: 'info', text }];
    }
    return [{ level: 'error', text }, ...(run.taskErrors ?? []).map((error): RunLine => ({ level: 'error', text: `${describeRun(run)}:   ${error}` }))];
  },
  overstayed: (run: WatchedRun, estimate: Estimate | undefined): RunLine => ({
    level: 'info',
    text: `${describeRun(run)}: longer than usual${estimate ? ` (usually ${Math.round(estimate.typicalMs / 1000)} s)` : ''}.`,
  }),
  stalled: (run: WatchedRun): RunLine => ({ level: 'error', text: `${describeRun(run)}: stopped polling after repeated errors (${run.problem}). Use Retry in the status bar menu.` }),
};

export function writeLine(log: Log, line: RunLine): void {
  log[line.level](line.text);
}

export function logRuns(monitor: RunMonitor, log: Log): vscode.Disposable {
  const subscriptions = [
    monitor.onDidTransition((transition) => writeLine(log, runLines.transition(transition))),
    monitor.onDidFinish((run) => runLines.finished(run).forEach((line) => writeLine(log, line))),
    monitor.onDidOverstay((run) => writeLine(log, runLines.overstayed(run, monitor.estimateOf(run)))),
    monitor.onDidStall((run) => writeLine(log, runLines.stalled(run))),
  ];
  return vscode.Disposable.from(...subscriptions);
}
