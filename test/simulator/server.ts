// A stateful Pyramid API3 server for tests and demos: real HTTP on 127.0.0.1, driven by a clock.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Api } from './api';
import { realClock, SimulatorClock } from './clock';
import { Fault, FaultRule, FaultStore, sendFault } from './faults';
import { GeneratedHistory } from './generated';
import { apiMethodOf, readBody, send } from './http';
import { SimSchedule } from './schedules';
import { RerunBehaviour, SimulatorState } from './state';
import { demoTimetable, fixtureTimetable, ScheduledRun, ScheduledRunOptions, Timetable, TimetableEntry, TimetableEntryState } from './timetable';
import { DEFAULT_WIRE, WireModes } from './wire';

export { ManualClock } from './clock';
export { ScheduleStatus, ScheduleType, SearchMatchType, TaskStatus } from './codes';
export type { SimulatorClock } from './clock';
export type { Fault, FaultRule } from './faults';
export type { GeneratedHistory } from './generated';
export { SimSchedule } from './schedules';
export type { TaskError } from './schedules';
export type { ScheduledOutcome, ScheduledRun, ScheduledRunOptions, TimetableEntry, TimetableEntryState } from './timetable';
export { DEMO_USER, VIEWER_USER } from './users';
export type { WireModes } from './wire';
export type { RerunBehaviour } from './state';

export interface RecordedRequest {
  method: string;
  /** 'tasks/findSchedule' for API3 calls (no /API3/ prefix), otherwise the URL path. */
  path: string;
  body: string;
  /** The paToken header. */
  token: string | undefined;
  /** The status sent; 0 while unanswered or when the connection was dropped. */
  status: number;
  /** Bytes of the answer's body as announced (its Content-Length); 0 while unanswered or when the connection was dropped. */
  bytes: number;
  /** The request's path and query as sent. */
  url?: string;
  /** Simulator clock time of arrival. */
  at: number;
  connectionId: number;
}

export interface SimulatorOptions {
  /** Default 0 = a free port; always bound to 127.0.0.1. */
  port?: number;
  /** 'demo' (default): the demo fixture; N: the demo fixture plus generated schedules up to N in total. */
  schedules?: 'demo' | number;
  /** Past runs of the generated schedules, the first entry for the first of them (default: none have any). */
  histories?: readonly GeneratedHistory[];
  clock?: SimulatorClock;
  /** Multiplies every run and queue duration; default 1. */
  durationScale?: number;
  /** Default: tokens never expire. */
  tokenTtlMs?: number;
  /** Status for a missing, unknown or expired token; default 401. */
  authFailureStatus?: 400 | 401 | 403;
  wire?: Partial<WireModes>;
  /** Receives one line per request; tokens and bodies are never logged. */
  log?: (line: string) => void;
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
  /**
   * Schedules that start runs on their own, as Pyramid's scheduler does, on the simulator clock. Default: none, so
   * only runSchedule starts runs. 'fixture': every active schedule at its own time of day and period (runsAtUtc,
   * everyHours). { demoEveryMs }: a few demo schedules every demoEveryMs (not scaled by durationScale), Warehouse Sync
   * failing every third run. Or exactly these entries.
   */
  timetable?: 'fixture' | { demoEveryMs: number } | TimetableEntry[];
}

/** How often the server looks at the clock for runs that fell due, so they start (and are logged) without a request. */
const TIMETABLE_TICK_MS = 1000;

export class PyramidSimulator {
  readonly requests: RecordedRequest[] = [];
  connectionsOpened = 0;

  private readonly state: SimulatorState;
  private readonly api: Api;
  private readonly faults = new FaultStore();
  private readonly sockets = new Set<Socket>();
  private readonly connectionIds = new WeakMap<Socket, number>();
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private lastConnectionId = 0;
  private wireModes: WireModes;
  private readonly timetable: Timetable;
  private timetableTick: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly server: Server,
    private readonly options: SimulatorOptions,
  ) {
    this.state = new SimulatorState({
      schedules: options.schedules ?? 'demo',
      histories: options.histories,
      clock: options.clock ?? realClock,
      durationScale: options.durationScale ?? 1,
      tokenTtlMs: options.tokenTtlMs ?? Infinity,
    });
    this.wireModes = { ...DEFAULT_WIRE, ...options.wire };
    this.api = new Api(this.state, () => this.wireModes, options.authFailureStatus ?? 401);
    this.timetable = new Timetable(this.state, (line) => this.options.log?.(line));
    for (const entry of initialTimetable(options.timetable, this.state)) {
      this.timetable.add(entry);
    }
    server.on('connection', (socket) => this.onConnection(socket));
    server.on('request', (req, res) => void this.onRequest(req, res));
  }

  static async start(options: SimulatorOptions = {}): Promise<PyramidSimulator> {
    const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }) : createServer();
    const simulator = new PyramidSimulator(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    simulator.tickTimetable();
    return simulator;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Requests to one API method ('tasks/runSchedule'), or all requests. */
  count(path?: string): number {
    if (path === undefined) {
      return this.requests.length;
    }
    const wanted = path.replace(/^\/?api3\//i, '').toLowerCase();
    return this.requests.filter((request) => request.path.toLowerCase() === wanted).length;
  }

  clearLog(): void {
    this.requests.length = 0;
    this.connectionsOpened = 0;
  }

  inject(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setWire(modes: Partial<WireModes>): void {
    this.wireModes = { ...this.wireModes, ...modes };
  }

  issueToken(userName = 'admin'): string {
    const user = this.state.users.find((candidate) => candidate.userName.toLowerCase() === userName.toLowerCase());
    if (!user) {
      throw new Error(`No simulated user '${userName}'`);
    }
    return this.state.tokens.issue(user, this.state.now());
  }

  expireAllTokens(): void {
    this.state.tokens.expireAll();
  }

  /**
   * How reRunTask answers from now on: by default the task runs again under its own id and succeeds; `mode:
   * 'newExecution'` starts a new run of its schedule instead; `refusal` answers `success: false` with that message.
   */
  setRerunBehaviour(behaviour: Partial<RerunBehaviour>): void {
    this.state.rerunBehaviour = { ...this.state.rerunBehaviour, ...behaviour };
  }

  /** The outputs getTaskOutputs lists for this task once it has finished, instead of its one generated file. */
  setTaskOutputs(taskId: string, outputs: { id: string; name?: string }[]): void {
    this.state.outputOverrides.set(taskId.toLowerCase(), outputs.map((output) => ({ id: output.id, name: output.name ?? null })));
  }

  /** Forgets every execution, as a server restart would; schedules and tokens stay. */
  restart(): void {
    this.state.forgetExecutions();
  }

  /** The live schedule with this name or id, deleted ones included. */
  schedule(nameOrId: string): SimSchedule {
    const schedule = this.state.schedules.lookup(nameOrId);
    if (!schedule) {
      throw new Error(`No simulated schedule '${nameOrId}'`);
    }
    return schedule;
  }

  /**
   * Replaces the schedule's past runs with successful ones that took these durations (newest first, ms from
   * start to end), one a day before now, on the schedule's current behaviour scaled to each duration.
   */
  setHistory(nameOrId: string, durationsMs: readonly number[]): void {
    this.state.setHistory(this.schedule(nameOrId), durationsMs);
  }

  /** Every schedule, deleted ones included. */
  get allSchedules(): readonly SimSchedule[] {
    return this.state.schedules.all;
  }

  /**
   * Starts one run of the schedule now, as Pyramid's own scheduler does: no runSchedule request is made or recorded,
   * but the run is in getExecutions with its tasks and moves on the simulator clock like any other. `outcome` forces
   * how it ends ('succeeded', 'failed' with the schedule's task error, ...; default its own behaviour); `at` backdates
   * it (a run that failed overnight). Returns the execution id.
   */
  startScheduledRun(nameOrId: string, options?: ScheduledRunOptions): string {
    return this.timetable.start(nameOrId, options).id;
  }

  /** Puts a schedule on the timetable (or replaces its entry), so it starts runs on its own. */
  addToTimetable(entry: TimetableEntry): void {
    this.timetable.add(entry);
    this.tickTimetable();
  }

  /**
   * Switches the timetable's automatic runs on or off for one schedule on it, or for all. Runs that fell due before
   * the switch still start; runs missed while off are not made up.
   */
  setTimetableEnabled(enabled: boolean, nameOrId?: string): void {
    this.timetable.setEnabled(enabled, nameOrId);
  }

  /** The schedules on the timetable, with their next run time and how many runs each started. */
  get timetableEntries(): readonly TimetableEntryState[] {
    this.timetable.catchUp();
    return this.timetable.entries;
  }

  /** Every run the scheduler started (by the timetable or startScheduledRun), oldest first; clearLog leaves them. */
  get scheduledRuns(): readonly ScheduledRun[] {
    this.timetable.catchUp();
    return this.timetable.runs;
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timetableTick);
    this.timetableTick = undefined;
    for (const timer of this.pendingDelays) {
      clearTimeout(timer);
    }
    this.pendingDelays.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    return closed;
  }

  private onConnection(socket: Socket): void {
    this.connectionsOpened++;
    this.connectionIds.set(socket, ++this.lastConnectionId);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const pathname = (req.url ?? '/').split('?')[0];
    const apiMethod = apiMethodOf(pathname);
    const token = req.headers['patoken'];
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: apiMethod ?? pathname,
      body: '',
      token: Array.isArray(token) ? token[0] : token,
      status: 0,
      bytes: 0,
      at: this.state.now(),
      connectionId: this.connectionIds.get(req.socket) ?? 0,
    };
    this.requests.push(record);
    record.url = req.url ?? '/';
    try {
      record.body = await readBody(req);
    } catch {
      return; // the client went away mid-request
    }

    const warnings: string[] = [];
    const fault = this.faults.take(record.path);
    if (fault?.kind === 'latency') {
      await this.delay(fault.ms);
    }
    this.timetable.catchUp();
    // The server's own clock, as a real server's Date header gives it (the client learns the offset from it).
    res.setHeader('Date', new Date(this.state.now()).toUTCString());
    if (fault && fault.kind !== 'latency') {
      record.status = sendFault(req, res, fault);
    } else {
      const call = { httpMethod: record.method, apiMethod, body: record.body, token: record.token };
      const page = apiMethod === undefined ? this.api.page(record.method, new URL(req.url ?? '/', 'http://simulator')) : undefined;
      const reply = page ?? this.api.handle(call, (warning) => warnings.push(warning));
      record.status = reply.status;
      send(res, reply);
    }
    record.bytes = Number(res.getHeader('Content-Length') ?? 0);

    const ms = Math.round(performance.now() - started);
    const faultNote = fault ? ` (fault: ${describe(fault)})` : '';
    this.options.log?.(`${record.method} ${pathname} ${record.status || 'dropped'} ${ms}ms${faultNote}`);
    for (const warning of warnings) {
      this.options.log?.(`  warning: ${record.path} ${warning}`);
    }
  }

  /** Looks at the clock every second while anything is on the timetable; stop() ends it. */
  private tickTimetable(): void {
    if (this.stopped || this.timetableTick || this.timetable.isEmpty) {
      return;
    }
    this.timetable.catchUp();
    this.timetableTick = setInterval(() => this.timetable.catchUp(), TIMETABLE_TICK_MS);
  }

  /** Waits in real time; stop() cancels the wait so a long latency never holds the process open. */
  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.add(timer);
    });
  }
}

function initialTimetable(option: SimulatorOptions['timetable'], state: SimulatorState): TimetableEntry[] {
  if (option === undefined) {
    return [];
  }
  if (option === 'fixture') {
    return fixtureTimetable(state.schedules.all, state.now());
  }
  if (Array.isArray(option)) {
    return option;
  }
  return demoTimetable(option.demoEveryMs, state.now());
}

function describe(fault: Fault): string {
  switch (fault.kind) {
    case 'latency':
      return `latency ${fault.ms}ms`;
    case 'status':
    case 'html':
      return `${fault.kind} ${fault.status ?? 502}`;
    default:
      return fault.kind;
  }
}
