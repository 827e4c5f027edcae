/**
 * How a run, a task, a run of the history and a schedule look, for every surface: the tree, the status
 * bar, notifications, the log and quick picks take their labels, codicons, colours, durations and
 * error texts from here, so they never disagree. No `vscode` import: a look is a codicon id and a
 * theme colour id, which each surface turns into its own form.
 */
import { Execution, Schedule, ScheduleStatus, Task, TaskOutcome, taskOutcome } from '../api';
import { FinishedRun, Run, WatchedRun, isBadOutcome, runDuration, taskErrorText } from '../monitor/runs';
import { formatDuration } from '../util/format';

export { isBadOutcome, runName, stateLabel, statusLabel } from '../monitor/runs';

/** A codicon and, where the state deserves one, a theme colour. */
export interface Look {
  icon: string;
  color?: string;
}

const ACTIVE: Look = { icon: 'sync~spin', color: 'charts.blue' };
const WAITING: Look = { icon: 'warning', color: 'charts.yellow' };

export function outcomeLook(outcome: TaskOutcome): Look {
  switch (outcome) {
    case 'active':
    case 'rendering':
      return ACTIVE;
    case 'succeeded':
      return { icon: 'pass', color: 'testing.iconPassed' };
    case 'partial':
      return { icon: 'warning', color: 'charts.orange' };
    case 'failed':
      return { icon: 'error', color: 'testing.iconFailed' };
    case 'canceled':
      return { icon: 'circle-slash' };
    case 'skipped':
      return { icon: 'debug-step-over' };
    default:
      return { icon: 'question' };
  }
}

/** How a run of the history ended, in words; '' while unknown. */
export function outcomeLabel(outcome: TaskOutcome): string {
  switch (outcome) {
    case 'active':
    case 'rendering':
      return 'Running';
    case 'succeeded':
      return 'Finished';
    case 'partial':
      return 'Finished with errors';
    case 'failed':
      return 'Failed';
    case 'canceled':
      return 'Canceled';
    case 'skipped':
      return 'Stopped by trigger';
    default:
      return '';
  }
}

/** A followed run: spinning while checked, a warning while paused or not responding, then how it ended. */
export function runLook(run: Run): Look {
  if (run.state === 'finished') {
    return outcomeLook(run.outcome);
  }
  return run.state === 'watching' ? ACTIVE : WAITING;
}

/** The status bar's codicon for how a run ended (the status bar writes icons as `$(name)`). */
export function resultCodicon(run: FinishedRun): string {
  return isBadOutcome(run.outcome) ? '$(error)' : '$(check)';
}

/** A watched run wins; then how this session's last run ended; then the schedule's own state. */
export function scheduleLook(schedule: Schedule, watched: WatchedRun | undefined, lastRun: Run | undefined): Look {
  if (watched) {
    return runLook(watched);
  }
  const ended = lastRun?.state === 'finished' ? lastRun.outcome : undefined;
  if (ended && ended !== 'succeeded') {
    return outcomeLook(ended);
  }
  switch (schedule.status.code) {
    case ScheduleStatus.Idle:
      return lastRun ? outcomeLook('succeeded') : { icon: 'calendar' };
    case ScheduleStatus.Hold:
      return { icon: 'debug-pause', color: 'charts.yellow' };
    case ScheduleStatus.Stopped:
      return { icon: 'debug-stop', color: 'charts.yellow' };
    case ScheduleStatus.DisabledAfterFailures:
      return { icon: 'circle-slash', color: 'errorForeground' };
    case ScheduleStatus.Finished:
      return { icon: 'check' };
    default:
      return { icon: 'circle-outline' };
  }
}

/** What a run of the history amounts to, from its task counts. */
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

/** How long a run of the history took, when the server gave both ends. */
export function executionDurationText(execution: Execution): string | undefined {
  const { startDate, endDate } = execution;
  return startDate && endDate ? formatDuration(endDate.getTime() - startDate.getTime()) : undefined;
}

/** How long a followed run has taken so far, or took. */
export function runDurationText(run: Run): string {
  return formatDuration(runDuration(run));
}

/** What went wrong with a task that ended badly; undefined for one that did not. */
export function taskProblem(task: Task): string | undefined {
  return isBadOutcome(taskOutcome(task.status)) ? taskErrorText(task) : undefined;
}

/** A run of the history that is over (anything but running), so its outcome can be judged. */
export function hasEnded(execution: Execution): boolean {
  const outcome = executionOutcome(execution);
  // A run listed before its tasks exist counts no task at all: it is over only once it has an end.
  return outcome !== 'active' && outcome !== 'rendering' && (outcome !== 'unknown' || execution.endDate !== undefined);
}

/** The newest run of a history (newest first) that is over: what a pin's failing state is judged by. */
export function latestEnded(executions: readonly Execution[]): Execution | undefined {
  return executions.find(hasEnded);
}

const DAY_MS = 24 * 3_600_000;

/** `just now`, `3h 5m ago`, `4 days ago`: how long before `now` a moment was. */
export function agoText(date: Date, now: number): string {
  const ms = now - date.getTime();
  if (ms < 60_000) {
    return 'just now';
  }
  return ms < 2 * DAY_MS ? `${formatDuration(ms).replace(/ \d+s$/, '')} ago` : `${Math.floor(ms / DAY_MS)} days ago`;
}

/**
 * A pinned schedule's row: its latest run in a few words ("failed 3h ago", "finished 07:02 · 4m 12s",
 * "running for 2m") and its outcome's look.
 */
export function latestRunSummary(executions: readonly Execution[], now: number): { text: string; look: Look } {
  const latest = executions[0];
  if (!latest) {
    return { text: 'no runs yet', look: { icon: 'circle-outline' } };
  }
  const outcome = executionOutcome(latest);
  const look = outcomeLook(outcome);
  const start = latest.startDate;
  if (!hasEnded(latest)) {
    return { text: start ? `running for ${formatDuration(now - start.getTime()).replace(/ \d+s$/, '')}` : 'running', look };
  }
  const end = latest.endDate ?? start;
  const when = end ? (now - end.getTime() < 20 * 3_600_000 ? clockTime(end) : agoText(end, now)) : undefined;
  if (isBadOutcome(outcome)) {
    return { text: [outcomeLabel(outcome).toLowerCase(), end && agoText(end, now)].filter(Boolean).join(' '), look };
  }
  const words = outcomeLabel(outcome).toLowerCase() || 'ended';
  return { text: [[words, when].filter(Boolean).join(' '), executionDurationText(latest)].filter(Boolean).join(' · '), look };
}

/** `07:02`: a local time of day. */
function clockTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
