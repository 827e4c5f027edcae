// Fakes shared by the monitor's unit tests: a clock the test moves, a server whose answers it scripts.
import * as assert from 'node:assert/strict';
import { PyramidHttpError, Task, TaskStatus, printingOutputTypes, taskStatuses } from '../../../src/api';
import type { Clock, Logger, StatusApi } from '../../../src/monitor/runMonitor';
import type { ExecutionRef, TaskRef } from '../../../src/monitor/runs';

/** A clock whose timers fire only when the test advances it. */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (let fired = 0; ; fired++) {
      await settle();
      const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) {
        break;
      }
      assert.ok(fired < 10_000, 'runaway timers: a timer keeps setting another for the same moment');
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
    await settle();
  }
}

/** Like `performance.now()`: sub-millisecond readings, a little later at each read. */
export class FractionalClock extends FakeClock {
  private reads = 0;

  override now(): number {
    return super.now() + ++this.reads / 1_000;
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Collects unhandled rejections and uncaught exceptions while a test runs. */
export function catchStrayErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const record = (error: unknown) => errors.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    errors,
    stop: () => {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

/** A task as `getTasks` or `getTaskData` parse it. */
export function task(id: string, status: TaskStatus, fields: Partial<Task> = {}): Task {
  return { id, status: taskStatuses.parse(status), outputType: printingOutputTypes.parse(undefined), ...fields };
}

/** A server whose statuses the test scripts; it records when it was polled, by execution or task id. */
export class FakeServer implements StatusApi {
  statuses = new Map<string, number | string>();
  /** The answers of `getTaskData`, by task id; an unknown id is a 404. */
  taskData = new Map<string, Task>();
  failures: Error[] = [];
  /** Failures for one run only, taken before `failures`. */
  failuresOf = new Map<string, Error[]>();
  polls: { id: string; at: number }[] = [];
  tasks: Task[] = [];
  getTasksCalls = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  async getScheduleExecutionStatus(executionId: string) {
    this.polled(executionId);
    return taskStatuses.parse(this.statuses.get(executionId));
  }

  async getTasks() {
    this.getTasksCalls++;
    return this.tasks;
  }

  async getTaskData(taskId: string) {
    this.polled(taskId);
    const found = this.taskData.get(taskId);
    if (!found) {
      throw new PyramidHttpError('The server answered HTTP 404: Task not found', 404, 'Task not found');
    }
    return found;
  }

  pollTimes(id = 'e1'): number[] {
    return this.polls.filter((p) => p.id === id).map((p) => p.at);
  }

  private polled(id: string): void {
    this.polls.push({ id, at: this.clock.now() });
    const failure = this.failuresOf.get(id)?.shift() ?? this.failures.shift();
    if (failure) {
      throw failure;
    }
  }
}

export const SERVER_URL = 'https://pyramid.example.com';

export const ref = (executionId = 'e1', scheduleName = 'Nightly Sales Load'): ExecutionRef => ({
  kind: 'execution',
  executionId,
  scheduleId: `s-${executionId}`,
  scheduleName,
  serverUrl: SERVER_URL,
});

export const taskRef = (taskId = 't1', taskName = 'Load CRM contacts'): TaskRef => ({
  kind: 'task',
  taskId,
  taskName,
  executionId: 'e1',
  scheduleId: 's-e1',
  scheduleName: 'Nightly Sales Load',
  serverUrl: SERVER_URL,
});

/** A log that keeps every line in `lines`. */
export function recordingLog(lines: string[]): Logger {
  return { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), debug: () => undefined };
}

export const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
