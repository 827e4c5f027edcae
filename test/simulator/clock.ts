export interface SimulatorClock {
  now(): number;
}

export const realClock: SimulatorClock = { now: () => Date.now() };

/** A clock that only moves when a test moves it, so run lifecycles are exact and instant. */
export class ManualClock implements SimulatorClock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}
