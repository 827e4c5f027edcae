/**
 * Writes the life of every watched run to the Pyramid output channel: one line per status change,
 * the duration at the end, and the task errors of a failure. Nothing here can hold a secret: lines
 * are built from schedule names, ids, statuses and server error texts that the client redacted.
 */
import * as vscode from 'vscode';
import { RunMonitor } from './monitor/runMonitor';
import { describeRun } from './monitor/runs';
import { isBadOutcome, runDurationText } from './present/look';
import { Log } from './ui/log';

export function logRuns(monitor: RunMonitor, log: Log): vscode.Disposable {
  const subscriptions = [
    monitor.onDidTransition(({ run, from, to }) => {
      log.info(`${describeRun(run)}: ${from ? from.label : 'Started'} → ${to.label}`);
    }),
    monitor.onDidFinish((run) => {
      const duration = runDurationText(run);
      const line = `${describeRun(run)}: ended ${run.status.label} after ${duration}`;
      if (isBadOutcome(run.outcome)) {
        log.error(line);
        for (const error of run.taskErrors ?? []) {
          log.error(`${describeRun(run)}:   ${error}`);
        }
      } else {
        log.info(line);
      }
    }),
    monitor.onDidStall((run) => {
      log.error(`${describeRun(run)}: stopped polling after repeated errors (${run.problem}). Use Retry in the status bar menu.`);
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}
