// Time for the polling scenario: timers fire only when the scenario moves time on, and the simulator's
// ManualClock moves with them, so the server's status changes and the client's polls share one clock.
// While a request is under way time stands still: a poll's answer is never later than its timer.
import type { Clock } from '../../src/monitor/runMonitor';
import type { ManualClock } from '../simulator/server';

interface Timer {
  at: number;
  callback: () => void;
}

export class FakeTimers implements Clock {
  private readonly timers = new Map<number, Timer>();
  private readonly underWay = new Set<Promise<unknown>>();
  private nextId = 1;

  constructor(private readonly clock: ManualClock) {}

  now(): number {
    return this.clock.now();
  }

  wallNow(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now() + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** Timers set since the start, fired or not. */
  get everSet(): number {
    return this.nextId - 1;
  }

  /** Marks work under way (a request): time does not move until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.underWay.add(work);
    const done = () => this.underWay.delete(work);
    work.then(done, done);
    return work;
  }

  /** Fires every timer in time order (those due together as one batch) until none is left or `end` is reached. */
  async run(end = Infinity): Promise<void> {
    await this.quiet();
    for (;;) {
      const due = this.nextDue();
      if (due === undefined || due > end) {
        break;
      }
      this.clock.set(due);
      for (const [id, timer] of [...this.timers]) {
        if (timer.at === due) {
          this.timers.delete(id);
          timer.callback();
        }
      }
      await this.quiet();
    }
    if (Number.isFinite(end)) {
      this.clock.set(Math.max(this.now(), end));
    }
  }

  private nextDue(): number | undefined {
    let next: number | undefined;
    for (const timer of this.timers.values()) {
      next = next === undefined ? timer.at : Math.min(next, timer.at);
    }
    return next;
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
