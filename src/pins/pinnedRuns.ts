/**
 * What the checks of pinned schedules mean: each pin's latest runs (for its tree row and the view's
 * badge), and the runs that are new to this machine, judged against its seen mark:
 * - a new run that failed or finished with errors is announced (`pyramid.pinnedRuns` failures or all);
 * - with `all`, a new run still going is followed by the run monitor, like the user's own;
 * - each is first claimed (claims.ts), so of several windows exactly one announces or follows it;
 * - runs this window's monitor already follows (the user's own) are left to it.
 * The mark then moves past the newest run, remembering the recent ones still going: they are looked
 * at again until they end. No `vscode` import.
 */
import { Execution } from '../api';
import type { PinnedRuns as PinnedRunsMode } from '../configDefaults';
import { ExecutionRef } from '../monitor/runs';
import { executionOutcome, hasEnded, isBadOutcome, latestEnded } from '../present/look';
import { Emitter, Event } from '../util/events';
import { CheckRound } from './pinChecker';
import { Pin, PinStore, SeenMark } from './pinStore';

/** How many of a pin's latest runs are kept for its row and tooltip. */
export const KEPT_RUNS = 5;

/** What the last check of a pin found. */
export interface PinLatest {
  /** The latest runs, newest first (up to KEPT_RUNS). */
  executions: Execution[];
  /** Wall-clock time of the last answer. */
  checkedAt: number;
  /** Why the last check failed; the runs are those of the check before. */
  error?: string;
}

/** A new run of a pinned schedule that ended badly, claimed by this window to announce. */
export interface PinnedFailure {
  origin: string;
  pin: Pin;
  execution: Execution;
  /** It ended before this session started: it happened while VS Code was closed. */
  whileClosed: boolean;
}

export interface PinnedRunsOptions {
  pins: PinStore;
  claim: (origin: string, executionId: string) => Promise<boolean>;
  mode: () => PinnedRunsMode;
  /** Whether this window's monitor follows or followed the run (the user's own runs). */
  isFollowed: (executionId: string) => boolean;
  /** Follows a run the server started, from its real start time. */
  follow: (run: ExecutionRef, startedAt: number) => void;
  /** The server URL of an origin, for the runs it follows. */
  serverUrl: (origin: string) => string | undefined;
  /** When this session started (wall clock). */
  sessionStart: number;
  log: { info(message: string): void };
}

export class PinnedRuns {
  private readonly latestByKey = new Map<string, PinLatest>();
  private readonly changeEmitter = new Emitter<{ origin: string; scheduleIds: string[] }>();
  private readonly failureEmitter = new Emitter<PinnedFailure[]>();
  /** Pins whose rows (and the badge) need re-rendering. */
  readonly onDidChange: Event<{ origin: string; scheduleIds: string[] }> = this.changeEmitter.event;
  /** New failures of a round, claimed by this window: one event per round. */
  readonly onDidFindFailures: Event<PinnedFailure[]> = this.failureEmitter.event;

  constructor(private readonly options: PinnedRunsOptions) {}

  latest(origin: string, scheduleId: string): PinLatest | undefined {
    return this.latestByKey.get(key(origin, scheduleId));
  }

  /** The pins of this origin whose latest run that is over failed or finished with errors. */
  failing(origin: string): Pin[] {
    return this.options.pins.pinsOf(origin).filter((pin) => {
      const ended = latestEnded(this.latest(origin, pin.scheduleId)?.executions ?? []);
      return ended !== undefined && isBadOutcome(executionOutcome(ended));
    });
  }

  /** Unpinned: a pin made again starts from its next check, not from what this one found. */
  forget(origin: string, scheduleId: string): void {
    if (this.latestByKey.delete(key(origin, scheduleId))) {
      this.changeEmitter.fire({ origin, scheduleIds: [scheduleId] });
    }
  }

  /** Signed out or another server: nothing kept may stand for another user's answers. */
  clear(): void {
    this.latestByKey.clear();
  }

  async apply(round: CheckRound): Promise<void> {
    const { origin } = round;
    const failures: PinnedFailure[] = [];
    const changed: string[] = [];
    for (const check of round.checks) {
      const pin = this.options.pins.pinsOf(origin).find((candidate) => candidate.scheduleId === check.scheduleId);
      if (!pin) {
        continue; // Unpinned while the check was under way.
      }
      changed.push(pin.scheduleId);
      const before = this.latest(origin, pin.scheduleId);
      if (check.error !== undefined || !check.executions) {
        this.latestByKey.set(key(origin, pin.scheduleId), { executions: before?.executions ?? [], checkedAt: check.at, error: check.error });
        continue;
      }
      const executions = check.executions;
      this.latestByKey.set(key(origin, pin.scheduleId), { executions: executions.slice(0, KEPT_RUNS), checkedAt: check.at });
      failures.push(...(await this.takeNewRuns(origin, pin, executions, check.at)));
    }
    if (changed.length) {
      this.changeEmitter.fire({ origin, scheduleIds: changed });
    }
    if (failures.length) {
      this.failureEmitter.fire(failures);
    }
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.failureEmitter.dispose();
  }

  /** Deals with the runs newer than the pin's mark, and moves the mark. Returns the failures to announce. */
  private async takeNewRuns(origin: string, pin: Pin, executions: Execution[], now: number): Promise<PinnedFailure[]> {
    const { pins, mode, claim, isFollowed, log } = this.options;
    const mark = pins.markOf(origin, pin.scheduleId);
    if (!mark) {
      // Pinned on another machine: this one starts from now, without announcing the past.
      await pins.setMark(origin, pin.scheduleId, firstMark(executions, now));
      return [];
    }
    const failures: PinnedFailure[] = [];
    const wanted = mode();
    for (const execution of newerRuns(mark, executions)) {
      if (wanted === 'none' || isFollowed(execution.id)) {
        continue;
      }
      const ended = hasEnded(execution);
      const bad = ended && isBadOutcome(executionOutcome(execution));
      if (ended ? !bad : wanted !== 'all') {
        continue;
      }
      if (!(await claim(origin, execution.id))) {
        continue; // Another window (or the one that started it) has it.
      }
      if (ended) {
        const endedAt = (execution.endDate ?? execution.startDate)?.getTime() ?? now;
        failures.push({ origin, pin, execution, whileClosed: endedAt < this.options.sessionStart });
      } else {
        this.startFollowing(origin, pin, execution);
      }
    }
    await pins.setMark(origin, pin.scheduleId, nextMark(mark, executions, now));
    if (failures.length) {
      log.info(`Pinned "${pin.name}": ${failures.length} new run(s) ended badly.`);
    }
    return failures;
  }

  private startFollowing(origin: string, pin: Pin, execution: Execution): void {
    const serverUrl = this.options.serverUrl(origin);
    if (serverUrl === undefined) {
      return;
    }
    this.options.log.info(`Pinned "${pin.name}": following the run the server started at ${execution.startDate?.toISOString() ?? 'an unknown time'}.`);
    this.options.follow({ kind: 'execution', executionId: execution.id, scheduleId: pin.scheduleId, scheduleName: pin.name, serverUrl }, startOf(execution) ?? this.options.sessionStart);
  }
}

function key(origin: string, scheduleId: string): string {
  return `${origin}\n${scheduleId}`;
}

/** A run still going is looked at again by later checks for this long; one going for longer is taken as stuck. */
export const PENDING_MAX_AGE_MS = 2 * 24 * 3_600_000;
/** At most this many runs still going are remembered per pin. */
export const MAX_PENDING = 20;

function startOf(execution: Execution): number | undefined {
  return execution.startDate?.getTime();
}

/** Runs in the order they started; runs started at the same moment by id, so the mark can be past one and not the other. */
function byStart(a: Execution, b: Execution): number {
  return (startOf(a) ?? 0) - (startOf(b) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function isAfter(execution: Execution, mark: SeenMark): boolean {
  const start = startOf(execution);
  return start !== undefined && (start > mark.startedAt || (start === mark.startedAt && mark.executionId !== undefined && execution.id > mark.executionId));
}

/**
 * The runs a check deals with, oldest first: those started after the mark, and those still going at
 * the last check. Runs without a start time cannot be placed and are left out.
 */
export function newerRuns(mark: SeenMark, executions: readonly Execution[]): Execution[] {
  const pending = new Set(mark.pending);
  return executions
    .filter((execution) => pending.has(execution.id) || isAfter(execution, mark))
    .sort(byStart);
}

/** The mark after a check: past the newest run, remembering the recent runs still going (they may yet fail). */
export function nextMark(mark: SeenMark, executions: readonly Execution[], now: number): SeenMark {
  const considered = newerRuns(mark, executions);
  const newest = considered.filter((execution) => isAfter(execution, mark)).at(-1);
  const pending = considered
    .filter((execution) => !hasEnded(execution) && now - (startOf(execution) ?? 0) < PENDING_MAX_AGE_MS)
    .slice(-MAX_PENDING)
    .map((execution) => execution.id);
  return {
    startedAt: newest ? (startOf(newest) ?? mark.startedAt) : mark.startedAt,
    executionId: newest ? newest.id : mark.executionId,
    ...(pending.length && { pending }),
  };
}

/** The mark of a newly pinned schedule: none of its runs that are over is new. */
export function firstMark(executions: readonly Execution[], now: number): SeenMark {
  return nextMark({ startedAt: 0 }, executions, now);
}
