// The API3 methods: request parsing, permission checks and the JSON they answer.
import { fieldIgnoringCase, isRecord, RequestBody } from './body';
import { parseCode, ScheduleType, SearchMatchType, TaskStatus } from './codes';
import { UNAUTHORIZED_MESSAGE } from './faults';
import { ApiError, jsonReply, Reply, TEXT, textReply } from './http';
import { SimulatorState } from './state';
import { isAdmin, SimUser } from './users';
import { executionView, scheduleView, taskView, userView } from './views';
import { WireFormat, WireModes } from './wire';

export interface ApiCall {
  httpMethod: string;
  /** 'tasks/findSchedule', or undefined for a URL outside /API3/. */
  apiMethod: string | undefined;
  body: string;
  token: string | undefined;
}

interface Context {
  user: SimUser;
  body: RequestBody;
  wire: WireFormat;
  wireModes: WireModes;
  now: number;
}

type Handler = (context: Context) => Reply;

export class Api {
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly state: SimulatorState,
    private readonly wireModes: () => WireModes,
    private readonly authFailureStatus: number,
  ) {
    this.handlers = lowerCaseKeys({
      'access/getMe': ({ user, wire }) => jsonReply(userView(user, wire)),
      'tasks/findSchedule': (context) => this.findSchedule(context),
      'tasks/runSchedule': (context) => this.runSchedule(context),
      'tasks/getScheduleExecutionStatus': ({ body, wire, now }) =>
        jsonReply({ status: wire.code(TaskStatus, this.execution(body.id('executionId')).status(now)) }),
      'tasks/getExecutions': ({ body, wire, now }) =>
        jsonReply(this.state.executionsOf(this.schedule(body.id('scheduleId'))).map((e) => executionView(e, now, wire, this.state.outputOverrides))),
      'tasks/getTasks': ({ body, wire, now }) => {
        const execution = this.execution(body.id('executionsId'));
        return jsonReply(execution.tasks.map((task) => taskView(execution, task, now, wire, this.state.outputOverrides)));
      },
      'tasks/getTasksIds': ({ body }) =>
        jsonReply(this.execution(body.id('executionsId')).tasks.map((task) => ({ id: task.id, name: null }))),
      'tasks/getTaskData': ({ body, wire, now }) => {
        const taskId = body.id('taskId');
        const found = this.state.task(taskId);
        if (!found) {
          throw new ApiError(400, `Task not found: ${taskId}`);
        }
        return jsonReply(taskView(found.execution, found.task, now, wire, this.state.outputOverrides));
      },
      'tasks/reRunTask': ({ body }) => jsonReply(this.state.rerunTask(body.id('taskId'))),
      'tasks/getTaskOutputs': ({ body }) => jsonReply(this.outputs(body.id('taskId'))),
      'tasks/getTaskOutputsForUser': ({ body }) => {
        const request = body.object();
        if (typeof request.taskId !== 'string' || request.taskId.trim() === '') {
          throw new ApiError(400, 'taskId is required');
        }
        return jsonReply(this.outputs(request.taskId));
      },
      'tasks/suspendSchedule': ({ user, body }) => jsonReply(this.state.suspend(requireAdmin(user, body).id('scheduleId'))),
      'tasks/resumeSchedule': ({ user, body }) => jsonReply(this.state.resume(requireAdmin(user, body).id('scheduleId'))),
    });
  }

  handle(call: ApiCall, warn: (message: string) => void): Reply {
    try {
      return this.dispatch(call, warn);
    } catch (error) {
      if (error instanceof ApiError) {
        return textReply(error.status, error.message);
      }
      return textReply(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private dispatch(call: ApiCall, warn: (message: string) => void): Reply {
    if (call.httpMethod !== 'POST') {
      return { ...textReply(405, 'Method not allowed: API3 methods are called with POST'), headers: { Allow: 'POST' } };
    }
    const method = call.apiMethod?.toLowerCase();
    if (method === undefined) {
      return textReply(404, 'Not found');
    }
    const body = new RequestBody(call.body, warn);
    if (method === 'authentication/authenticateuser') {
      return this.authenticateUser(body);
    }
    const handler = this.handlers[method];
    if (!handler) {
      const known = NOT_SIMULATED.has(method) ? ' (part of API3, but not simulated)' : '';
      return textReply(404, `Unknown API method: ${call.apiMethod}${known}`);
    }
    const now = this.state.now();
    const user = this.state.tokens.userFor(call.token, now);
    if (!user) {
      return textReply(this.authFailureStatus, UNAUTHORIZED_MESSAGE);
    }
    const wireModes = this.wireModes();
    return handler({ user, body, wire: new WireFormat(wireModes), wireModes, now });
  }

  private authenticateUser(body: RequestBody): Reply {
    const credentials = body.object();
    const userName = fieldIgnoringCase(credentials, 'userName');
    const password = credentials.password;
    const token =
      typeof userName === 'string' && typeof password === 'string'
        ? this.state.authenticate(userName, password)
        : undefined;
    if (!token) {
      throw new ApiError(400, 'Invalid username or password');
    }
    return { status: 200, contentType: TEXT, body: token };
  }

  private findSchedule({ body, wire }: Context): Reply {
    const request = body.object();
    const criteria = request.searchCriteria;
    if (!isRecord(criteria) || typeof criteria.searchValue !== 'string') {
      throw new ApiError(400, 'searchCriteria.searchValue is required');
    }
    const matchType = optionalCode(SearchMatchType, criteria.searchMatchType, 'searchMatchType') ?? SearchMatchType.Equals;
    const type = optionalCode(ScheduleType, request.scheduleType, 'scheduleType');
    const schedules = this.state.findSchedules({ searchValue: criteria.searchValue, matchType, type });
    return jsonReply(schedules.map((schedule) => scheduleView(schedule, wire)));
  }

  private runSchedule({ body, wireModes }: Context): Reply {
    const request = body.object();
    const scheduleId = request.scheduleId;
    if (typeof scheduleId !== 'string' || scheduleId.trim() === '') {
      throw new ApiError(400, 'scheduleId is required');
    }
    const execution = this.state.runSchedule(scheduleId, parseCheckTriggers(request.checkTriggers));
    if (!execution) {
      throw new ApiError(400, `Schedule not found: ${scheduleId}`);
    }
    return wireModes.runId === 'raw'
      ? { status: 200, contentType: TEXT, body: execution.id }
      : jsonReply(execution.id);
  }

  private outputs(taskId: string) {
    const outputs = this.state.outputsOf(taskId);
    if (!outputs) {
      throw new ApiError(400, `Task not found: ${taskId}`);
    }
    return outputs;
  }

  /**
   * The browser pages the extension links to (outside /API3/): `fileDownload?outputId=<id>` for a task's output and
   * `direct/?id=<content item id>` for a content item. Each answers an HTML page naming what it found, or 404.
   */
  page(method: string, url: URL): Reply | undefined {
    const path = url.pathname.replace(/\/+$/, '').toLowerCase();
    if (path !== '/filedownload' && path !== '/direct') {
      return undefined;
    }
    if (method !== 'GET') {
      return { ...textReply(405, 'Method not allowed'), headers: { Allow: 'GET' } };
    }
    if (path === '/filedownload') {
      const outputId = url.searchParams.get('outputId') ?? '';
      const output = this.state.findOutput(outputId);
      return output ? htmlPage(`Download ${output.name ?? output.id}`) : htmlPage('Output not found', 404);
    }
    const itemId = url.searchParams.get('id') ?? '';
    const schedule = this.state.schedules.all.find((candidate) => candidate.scheduleItemId === itemId);
    return schedule ? htmlPage(`Content item ${schedule.spec.itemName}`) : htmlPage('Content item not found', 404);
  }

  private schedule(scheduleId: string) {
    const schedule = this.state.schedules.get(scheduleId);
    if (!schedule) {
      throw new ApiError(400, `Schedule not found: ${scheduleId}`);
    }
    return schedule;
  }

  private execution(executionId: string) {
    const execution = this.state.execution(executionId);
    if (!execution) {
      throw new ApiError(400, `Execution not found: ${executionId}`);
    }
    return execution;
  }
}

/** API3 task methods that exist on a real server but are outside what the extension uses. */
const NOT_SIMULATED = new Set(
  ['deleteSchedule', 'deleteSchedules', 'getSchedulesForUser', 'runOnDemandSchedules'].map(
    (name) => `tasks/${name.toLowerCase()}`,
  ),
);

function htmlPage(title: string, status = 200): Reply {
  const escaped = title.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return { status, contentType: 'text/html;charset=utf-8', body: `<!doctype html><html><head><title>${escaped}</title></head><body><h1>${escaped}</h1></body></html>` };
}

function requireAdmin(user: SimUser, body: RequestBody): RequestBody {
  if (!isAdmin(user)) {
    throw new ApiError(403, 'Insufficient permissions: Enterprise Admin role required');
  }
  return body;
}

function optionalCode<T extends Record<string, number>>(table: T, value: unknown, field: string) {
  if (value === undefined || value === null) {
    return undefined;
  }
  const code = parseCode(table, value);
  if (code === undefined) {
    throw new ApiError(400, `Invalid ${field}: ${JSON.stringify(value)}`);
  }
  return code;
}

function parseCheckTriggers(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
    return value.trim().toLowerCase() === 'true';
  }
  throw new ApiError(400, `Invalid checkTriggers: ${JSON.stringify(value)}`);
}

function lowerCaseKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}
