/** What the monitor knows about a run, in a form that survives a window reload (plain JSON). */
import { EnumValue, Task, TaskOutcome, TaskStatus } from '../api';
import { shortId } from '../util/format';

interface RefFields {
  /** The execution; for a followed task, the execution it belongs to. */
  executionId: string;
  scheduleId: string;
  scheduleName: string;
  /** The server the run belongs to; only that server's token is ever sent to poll it. */
  serverUrl: string;
}

/** A whole run of a schedule, as Run starts it: polled with `getScheduleExecutionStatus`. */
export interface ExecutionRef extends RefFields {
  kind: 'execution';
}

/** One task of a run (a re-run task), polled with `getTaskData`; its error text comes with its status. */
export interface TaskRef extends RefFields {
  kind: 'task';
  taskId: string;
  taskName: string;
  /** Set while a re-run task may still read as its previous run; cleared once the task shows a new one. */
  rerun?: RerunMark;
}

/**
 * What a task looked like when reRunTask was sent. The answer names no execution (spec U19): the monitor
 * assumes the task runs again under its own id, so until the task reads differently from this, a final
 * status is the previous run's, not the re-run's end.
 */
export interface RerunMark {
  /** The previous run's status label, start and end (ms since epoch). */
  status: string;
  startedAt?: number;
  endedAt?: number;
  /** The schedule's runs when the re-run was sent: one not among them means the server ran the schedule instead. */
  knownExecutions: string[];
  /** Polls in a row that still read the previous run. */
  unchangedPolls: number;
}

/** The run as the user started it. */
export type RunRef = ExecutionRef | TaskRef;

/**
 * - watching: polled on its own cadence;
 * - paused: the server wants a new sign-in; polling resumes after it;
 * - stalled: several polls in a row failed; the user may retry;
 * - finished: a final status was seen (kept in the recent list).
 */
export type RunState = 'watching' | 'paused' | 'stalled' | 'finished';

/** The endings of a run: every TaskOutcome that stops polling. */
export type FinalOutcome = Extract<TaskOutcome, 'succeeded' | 'partial' | 'failed' | 'canceled' | 'skipped'>;

/** A run still being followed. */
export type WatchedRun = RunRef & {
  state: Exclude<RunState, 'finished'>;
  /** The last status the server gave; undefined until it first answers. */
  status?: EnumValue<TaskStatus>;
  /** When watching began (ms since epoch, wall clock). */
  startedAt: number;
  /** Why the run is stalled or paused, or why it was lost. */
  problem?: string;
};

/** A run that reached a final status: it always has that status, an outcome and an end. */
export type FinishedRun = RunRef & {
  state: 'finished';
  status: EnumValue<TaskStatus>;
  startedAt: number;
  finishedAt: number;
  outcome: FinalOutcome;
  /** Error texts of failed tasks, fetched when a run ends badly. */
  taskErrors?: string[];
};

export type Run = WatchedRun | FinishedRun;

/** The key the monitor knows a run by: its execution id, or for a followed task its task id. */
export function runId(run: RunRef): string {
  return run.kind === 'task' ? `task:${run.taskId}` : run.executionId;
}

/** `Nightly Sales Load`, or `Nightly Sales Load · Load CRM contacts` for one task: how every surface names a run. */
export function runName(run: RunRef): string {
  return run.kind === 'task' ? `${run.scheduleName} · ${run.taskName}` : run.scheduleName;
}

/** `Nightly Sales Load (a1b2c3d4)`: how the log names a run. */
export function describeRun(run: RunRef): string {
  return `${runName(run)} (${shortId(run.kind === 'task' ? run.taskId : run.executionId)})`;
}

/** The origin of the run's server. Never throws: a URL that does not parse is its own origin, so one bad run cannot break a loop over all runs. */
export function originOf(run: RunRef): string {
  try {
    return new URL(run.serverUrl).origin;
  } catch {
    return String(run.serverUrl);
  }
}

/** The status as every surface shows it: "Starting" until the server first answers. */
export function statusLabel(run: Run): string {
  return run.status?.label ?? 'Starting';
}

/** The status, or why the run is not being checked. */
export function stateLabel(run: Run): string {
  if (run.state === 'paused') {
    return 'Paused (sign in)';
  }
  if (run.state === 'stalled') {
    return 'Not responding';
  }
  return statusLabel(run);
}

/** How long a run has been watched, or took until it finished (wall-clock times, as stamped). */
export function runDuration(run: Run, now = Date.now()): number {
  return (run.state === 'finished' ? run.finishedAt : now) - run.startedAt;
}

/** A run that is over, or the label of how it ended. */
export function isFinalOutcome(outcome: TaskOutcome): outcome is FinalOutcome {
  return outcome === 'succeeded' || outcome === 'partial' || outcome === 'failed' || outcome === 'canceled' || outcome === 'skipped';
}

/** True for endings that deserve attention (failure notifications, the error colour). */
export function isBadOutcome(outcome: TaskOutcome | undefined): boolean {
  return outcome === 'failed' || outcome === 'partial';
}

/** What a task that ended badly says went wrong, with a fallback when the server says nothing. */
export function taskErrorText(task: Task): string {
  return task.error ?? task.formattedSummary ?? task.summary ?? `${task.description ?? 'A task'} ended with ${task.status.label}`;
}

/** The shape kept between sessions. Version 2: the status is absent until the first answer, and a run has a kind. */
export interface SavedRuns {
  version: 2;
  watched: WatchedRun[];
  recent: FinishedRun[];
}

/** Where runs are kept between sessions (workspace state in VS Code, a map in tests). */
export interface RunStore {
  /** Whatever was saved, by this version or an older one (see savedRuns.ts), or undefined. */
  load(): unknown;
  save(runs: SavedRuns): void | PromiseLike<void>;
}
