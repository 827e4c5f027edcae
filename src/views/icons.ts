/** Codicons and theme colours for statuses, so every view shows the same state the same way. */
import * as vscode from 'vscode';
import { Execution, Schedule, ScheduleStatus, TaskOutcome } from '../api';
import { Run, WatchedRun } from '../monitor/runs';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export function outcomeIcon(outcome: TaskOutcome): vscode.ThemeIcon {
  switch (outcome) {
    case 'active':
    case 'rendering':
      return icon('sync~spin', 'charts.blue');
    case 'succeeded':
      return icon('pass', 'testing.iconPassed');
    case 'partial':
      return icon('warning', 'charts.orange');
    case 'failed':
      return icon('error', 'testing.iconFailed');
    case 'canceled':
      return icon('circle-slash');
    case 'skipped':
      return icon('debug-step-over');
    default:
      return icon('question');
  }
}

/** A watched run wins; then how this session's last run ended; then the schedule's own state. */
export function scheduleIcon(schedule: Schedule, watched: WatchedRun | undefined, lastRun: Run | undefined): vscode.ThemeIcon {
  if (watched) {
    return watched.state === 'watching' ? outcomeIcon('active') : icon('warning', 'charts.yellow');
  }
  const ended = lastRun?.state === 'finished' ? lastRun.outcome : undefined;
  if (ended && ended !== 'succeeded') {
    return outcomeIcon(ended);
  }
  switch (schedule.status.code) {
    case ScheduleStatus.Idle:
      return lastRun ? outcomeIcon('succeeded') : icon('calendar');
    case ScheduleStatus.Hold:
      return icon('debug-pause', 'charts.yellow');
    case ScheduleStatus.Stopped:
      return icon('debug-stop', 'charts.yellow');
    case ScheduleStatus.DisabledAfterFailures:
      return icon('circle-slash', 'errorForeground');
    case ScheduleStatus.Finished:
      return icon('check');
    default:
      return icon('circle-outline');
  }
}

/** What an execution amounts to, from its task counts. */
export function executionOutcome(execution: Execution): TaskOutcome {
  const { counts } = execution;
  if (counts.running > 0 || counts.pending > 0) {
    return 'active';
  }
  if (counts.failed > 0 || execution.error) {
    return counts.success > 0 || counts.partialSuccess > 0 ? 'partial' : 'failed';
  }
  if (counts.partialSuccess > 0) {
    return 'partial';
  }
  if (counts.success > 0) {
    return 'succeeded';
  }
  if (counts.canceled > 0) {
    return 'canceled';
  }
  return counts.triggerStopped > 0 ? 'skipped' : 'unknown';
}
