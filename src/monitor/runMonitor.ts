/**
 * Watches runs until they end. One scheduler owns the only timer: it wakes for the run that is due
 * first, polls every due run, and sets the next wake-up. With nothing to poll, no timer exists.
 *
 * Cadence per run: the first poll at once, then the base interval, growing by half each time the
 * status does not change, up to the maximum; back to the base on a change. While the window is not
 * focused every run polls at the maximum. Errors back off too and, after several in a row, stall the
 * run (kept, with Retry); an authentication error pauses every run of that server until sign-in.
 * Nothing a listener, the store or a bug throws ends polling: such errors are logged and the next
 * wake-up is planned regardless.
 */
import { EnumValue, PyramidClient, PyramidHttpError, TaskStatus, isSignInNeeded, taskOutcome, taskStatuses } from '../api';
import { Emitter } from '../util/events';
import { shortId } from '../util/format';
import { Run, RunRef, RunStore, SavedRuns, isBadOutcome, isFinalOutcome, savedRunIds, savedRunProblem } from './runs';

/** The part of the client the monitor uses. */
export type StatusApi = Pick<PyramidClient, 'getScheduleExecutionStatus' | 'getTasks'>;

export interface Clock {
  /** Milliseconds on a monotonic clock, for planning polls only. */
  now(): number;
  /** Milliseconds since the epoch on the wall clock, for the times a run shows and keeps. */
  wallNow(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Polls are planned on a monotonic clock: moving the wall clock back or forth (by hand, NTP, a
 * virtual machine) must neither stall nor rush them. Run times stay on the wall clock, which, unlike
 * a monotonic one, goes on while the machine sleeps.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export interface MonitorOptions {
  clock: Clock;
  intervals: () => { baseIntervalMs: number; maxIntervalMs: number };
  isFocused: () => boolean;
  /** A client holding the token of that server, or undefined when signed out there. */
  clientFor: (serverUrl: string) => Promise<StatusApi | undefined>;
  store: RunStore;
  log: Logger;
}

export interface Transition {
  run: Run;
  from: EnumValue<TaskStatus> | undefined;
  to: EnumValue<TaskStatus>;
}

/** How many failed polls in a row stall a run. */
export const MAX_CONSECUTIVE_ERRORS = 4;
/** How many more polls a FINISHED_RENDERING run gets before it counts as finished. */
export const RENDERING_GRACE_POLLS = 2;
/** How many finished runs are kept for the status bar. */
export const RECENT_LIMIT = 20;
/** When planning the next poll failed unexpectedly: try again after this long rather than never. */
const REPLAN_AFTER_ERROR_MS = 60_000;

/** Per-run polling bookkeeping that is not worth persisting. */
interface Cadence {
  intervalMs: number;
  lastPollAt?: number;
  errors: number;
  renderingPolls: number;
  inFlight: boolean;
}

export class RunMonitor {
  private readonly watchedRuns = new Map<string, Run>();
  private readonly cadence = new Map<string, Cadence>();
  private recentRuns: Run[] = [];
  private timer: unknown;
  private timerDueAt = Infinity;
  /** Origins whose token was refused: their runs wait for a new sign-in. */
  private readonly authPausedOrigins = new Set<string>();

  // A listener that throws is logged: it must neither skip the other listeners nor break polling.
  private readonly onListenerError = (error: unknown) => this.unexpected('an event listener', error);
  private readonly transitionEmitter = new Emitter<Transition>(this.onListenerError);
  private readonly finishEmitter = new Emitter<Run>(this.onListenerError);
  private readonly changeEmitter = new Emitter<void>(this.onListenerError);
  private readonly stallEmitter = new Emitter<Run>(this.onListenerError);
  private readonly authEmitter = new Emitter<string>(this.onListenerError);
  private readonly loseEmitter = new Emitter<Run>(this.onListenerError);

  /** A status change of a watched run (including the first status seen). */
  readonly onDidTransition = this.transitionEmitter.event;
  /** A run reached its final status; fired once per run. */
  readonly onDidFinish = this.finishEmitter.event;
  /** Anything the status bar shows changed. */
  readonly onDidChange = this.changeEmitter.event;
  /** A run stopped being polled after repeated errors (it stays listed, with Retry). */
  readonly onDidStall = this.stallEmitter.event;
  /** The server of this origin asked for a new sign-in; fired once until `resumeOrigin`. */
  readonly onDidRequireSignIn = this.authEmitter.event;
  /** The server no longer knows a run (it restarted, or the run was purged): it is no longer watched. */
  readonly onDidLose = this.loseEmitter.event;

  constructor(private readonly options: MonitorOptions) {}

  get watched(): readonly Run[] {
    return [...this.watchedRuns.values()];
  }

  get recent(): readonly Run[] {
    return this.recentRuns;
  }

  /** The active run of a schedule, if one is watched. */
  activeRunOf(scheduleId: string): Run | undefined {
    return this.watched.find((run) => run.scheduleId === scheduleId);
  }

  /** True while a timer is set: for tests and the idle benchmark. */
  get hasTimer(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Reads the saved runs; polling of the watched ones starts on the next tick, never inside this call.
   * Runs that cannot be polled safely (no http(s) URL, no ids, another shape) are dropped and logged.
   */
  restore(): void {
    const saved = this.options.store.load();
    if (!saved || saved.version !== 1) {
      return;
    }
    this.recentRuns = this.validRuns(saved.recent, 'finished').slice(0, RECENT_LIMIT);
    for (const run of this.validRuns(saved.watched, 'watched')) {
      this.watchedRuns.set(run.executionId, { ...run, state: 'watching', problem: undefined });
      this.cadence.set(run.executionId, this.freshCadence());
    }
    if (this.watchedRuns.size) {
      this.options.log.info(`Resuming ${this.watchedRuns.size} watched run(s) from the last session.`);
      this.reschedule();
    }
    this.changeEmitter.fire(); // the status bar shows the restored runs before their status changes
  }

  /** Starts watching a run that was just started; the first poll happens at once. */
  watch(ref: RunRef): Run {
    const existing = this.watchedRuns.get(ref.executionId);
    if (existing) {
      return existing;
    }
    const run: Run = { ...ref, status: taskStatuses.parse(undefined), state: 'watching', startedAt: this.options.clock.wallNow() };
    this.watchedRuns.set(run.executionId, run);
    this.cadence.set(run.executionId, this.freshCadence());
    this.changed();
    void this.pollDue();
    return run;
  }

  stopWatching(executionId: string): void {
    const run = this.watchedRuns.get(executionId);
    if (!run) {
      return;
    }
    this.watchedRuns.delete(executionId);
    this.cadence.delete(executionId);
    this.options.log.info(`${describeRun(run)}: stopped watching (last status: ${run.status.label}).`);
    this.changed();
    this.reschedule();
  }

  /** Polls a stalled run again (and every other stalled run of its server). */
  retry(executionId: string): void {
    const run = this.watchedRuns.get(executionId);
    if (run?.state === 'stalled') {
      this.resumeRuns((candidate) => candidate.state === 'stalled' && candidate.serverUrl === run.serverUrl);
    }
  }

  /** After a new sign-in to this origin (tokens belong to origins): polls the runs paused for it. */
  resumeOrigin(origin: string): void {
    this.authPausedOrigins.delete(origin);
    this.resumeRuns((run) => originOf(run) === origin && run.state === 'paused');
  }

  /** Focus changes the cadence: re-plan the next wake-up. */
  focusChanged(): void {
    this.reschedule();
  }

  /** Forgets the finished runs shown by the status bar. */
  clearRecent(): void {
    this.recentRuns = [];
    this.changed();
  }

  dispose(): void {
    this.clearTimer();
    for (const emitter of [this.transitionEmitter, this.finishEmitter, this.changeEmitter, this.stallEmitter, this.authEmitter, this.loseEmitter]) {
      emitter.dispose();
    }
  }

  /** The runs of a stored list that are safe to keep; one log line per run dropped, naming only its ids. */
  private validRuns(stored: unknown, kind: 'watched' | 'finished'): Run[] {
    if (stored === undefined) {
      return [];
    }
    if (!Array.isArray(stored)) {
      this.options.log.warn(`Dropped the saved ${kind} runs: not a list.`);
      return [];
    }
    return stored.filter((value: unknown): value is Run => {
      const problem = savedRunProblem(value);
      if (problem) {
        this.options.log.warn(`Dropped a saved ${kind} run (${savedRunIds(value)}): ${problem}.`);
      }
      return problem === undefined;
    });
  }

  private freshCadence(): Cadence {
    return { intervalMs: this.options.intervals().baseIntervalMs, errors: 0, renderingPolls: 0, inFlight: false };
  }

  private resumeRuns(filter: (run: Run) => boolean): void {
    for (const run of this.watchedRuns.values()) {
      if (filter(run)) {
        run.state = 'watching';
        run.problem = undefined;
        const cadence = this.cadence.get(run.executionId)!;
        cadence.errors = 0;
        cadence.intervalMs = this.options.intervals().baseIntervalMs;
        cadence.lastPollAt = undefined;
      }
    }
    this.changed();
    void this.pollDue();
  }

  /**
   * When a run is next due: `now` if never polled, else after its (focus-adjusted) interval. The caller
   * reads the clock once: a second, later reading (sub-millisecond on the monotonic clock) would put a
   * never-polled run just after `now`, never due.
   */
  private dueAt(cadence: Cadence, now: number): number {
    if (cadence.lastPollAt === undefined) {
      return now;
    }
    const { maxIntervalMs } = this.options.intervals();
    const interval = this.options.isFocused() ? cadence.intervalMs : Math.max(cadence.intervalMs, maxIntervalMs);
    return cadence.lastPollAt + interval;
  }

  private pollable(): Run[] {
    return this.watched.filter((run) => run.state === 'watching' && !this.cadence.get(run.executionId)!.inFlight);
  }

  /** Never rejects, and always ends by planning the next wake-up: an exception must not end polling. */
  private async pollDue(): Promise<void> {
    this.clearTimer();
    try {
      const now = this.options.clock.now();
      const due = this.pollable().filter((run) => this.dueAt(this.cadence.get(run.executionId)!, now) <= now);
      // allSettled: one poll failing unexpectedly must not cut the wait for the others short.
      for (const result of await Promise.allSettled(due.map((run) => this.poll(run)))) {
        if (result.status === 'rejected') {
          this.unexpected('a status poll', result.reason);
        }
      }
    } catch (error) {
      this.unexpected('choosing the runs to poll', error);
    }
    this.reschedule();
  }

  private reschedule(): void {
    const now = this.options.clock.now();
    let next: number;
    try {
      next = Math.min(...this.pollable().map((run) => this.dueAt(this.cadence.get(run.executionId)!, now)));
    } catch (error) {
      this.unexpected('planning the next poll', error);
      next = now + REPLAN_AFTER_ERROR_MS;
    }
    if (next === this.timerDueAt && this.timer !== undefined) {
      return;
    }
    this.clearTimer();
    if (Number.isFinite(next)) {
      this.timerDueAt = next;
      this.timer = this.options.clock.setTimeout(() => {
        this.timer = undefined;
        this.timerDueAt = Infinity;
        void this.pollDue();
      }, Math.max(0, next - now));
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDueAt = Infinity;
    }
  }

  private async poll(run: Run): Promise<void> {
    const cadence = this.cadence.get(run.executionId)!;
    cadence.inFlight = true;
    try {
      const client = await this.options.clientFor(run.serverUrl);
      if (!client) {
        this.pauseForSignIn(originOf(run), 'Signed out of this server.');
        return;
      }
      const status = await client.getScheduleExecutionStatus(run.executionId);
      if (!this.watchedRuns.has(run.executionId)) {
        return; // Stopped watching while the poll was under way.
      }
      cadence.errors = 0;
      await this.apply(run, cadence, status, client);
    } catch (error) {
      if (this.watchedRuns.has(run.executionId)) {
        this.failed(run, cadence, error);
      }
    } finally {
      cadence.inFlight = false;
      cadence.lastPollAt = this.options.clock.now();
    }
  }

  private async apply(run: Run, cadence: Cadence, status: EnumValue<TaskStatus>, client: StatusApi): Promise<void> {
    const { baseIntervalMs, maxIntervalMs } = this.options.intervals();
    const previous = run.status.label === 'Unknown' && run.status.raw === undefined ? undefined : run.status;
    const changed = previous?.label !== status.label;
    run.status = status;
    if (changed) {
      cadence.intervalMs = baseIntervalMs;
      this.transitionEmitter.fire({ run, from: previous, to: status });
    } else {
      cadence.intervalMs = Math.min(maxIntervalMs, Math.round(cadence.intervalMs * 1.5));
    }

    let outcome = taskOutcome(status);
    if (outcome === 'rendering') {
      cadence.renderingPolls++;
      outcome = cadence.renderingPolls > RENDERING_GRACE_POLLS ? 'succeeded' : 'active';
    } else {
      cadence.renderingPolls = 0;
    }
    if (isFinalOutcome(outcome)) {
      await this.finish(run, outcome, client);
    } else if (changed) {
      this.changed();
    }
  }

  private async finish(run: Run, outcome: Run['outcome'] & string, client: StatusApi): Promise<void> {
    this.watchedRuns.delete(run.executionId);
    this.cadence.delete(run.executionId);
    run.state = 'finished';
    run.outcome = outcome;
    run.finishedAt = this.options.clock.wallNow();
    if (isBadOutcome(outcome)) {
      run.taskErrors = await this.taskErrors(run, client);
    }
    this.recentRuns = [run, ...this.recentRuns.filter((r) => r.executionId !== run.executionId)].slice(0, RECENT_LIMIT);
    this.finishEmitter.fire(run);
    this.changed();
  }

  private async taskErrors(run: Run, client: StatusApi): Promise<string[]> {
    try {
      const tasks = await client.getTasks(run.executionId);
      return tasks
        .filter((task) => isBadOutcome(taskOutcome(task.status)))
        .map((task) => task.error ?? task.formattedSummary ?? task.summary ?? `${task.description ?? 'A task'} ended with ${task.status.label}`);
    } catch (error) {
      this.options.log.warn(`${describeRun(run)}: could not read the task errors: ${errorText(error)}`);
      return [];
    }
  }

  private failed(run: Run, cadence: Cadence, error: unknown): void {
    const message = (error as Error | undefined)?.message ?? String(error);
    if (isSignInNeeded(error)) {
      this.pauseForSignIn(originOf(run), message);
      return;
    }
    if (isUnknownRun(error)) {
      this.watchedRuns.delete(run.executionId);
      this.cadence.delete(run.executionId);
      run.problem = message;
      this.options.log.warn(`${describeRun(run)}: the server no longer knows this run (${message}); stopped watching.`);
      this.loseEmitter.fire(run);
      this.changed();
      return;
    }
    cadence.errors++;
    const { baseIntervalMs, maxIntervalMs } = this.options.intervals();
    cadence.intervalMs = Math.min(maxIntervalMs, baseIntervalMs * 2 ** cadence.errors);
    this.options.log.warn(`${describeRun(run)}: status poll failed (${cadence.errors} in a row): ${message}`);
    if (cadence.errors >= MAX_CONSECUTIVE_ERRORS) {
      run.state = 'stalled';
      run.problem = message;
      this.options.log.error(`${describeRun(run)}: stopped polling after ${cadence.errors} failed polls in a row.`);
      this.stallEmitter.fire(run);
      this.changed();
    }
  }

  private pauseForSignIn(origin: string, message: string): void {
    for (const run of this.watchedRuns.values()) {
      if (originOf(run) === origin && run.state === 'watching') {
        run.state = 'paused';
        run.problem = message;
      }
    }
    this.changed();
    if (!this.authPausedOrigins.has(origin)) {
      this.authPausedOrigins.add(origin);
      this.options.log.warn(`Polling paused for ${origin}: ${message}`);
      this.authEmitter.fire(origin);
    }
  }

  private changed(): void {
    const saved: SavedRuns = { version: 1, watched: [...this.watchedRuns.values()], recent: this.recentRuns };
    const reportSaveError = (error: unknown) => this.options.log.error(`Could not save the watched runs: ${errorText(error)}`);
    try {
      void Promise.resolve(this.options.store.save(saved)).then(undefined, reportSaveError);
    } catch (error) {
      reportSaveError(error); // A store that throws at once must not stop the event below or the caller.
    }
    this.changeEmitter.fire();
  }

  /** A bug, not a server answer: logged with its stack, so polling goes on and the cause is findable. */
  private unexpected(where: string, error: unknown): void {
    this.options.log.error(`Unexpected error in ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

/** Never throws: a URL that does not parse is its own origin, so one bad run cannot break the loops over all runs. */
function originOf(run: RunRef): string {
  try {
    return new URL(run.serverUrl).origin;
  } catch {
    return String(run.serverUrl);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A status poll refused because the execution id is unknown: 404, or a 400 saying so. */
function isUnknownRun(error: unknown): boolean {
  return (
    error instanceof PyramidHttpError &&
    (error.status === 404 || (error.status === 400 && /not found|unknown|does not exist|no such/i.test(error.serverText)))
  );
}

/** `Nightly Sales Load (a1b2c3d4)`: how the log names a run. */
export function describeRun(run: RunRef): string {
  return `${run.scheduleName} (${shortId(run.executionId)})`;
}
