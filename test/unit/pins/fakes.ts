// Fakes shared by the unit tests of pinned schedules: global state, schedules and runs of the history.
import { Execution, ExecutionCounts, Schedule, ScheduleStatus, ScheduleType, parseSchedule } from '../../../src/api';
import type { PinState } from '../../../src/pins/pinStore';

export const ORIGIN = 'https://pyramid.example.com';
export const OTHER_ORIGIN = 'https://other.example.com:8443';
export const SERVER_URL = `${ORIGIN}/pyramid`;

/**
 * Global state kept as JSON, as VS Code keeps it: what `get` returns is a copy, and two stores on the
 * same state are two windows of one machine.
 */
export class MapState implements PinState {
  readonly values = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, JSON.stringify(value));
    }
  }

  /** Writes a value as another window, a sync or a hand edit would. */
  put(key: string, value: unknown): void {
    this.values.set(key, JSON.stringify(value));
  }
}

export function schedule(scheduleId: string, name = `Schedule ${scheduleId}`, fields: Record<string, unknown> = {}): Schedule {
  return parseSchedule({ scheduleId, name, status: ScheduleStatus.Idle, type: ScheduleType.Etl, scheduleItemName: `${name}.flow`, ...fields });
}

export type RunEnd = 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';

const NO_COUNTS: ExecutionCounts = { success: 0, partialSuccess: 0, failed: 0, canceled: 0, running: 0, pending: 0, triggerStopped: 0 };

const COUNTS: Record<RunEnd, Partial<ExecutionCounts>> = {
  running: { success: 1, running: 1 },
  succeeded: { success: 2 },
  failed: { failed: 1 },
  partial: { success: 1, failed: 1 },
  canceled: { canceled: 1 },
};

/** A run of the history, as `getExecutions` parses it: started at `startedAt`, over `durationMs` later unless running. */
export function run(id: string, startedAt: number, end: RunEnd, durationMs = 60_000): Execution {
  return {
    id,
    startDate: new Date(startedAt),
    ...(end !== 'running' && { endDate: new Date(startedAt + durationMs) }),
    ...(end === 'failed' && { error: 'Refused by db01' }),
    counts: { ...NO_COUNTS, ...COUNTS[end] },
    tasks: [],
  };
}

/** Newest first, as the checks hand them on. */
export function newestFirst(executions: Execution[]): Execution[] {
  return [...executions].sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
}
