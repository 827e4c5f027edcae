// Time for the polling scenario: one fake clock (test/fakeClock.ts, @sinonjs/fake-timers) read by the
// watchers' timers and by the simulator, so the server's status changes and the client's polls share one
// time. Timers fire only when the scenario moves time on, step by step: while a request is under way time
// stands still, so a poll's answer is never later than its timer.
import type { Clock } from '../../src/monitor/runMonitor';
import type { SimulatorClock } from '../simulator/server';
import { FakeClock, createFakeClock, monitorClock } from '../fakeClock';

export class ScenarioClock implements Clock, SimulatorClock {
  private readonly fake: FakeClock;
  private readonly clock: Clock;
  private readonly underWay = new Set<Promise<unknown>>();
  private timersSet = 0;

  constructor(startMs: number) {
    this.fake = createFakeClock(startMs);
    this.clock = monitorClock(this.fake);
  }

  now(): number {
    return this.clock.now();
  }

  wallNow(): number {
    return this.clock.wallNow();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.timersSet++;
    return this.clock.setTimeout(callback, ms);
  }

  clearTimeout(handle: unknown): void {
    this.clock.clearTimeout(handle);
  }

  /** Timers set since the start, fired or not. */
  get everSet(): number {
    return this.timersSet;
  }

  /** Marks work under way (a request): time does not move until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.underWay.add(work);
    const done = () => this.underWay.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Fires every timer in time order (those due together as one batch) until none is left or the next is
   * due after `end`, waiting for the work each batch starts before moving on; time ends at `end` if finite.
   */
  async run(end = Infinity): Promise<void> {
    for (;;) {
      await this.quiet();
      // A last timer of our own at `end`, set after every other: it comes first only when no other is due by then.
      let reachedEnd = false;
      const stop = Number.isFinite(end) ? this.fake.setTimeout(() => (reachedEnd = true), Math.max(0, end - this.fake.now)) : undefined;
      if (this.fake.countTimers() === 0) {
        return;
      }
      this.fake.next(); // on to the first timer due, which fires
      if (reachedEnd) {
        return;
      }
      if (stop !== undefined) {
        this.fake.clearTimeout(stop);
      }
      this.fake.tick(0); // and so do the others due at that moment
    }
  }

  /** Waits until no tracked work is under way and the promise chains it started have run. */
  private async quiet(): Promise<void> {
    for (;;) {
      await nextTurns(3);
      if (this.underWay.size === 0) {
        return;
      }
      await Promise.allSettled([...this.underWay]);
    }
  }
}

async function nextTurns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
