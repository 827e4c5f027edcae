import {
  PrintingOutputTypeCode,
  ScheduleDataTypeCode,
  ScheduleStatus,
  ScheduleStatusCode,
  ScheduleTypeCode,
  SearchMatchType,
  SearchMatchTypeCode,
} from './codes';
import { stableGuid } from './ids';

/** An error as Pyramid reports it in TaskSummary.error: a message template, its parameters and a code. */
export interface TaskError {
  msg: string; // e.g. 'Connection to {0} refused ({1})'
  params: string[];
  code: number;
}

export interface TaskSpec {
  description: string;
  runMs: number;
  /** When set, this task ends in ERROR with this error. */
  error?: TaskError;
  /** Summary when the task succeeds; defaults to the schedule's successSummary. */
  summary?: string;
}

/** What one run of the schedule does. Tests may change these fields on a live schedule. */
export interface RunBehaviour {
  pendingMs: number; // queue time before the first task starts
  tasks: TaskSpec[]; // run one after another
  triggerMet: boolean; // false: a run with checkTriggers stops after evaluation
  successSummary: string;
  outputType: PrintingOutputTypeCode;
}

/**
 * How a past execution ended: 'ok' every task succeeded, 'failed' the tasks with an error failed,
 * 'notTriggered' the trigger stopped it, a TaskError the last task failed with that error.
 */
export type PastOutcome = 'ok' | 'failed' | 'notTriggered' | TaskError;

export interface ScheduleSpec {
  name: string;
  description: string;
  type: ScheduleTypeCode;
  status: ScheduleStatusCode;
  createdBy: string;
  createdDate: string; // ISO
  startDate: string; // ISO
  endDate: string | null;
  scheduleDataType: ScheduleDataTypeCode;
  itemName: string;
  timeZoneId: string;
  runsAtUtc: string; // 'HH:MM', anchors the past executions
  everyHours: number;
  pastRuns: PastOutcome[]; // newest first
  /** How long each past run took, as a factor of the fixture durations (same order; 1 when absent). */
  pastScales?: number[];
  run: RunBehaviour;
}

export const TENANT_ID = stableGuid('tenant/default');

/** One schedule and its live state. */
export class SimSchedule {
  readonly scheduleId: string;
  readonly scheduleItemId: string;
  readonly tenantId = TENANT_ID;
  readonly createdDate: number;
  readonly startDate: number;
  readonly endDate: number | null;
  status: ScheduleStatusCode;
  /** The fixture behaviour of a run. */
  readonly run: RunBehaviour;

  constructor(readonly spec: ScheduleSpec) {
    this.scheduleId = stableGuid(`schedule/${spec.name}`);
    this.scheduleItemId = stableGuid(`item/${spec.itemName}`);
    this.createdDate = Date.parse(spec.createdDate);
    this.startDate = Date.parse(spec.startDate);
    this.endDate = spec.endDate === null ? null : Date.parse(spec.endDate);
    this.status = spec.status;
    this.run = spec.run;
  }

  get name(): string {
    return this.spec.name;
  }

  get type(): ScheduleTypeCode {
    return this.spec.type;
  }

  get isDeleted(): boolean {
    return this.status === ScheduleStatus.DELETED;
  }
}

const MATCHERS: Record<SearchMatchTypeCode, (name: string, value: string) => boolean> = {
  [SearchMatchType.Contains]: (name, value) => name.includes(value),
  [SearchMatchType.NotContains]: (name, value) => !name.includes(value),
  [SearchMatchType.Equals]: (name, value) => name === value,
  [SearchMatchType.StartsWith]: (name, value) => name.startsWith(value),
  [SearchMatchType.EndsWith]: (name, value) => name.endsWith(value),
};

export interface ScheduleQuery {
  searchValue: string;
  matchType: SearchMatchTypeCode;
  type?: ScheduleTypeCode;
}

export class ScheduleStore {
  private readonly byId = new Map<string, SimSchedule>();
  /** Each schedule's name in lower case, with the name it was made from: a test may rename a schedule. */
  private readonly lowerNames = new Map<SimSchedule, { name: string; lower: string }>();

  constructor(readonly all: readonly SimSchedule[]) {
    for (const schedule of all) {
      this.byId.set(schedule.scheduleId.toLowerCase(), schedule);
    }
  }

  private lowerName(schedule: SimSchedule): string {
    const cached = this.lowerNames.get(schedule);
    if (cached?.name === schedule.name) {
      return cached.lower;
    }
    const lower = schedule.name.toLowerCase();
    this.lowerNames.set(schedule, { name: schedule.name, lower });
    return lower;
  }

  /** A schedule the API can see (deleted ones are gone). */
  get(scheduleId: string): SimSchedule | undefined {
    const schedule = this.byId.get(scheduleId.trim().toLowerCase());
    return schedule && !schedule.isDeleted ? schedule : undefined;
  }

  /** Looks up by id or exact name, deleted ones included; for tests. */
  lookup(nameOrId: string): SimSchedule | undefined {
    const key = nameOrId.toLowerCase();
    return this.byId.get(key) ?? this.all.find((schedule) => this.lowerName(schedule) === key);
  }

  /** Case-insensitive name search, as findSchedule does it. */
  find(query: ScheduleQuery): SimSchedule[] {
    const value = query.searchValue.toLowerCase();
    const matches = MATCHERS[query.matchType];
    return this.all.filter(
      (schedule) =>
        !schedule.isDeleted &&
        (query.type === undefined || schedule.type === query.type) &&
        matches(this.lowerName(schedule), value),
    );
  }
}
