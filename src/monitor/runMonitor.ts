/**
 * Watches runs until they end: the one object the rest of the extension uses. The scheduler
 * (scheduler.ts) decides when to poll; the run book (runBook.ts) holds the runs and saves them; this
 * file polls a run and decides what the answer means.
 *
 * A run is an execution (polled with `getScheduleExecutionStatus`) or a single task (polled with
 * `getTaskData`), reported the same way. Errors back off and, after several in a row, stall the run
 * (kept, with Retry); an authentication error pauses every run of that server until sign-in. Nothing
 * a listener, the store or a bug throws ends polling: such errors are logged and polling goes on.
 */
import { EnumValue, PyramidClient, PyramidHttpError, Task, TaskStatus, isSignInNeeded, taskOutcome } from '../api';
import { Estimate, endWindow, estimateLabel, isLongerThanUsual } from './estimates';
import { Emitter, Event } from '../util/events';
import { shortId } from '../util/format';
import { Logger, RunBook } from './runBook';
import { ExecutionRef, FinalOutcome, FinishedRun, RerunMark, Run, RunRef, RunStore, TaskRef, WatchedRun, describeRun, isBadOutcome, isFinalOutcome, originOf, runId, statusLabel, taskErrorText } from './runs';
import { Clock, Intervals, PollScheduler } from './scheduler';

export { systemClock } from './scheduler';
export type { Clock } from './scheduler';
export type { Logger } from './runBook';

/** The part of the client the monitor uses. */
export type StatusApi = Pick<PyramidClient, 'getScheduleExecutionStatus' | 'getTasks' | 'getTaskData' | 'getExecutions'>;

export interface MonitorOptions {
  clock: Clock;
  intervals: () => Intervals;
  isFocused: () => boolean;
  /** A client holding the token of that server, or undefined when signed out there. */
  clientFor: (serverUrl: string) => Promise<StatusApi | undefined>;
  store: RunStore;
  log: Logger;
  /**
   * How long runs of the run's schedule usually take, from its history; undefined without one. Asked
   * once per run, after its first status answer, never before it.
   */
  estimate?: (run: WatchedRun) => Promise<Estimate | undefined>;
}

export interface Transition {
  run: WatchedRun;
  from: EnumValue<TaskStatus> | undefined;
  to: EnumValue<TaskStatus>;
}

/** How many failed polls in a row stall a run. */
export const MAX_CONSECUTIVE_ERRORS = 4;
/** How many more polls a FINISHED_RENDERING run gets before it counts as finished. */
export const RENDERING_GRACE_POLLS = 2;
/** Polls of a re-run task still reading its previous run before the schedule's runs are searched for a new one. */
export const RERUN_UNCHANGED_POLLS = 3;
/** Polls of a re-run task still reading its previous run, with no new run of the schedule, before that status is taken as its end. */
export const RERUN_GIVE_UP_POLLS = 12;

/** What one poll read: the status, and for a task the task itself, which holds its error text. */
interface Answer {
  status: EnumValue<TaskStatus>;
  task?: Task;
}

export class RunMonitor {
  /** When the runs are polled. Its `nextPollAt` says whether a timer is set: none while nothing is watched. */
  readonly scheduler: PollScheduler;
  private readonly runs: RunBook;
  /** Polls seen in FINISHED_RENDERING per run: not worth persisting. */
  private readonly renderingPolls = new Map<string, number>();
  /** Origins whose token was refused: their runs wait for a new sign-in. */
  private readonly authPausedOrigins = new Set<string>();
  /** Per watched run: its schedule's estimate, the estimate label last shown, and whether it overstayed. */
  private readonly estimates = new Map<string, Estimate>();
  private readonly shownLabels = new Map<string, string>();
  private readonly overstayed = new Set<string>();
  private readonly estimateAsked = new Set<string>();

  // A listener that throws is logged: it must neither skip the other listeners nor break polling.
  private readonly onListenerError = (error: unknown) => this.unexpected('an event listener', error);
  private readonly transitionEmitter = new Emitter<Transition>(this.onListenerError);
  private readonly finishEmitter = new Emitter<FinishedRun>(this.onListenerError);
  private readonly stallEmitter = new Emitter<WatchedRun>(this.onListenerError);
  private readonly authEmitter = new Emitter<string>(this.onListenerError);
  private readonly loseEmitter = new Emitter<WatchedRun>(this.onListenerError);
  private readonly overstayEmitter = new Emitter<WatchedRun>(this.onListenerError);

  /** A status change of a watched run (including the first status seen). */
  readonly onDidTransition = this.transitionEmitter.event;
  /** A run reached its final status; fired once per run. */
  readonly onDidFinish = this.finishEmitter.event;
  /** Anything the status bar or the tree shows changed: the run that did, or undefined when several did. */
  readonly onDidChange: Event<Run | undefined>;
  /** A run stopped being polled after repeated errors (it stays listed, with Retry). */
  readonly onDidStall = this.stallEmitter.event;
  /** The server of this origin asked for a new sign-in; fired once until `resumeOrigin`. */
  readonly onDidRequireSignIn = this.authEmitter.event;
  /** The server no longer knows a run (it restarted, or the run was purged): it is no longer watched. */
  readonly onDidLose = this.loseEmitter.event;
  /** A run became longer than usual for its schedule; fired once per run. */
  readonly onDidOverstay = this.overstayEmitter.event;

  constructor(private readonly options: MonitorOptions) {
    this.runs = new RunBook(options.store, options.log, this.onListenerError);
    this.onDidChange = this.runs.onDidChange;
    this.scheduler = new PollScheduler({
      clock: options.clock,
      intervals: options.intervals,
      isFocused: options.isFocused,
      poll: (id) => this.poll(id),
      unexpected: (where, error) => this.unexpected(where, error),
    });
  }

  get watched(): readonly WatchedRun[] {
    return this.runs.watched;
  }

  get recent(): readonly FinishedRun[] {
    return this.runs.recent;
  }

  /** A watched run of this schedule (its execution or one of its tasks), if any. */
  watchedRunOf(scheduleId: string): WatchedRun | undefined {
    return this.runs.watchedRunOf(scheduleId);
  }

  /**
   * Reads the saved runs, migrating older versions; polling of the watched ones starts on the next
   * tick, never inside this call. Runs that cannot be polled safely are dropped and logged.
   */
  restore(): void {
    const watched = this.runs.restore();
    if (watched.length) {
      this.options.log.info(`Resuming ${watched.length} watched run(s) from the last session.`);
      watched.forEach((run) => this.scheduler.add(runId(run), this.elapsed(run)));
    }
  }

  /** How long runs of this run's schedule usually take, once its history was read; undefined without one. */
  estimateOf(run: Run): Estimate | undefined {
    return this.estimates.get(runId(run));
  }

  /** `about 3 min left` or `longer than usual` for a watched run with an estimate, else undefined. */
  estimateLabelOf(run: WatchedRun): string | undefined {
    const estimate = this.estimates.get(runId(run));
    return estimate && estimateLabel(estimate, this.elapsed(run));
  }

  /**
   * Starts watching a run; the first poll happens at once. Without `kind`, an execution. `startedAt`
   * (wall clock) is for a run that started earlier, such as one the server's scheduler started; by
   * default the run starts now.
   */
  watch(ref: RunRef | Omit<ExecutionRef, 'kind'>, options: { startedAt?: number } = {}): WatchedRun {
    const full: RunRef = 'kind' in ref ? ref : { ...ref, kind: 'execution' };
    const existing = this.runs.get(runId(full));
    if (existing) {
      return existing;
    }
    const run: WatchedRun = { ...full, state: 'watching', startedAt: options.startedAt ?? this.options.clock.wallNow() };
    this.runs.add(run);
    this.runs.changed(run);
    this.scheduler.add(runId(run), this.elapsed(run));
    void this.scheduler.pollDue();
    return run;
  }

  /** Stops polling a run, given as itself or its `runId` (an execution's id); it goes on on the server. */
  stopWatching(run: RunRef | string): void {
    const watched = this.runs.get(typeof run === 'string' ? run : runId(run));
    if (!watched) {
      return;
    }
    this.forget(watched);
    this.runs.remove(watched);
    this.options.log.info(`${describeRun(watched)}: stopped watching (last status: ${statusLabel(watched)}).`);
    this.runs.changed(watched);
  }

  /** Polls a stalled run again (and every other stalled run of its server). */
  retry(run: RunRef | string): void {
    const stalled = this.runs.get(typeof run === 'string' ? run : runId(run));
    if (stalled?.state === 'stalled') {
      this.resumeRuns((candidate) => candidate.state === 'stalled' && candidate.serverUrl === stalled.serverUrl);
    }
  }

  /** After a new sign-in to this origin (tokens belong to origins): polls the runs paused for it. */
  resumeOrigin(origin: string): void {
    this.authPausedOrigins.delete(origin);
    this.resumeRuns((run) => originOf(run) === origin && run.state === 'paused');
  }

  /** Focus changes the cadence. */
  focusChanged(): void {
    this.scheduler.focusChanged();
  }

  /** Forgets the finished runs shown by the status bar. */
  clearRecent(): void {
    this.runs.clearRecent();
    this.runs.changed(undefined);
  }

  dispose(): void {
    this.scheduler.dispose();
    this.runs.dispose();
    for (const emitter of [this.transitionEmitter, this.finishEmitter, this.stallEmitter, this.authEmitter, this.loseEmitter, this.overstayEmitter]) {
      emitter.dispose();
    }
  }

  private resumeRuns(filter: (run: WatchedRun) => boolean): void {
    const resumed = this.runs.watched.filter(filter);
    if (!resumed.length) {
      return;
    }
    for (const run of resumed) {
      run.state = 'watching';
      run.problem = undefined;
      this.scheduler.add(runId(run), this.elapsed(run));
      this.planWindow(run);
    }
    this.runs.changed(resumed.length === 1 ? resumed[0] : undefined);
    void this.scheduler.pollDue();
  }

  /** No more polls of this run, and none of its bookkeeping. */
  private forget(run: WatchedRun): void {
    const id = runId(run);
    this.scheduler.remove(id);
    this.renderingPolls.delete(id);
    this.estimates.delete(id);
    this.shownLabels.delete(id);
    this.overstayed.delete(id);
    this.estimateAsked.delete(id);
  }

  /** How long the run has been going, on this machine's clock. */
  private elapsed(run: WatchedRun): number {
    return this.options.clock.wallNow() - run.startedAt;
  }

  /** Reads the estimate of a whole run (a single task's time says nothing about its schedule's runs). */
  private learn(run: WatchedRun): void {
    this.estimateAsked.add(runId(run));
    if (run.kind !== 'execution' || !this.options.estimate) {
      return;
    }
    this.options.estimate(run).then(
      (estimate) => {
        if (estimate && this.runs.get(runId(run)) === run) {
          this.estimates.set(runId(run), estimate);
          this.planWindow(run);
          this.estimateChecked(run);
          this.runs.changed(run);
        }
      },
      (error: unknown) => this.options.log.warn(`${describeRun(run)}: could not read its run history for an estimate: ${errorText(error)}`),
    );
  }

  /** Once the run is running (its queue time says nothing about its end) and its history is known, polls aim at its end. */
  private planWindow(run: WatchedRun): void {
    const estimate = this.estimates.get(runId(run));
    if (estimate && run.status?.code === TaskStatus.Running) {
      this.scheduler.planWindow(runId(run), endWindow(estimate));
    }
  }

  /** After each answer: whether the run just became longer than usual, and whether its estimate label changed. */
  private estimateChecked(run: WatchedRun): boolean {
    const id = runId(run);
    const estimate = this.estimates.get(id);
    if (!estimate) {
      return false;
    }
    if (!this.overstayed.has(id) && isLongerThanUsual(estimate, this.elapsed(run))) {
      this.overstayed.add(id);
      this.overstayEmitter.fire(run);
    }
    const label = estimateLabel(estimate, this.elapsed(run));
    if (this.shownLabels.get(id) === label) {
      return false;
    }
    this.shownLabels.set(id, label);
    return true;
  }

  private async poll(id: string): Promise<void> {
    const run = this.runs.get(id);
    if (!run) {
      return;
    }
    try {
      const client = await this.options.clientFor(run.serverUrl);
      if (!client) {
        this.pauseForSignIn(originOf(run), 'Signed out of this server.');
        return;
      }
      const answer = await readStatus(run, client);
      if (this.runs.get(id) !== run) {
        return; // Stopped watching while the poll was under way.
      }
      await this.apply(run, answer, client);
    } catch (error) {
      if (this.runs.get(id) === run) {
        this.failed(run, error);
      }
    }
  }

  private async apply(run: WatchedRun, { status, task }: Answer, client: StatusApi): Promise<void> {
    if (run.kind === 'task' && run.rerun && task) {
      if (!readsAsPrevious(run.rerun, task)) {
        run.rerun = undefined; // The task shows its new run: from here on it is polled like any task.
      } else if (await this.stillWaitingForRerun(run, run.rerun, client)) {
        return;
      }
    }
    const id = runId(run);
    const from = run.status;
    const changed = from?.label !== status.label;
    run.status = status;
    this.scheduler.answered(id, changed);
    if (changed) {
      this.planWindow(run);
      this.transitionEmitter.fire({ run, from, to: status });
    }

    let outcome = taskOutcome(status);
    if (outcome === 'rendering') {
      const polls = (this.renderingPolls.get(id) ?? 0) + 1;
      this.renderingPolls.set(id, polls);
      outcome = polls > RENDERING_GRACE_POLLS ? 'succeeded' : 'active';
    } else {
      this.renderingPolls.delete(id);
    }
    if (isFinalOutcome(outcome)) {
      this.forget(run);
      // A task's own answer holds its error text; an execution's takes one more request.
      const taskErrors = !isBadOutcome(outcome) ? undefined : task ? [taskErrorText(task)] : await this.taskErrors(run, client);
      this.finish(run, status, outcome, taskErrors);
    } else if (!this.estimateAsked.has(id)) {
      // The history is read once the first status of this session is in: it never delays that check,
      // and a run that was already over needs none.
      this.learn(run);
      this.runs.changed(run);
    } else if (this.estimateChecked(run) || changed) {
      this.runs.changed(run);
    }
  }

  /**
   * The task still reads as its previous run. Assumption (spec U19): reRunTask runs the task again under
   * the same id, so this is a re-run not started yet. After a few such polls, a run of the schedule that
   * was not there before means the server ran the schedule instead: that run is followed (and logged).
   * After many, with no new run anywhere, the previous run's status is taken as the answer.
   * True while the run should go on waiting.
   */
  private async stillWaitingForRerun(run: WatchedRun & TaskRef, mark: RerunMark, client: StatusApi): Promise<boolean> {
    mark.unchangedPolls++;
    if (mark.unchangedPolls >= RERUN_UNCHANGED_POLLS) {
      const executions = await client.getExecutions(run.scheduleId);
      if (this.runs.get(runId(run)) !== run) {
        return true; // Stopped watching meanwhile.
      }
      const known = new Set(mark.knownExecutions);
      const started = executions.find((execution) => !known.has(execution.id));
      if (started) {
        this.options.log.info(
          `${describeRun(run)}: the task still reads as its previous run after ${mark.unchangedPolls} checks, but a new run of the schedule appeared (${shortId(started.id)}): following that run instead.`,
        );
        this.forget(run);
        this.runs.remove(run);
        this.watch({ kind: 'execution', executionId: started.id, scheduleId: run.scheduleId, scheduleName: run.scheduleName, serverUrl: run.serverUrl }, { startedAt: run.startedAt });
        return true;
      }
      if (mark.unchangedPolls >= RERUN_GIVE_UP_POLLS) {
        this.options.log.warn(`${describeRun(run)}: the task did not run again after ${mark.unchangedPolls} checks and no new run of the schedule appeared; taking its status as the result.`);
        run.rerun = undefined;
        return false;
      }
    }
    this.scheduler.answered(runId(run), false);
    this.runs.changed(run); // saves the count, so a reload goes on from it
    return true;
  }

  private finish(run: WatchedRun, status: EnumValue<TaskStatus>, outcome: FinalOutcome, taskErrors: string[] | undefined): void {
    const finished: FinishedRun = { ...run, state: 'finished', status, outcome, finishedAt: this.options.clock.wallNow(), ...(taskErrors && { taskErrors }) };
    const changed = this.runs.finish(finished);
    this.finishEmitter.fire(finished);
    this.runs.changed(changed);
  }

  private async taskErrors(run: WatchedRun, client: StatusApi): Promise<string[]> {
    try {
      const tasks = await client.getTasks(run.executionId);
      return tasks.filter((task) => isBadOutcome(taskOutcome(task.status))).map(taskErrorText);
    } catch (error) {
      this.options.log.warn(`${describeRun(run)}: could not read the task errors: ${errorText(error)}`);
      return [];
    }
  }

  private failed(run: WatchedRun, error: unknown): void {
    const message = errorText(error);
    if (isSignInNeeded(error)) {
      this.pauseForSignIn(originOf(run), message);
      return;
    }
    if (isUnknownRun(error)) {
      this.forget(run);
      this.runs.remove(run);
      run.problem = message;
      this.options.log.warn(`${describeRun(run)}: the server no longer knows this run (${message}); stopped watching.`);
      this.loseEmitter.fire(run);
      this.runs.changed(run);
      return;
    }
    const errors = this.scheduler.failed(runId(run));
    this.options.log.warn(`${describeRun(run)}: status poll failed (${errors} in a row): ${message}`);
    if (errors >= MAX_CONSECUTIVE_ERRORS) {
      this.scheduler.remove(runId(run));
      run.state = 'stalled';
      run.problem = message;
      this.options.log.error(`${describeRun(run)}: stopped polling after ${errors} failed polls in a row.`);
      this.stallEmitter.fire(run);
      this.runs.changed(run);
    }
  }

  private pauseForSignIn(origin: string, message: string): void {
    for (const run of this.runs.watched) {
      if (originOf(run) === origin && run.state === 'watching') {
        this.scheduler.remove(runId(run));
        run.state = 'paused';
        run.problem = message;
      }
    }
    this.runs.changed(undefined);
    if (!this.authPausedOrigins.has(origin)) {
      this.authPausedOrigins.add(origin);
      this.options.log.warn(`Polling paused for ${origin}: ${message}`);
      this.authEmitter.fire(origin);
    }
  }

  /** A bug, not a server answer: logged with its stack, so polling goes on and the cause is findable. */
  private unexpected(where: string, error: unknown): void {
    this.options.log.error(`Unexpected error in ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

/** The task's status and dates are still those of the run before the re-run. */
function readsAsPrevious(mark: RerunMark, task: Task): boolean {
  return (
    isFinalOutcome(taskOutcome(task.status)) &&
    task.status.label === mark.status &&
    task.startDate?.getTime() === mark.startedAt &&
    task.endDate?.getTime() === mark.endedAt
  );
}

/** One request either way: an execution's status, or a task with its status and error text. */
async function readStatus(run: RunRef, client: StatusApi): Promise<Answer> {
  if (run.kind === 'task') {
    const task = await client.getTaskData(run.taskId);
    return { status: task.status, task };
  }
  return { status: await client.getScheduleExecutionStatus(run.executionId) };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A poll refused because the execution or task id is unknown: 404, or a 400 saying so. */
function isUnknownRun(error: unknown): boolean {
  return (
    error instanceof PyramidHttpError &&
    (error.status === 404 || (error.status === 400 && /not found|unknown|does not exist|no such/i.test(error.serverText)))
  );
}
