// The one fake clock of the unit tests and the benchmarks: @sinonjs/fake-timers' clock, not installed (the
// globals stay real), seen through the monitor's `Clock`. Its timers fire only when the test moves it on,
// with `tickAsync` (promises settle after each timer) or, step by step, `next` and `tick`.
import * as FakeTimers from '@sinonjs/fake-timers';
import type { Clock } from '../src/monitor/scheduler';

export type FakeClock = FakeTimers.Clock;

/** A fake clock that reads `startMs` until it is moved on. */
export function createFakeClock(startMs: number): FakeClock {
  return FakeTimers.createClock(startMs);
}

export interface MonitorClockOptions {
  /**
   * Each reading of `now()` a thousandth of a millisecond later than the one before, as `performance.now()`
   * reads between two timers: a planner that reads the clock twice sees two different times.
   */
  subMillisecondReadings?: boolean;
}

/** The monitor's `Clock` on a fake clock: the monotonic and the wall clock both read the fake's time. */
export function monitorClock(fake: FakeClock, options: MonitorClockOptions = {}): Clock {
  let readings = 0;
  return {
    now: options.subMillisecondReadings ? () => fake.now + ++readings / 1_000 : () => fake.now,
    wallNow: () => fake.now,
    setTimeout: (callback, ms) => fake.setTimeout(callback, ms),
    clearTimeout: (handle) => fake.clearTimeout(handle as FakeTimers.TimerId),
  };
}
