// Deterministic filler schedules for large-list tests (N up to tens of thousands).
import {
  PrintingOutputType,
  PrintingOutputTypeCode,
  ScheduleDataType,
  ScheduleStatus,
  ScheduleType,
  ScheduleTypeCode,
} from './codes';
import { PastOutcome, ScheduleSpec, TaskError } from './schedules';

interface Kind {
  type: ScheduleTypeCode;
  label: string;
  item: string;
  summary: string;
  outputType: PrintingOutputTypeCode;
}

const KINDS: Kind[] = [
  { type: ScheduleType.ETL, label: 'Data Flow', item: 'Regional Model', summary: 'Processing completed', outputType: PrintingOutputType.NoPrinting },
  { type: ScheduleType.PRINTING, label: 'Publication', item: 'Regional Report', summary: 'Published to 5 recipients', outputType: PrintingOutputType.PDF },
  { type: ScheduleType.ETL, label: 'Data Flow', item: 'Regional Model', summary: 'Processing completed', outputType: PrintingOutputType.NoPrinting },
  { type: ScheduleType.ALERT, label: 'Alert', item: 'Regional KPIs', summary: 'Alert sent to 2 recipients', outputType: PrintingOutputType.NoPrinting },
  { type: ScheduleType.SUBSCRIPTION, label: 'Subscription', item: 'Regional Dashboard', summary: 'Sent to 12 subscribers', outputType: PrintingOutputType.Html },
  { type: ScheduleType.MACHINE_LEARNING, label: 'ML Model', item: 'Regional Forecast', summary: 'Model trained', outputType: PrintingOutputType.NoPrinting },
];

const REGIONS = ['North', 'South', 'West', 'East', 'Central', 'EMEA', 'APAC', 'LATAM'];
const CREATORS = ['maria.gonzalez', 'david.chen', 'priya.raman', 'tom.becker', 'anika.patel'];
const HOUR = 3_600_000;
const FIRST_CREATED = Date.parse('2022-01-03T09:00:00Z');

/** A past for a generated schedule (they have none by default): `runs` runs, `everyHours` apart, up to now. */
export interface GeneratedHistory {
  everyHours: number;
  runs: number;
  /** Tasks per run, one after another; default 1. */
  tasks?: number;
  /** Every n-th run, counting back from the newest, fails on its last task; default none. */
  failEvery?: number;
}

/** The n-th generated schedule (n from 1), e.g. 'Data Flow 00042 – Region West', with no past runs unless given a history. */
export function generatedSchedule(n: number, history?: GeneratedHistory): ScheduleSpec {
  const kind = KINDS[n % KINDS.length];
  const region = REGIONS[n % REGIONS.length];
  const created = FIRST_CREATED + n * 7 * HOUR;
  const hour = n % 24;
  const taskCount = history?.tasks ?? 1;
  const runMs = 4000 + ((n * 7919) % 26000);
  return {
    name: `${kind.label} ${String(n).padStart(5, '0')} – Region ${region}`,
    description: `${kind.label} for the ${region} region`,
    type: kind.type,
    status: n % 40 === 0 ? ScheduleStatus.HOLD : ScheduleStatus.IDLE,
    createdBy: CREATORS[n % CREATORS.length],
    createdDate: new Date(created).toISOString(),
    startDate: new Date(created + 24 * HOUR).toISOString(),
    endDate: null,
    scheduleDataType: ScheduleDataType.RECURRING,
    itemName: `${kind.item} ${region}`,
    timeZoneId: 'UTC',
    runsAtUtc: `${String(hour).padStart(2, '0')}:00`,
    everyHours: history?.everyHours ?? 24,
    pastRuns: history ? pastRuns(history, region) : [],
    run: {
      pendingMs: 1000 + (n % 5) * 200,
      tasks: Array.from({ length: taskCount }, (_, index) => ({
        description: taskCount === 1 ? `${kind.item} ${region}` : `${kind.item} ${region} – step ${index + 1}`,
        runMs: Math.round(runMs / taskCount),
      })),
      triggerMet: true,
      successSummary: kind.summary,
      outputType: kind.outputType,
    },
  };
}

function pastRuns(history: GeneratedHistory, region: string): PastOutcome[] {
  const refused: TaskError = { msg: 'Connection to {0} refused ({1})', params: [`${region.toLowerCase()}-db01:5432`, 'ECONNREFUSED'], code: 1001 };
  const fails = (index: number) => history.failEvery !== undefined && (index + 1) % history.failEvery === 0;
  return Array.from({ length: history.runs }, (_, index) => (fails(index) ? refused : 'ok'));
}
