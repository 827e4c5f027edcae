/**
 * Typed Pyramid API3 client. Tolerant on input (numbers or names for enums, epoch or ISO dates, quoted
 * or raw run ids, the old `{data: …}` envelope) and exact on output (numeric enum codes, bare JSON
 * string bodies for single-id methods, a `paToken` header). No `vscode` import: it runs in plain Node.
 */
import { EnumValue, ScheduleType, SearchMatchType, TaskStatus } from './enums';
import { PyramidAuthError, PyramidHttpError, PyramidOperationError, PyramidResponseError } from './errors';
import {
  Execution,
  ItemId,
  ModifiedItems,
  PyramidUser,
  Schedule,
  Task,
  parseExecutions,
  parseItemIds,
  parseModifiedItemsResult,
  parseSchedules,
  parseStringId,
  parseTask,
  parseTaskStatus,
  parseTasks,
  parseUser,
} from './models';
import { redact } from './redact';
import { CallOptions, RequestEvent, Transport } from './transport';

export interface PyramidClientOptions {
  serverUrl: string;
  /** The API token; undefined for a client that can only sign in. */
  token?: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Extra attempts for reads; default 2. */
  retries?: number;
  /** First retry delay; default 500 ms. */
  retryDelayMs?: number;
  /** Extra trusted root certificates (PEM) for a server with a private CA. */
  caCertificates?: readonly string[];
  onRequest?: (event: RequestEvent) => void;
}

export interface ScheduleQuery {
  /** Empty with `Contains` lists every schedule. */
  searchValue: string;
  matchType?: SearchMatchType;
  scheduleType?: ScheduleType;
}

export interface RunOptions {
  /** Evaluate the schedule's triggers first (it may then decide not to run). Default false. */
  checkTriggers?: boolean;
}

export class PyramidClient {
  private readonly transport: Transport;
  private readonly token: string | undefined;
  /** The password while authenticateUser is under way, so no error can echo it. */
  private passwordInFlight: string | undefined;

  constructor(options: PyramidClientOptions) {
    this.token = options.token;
    this.transport = new Transport({
      serverUrl: options.serverUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 500,
      secrets: () => [this.token, this.passwordInFlight],
      caCertificates: options.caCertificates,
      onRequest: options.onRequest,
    });
  }

  /** The origin this client talks to; a token belongs to exactly one. */
  get origin(): string {
    return this.transport.baseUrl.origin;
  }

  /**
   * Signs in with a user name and password and returns the new API token. Not retried. The text of a
   * refusal is never shown, not even redacted: it may echo the password in a form no redaction knows.
   */
  async authenticateUser(userName: string, password: string, signal?: AbortSignal): Promise<string> {
    this.passwordInFlight = password;
    try {
      return await this.stringCall('authentication/authenticateUser', { body: { userName, password }, sensitive: true, signal }, 'a token');
    } catch (error) {
      if (error instanceof PyramidHttpError && error.status >= 400 && error.status < 500) {
        throw new PyramidAuthError(`The server refused the sign-in (HTTP ${error.status}): check the user name and password.`, error.status, '', 'unauthenticated');
      }
      throw error;
    } finally {
      this.passwordInFlight = undefined;
    }
  }

  /** The signed-in user; proves that a token is valid. */
  async getMe(signal?: AbortSignal): Promise<PyramidUser> {
    return parseUser(await this.json('access/getMe', undefined, true, signal));
  }

  async findSchedule(query: ScheduleQuery, signal?: AbortSignal): Promise<Schedule[]> {
    const body: Record<string, unknown> = {
      searchCriteria: { searchValue: query.searchValue, searchMatchType: query.matchType ?? SearchMatchType.Equals },
    };
    if (query.scheduleType !== undefined) {
      body.scheduleType = query.scheduleType;
    }
    return parseSchedules(await this.json('tasks/findSchedule', body, true, signal));
  }

  /** Starts a run and returns its execution id. Never retried: a second attempt would be a second run. */
  async runSchedule(scheduleId: string, options: RunOptions = {}, signal?: AbortSignal): Promise<string> {
    const body = { scheduleId, checkTriggers: options.checkTriggers ?? false };
    return this.stringCall('tasks/runSchedule', { token: this.token, body, signal }, 'an execution id');
  }

  async getScheduleExecutionStatus(executionId: string, signal?: AbortSignal): Promise<EnumValue<TaskStatus>> {
    return parseTaskStatus(await this.json('tasks/getScheduleExecutionStatus', executionId, true, signal));
  }

  /** Executions of a schedule, newest first. */
  async getExecutions(scheduleId: string, signal?: AbortSignal): Promise<Execution[]> {
    const executions = parseExecutions(await this.json('tasks/getExecutions', scheduleId, true, signal));
    return executions.map((execution) => ({
      ...execution,
      error: this.redacted(execution.error),
      tasks: execution.tasks.map((task) => this.redactTask(task)),
    }));
  }

  async getTasks(executionId: string, signal?: AbortSignal): Promise<Task[]> {
    return parseTasks(await this.json('tasks/getTasks', executionId, true, signal)).map((task) => this.redactTask(task));
  }

  async getTasksIds(executionId: string, signal?: AbortSignal): Promise<ItemId[]> {
    return parseItemIds(await this.json('tasks/getTasksIds', executionId, true, signal), 'getTasksIds');
  }

  async getTaskData(taskId: string, signal?: AbortSignal): Promise<Task> {
    return this.redactTask(parseTask(await this.json('tasks/getTaskData', taskId, true, signal)));
  }

  /**
   * Runs one task again. Never retried nor redirected, like a run. The answer carries no execution id
   * (a ModifiedItemsResult); a refusal (`success: false`) throws a PyramidOperationError with the server's text.
   */
  async reRunTask(taskId: string, signal?: AbortSignal): Promise<ModifiedItems> {
    return this.modify('tasks/reRunTask', taskId, signal);
  }

  /** The outputs (files) a finished publication task produced: ids, with names where the server gives them. */
  async getTaskOutputs(taskId: string, signal?: AbortSignal): Promise<ItemId[]> {
    return this.outputs(parseItemIds(await this.json('tasks/getTaskOutputs', taskId, true, signal), 'getTaskOutputs'));
  }

  /** The outputs of a task that this user may see (by the roles of the task and the user). */
  async getTaskOutputsForUser(taskId: string, userId?: string, signal?: AbortSignal): Promise<ItemId[]> {
    const body = userId === undefined ? { taskId } : { taskId, userId };
    return this.outputs(parseItemIds(await this.json('tasks/getTaskOutputsForUser', body, true, signal), 'getTaskOutputsForUser'));
  }

  /** Suspends a schedule; a refusal (`success: false`) throws a PyramidOperationError. Not retried. */
  async suspendSchedule(scheduleId: string, signal?: AbortSignal): Promise<ModifiedItems> {
    return this.modify('tasks/suspendSchedule', scheduleId, signal);
  }

  /** Resumes a suspended schedule; a refusal throws a PyramidOperationError. Not retried. */
  async resumeSchedule(scheduleId: string, signal?: AbortSignal): Promise<ModifiedItems> {
    return this.modify('tasks/resumeSchedule', scheduleId, signal);
  }

  /**
   * A task's texts end up in messages and the log: a server that echoes the token into an error must
   * not get it shown. Only these short texts are searched; a whole 5 MB list would cost too much.
   */
  private redactTask(task: Task): Task {
    return { ...task, error: this.redacted(task.error), summary: this.redacted(task.summary), formattedSummary: this.redacted(task.formattedSummary) };
  }

  private outputs(items: ItemId[]): ItemId[] {
    return items.map((item) => (item.name === undefined ? item : { ...item, name: this.redacted(item.name) }));
  }

  /** Server text with every spelling of the token replaced. */
  private redacted(text: string | undefined): string | undefined {
    return text && redact(text, [this.token]);
  }

  private async modify(method: string, id: string, signal: AbortSignal | undefined): Promise<ModifiedItems> {
    const name = method.slice(method.indexOf('/') + 1);
    const result = parseModifiedItemsResult(await this.json(method, id, false, signal), name);
    if (!result.success) {
      const said = this.redacted(result.errorMessage);
      throw new PyramidOperationError(said || `The server refused ${name} without saying why.`);
    }
    return { modified: result.modified };
  }

  /** A call that creates something (a token, a run) and answers with its id as a string. Not retried. */
  private async stringCall(method: string, options: Omit<CallOptions, 'retry'>, kind: string): Promise<string> {
    const answer = await this.transport.call(method, { ...options, retry: false });
    return parseStringId(answer.text, method.slice(method.indexOf('/') + 1), kind);
  }

  /** A call whose answer must be JSON. `body` is JSON-encoded: a string id becomes `"id"`. */
  private async json(method: string, body: unknown, retry: boolean, signal: AbortSignal | undefined): Promise<unknown> {
    const answer = await this.transport.call(method, { token: this.token, body, retry, signal });
    const name = method.slice(method.indexOf('/') + 1);
    if (answer.text.trim() === '') {
      throw new PyramidResponseError(`The server sent an empty answer to ${name}.`);
    }
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new PyramidResponseError(`The server's answer to ${name} is not valid JSON.`);
    }
  }
}
