import { TaskStatus, TaskStatusCode } from './codes';
import { PastOutcome, SimSchedule, TaskError, TaskSpec } from './schedules';

/** Trigger evaluation takes this long (before durationScale), after the evaluation queue. */
const EVALUATION_MS = 2000;

/** A status that lasts until `untilMs` after the execution was launched. */
interface Phase {
  status: TaskStatusCode;
  untilMs: number;
}

export interface SimTask {
  readonly id: string;
  readonly description: string;
  readonly phases: readonly Phase[];
  readonly outcome: TaskStatusCode;
  readonly error?: TaskError;
  readonly successSummary: string;
}

/** A task run again under its own id (reRunTask): it runs from `at` for `runMs`, then ends with `outcome`. */
export interface TaskRerun {
  at: number;
  runMs: number;
  outcome: TaskStatusCode;
  error?: TaskError;
}

/** One launch of a schedule. Task states are derived from the clock, so no timers are involved. */
export class SimExecution {
  /** Tasks run again under their own id, by task id: the latest re-run replaces the task's first run. */
  private readonly reruns = new Map<string, TaskRerun>();

  constructor(
    readonly id: string,
    readonly schedule: SimSchedule,
    readonly launchedAt: number,
    readonly tasks: readonly SimTask[],
  ) {}

  /** Runs the task again from `at`, as long as its first run took (at least a second), ending with `outcome`. */
  rerun(task: SimTask, at: number, outcome: TaskStatusCode): void {
    const first = this.taskStart(task, Infinity) ?? this.launchedAt;
    const runMs = Math.max(1000, this.launchedAt + task.phases[task.phases.length - 1].untilMs - first);
    this.reruns.set(task.id, { at, runMs, outcome, error: outcome === TaskStatus.ERROR ? task.error : undefined });
  }

  rerunOf(task: SimTask): TaskRerun | undefined {
    return this.reruns.get(task.id);
  }

  taskStatus(task: SimTask, now: number): TaskStatusCode {
    const rerun = this.reruns.get(task.id);
    if (rerun) {
      return now < rerun.at + rerun.runMs ? TaskStatus.RUNNING : rerun.outcome;
    }
    const elapsed = now - this.launchedAt;
    return task.phases.find((phase) => elapsed < phase.untilMs)?.status ?? task.outcome;
  }

  /** The error of the task's latest run, if it failed. */
  taskError(task: SimTask): TaskError | undefined {
    const rerun = this.reruns.get(task.id);
    return rerun ? rerun.error : task.error;
  }

  /** When the task left its queue, or null while it is still queued. */
  taskStart(task: SimTask, now: number): number | null {
    const rerun = this.reruns.get(task.id);
    if (rerun) {
      return now >= rerun.at ? rerun.at : null;
    }
    const first = task.phases[0];
    const queued = first.status === TaskStatus.PENDING || first.status === TaskStatus.PENDING_FOR_EVALUATION;
    const started = this.launchedAt + (queued ? first.untilMs : 0);
    return now >= started ? started : null;
  }

  taskEnd(task: SimTask, now: number): number | null {
    const rerun = this.reruns.get(task.id);
    const ended = rerun ? rerun.at + rerun.runMs : this.launchedAt + task.phases[task.phases.length - 1].untilMs;
    return now >= ended ? ended : null;
  }

  endDate(now: number): number | null {
    const ends = this.tasks.map((task) => this.taskEnd(task, now));
    return ends.includes(null) ? null : Math.max(...(ends as number[]));
  }

  status(now: number): TaskStatusCode {
    return aggregateStatus(this.tasks.map((task) => this.taskStatus(task, now)));
  }
}

/** Most advanced first: an execution with one running task is RUNNING even if others still wait. */
const ACTIVE_BY_PRECEDENCE: TaskStatusCode[] = [
  TaskStatus.CANCELING,
  TaskStatus.RUNNING,
  TaskStatus.DURING_LOCK,
  TaskStatus.RUNNING_EVALUATION,
  TaskStatus.DURING_LOCK_EVALUATION,
  TaskStatus.PENDING,
  TaskStatus.PENDING_FOR_EVALUATION,
];

const SUCCEEDED: TaskStatusCode[] = [TaskStatus.FINISHED, TaskStatus.FINISHED_RENDERING];

/**
 * One status for a whole execution (spec U7): the most advanced active status while anything runs;
 * then ERROR if every task failed, FINISHED_WITH_ERRORS if only some did, otherwise the common outcome.
 */
export function aggregateStatus(statuses: TaskStatusCode[]): TaskStatusCode {
  const active = ACTIVE_BY_PRECEDENCE.find((status) => statuses.includes(status));
  if (active !== undefined) {
    return active;
  }
  const failed = statuses.filter((status) => status === TaskStatus.ERROR).length;
  if (failed === statuses.length) {
    return TaskStatus.ERROR;
  }
  if (failed > 0 || statuses.includes(TaskStatus.FINISHED_WITH_ERRORS)) {
    return TaskStatus.FINISHED_WITH_ERRORS;
  }
  if (statuses.every((status) => status === TaskStatus.STOPPED_AFTER_EVALUATION)) {
    return TaskStatus.STOPPED_AFTER_EVALUATION;
  }
  if (statuses.every((status) => SUCCEEDED.includes(status))) {
    return TaskStatus.FINISHED;
  }
  return statuses.find((status) => !SUCCEEDED.includes(status)) ?? TaskStatus.FINISHED;
}

export interface ExecutionPlan {
  executionId: string;
  taskIds: string[];
  launchedAt: number;
  outcome: PastOutcome;
  evaluateTriggers: boolean;
  durationScale: number;
}

/** How a run started now ends, from the schedule's fixture behaviour. */
export function liveOutcome(schedule: SimSchedule, checkTriggers: boolean): PastOutcome {
  if (checkTriggers && !schedule.run.triggerMet) {
    return 'notTriggered';
  }
  return schedule.run.tasks.some((task) => task.error) ? 'failed' : 'ok';
}

/** Lays out the phases of every task: optional trigger evaluation, then the tasks one after another. */
export function planExecution(schedule: SimSchedule, plan: ExecutionPlan): SimExecution {
  const scale = (ms: number) => Math.round(ms * plan.durationScale);
  const evaluates = plan.evaluateTriggers || plan.outcome === 'notTriggered';
  const queueMs = scale(schedule.run.pendingMs);
  const evaluationEnd = evaluates ? queueMs + scale(EVALUATION_MS) : 0;
  const evaluation: Phase[] = evaluates
    ? [
        { status: TaskStatus.PENDING_FOR_EVALUATION, untilMs: queueMs },
        { status: TaskStatus.RUNNING_EVALUATION, untilMs: evaluationEnd },
      ]
    : [];

  const specs = schedule.run.tasks;
  let startMs = evaluates ? evaluationEnd : queueMs;
  const tasks = specs.map((spec, index): SimTask => {
    const base = {
      id: plan.taskIds[index],
      description: spec.description,
      successSummary: spec.summary ?? schedule.run.successSummary,
    };
    if (plan.outcome === 'notTriggered') {
      return { ...base, phases: evaluation, outcome: TaskStatus.STOPPED_AFTER_EVALUATION };
    }
    const endMs = startMs + scale(spec.runMs);
    // PENDING until its turn: the queue for the first task, the task before it for the others.
    const queued: Phase[] = startMs > evaluationEnd ? [{ status: TaskStatus.PENDING, untilMs: startMs }] : [];
    const phases = [...evaluation, ...queued, { status: TaskStatus.RUNNING, untilMs: endMs }];
    startMs = endMs;
    const error = taskError(spec, plan.outcome, index === specs.length - 1);
    return { ...base, phases, error, outcome: error ? TaskStatus.ERROR : TaskStatus.FINISHED };
  });
  return new SimExecution(plan.executionId, schedule, plan.launchedAt, tasks);
}

function taskError(spec: TaskSpec, outcome: PastOutcome, isLast: boolean): TaskError | undefined {
  if (outcome === 'failed') {
    return spec.error;
  }
  if (typeof outcome === 'object' && isLast) {
    return outcome;
  }
  return undefined;
}

/** Pyramid's error text with its parameters filled in. */
export function formatError(error: TaskError): string {
  return error.msg.replace(/\{(\d+)\}/g, (whole, index: string) => error.params[Number(index)] ?? whole);
}
