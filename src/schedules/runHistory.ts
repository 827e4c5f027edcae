/**
 * The run history of one server's schedules: the answer of `tasks/getExecutions` for a schedule (it has
 * no paging and returns every run with its tasks), kept for a short time, with at most one request in
 * flight per schedule. The tree's run list and every later reader take what they show from the one
 * answer instead of sending their own copy of the request. A followed run that ends invalidates its
 * schedule's answer. No `vscode` import.
 */
import { Execution, ItemId, PyramidClient, Task } from '../api';
import { Estimate, estimateFrom } from '../monitor/estimates';
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
/**
 * An estimate may read an answer this old, even one invalidated since: a run that started or ended
 * changes the list of runs, hardly what they usually take.
 */
export const ESTIMATE_MAX_AGE_MS = 10 * 60_000;

interface Entry {
  at: number;
  executions: Promise<Execution[]>;
}

export class RunHistory {
  private readonly entries = new Map<string, Entry>();
  /** The last answer read per schedule, kept through `invalidate` (not through `clear`). */
  private readonly lastRead = new Map<string, { at: number; executions: Execution[] }>();

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
    executions.then(
      (list) => {
        if (this.entries.get(scheduleId)?.executions === executions) {
          this.lastRead.set(scheduleId, { at: now, executions: list });
        }
      },
      () => undefined,
    );
    // A failed answer is not kept: the next reader asks again.
    executions.catch(() => {
      if (this.entries.get(scheduleId)?.executions === executions) {
        this.entries.delete(scheduleId);
      }
    });
    return executions;
  }

  /**
   * How long the schedule's runs usually take: from an answer read in the last ESTIMATE_MAX_AGE_MS if
   * any (no request), else from the kept or a new answer as `executions` gives it.
   */
  async estimate(scheduleId: string): Promise<Estimate | undefined> {
    const last = this.lastRead.get(scheduleId);
    const executions = last && this.now() - last.at < ESTIMATE_MAX_AGE_MS ? last.executions : await this.executions(scheduleId);
    return estimateFrom(executions);
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
    this.lastRead.clear();
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
