/**
 * When to poll: one timer for every run. It wakes for the run that is due first, polls every due run,
 * and sets the next wake-up. With nothing to poll, no timer exists.
 *
 * Cadence per run: the first poll at once. A run with an end window (planned from its history once it
 * runs, see windowedPollAt) is checked at the maximum interval while its end is far, densely through
 * the window, with polls aligned to the window's end, and with growing waits past it. Without a window,
 * the base interval, growing each time the answer does not change (gently during the run's first
 * minute, so short runs are not seen late, then by half), up to the maximum; back to the base on a
 * change. Failures double the wait instead. While the VS Code window is not focused every run polls at
 * the maximum. The scheduler knows runs only by key: what a poll does and what its answer means is the
 * monitor's business.
 */
import type { EndWindow } from './estimates';

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

export interface Intervals {
  baseIntervalMs: number;
  maxIntervalMs: number;
}

export interface SchedulerOptions {
  clock: Clock;
  intervals: () => Intervals;
  isFocused: () => boolean;
  /** Polls one run; it reports its answer with `answered` or `failed`. Never called twice at once for a key. */
  poll: (key: string) => Promise<void>;
  /** A bug, not a server answer: reported, and polling goes on. */
  unexpected: (where: string, error: unknown) => void;
}

/** When planning the next poll failed unexpectedly: try again after this long rather than never. */
const REPLAN_AFTER_ERROR_MS = 60_000;

/** During a run's first minute an unchanged answer grows the wait by this factor only; then by half. */
export const FIRST_MINUTE_GROWTH = 1.25;
export const LATER_GROWTH = 1.5;
const FIRST_MINUTE_MS = 60_000;
/** Two polls of one run are never planned closer than this inside its window. */
const MIN_GAP_MS = 1_000;

/** Per-run timing: not worth persisting, a restored run starts afresh. */
interface Cadence {
  intervalMs: number;
  lastPollAt?: number;
  errors: number;
  /** When the run started, on the monotonic clock. */
  startAt: number;
  window?: EndWindow;
}

/**
 * The step between polls inside a window: two thirds of the base interval when the window is narrow (at
 * most a fifth of the typical run, or four base intervals), so that polls on a grid aligned to the
 * window's end see most ends sooner than a base-interval timer would; the maximum when it spans half
 * the run or more (a noisy history predicts little, and dense polls there would cost more than they
 * save); in between otherwise. Only a stable history, whose past runs ended all through the window,
 * earns dense polls beyond the backoff's cost: for any other the window gets what the sparse start
 * saves against the backoff over the typical run (see windowBudget), spread over it.
 */
export function windowStep(window: EndWindow, intervals: Intervals): number {
  const { baseIntervalMs: base, maxIntervalMs: max } = intervals;
  const dense = Math.round((base * 2) / 3);
  const width = window.toMs - window.fromMs;
  const relative = width / Math.max(1, window.typicalMs);
  const share = width <= 4 * base ? 0 : Math.min(1, Math.max(0, (relative - 0.2) / 0.3));
  const step = Math.round(dense + (max - dense) * share);
  if (window.history === 'stable') {
    return step;
  }
  return Math.min(max, Math.max(step, Math.round(width / windowBudget(window, intervals))));
}

/**
 * How many polls a window may take without the run costing more than the backoff would over its typical
 * duration: the backoff's polls less the sparse ones before the window (the first at once, then one per
 * maximum interval); at least one.
 */
export function windowBudget(window: EndWindow, intervals: Intervals): number {
  const sparse = 1 + Math.ceil(window.fromMs / intervals.maxIntervalMs);
  return Math.max(1, backoffPolls(window.typicalMs, intervals) - sparse);
}

/**
 * The polls a backoff without history sends to see a run of `durationMs` end: one at once, then one
 * after each wait (the base interval, growing by half up to the maximum), and the one that sees the end.
 */
export function backoffPolls(durationMs: number, { baseIntervalMs, maxIntervalMs }: Intervals): number {
  let polls = 1;
  let at = 0;
  for (let wait = baseIntervalMs; at + wait < durationMs; wait = Math.min(maxIntervalMs, wait * LATER_GROWTH)) {
    at += wait;
    polls++;
  }
  return polls + 1;
}

/**
 * The policy for a run with an end window, as a pure function: when to poll after `lastPollAt`, for a run
 * that started at `startAt` (both monotonic ms). Before the window, sparse (the maximum interval), so a
 * failure early in the run is still seen within it; inside, polls on a grid aligned to the window's end
 * (end − k × step), so the checks fall where runs end rather than wherever a timer happens to be; past
 * it, waits growing with how far past it the run is, up to the maximum.
 */
export function windowedPollAt(lastPollAt: number, startAt: number, window: EndWindow, intervals: Intervals): number {
  const { baseIntervalMs: base, maxIntervalMs: max } = intervals;
  const from = startAt + window.fromMs;
  const to = startAt + window.toMs;
  if (lastPollAt >= to) {
    return lastPollAt + Math.min(max, Math.max(base, (lastPollAt - to) / 2));
  }
  const step = windowStep(window, intervals);
  const earliest = Math.max(lastPollAt + Math.min(MIN_GAP_MS, step), from);
  const aligned = to - Math.floor((to - earliest) / step) * step;
  return Math.min(aligned, lastPollAt + max);
}

export class PollScheduler {
  private readonly cadence = new Map<string, Cadence>();
  private readonly underWay = new Set<string>();
  private timer: unknown;
  private timerDueAt = Infinity;

  constructor(private readonly options: SchedulerOptions) {}

  /** When the one timer fires (monotonic ms), or undefined while none is set, as when nothing is to be polled. */
  get nextPollAt(): number | undefined {
    return this.timer === undefined ? undefined : this.timerDueAt;
  }

  /**
   * Polls `key` on the next tick (or at `pollDue`), then on its cadence. A key already known starts
   * afresh. `startedAgoMs`: how long ago the run started (one restored or started by the server).
   */
  add(key: string, startedAgoMs = 0): void {
    const startAt = this.options.clock.now() - Math.max(0, startedAgoMs);
    this.cadence.set(key, { intervalMs: this.options.intervals().baseIntervalMs, errors: 0, startAt });
    this.reschedule();
  }

  /** Plans the run's polls around the window where it is likely to end (relative to its start), or drops the plan. */
  planWindow(key: string, window: EndWindow | undefined): void {
    const cadence = this.cadence.get(key);
    if (cadence) {
      cadence.window = window;
      this.reschedule();
    }
  }

  /** No more polls of `key` (a poll under way still ends). */
  remove(key: string): void {
    if (this.cadence.delete(key)) {
      this.reschedule();
    }
  }

  /** A poll got an answer: a change brings the wait back to the base interval, none grows it by half. */
  answered(key: string, changed: boolean): void {
    const cadence = this.cadence.get(key);
    if (cadence) {
      const { baseIntervalMs, maxIntervalMs } = this.options.intervals();
      cadence.errors = 0;
      const growth = this.options.clock.now() - cadence.startAt < FIRST_MINUTE_MS ? FIRST_MINUTE_GROWTH : LATER_GROWTH;
      cadence.intervalMs = changed ? baseIntervalMs : Math.min(maxIntervalMs, Math.round(cadence.intervalMs * growth));
    }
  }

  /** A poll failed: the wait doubles with each failure in a row. Returns how many failed in a row. */
  failed(key: string): number {
    const cadence = this.cadence.get(key);
    if (!cadence) {
      return 0;
    }
    const { baseIntervalMs, maxIntervalMs } = this.options.intervals();
    cadence.errors++;
    cadence.intervalMs = Math.min(maxIntervalMs, baseIntervalMs * 2 ** cadence.errors);
    return cadence.errors;
  }

  /** Focus changes the cadence: re-plan the next wake-up. */
  focusChanged(): void {
    this.reschedule();
  }

  /** Polls every due run now rather than on the timer. Never rejects, and always ends by planning the next wake-up. */
  async pollDue(): Promise<void> {
    this.clearTimer();
    try {
      const now = this.options.clock.now();
      const due = this.pollable().filter((key) => this.dueAt(key, now) <= now);
      // allSettled: one poll failing unexpectedly must not cut the wait for the others short.
      for (const result of await Promise.allSettled(due.map((key) => this.pollOne(key)))) {
        if (result.status === 'rejected') {
          this.options.unexpected('a status poll', result.reason);
        }
      }
    } catch (error) {
      this.options.unexpected('choosing the runs to poll', error);
    }
    this.reschedule();
  }

  dispose(): void {
    this.clearTimer();
  }

  private async pollOne(key: string): Promise<void> {
    this.underWay.add(key);
    try {
      await this.options.poll(key);
    } finally {
      this.underWay.delete(key);
      const cadence = this.cadence.get(key);
      if (cadence) {
        cadence.lastPollAt = this.options.clock.now();
      }
    }
  }

  private pollable(): string[] {
    return [...this.cadence.keys()].filter((key) => !this.underWay.has(key));
  }

  /**
   * When a run is next due: `now` if never polled, else on its window's plan or after its (focus-adjusted) interval. The caller
   * reads the clock once: a second, later reading (sub-millisecond on the monotonic clock) would put a
   * never-polled run just after `now`, never due.
   */
  private dueAt(key: string, now: number): number {
    const cadence = this.cadence.get(key)!;
    if (cadence.lastPollAt === undefined) {
      return now;
    }
    const intervals = this.options.intervals();
    const focused = this.options.isFocused();
    if (cadence.window && focused && cadence.errors === 0) {
      return windowedPollAt(cadence.lastPollAt, cadence.startAt, cadence.window, intervals);
    }
    const interval = focused ? cadence.intervalMs : Math.max(cadence.intervalMs, intervals.maxIntervalMs);
    return cadence.lastPollAt + interval;
  }

  private reschedule(): void {
    const now = this.options.clock.now();
    let next: number;
    try {
      next = Math.min(...this.pollable().map((key) => this.dueAt(key, now)));
    } catch (error) {
      this.options.unexpected('planning the next poll', error);
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
}
