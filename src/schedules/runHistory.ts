/**
 * The run history of one server's schedules: the answer of `tasks/getExecutions` for a schedule (it has
 * no paging and returns every run with its tasks), kept for a short time, with at most one request in
 * flight per schedule. The tree's run list and every later reader take what they show from the one
 * answer instead of sending their own copy of the request. A followed run that ends invalidates its
 * schedule's answer. No `vscode` import.
 */
import { Execution, ItemId, PyramidClient, Task } from '../api';
import { withoutDuplicates } from '../util/unique';

/** The part of the client the history uses. */
export type HistoryApi = Pick<PyramidClient, 'getExecutions' | 'getTasks' | 'getTaskOutputs'>;

export interface RunHistoryOptions {
  /** A client holding this server's token, or undefined while signed out there. */
  client: () => Promise<HistoryApi | undefined>;
  /** How long an answer is fresh. */
  ttlMs?: number;
  now?: () => number;
  log: { warn(message: string): void };
}

/** Fresh enough for a tree expanded twice in a row, short enough for runs the server starts itself. */
export const HISTORY_TTL_MS = 30_000;

interface Entry {
  at: number;
  executions: Promise<Execution[]>;
}

export class RunHistory {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: RunHistoryOptions) {}

  /** The schedule's runs, newest first: the kept answer while fresh, else one new request shared by every caller. */
  executions(scheduleId: string): Promise<Execution[]> {
    const now = this.now();
    const entry = this.entries.get(scheduleId);
    if (entry && now - entry.at < (this.options.ttlMs ?? HISTORY_TTL_MS)) {
      return entry.executions;
    }
    const executions = this.fetch(scheduleId);
    this.entries.set(scheduleId, { at: now, executions });
    // A failed answer is not kept: the next reader asks again.
    executions.catch(() => {
      if (this.entries.get(scheduleId)?.executions === executions) {
        this.entries.delete(scheduleId);
      }
    });
    return executions;
  }

  /** The tasks of a run: those its history answer carried, or a getTasks when it carried none. */
  async tasks(execution: Execution): Promise<Task[]> {
    if (execution.tasks.length > 0) {
      return execution.tasks;
    }
    const client = await this.options.client();
    return client ? this.unique(await client.getTasks(execution.id), (task) => task.id, 'task') : [];
  }

  /** The outputs a finished task produced (files of a publication); asked each time, as they are few and rarely read. */
  async outputs(taskId: string): Promise<ItemId[]> {
    const client = await this.options.client();
    return client ? this.unique(await client.getTaskOutputs(taskId), (output) => output.id, 'output') : [];
  }

  /** A run of this schedule ended (or started): the next reader asks the server again. */
  invalidate(scheduleId: string): void {
    this.entries.delete(scheduleId);
  }

  /** Signed out: nothing kept may stand in for another user's answer. */
  clear(): void {
    this.entries.clear();
  }

  private async fetch(scheduleId: string): Promise<Execution[]> {
    const client = await this.options.client();
    if (!client) {
      return [];
    }
    const executions = this.unique(await client.getExecutions(scheduleId), (execution) => execution.id, 'run');
    return executions.map((execution) => ({ ...execution, tasks: this.unique(execution.tasks, (task) => task.id, 'task') }));
  }

  /** Drops repeated ids (the tree refuses them) and says so in the log. */
  private unique<T>(items: T[], idOf: (item: T) => string, what: string): T[] {
    return withoutDuplicates(items, idOf, what, (message) => this.options.log.warn(message));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
