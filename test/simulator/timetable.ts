// Pyramid's own scheduler: schedules that start runs on their own at their times, driven by the simulator clock.
//
// Nothing here needs a timer to be right: catchUp() starts every run that fell due up to the clock's now, each
// launched at the time it fell due, so a run noticed late looks exactly like one started on time. The server calls
// catchUp() before it answers a request and on a one-second tick (for the log lines of the CLI).
import { ScheduleStatus, ScheduleType } from './codes';
import { liveOutcome, SimExecution } from './executions';
import { PastOutcome, SimSchedule, TaskError } from './schedules';
import { SimulatorState } from './state';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** At most this many overdue runs per entry are started at once (the newest); older ones are skipped as misfires. */
const MAX_CATCH_UP = 50;

/** A run started this long after it fell due says so in its log line. */
const LATE_MS = 2000;

export interface TimetableEntry {
  /** Name or id of the schedule. */
  schedule: string;
  /** A run starts every this many ms of simulator time. */
  everyMs: number;
  /** Simulator time of the first run; default one period from when the entry is added. */
  firstAt?: number;
  /** Every n-th run of this entry (the 3rd, 6th, … for 3) fails, the others succeed. Default: the schedule's own behaviour. */
  failEvery?: number;
  /** Default true. */
  enabled?: boolean;
}

/**
 * How a run ends: 'own' as the schedule's fixture behaviour says (the default), 'succeeded', 'failed' with the
 * schedule's task errors (or a timeout on its last task when it has none), 'notTriggered', or this error on the last task.
 */
export type ScheduledOutcome = 'own' | 'succeeded' | 'failed' | 'notTriggered' | TaskError;

export interface ScheduledRunOptions {
  outcome?: ScheduledOutcome;
  /** Simulator time the run was launched; default now. May be in the past (a run that happened overnight), not in the future. */
  at?: number;
}

/** One run Pyramid's scheduler started (there is no runSchedule request for it). */
export interface ScheduledRun {
  executionId: string;
  scheduleId: string;
  scheduleName: string;
  /** Simulator time it was launched. */
  at: number;
  /** 'timetable': it fell due; 'control': a test started it with startScheduledRun. */
  by: 'timetable' | 'control';
  /** How it will end, as planned when it started. */
  outcome: 'succeeded' | 'failed' | 'notTriggered';
}

export interface TimetableEntryState {
  scheduleId: string;
  scheduleName: string;
  everyMs: number;
  nextAt: number;
  enabled: boolean;
  /** Runs this entry has started. */
  runs: number;
  failEvery?: number;
}

interface Entry {
  schedule: SimSchedule;
  everyMs: number;
  nextAt: number;
  enabled: boolean;
  runs: number;
  failEvery?: number;
}

export class Timetable {
  readonly runs: ScheduledRun[] = [];
  private readonly table: Entry[] = [];

  constructor(
    private readonly state: SimulatorState,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Puts a schedule on the timetable, or replaces its entry. */
  add(spec: TimetableEntry): void {
    const schedule = this.lookup(spec.schedule);
    if (!(spec.everyMs >= 1)) {
      throw new Error(`Timetable period for '${schedule.name}' must be at least 1 ms, got ${spec.everyMs}`);
    }
    if (spec.failEvery !== undefined && !(Number.isInteger(spec.failEvery) && spec.failEvery >= 1)) {
      throw new Error(`failEvery must be a whole number of at least 1, got ${spec.failEvery}`);
    }
    this.catchUp();
    const existing = this.table.findIndex((entry) => entry.schedule === schedule);
    if (existing >= 0) {
      this.table.splice(existing, 1);
    }
    this.table.push({
      schedule,
      everyMs: spec.everyMs,
      nextAt: spec.firstAt ?? this.state.now() + spec.everyMs,
      enabled: spec.enabled ?? true,
      runs: 0,
      failEvery: spec.failEvery,
    });
  }

  /** Switches the automatic runs of one schedule, or of every schedule on the timetable, on or off. */
  setEnabled(enabled: boolean, nameOrId?: string): void {
    // Runs that fell due before the switch still start; runs missed while off are not made up afterwards.
    this.catchUp();
    const schedule = nameOrId === undefined ? undefined : this.lookup(nameOrId);
    const entries = this.table.filter((entry) => schedule === undefined || entry.schedule === schedule);
    if (schedule && entries.length === 0) {
      throw new Error(`'${schedule.name}' is not on the simulator's timetable`);
    }
    for (const entry of entries) {
      entry.enabled = enabled;
    }
  }

  /** Every schedule on the timetable, in the order they were added. */
  get entries(): readonly TimetableEntryState[] {
    return this.table.map((entry) => ({
      scheduleId: entry.schedule.scheduleId,
      scheduleName: entry.schedule.name,
      everyMs: entry.everyMs,
      nextAt: entry.nextAt,
      enabled: entry.enabled,
      runs: entry.runs,
      failEvery: entry.failEvery,
    }));
  }

  get isEmpty(): boolean {
    return this.table.length === 0;
  }

  /** Starts every run that fell due up to now, each at the time it fell due. */
  catchUp(): void {
    const now = this.state.now();
    const due: { entry: Entry; at: number }[] = [];
    for (const entry of this.table) {
      if (entry.nextAt > now) {
        continue;
      }
      const missed = Math.floor((now - entry.nextAt) / entry.everyMs) + 1;
      const skipped = Math.max(0, missed - MAX_CATCH_UP);
      for (let index = skipped; index < missed; index++) {
        due.push({ entry, at: entry.nextAt + index * entry.everyMs });
      }
      entry.nextAt += missed * entry.everyMs;
    }
    // Oldest first, so the runs of one catch-up are recorded in the order Pyramid would have started them.
    due.sort((a, b) => a.at - b.at);
    for (const { entry, at } of due) {
      if (entry.enabled && runsOnItsOwn(entry.schedule, at)) {
        entry.runs++;
        const outcome = entry.failEvery === undefined ? 'own' : entry.runs % entry.failEvery === 0 ? 'failed' : 'succeeded';
        this.launch(entry.schedule, outcome, at, 'timetable');
      }
    }
  }

  /** Starts one run now (or at `options.at`, not later than now) as the scheduler would; for tests. */
  start(nameOrId: string, options: ScheduledRunOptions = {}): SimExecution {
    this.catchUp();
    const schedule = this.lookup(nameOrId);
    if (schedule.isDeleted) {
      throw new Error(`Simulated schedule '${schedule.name}' is deleted`);
    }
    const at = options.at ?? this.state.now();
    if (at > this.state.now()) {
      throw new Error('A scheduled run cannot start in the future; advance the clock instead');
    }
    return this.launch(schedule, options.outcome ?? 'own', at, 'control');
  }

  private launch(schedule: SimSchedule, outcome: ScheduledOutcome, at: number, by: ScheduledRun['by']): SimExecution {
    // Pyramid's scheduler evaluates an alert's trigger; other schedule types just run.
    const evaluateTriggers = schedule.type === ScheduleType.ALERT;
    const planned = plannedOutcome(schedule, outcome, evaluateTriggers);
    const execution = this.state.launch(schedule, { outcome: planned, evaluateTriggers, launchedAt: at });
    const ends = planned === 'ok' ? 'succeeded' : planned === 'notTriggered' ? 'notTriggered' : 'failed';
    this.runs.push({ executionId: execution.id, scheduleId: schedule.scheduleId, scheduleName: schedule.name, at, by, outcome: ends });
    const late = this.state.now() - at >= LATE_MS ? ` (due ${new Date(at).toISOString()})` : '';
    const how = ends === 'notTriggered' ? 'stop at its trigger' : ends === 'failed' ? 'fail' : 'succeed';
    this.log(`scheduler: started '${schedule.name}' ${execution.id}${late}, it will ${how}${by === 'control' ? ' (test control)' : ''}`);
    return execution;
  }

  private lookup(nameOrId: string): SimSchedule {
    const schedule = this.state.schedules.lookup(nameOrId);
    if (!schedule) {
      throw new Error(`No simulated schedule '${nameOrId}'`);
    }
    return schedule;
  }
}

/** Pyramid's scheduler only starts active schedules, within their start and end dates. */
function runsOnItsOwn(schedule: SimSchedule, at: number): boolean {
  return (
    schedule.status === ScheduleStatus.IDLE && at >= schedule.startDate && (schedule.endDate === null || at <= schedule.endDate)
  );
}

function plannedOutcome(schedule: SimSchedule, outcome: ScheduledOutcome, evaluateTriggers: boolean): PastOutcome {
  switch (outcome) {
    case 'own':
      return liveOutcome(schedule, evaluateTriggers);
    case 'succeeded':
      return 'ok';
    case 'notTriggered':
      return 'notTriggered';
    case 'failed':
      return schedule.run.tasks.some((task) => task.error) ? 'failed' : timeoutOf(schedule);
    default:
      return outcome;
  }
}

/** The error of a forced failure of a schedule whose fixture never fails. */
function timeoutOf(schedule: SimSchedule): TaskError {
  return { msg: 'Processing of {0} timed out after {1} seconds', params: [schedule.spec.itemName, '3600'], code: 1003 };
}

/** Every active schedule at its own times (runsAtUtc, every everyHours), as a real server runs them. */
export function fixtureTimetable(schedules: readonly SimSchedule[], now: number): TimetableEntry[] {
  return schedules
    .filter((schedule) => !schedule.isDeleted)
    .map((schedule) => {
      const [hours, minutes] = schedule.spec.runsAtUtc.split(':').map(Number);
      const everyMs = schedule.spec.everyHours * HOUR;
      const anchor = Math.floor(now / DAY) * DAY + (hours * 60 + minutes) * 60_000;
      // The first of anchor + k × everyMs (k any whole number) after now.
      const firstAt = anchor + (Math.floor((now - anchor) / everyMs) + 1) * everyMs;
      return { schedule: schedule.scheduleId, everyMs, firstAt };
    });
}

/**
 * The demo timetable: a few demo schedules every `everyMs` (some every two or three periods), staggered so they do
 * not all start together. Warehouse Sync is the one worth pinning: it fails every third run. Customer 360 Merge
 * ends with errors every other run; Low Stock Alert mostly stops at its trigger.
 */
export function demoTimetable(everyMs: number, now: number): TimetableEntry[] {
  const entries: [string, number, number | undefined][] = [
    ['Warehouse Sync', 1, 3],
    ['Inventory Refresh', 1, undefined],
    ['Low Stock Alert', 1, undefined],
    ['Customer 360 Merge', 2, 2],
    ['Weekly Executive Report', 3, undefined],
  ];
  return entries.map(([schedule, periods, failEvery], index) => ({
    schedule,
    everyMs: periods * everyMs,
    firstAt: now + Math.round((everyMs * (index + 1)) / (entries.length + 1)),
    failEvery,
  }));
}
