/** What the monitor knows about a run, in a form that survives a window reload (plain JSON). */
import { EnumValue, TaskOutcome, TaskStatus } from '../api';

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
  /** When watching began (ms since epoch). */
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

/** How long a run has been watched, or took until it finished. */
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
