// Fakes shared by the monitor's unit tests: a server whose answers the test scripts (the clock the test moves
// is test/fakeClock.ts, shared with the benchmarks).
import { Execution, PyramidHttpError, Task, TaskStatus, printingOutputTypes, taskStatuses } from '../../../src/api';
import type { Clock, Logger, StatusApi } from '../../../src/monitor/runMonitor';
import type { ExecutionRef, TaskRef } from '../../../src/monitor/runs';

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
  /** The answer of `getExecutions`, for any schedule. */
  executions: Execution[] = [];
  getExecutionsCalls = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  async getScheduleExecutionStatus(executionId: string) {
    this.polled(executionId);
    return taskStatuses.parse(this.statuses.get(executionId));
  }

  async getTasks() {
    this.getTasksCalls++;
    return this.tasks;
  }

  async getExecutions() {
    this.getExecutionsCalls++;
    return this.executions;
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

const NO_COUNTS = { success: 0, partialSuccess: 0, failed: 0, canceled: 0, running: 0, pending: 0, triggerStopped: 0 };
const HISTORY_START = Date.parse('2026-11-01T02:00:00Z');

/** A past run of `tookMs`, newest first by `index`; succeeded unless `counts` say otherwise. */
export function pastRun(tookMs: number | undefined, counts: Partial<Execution['counts']> = { success: 1 }, index = 0): Execution {
  const start = HISTORY_START - index * 24 * 60 * 60_000;
  return {
    id: `e${index}`,
    startDate: new Date(start),
    endDate: tookMs === undefined ? undefined : new Date(start + tookMs),
    counts: { ...NO_COUNTS, ...counts },
    tasks: [],
  };
}

/** A history of successful runs of these durations, newest first. */
export const history = (durations: number[]): Execution[] => durations.map((ms, index) => pastRun(ms, { success: 1 }, index));

