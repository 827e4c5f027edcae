/** What the monitor knows about a run, in a form that survives a window reload (plain JSON). */
import { EnumValue, TaskOutcome, TaskStatus } from '../api';
import { shortId } from '../util/format';

/** The run as the user started it. */
export interface RunRef {
  executionId: string;
  scheduleId: string;
  scheduleName: string;
  /** The server the run belongs to; only that server's token is ever sent to poll it. */
  serverUrl: string;
}

/**
 * - watching: polled on its own cadence;
 * - paused: the server wants a new sign-in; polling resumes after it;
 * - stalled: several polls in a row failed; the user may retry;
 * - finished: a final status was seen (kept in the recent list).
 */
export type RunState = 'watching' | 'paused' | 'stalled' | 'finished';

export interface Run extends RunRef {
  status: EnumValue<TaskStatus>;
  state: RunState;
  /** When watching began (ms since epoch, wall clock). */
  startedAt: number;
  finishedAt?: number;
  /** Set once finished. */
  outcome?: TaskOutcome;
  /** Error texts of failed tasks, fetched when a run ends badly. */
  taskErrors?: string[];
  /** Why the run is stalled or paused. */
  problem?: string;
}

export interface SavedRuns {
  version: 1;
  watched: Run[];
  recent: Run[];
}

/** Where runs are kept between sessions (workspace state in VS Code, a map in tests). */
export interface RunStore {
  load(): SavedRuns | undefined;
  save(runs: SavedRuns): void | PromiseLike<void>;
}

/** How long a run has been watched, or took until it finished (wall-clock times, as stamped). */
export function runDuration(run: Run, now = Date.now()): number {
  return (run.finishedAt ?? now) - run.startedAt;
}

/** A run that is over, or the label of how it ended. */
export function isFinalOutcome(outcome: TaskOutcome): boolean {
  return outcome === 'succeeded' || outcome === 'partial' || outcome === 'failed' || outcome === 'canceled' || outcome === 'skipped';
}

/** True for endings that deserve attention (failure notifications, the error colour). */
export function isBadOutcome(outcome: TaskOutcome | undefined): boolean {
  return outcome === 'failed' || outcome === 'partial';
}

/**
 * Why a run read back from storage cannot be kept, or undefined if it can. Storage outlives versions
 * and can be edited or corrupted; one bad run must not break polling of the others.
 */
export function savedRunProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a run';
  }
  const run = value as Partial<Record<keyof Run, unknown>>;
  if (!isId(run.executionId) || !isId(run.scheduleId)) {
    return 'no execution or schedule id';
  }
  if (!isHttpUrl(run.serverUrl)) {
    return 'no valid http(s) server URL';
  }
  const status = run.status as Partial<Record<keyof EnumValue<TaskStatus>, unknown>> | undefined;
  if (typeof run.scheduleName !== 'string' || typeof status !== 'object' || status === null || typeof status.label !== 'string' || !Number.isFinite(run.startedAt)) {
    return 'not in the expected shape';
  }
  return undefined;
}

/** The ids of a stored value that may not be a run, for a log line that must not echo anything else. */
export function savedRunIds(value: unknown): string {
  const run = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof Run, unknown>>;
  // Sanitised too: a corrupted id must not break the log line apart.
  const id = (candidate: unknown) => (isId(candidate) ? shortId(candidate).replace(/[^\w.-]/g, '?') : '?');
  return `execution ${id(run.executionId)}, schedule ${id(run.scheduleId)}`;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
