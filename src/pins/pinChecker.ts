/**
 * When the pinned schedules are checked, and the checks themselves: `tasks/getExecutions` per pin.
 *
 * - A sweep checks every pin: shortly after start, after a sign-in, and on Check Pinned Now. Its
 *   answers come out as one round, so what happened while VS Code was closed becomes one message.
 * - Between sweeps each pin is checked every interval, the pins spread evenly over it rather than in a
 *   burst; three times slower while the window is not focused; doubling the wait after each failed
 *   check (up to 8 times).
 * - Signed out, or refused with 401, nothing is checked until a sign-in. With no pins there is no timer.
 *
 * What an answer means (new runs, failures) is pinnedRuns.ts's business. No `vscode` import.
 */
import { Execution, isSignInNeeded } from '../api';
import type { Clock } from '../monitor/scheduler';
import { Emitter, Event } from '../util/events';

/** The pins of the configured server and how to read a schedule's runs there. */
export interface CheckTarget {
  origin: string;
  scheduleIds: readonly string[];
  /** The schedule's runs, newest first; `fresh` skips any kept answer. Throws what the client throws. */
  read(scheduleId: string, fresh: boolean): Promise<Execution[]>;
  isSignedIn(): Promise<boolean>;
}

export interface PinCheckerOptions {
  clock: Clock;
  /** How often each pin is checked while the window is focused. */
  intervalMs: () => number;
  isFocused: () => boolean;
  /** Undefined while no server is configured. */
  target: () => CheckTarget | undefined;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** One pin's answer: its runs, or why there are none. */
export interface PinCheck {
  scheduleId: string;
  executions?: Execution[];
  error?: string;
  /** Wall-clock time of the answer. */
  at: number;
}

/** Why a round ran: the first sweep after start or sign-in, Check Now, a pin falling due, or a pin asked for early. */
export type RoundReason = 'start' | 'signIn' | 'now' | 'scheduled' | 'soon';

export interface CheckRound {
  origin: string;
  reason: RoundReason;
  checks: PinCheck[];
}

/** The first sweep waits this long after start, so startup itself sends nothing. */
export const START_DELAY_MS = 5_000;
/** While the window is not focused, pins are checked this many times less often. */
export const UNFOCUSED_FACTOR = 3;
/** Failed checks double the wait, at most this many times over. */
export const MAX_BACKOFF_FACTOR = 8;
/** A sweep asks for this many schedules at a time. */
const SWEEP_CONCURRENCY = 3;

interface Cadence {
  /** When the pin was last checked (monotonic); for a sweep, set so the next checks are spread. */
  lastAt?: number;
  errors: number;
  /**
   * Checked at once by the next round: a new pin (whose runs pinning just read), or `checkSoon` (a run
   * of it ended, which cleared the kept answer). Either way a kept answer is fresh enough.
   */
  soon?: boolean;
}

export class PinChecker {
  private readonly cadence = new Map<string, Cadence>();
  private origin: string | undefined;
  /** A sweep waiting to run, and why. */
  private sweep: { at: number; reason: RoundReason } | undefined;
  /** Why nothing is checked: signed out, or the server refused the token (until the next sign-in). */
  private blocked: 'signedOut' | 'refused' | undefined;
  private timer: unknown;
  private timerDueAt = Infinity;
  /** Rounds run one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private readonly roundEmitter: Emitter<CheckRound>;
  private readonly refusedEmitter: Emitter<{ origin: string; message: string }>;
  /** A round of checks answered. */
  readonly onDidCheck: Event<CheckRound>;
  /** The server refused the token: checks stop until `signedIn`. */
  readonly onDidRequireSignIn: Event<{ origin: string; message: string }>;

  constructor(private readonly options: PinCheckerOptions) {
    const onListenerError = (error: unknown) => options.log.error(`A pinned-check listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    this.roundEmitter = new Emitter(onListenerError);
    this.refusedEmitter = new Emitter(onListenerError);
    this.onDidCheck = this.roundEmitter.event;
    this.onDidRequireSignIn = this.refusedEmitter.event;
  }

  /** When the one timer fires (monotonic ms), or undefined while none is set. */
  get nextCheckAt(): number | undefined {
    return this.timer === undefined ? undefined : this.timerDueAt;
  }

  /** After activation: the first sweep, a little later. */
  start(): void {
    this.sweep = { at: this.options.clock.now() + START_DELAY_MS, reason: 'start' };
    void this.refresh();
  }

  /**
   * The pins, the configured server or the sign-in may have changed: new pins are checked at once,
   * unpinned ones no more, another server starts afresh. Never sends a request itself.
   */
  async refresh(): Promise<void> {
    const target = this.options.target();
    if (target?.origin !== this.origin) {
      this.cadence.clear();
      this.origin = target?.origin;
      this.sweep ??= target && { at: this.options.clock.now(), reason: 'start' };
    }
    const ids = new Set(target?.scheduleIds ?? []);
    for (const id of [...this.cadence.keys()]) {
      if (!ids.has(id)) {
        this.cadence.delete(id);
      }
    }
    for (const id of ids) {
      if (!this.cadence.has(id)) {
        this.cadence.set(id, { errors: 0, soon: true });
      }
    }
    const signedIn = target ? await target.isSignedIn() : false;
    if (!signedIn) {
      this.blocked = 'signedOut';
    } else if (this.blocked === 'signedOut') {
      // Signed in again: what happened meanwhile is one round.
      this.blocked = undefined;
      this.sweep = { at: this.options.clock.now(), reason: 'signIn' };
    }
    this.plan();
  }

  /** A new sign-in to this origin: checks refused with 401 go on, starting with a sweep. */
  signedIn(origin: string): void {
    if (origin === this.origin && this.blocked === 'refused') {
      this.blocked = undefined;
      this.sweep = { at: this.options.clock.now(), reason: 'signIn' };
    }
    void this.refresh();
  }

  /** Checks every pin now, skipping kept answers; resolves with the round, or undefined when nothing could be checked. */
  checkNow(): Promise<CheckRound | undefined> {
    if (this.blocked === 'refused') {
      this.blocked = undefined; // The user asked: try the token once more.
    }
    this.sweep = undefined;
    return this.enqueue(() => this.runSweep('now'));
  }

  /** Checks one pin at the next opportunity (a followed run of it ended). */
  checkSoon(scheduleId: string): void {
    const cadence = this.cadence.get(scheduleId);
    if (cadence) {
      cadence.soon = true;
      this.plan();
    }
  }

  /** The window's focus or the interval setting changed: the next checks are planned again. */
  replan(): void {
    this.plan();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.roundEmitter.dispose();
    this.refusedEmitter.dispose();
  }

  /** Sets the one timer for what is due first, or none: nothing pinned, signed out, refused or disposed. */
  private plan(): void {
    this.clearTimer();
    if (this.disposed || this.blocked || this.cadence.size === 0) {
      return;
    }
    const now = this.options.clock.now();
    const dueAt = this.sweep ? this.sweep.at : Math.min(...[...this.cadence.values()].map((cadence) => this.dueAt(cadence, now)));
    this.timerDueAt = dueAt;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(() => this.tick());
    }, Math.max(0, dueAt - this.options.clock.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDueAt = Infinity;
    }
  }

  /** When the pin is due; `now` for one wanted at once, so a tick that asks with its own `now` finds it due. */
  private dueAt(cadence: Cadence, now: number): number {
    if (cadence.soon || cadence.lastAt === undefined) {
      return now;
    }
    const factor = (this.options.isFocused() ? 1 : UNFOCUSED_FACTOR) * Math.min(MAX_BACKOFF_FACTOR, 2 ** cadence.errors);
    return cadence.lastAt + this.options.intervalMs() * factor;
  }

  private enqueue<T>(round: () => Promise<T>): Promise<T> {
    const next = this.queue.then(round, round);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async tick(): Promise<void> {
    try {
      if (this.sweep && this.sweep.at <= this.options.clock.now()) {
        const { reason } = this.sweep;
        this.sweep = undefined;
        await this.runSweep(reason);
        return;
      }
      const now = this.options.clock.now();
      const due = [...this.cadence].filter(([, cadence]) => this.dueAt(cadence, now) <= now);
      if (due.length) {
        await this.runRound(due.some(([, cadence]) => cadence.soon) ? 'soon' : 'scheduled', due.map(([id]) => id), false);
      }
    } catch (error) {
      this.options.log.error(`Checking pinned schedules failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.plan();
    }
  }

  private async runSweep(reason: RoundReason): Promise<CheckRound | undefined> {
    try {
      const round = await this.runRound(reason, [...this.cadence.keys()], reason === 'now');
      if (round) {
        // Spread the next checks evenly over one interval instead of repeating the burst.
        const interval = this.options.intervalMs();
        const ids = [...this.cadence.keys()];
        const now = this.options.clock.now();
        ids.forEach((id, index) => {
          const cadence = this.cadence.get(id);
          if (cadence && cadence.errors === 0) {
            cadence.lastAt = now - interval + (interval * (index + 1)) / ids.length;
          }
        });
      }
      return round;
    } finally {
      this.plan();
    }
  }

  /** Checks these pins and reports them as one round; undefined when not signed in or nothing is pinned. */
  private async runRound(reason: RoundReason, ids: string[], fresh: boolean): Promise<CheckRound | undefined> {
    const target = this.options.target();
    if (!target || target.origin !== this.origin || ids.length === 0 || this.blocked === 'refused') {
      return undefined;
    }
    if (!(await target.isSignedIn())) {
      this.blocked = 'signedOut';
      return undefined;
    }
    const checks: PinCheck[] = [];
    let refused: string | undefined;
    const pending = [...ids];
    const worker = async () => {
      for (let id = pending.shift(); id !== undefined && refused === undefined; id = pending.shift()) {
        const check = await this.checkOne(target, id, fresh);
        if ('refused' in check) {
          refused = check.refused;
        } else {
          checks.push(check);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, ids.length) }, worker));
    if (this.disposed || target.origin !== this.origin) {
      return undefined;
    }
    if (refused !== undefined) {
      this.blocked = 'refused';
      this.options.log.warn(`Checking pinned schedules paused for ${target.origin}: ${refused}`);
      this.refusedEmitter.fire({ origin: target.origin, message: refused });
    }
    const round = { origin: target.origin, reason, checks: ids.flatMap((id) => checks.filter((check) => check.scheduleId === id)) };
    if (round.checks.length) {
      this.roundEmitter.fire(round);
    }
    return round;
  }

  private async checkOne(target: CheckTarget, scheduleId: string, fresh: boolean): Promise<PinCheck | { refused: string }> {
    const cadence = this.cadence.get(scheduleId);
    try {
      const executions = await target.read(scheduleId, fresh);
      if (cadence) {
        Object.assign(cadence, { lastAt: this.options.clock.now(), errors: 0, soon: false });
      }
      return { scheduleId, executions, at: this.options.clock.wallNow() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isSignInNeeded(error)) {
        return { refused: message };
      }
      if (cadence) {
        Object.assign(cadence, { lastAt: this.options.clock.now(), errors: cadence.errors + 1, soon: false });
      }
      this.options.log.warn(`Checking pinned schedule ${scheduleId} failed (${cadence?.errors ?? 1} in a row): ${message}`);
      return { scheduleId, error: message, at: this.options.clock.wallNow() };
    }
  }
}
