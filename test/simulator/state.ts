import { SimulatorClock } from './clock';
import { ScheduleStatus, ScheduleStatusCode, TaskStatus } from './codes';
import { liveOutcome, planExecution, SimExecution, SimTask } from './executions';
import { demoSchedules } from './fixture';
import { GeneratedHistory, generatedSchedule } from './generated';
import { randomGuid, stableGuid } from './ids';
import { PastOutcome, ScheduleQuery, ScheduleSpec, ScheduleStore, SimSchedule } from './schedules';
import { demoUsers, SimUser, TokenStore } from './users';
import { OutputItem, taskOutputs } from './views';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface StateOptions {
  schedules: 'demo' | number;
  /** Past runs of the generated schedules, the first entry for the first of them. */
  histories?: readonly GeneratedHistory[];
  clock: SimulatorClock;
  durationScale: number;
  tokenTtlMs: number;
}

/** How the simulated server answers reRunTask; tests change it through PyramidSimulator.setRerunBehaviour. */
export interface RerunBehaviour {
  /** 'sameTask' (default): the task runs again under its own id; 'newExecution': a new run of its schedule starts instead. */
  mode: 'sameTask' | 'newExecution';
  /** How the task's new run ends; default 'succeeded'. */
  outcome: 'succeeded' | 'failed';
  /** When set, reRunTask answers `success: false` with this message and runs nothing. */
  refusal?: string;
}

export interface ModifiedItemsResult {
  success: boolean;
  errorMessage: string;
  modifiedList: { id: string; name: null }[];
}

/** Everything the simulated Pyramid server knows, independent of HTTP. */
export class SimulatorState {
  readonly clock: SimulatorClock;
  readonly schedules: ScheduleStore;
  readonly users: SimUser[] = demoUsers();
  readonly tokens: TokenStore;
  private readonly durationScale: number;
  private executions = new Map<string, SimExecution>();
  private tasks = new Map<string, { execution: SimExecution; task: SimTask }>();
  rerunBehaviour: RerunBehaviour = { mode: 'sameTask', outcome: 'succeeded' };
  /** Outputs a test gave a task (by lower-case task id), instead of the one file each finished publication task has. */
  readonly outputOverrides = new Map<string, OutputItem[]>();

  constructor(options: StateOptions) {
    this.clock = options.clock;
    this.durationScale = options.durationScale;
    this.tokens = new TokenStore(options.tokenTtlMs);
    this.schedules = new ScheduleStore(scheduleSpecs(options.schedules, options.histories ?? []).map((spec) => new SimSchedule(spec)));
    this.seedHistory();
  }

  now(): number {
    return this.clock.now();
  }

  authenticate(userName: string, password: string): string | undefined {
    const user = this.users.find((candidate) => candidate.userName.toLowerCase() === userName.toLowerCase());
    if (!user || user.password !== password) {
      return undefined;
    }
    user.lastLoginDate = this.now();
    return this.tokens.issue(user, this.now());
  }

  findSchedules(query: ScheduleQuery): SimSchedule[] {
    return this.schedules.find(query);
  }

  runSchedule(scheduleId: string, checkTriggers: boolean): SimExecution | undefined {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) {
      return undefined;
    }
    return this.launch(schedule, { outcome: liveOutcome(schedule, checkTriggers), evaluateTriggers: checkTriggers, launchedAt: this.now() });
  }

  /** A new execution with fresh ids, however it was started: by runSchedule or by the scheduler. */
  launch(schedule: SimSchedule, run: { outcome: PastOutcome; evaluateTriggers: boolean; launchedAt: number }): SimExecution {
    const execution = planExecution(schedule, {
      executionId: randomGuid(),
      taskIds: schedule.run.tasks.map(() => randomGuid()),
      launchedAt: run.launchedAt,
      outcome: run.outcome,
      evaluateTriggers: run.evaluateTriggers,
      durationScale: this.durationScale,
    });
    this.add(execution);
    return execution;
  }

  execution(executionId: string): SimExecution | undefined {
    return this.executions.get(executionId.trim().toLowerCase());
  }

  task(taskId: string): { execution: SimExecution; task: SimTask } | undefined {
    return this.tasks.get(taskId.trim().toLowerCase());
  }

  /** Executions of a schedule, newest first (of two launched at the same time, the one started last). */
  executionsOf(schedule: SimSchedule): SimExecution[] {
    return [...this.executions.values()]
      .reverse()
      .filter((execution) => execution.schedule === schedule)
      .sort((a, b) => b.launchedAt - a.launchedAt);
  }

  suspend(scheduleId: string): ModifiedItemsResult {
    return this.changeStatus(scheduleId, [ScheduleStatus.IDLE], ScheduleStatus.HOLD, (name, status) =>
      status === ScheduleStatus.HOLD
        ? `Schedule '${name}' is already suspended`
        : `Schedule '${name}' is not active and cannot be suspended`,
    );
  }

  resume(scheduleId: string): ModifiedItemsResult {
    const resumable: ScheduleStatusCode[] = [ScheduleStatus.HOLD, ScheduleStatus.STOPPED, ScheduleStatus.DISABLED_AFTER_FAILURES];
    return this.changeStatus(scheduleId, resumable, ScheduleStatus.IDLE, (name, status) =>
      status === ScheduleStatus.IDLE
        ? `Schedule '${name}' is already active`
        : `Schedule '${name}' has ended and cannot be resumed`,
    );
  }

  /** The schedule's past runs become successful ones of these durations (newest first), one a day before now. */
  setHistory(schedule: SimSchedule, durationsMs: readonly number[]): void {
    for (const execution of this.executionsOf(schedule)) {
      this.executions.delete(execution.id.toLowerCase());
      execution.tasks.forEach((task) => this.tasks.delete(task.id.toLowerCase()));
    }
    const baseMs = schedule.run.pendingMs + schedule.run.tasks.reduce((sum, task) => sum + task.runMs, 0);
    durationsMs.forEach((ms, index) => {
      const seed = `history/${schedule.scheduleId}/${index}`;
      this.add(
        planExecution(schedule, {
          executionId: stableGuid(seed),
          taskIds: schedule.run.tasks.map((_, taskIndex) => stableGuid(`${seed}/task/${taskIndex}`)),
          launchedAt: this.now() - (index + 1) * DAY,
          outcome: 'ok',
          evaluateTriggers: false,
          durationScale: ms / baseMs,
        }),
      );
    });
  }

  /** reRunTask: the task runs again (or its schedule does), per `rerunBehaviour`. */
  rerunTask(taskId: string): ModifiedItemsResult {
    const found = this.task(taskId);
    if (!found) {
      return { success: false, errorMessage: `Task not found: ${taskId}`, modifiedList: [] };
    }
    const { refusal, mode, outcome } = this.rerunBehaviour;
    if (refusal !== undefined) {
      return { success: false, errorMessage: refusal, modifiedList: [] };
    }
    if (mode === 'newExecution') {
      const execution = this.launch(found.execution.schedule, { outcome: outcome === 'failed' ? 'failed' : 'ok', evaluateTriggers: false, launchedAt: this.now() });
      return { success: true, errorMessage: '', modifiedList: [{ id: execution.id, name: null }] };
    }
    found.execution.rerun(found.task, this.now(), outcome === 'failed' ? TaskStatus.ERROR : TaskStatus.FINISHED);
    return { success: true, errorMessage: '', modifiedList: [{ id: found.task.id, name: null }] };
  }

  /** A task's outputs (getTaskOutputs); none until a publication task has finished. */
  outputsOf(taskId: string): OutputItem[] | undefined {
    const found = this.task(taskId);
    return found && taskOutputs(found.execution, found.task, this.now(), this.outputOverrides);
  }

  /** The output with this id among every task's, for the fileDownload page. */
  findOutput(outputId: string): OutputItem | undefined {
    for (const { task } of this.tasks.values()) {
      const found = this.outputsOf(task.id)?.find((output) => output.id === outputId);
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  /** Forgets every execution, as a server restart does to in-memory job state. */
  forgetExecutions(): void {
    this.executions.clear();
    this.tasks.clear();
  }

  private changeStatus(
    scheduleId: string,
    allowedFrom: ScheduleStatusCode[],
    target: ScheduleStatusCode,
    refusal: (name: string, status: ScheduleStatusCode) => string,
  ): ModifiedItemsResult {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) {
      return { success: false, errorMessage: 'Schedule not found', modifiedList: [] };
    }
    if (!allowedFrom.includes(schedule.status)) {
      return { success: false, errorMessage: refusal(schedule.name, schedule.status), modifiedList: [] };
    }
    schedule.status = target;
    return { success: true, errorMessage: '', modifiedList: [{ id: schedule.scheduleId, name: null }] };
  }

  private add(execution: SimExecution): void {
    this.executions.set(execution.id.toLowerCase(), execution);
    for (const task of execution.tasks) {
      this.tasks.set(task.id.toLowerCase(), { execution, task });
    }
  }

  /** Past executions at the schedule's regular times before now, with stable ids. */
  private seedHistory(): void {
    const now = this.now();
    for (const schedule of this.schedules.all) {
      const { pastRuns, pastScales, runsAtUtc, everyHours } = schedule.spec;
      if (pastRuns.length === 0) {
        continue;
      }
      const every = everyHours * HOUR;
      const runMs = schedule.run.pendingMs + schedule.run.tasks.reduce((sum, task) => sum + task.runMs, 0);
      // The last of anchor + k × every (k any whole number) that has ended by now.
      const anchor = Math.floor(now / DAY) * DAY + minutesOfDay(runsAtUtc) * 60_000;
      const launchedAt = anchor + Math.floor((now - runMs - anchor) / every) * every;
      pastRuns.forEach((outcome, index) => {
        const seed = `execution/${schedule.scheduleId}/${index}`;
        this.add(
          planExecution(schedule, {
            executionId: stableGuid(seed),
            taskIds: schedule.run.tasks.map((_, taskIndex) => stableGuid(`${seed}/task/${taskIndex}`)),
            launchedAt: launchedAt - index * every,
            outcome,
            evaluateTriggers: false,
            durationScale: pastScales?.[index] ?? 1,
          }),
        );
      });
    }
  }
}

function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/** The demo fixture, topped up with generated schedules to reach the requested total. */
function scheduleSpecs(requested: 'demo' | number, histories: readonly GeneratedHistory[]): ScheduleSpec[] {
  const specs = demoSchedules();
  const total = requested === 'demo' ? specs.length : requested;
  for (let n = 1; specs.length < total; n++) {
    specs.push(generatedSchedule(n, histories[n - 1]));
  }
  return specs;
}
