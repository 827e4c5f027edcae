// The hand-written demo server: realistic schedules of every kind the extension shows.
import { PrintingOutputType, ScheduleDataType, ScheduleStatus, ScheduleType } from './codes';
import { PastOutcome, RunBehaviour, ScheduleSpec, TaskError } from './schedules';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const WAREHOUSE_REFUSED: TaskError = {
  msg: 'Connection to {0} refused ({1})',
  params: ['warehouse-db01:5432', 'ECONNREFUSED'],
  code: 1001,
};

export const DUPLICATE_CUSTOMER_KEY: TaskError = {
  msg: 'Duplicate key value violates unique constraint "{0}" ({1})',
  params: ['dim_customer_pk', 'customer_key=88213'],
  code: 2301,
};

export const ADS_TOKEN_REVOKED: TaskError = {
  msg: 'Authentication to {0} failed: {1}',
  params: ['Google Ads API', 'the refresh token was revoked'],
  code: 1401,
};

const ERP_TIMEOUT: TaskError = {
  msg: 'Query timed out after {0} seconds on {1}',
  params: ['600', 'erp-sql02'],
  code: 1002,
};

const TIMED_OUT_SALES: TaskError = {
  msg: 'Processing of {0} timed out after {1} seconds',
  params: ['Sales Model', '3600'],
  code: 1003,
};

/** Deterministic numbers in [0, 1): the same history on every start. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface LongHistory {
  /** The newest runs, as the tests and demos know them; kept at their fixture durations. */
  recent: PastOutcome[];
  count: number;
  /** Runs (by index, 0 the newest) that ended otherwise than 'ok'. */
  outcomes: Record<number, PastOutcome>;
  /** How much faster the oldest run was than the newest: 0.4 makes it take 60 % of the time. */
  slowdown: number;
  /** How much one run's duration varies around its trend, e.g. 0.1 for ±10 %. */
  jitter: number;
  seed: number;
}

/**
 * A history long enough for a chart: `count` runs, newest first, the oldest `slowdown` faster than
 * today's, each varying by up to `jitter`, with a few that ended badly.
 */
function longHistory({ recent, count, outcomes, slowdown, jitter, seed }: LongHistory): Pick<ScheduleSpec, 'pastRuns' | 'pastScales'> {
  const random = sequence(seed);
  const pastRuns: PastOutcome[] = [];
  const pastScales: number[] = [];
  for (let index = 0; index < count; index++) {
    pastRuns.push(recent[index] ?? outcomes[index] ?? 'ok');
    const trend = 1 - slowdown * (index / (count - 1));
    pastScales.push(index < recent.length ? 1 : Math.round(trend * (1 + jitter * (2 * random() - 1)) * 1000) / 1000);
  }
  return { pastRuns, pastScales };
}

type Defaults = 'status' | 'endDate' | 'scheduleDataType' | 'timeZoneId' | 'pastRuns' | 'run';
type DemoInput = Omit<ScheduleSpec, Defaults> &
  Partial<Pick<ScheduleSpec, Exclude<Defaults, 'run'>>> & { run: Partial<RunBehaviour> & Pick<RunBehaviour, 'tasks'> };

/** Past runs that took what runs really take: each within ±12 % of the schedule's usual time, the same on every start. */
function variedScales(name: string, count: number): number[] {
  const random = sequence([...name].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) % 2 ** 31, 17));
  return Array.from({ length: count }, () => Math.round((1 + 0.12 * (2 * random() - 1)) * 1000) / 1000);
}

function demo(input: DemoInput): ScheduleSpec {
  const pastRuns = input.pastRuns ?? ['ok', 'ok', 'ok'];
  return {
    status: ScheduleStatus.IDLE,
    endDate: null,
    scheduleDataType: ScheduleDataType.RECURRING,
    timeZoneId: 'Europe/London',
    pastRuns,
    pastScales: variedScales(input.name, pastRuns.length),
    ...input,
    run: {
      pendingMs: 1500,
      triggerMet: true,
      successSummary: 'Processing completed',
      outputType: PrintingOutputType.NoPrinting,
      ...input.run,
    },
  };
}

const DEMO_SCHEDULES: ScheduleSpec[] = [
  // Data flows
  demo({
    name: 'Nightly Sales Load',
    description: 'Loads yesterday’s orders from the ERP into the Sales Model',
    type: ScheduleType.ETL,
    createdBy: 'maria.gonzalez',
    createdDate: '2023-02-14T09:12:00Z',
    startDate: '2023-02-15T02:00:00Z',
    itemName: 'Sales Model',
    runsAtUtc: '02:00',
    everyHours: 24,
    // Getting slower as the data grows, with the odd time-out: what the details chart is for.
    ...longHistory({ recent: ['ok', 'ok', 'ok', 'ok', 'ok'], count: 75, outcomes: { 12: TIMED_OUT_SALES, 31: TIMED_OUT_SALES, 58: TIMED_OUT_SALES }, slowdown: 0.5, jitter: 0.08, seed: 7 }),
    run: {
      tasks: [{ description: 'Sales Model', runMs: 20 * SECOND }],
      successSummary: 'Processing completed: 1,284,512 rows loaded',
    },
  }),
  demo({
    name: 'Inventory Refresh',
    description: 'Refreshes stock levels from the warehouse management system every four hours',
    type: ScheduleType.ETL,
    createdBy: 'david.chen',
    createdDate: '2023-05-03T14:40:00Z',
    startDate: '2023-05-04T00:00:00Z',
    itemName: 'Inventory Model',
    runsAtUtc: '00:00',
    everyHours: 4,
    ...longHistory({ recent: ['ok', 'ok', ERP_TIMEOUT, 'ok'], count: 90, outcomes: { 23: ERP_TIMEOUT, 24: ERP_TIMEOUT, 61: 'notTriggered', 77: ERP_TIMEOUT }, slowdown: 0, jitter: 0.35, seed: 11 }),
    run: {
      pendingMs: 1200,
      tasks: [{ description: 'Inventory Model', runMs: 8 * SECOND }],
      successSummary: 'Processing completed: 48,210 rows loaded',
    },
  }),
  demo({
    name: 'Finance Cube Reprocess',
    description: 'Full reprocess of the Finance Cube after the general ledger close',
    type: ScheduleType.ETL,
    createdBy: 'priya.raman',
    createdDate: '2022-11-21T16:05:00Z',
    startDate: '2022-11-22T03:30:00Z',
    itemName: 'Finance Cube',
    runsAtUtc: '03:30',
    everyHours: 24,
    run: {
      pendingMs: 2000,
      tasks: [{ description: 'Finance Cube', runMs: 3 * MINUTE }],
      successSummary: 'Processing completed: 12 partitions reprocessed',
    },
  }),
  demo({
    name: 'Warehouse Sync',
    description: 'Copies the staging tables into the enterprise data warehouse',
    type: ScheduleType.ETL,
    createdBy: 'david.chen',
    createdDate: '2024-01-09T11:30:00Z',
    startDate: '2024-01-10T01:15:00Z',
    itemName: 'Warehouse Staging',
    runsAtUtc: '01:15',
    everyHours: 24,
    pastRuns: ['failed', 'ok', 'ok'],
    run: { tasks: [{ description: 'Warehouse Staging', runMs: 6 * SECOND, error: WAREHOUSE_REFUSED }] },
  }),
  demo({
    name: 'Customer 360 Merge',
    description: 'Merges CRM, web and loyalty data into one customer view',
    type: ScheduleType.ETL,
    createdBy: 'maria.gonzalez',
    createdDate: '2024-03-18T08:45:00Z',
    startDate: '2024-03-19T04:00:00Z',
    itemName: 'Customer 360 Model',
    runsAtUtc: '04:00',
    everyHours: 24,
    ...longHistory({ recent: ['ok', 'failed', 'ok'], count: 64, outcomes: { 9: 'failed', 40: 'failed' }, slowdown: 0.2, jitter: 0.15, seed: 23 }),
    run: {
      tasks: [
        { description: 'Load CRM contacts', runMs: 4 * SECOND, summary: 'Loaded 312,044 contacts' },
        { description: 'Merge web sessions', runMs: 5 * SECOND, summary: 'Merged 2,906,117 sessions' },
        { description: 'Match loyalty accounts', runMs: 3 * SECOND, error: DUPLICATE_CUSTOMER_KEY },
      ],
    },
  }),
  demo({
    name: 'HR Headcount Load',
    description: 'Monthly headcount snapshot from the HR system (on hold during the HRIS migration)',
    type: ScheduleType.ETL,
    status: ScheduleStatus.HOLD,
    createdBy: 'tom.becker',
    createdDate: '2023-08-01T10:00:00Z',
    startDate: '2023-08-01T05:00:00Z',
    itemName: 'HR Model',
    runsAtUtc: '05:00',
    everyHours: 24 * 30,
    pastRuns: ['ok', 'ok'],
    run: { tasks: [{ description: 'HR Model', runMs: 10 * SECOND }] },
  }),
  demo({
    name: 'Marketing Spend Import',
    description: 'Imports ad spend from Google Ads and Meta into the Marketing Model',
    type: ScheduleType.ETL,
    status: ScheduleStatus.DISABLED_AFTER_FAILURES,
    createdBy: 'tom.becker',
    createdDate: '2024-06-11T13:20:00Z',
    startDate: '2024-06-12T06:00:00Z',
    itemName: 'Marketing Model',
    timeZoneId: 'America/New_York',
    runsAtUtc: '06:00',
    everyHours: 24,
    pastRuns: ['failed', 'failed', 'failed', 'ok'],
    run: { tasks: [{ description: 'Marketing Model', runMs: 5 * SECOND, error: ADS_TOKEN_REVOKED }] },
  }),
  // Publications
  demo({
    name: 'Weekly Executive Report',
    description: 'Executive dashboard as PDF and PowerPoint for the leadership team, Mondays 07:00',
    type: ScheduleType.PRINTING,
    createdBy: 'priya.raman',
    createdDate: '2023-01-23T15:10:00Z',
    startDate: '2023-01-30T07:00:00Z',
    itemName: 'Executive Dashboard',
    runsAtUtc: '07:00',
    everyHours: 24 * 7,
    pastRuns: ['ok', 'ok', 'ok', 'ok'],
    run: {
      tasks: [
        { description: 'Executive Dashboard – PDF', runMs: 7 * SECOND },
        { description: 'Executive Dashboard – PowerPoint', runMs: 5 * SECOND },
      ],
      successSummary: 'Published to 14 recipients',
      outputType: PrintingOutputType.PDF,
    },
  }),
  demo({
    name: 'Regional Sales Pack',
    description: 'One sales presentation per region, sent to the regional managers',
    type: ScheduleType.PRINTING,
    createdBy: 'maria.gonzalez',
    createdDate: '2023-04-04T09:00:00Z',
    startDate: '2023-04-05T06:30:00Z',
    itemName: 'Regional Sales Presentation',
    runsAtUtc: '06:30',
    everyHours: 24,
    run: {
      tasks: ['North', 'South', 'East', 'West'].map((region) => ({
        description: `Regional Sales Presentation – ${region}`,
        runMs: 5 * SECOND,
      })),
      successSummary: 'Published to 3 recipients',
      outputType: PrintingOutputType.PowerPoint,
    },
  }),
  demo({
    name: 'Quarterly Board Pack',
    description: 'Board pack for the quarterly meeting (on hold until the Q3 numbers are signed off)',
    type: ScheduleType.PRINTING,
    status: ScheduleStatus.HOLD,
    createdBy: 'priya.raman',
    createdDate: '2022-09-30T12:00:00Z',
    startDate: '2022-10-03T08:00:00Z',
    endDate: '2029-12-31T23:59:59Z',
    itemName: 'Board Pack',
    runsAtUtc: '08:00',
    everyHours: 24 * 91,
    pastRuns: ['ok', 'ok'],
    run: {
      tasks: [{ description: 'Board Pack – PDF', runMs: 15 * SECOND }],
      successSummary: 'Published to 9 recipients',
      outputType: PrintingOutputType.PDF,
    },
  }),
  // Alerts
  demo({
    name: 'Low Stock Alert',
    description: 'Warns the supply team when any SKU falls below its reorder point',
    type: ScheduleType.ALERT,
    createdBy: 'david.chen',
    createdDate: '2023-05-10T07:30:00Z',
    startDate: '2023-05-10T08:00:00Z',
    itemName: 'Stock Levels',
    runsAtUtc: '00:00',
    everyHours: 1,
    pastRuns: ['notTriggered', 'notTriggered', 'ok', 'notTriggered'],
    run: {
      pendingMs: 1000,
      tasks: [{ description: 'Stock Levels', runMs: 3 * SECOND }],
      triggerMet: false,
      successSummary: 'Alert sent to 4 recipients',
    },
  }),
  demo({
    name: 'Revenue Drop Alert',
    description: 'Alerts sales leadership when daily revenue falls 15% below the 28-day average',
    type: ScheduleType.ALERT,
    createdBy: 'priya.raman',
    createdDate: '2024-02-02T17:25:00Z',
    startDate: '2024-02-03T09:00:00Z',
    endDate: '2030-12-31T00:00:00Z',
    itemName: 'Revenue Overview',
    runsAtUtc: '09:00',
    everyHours: 24,
    run: {
      pendingMs: 1000,
      tasks: [{ description: 'Revenue Overview', runMs: 3 * SECOND }],
      successSummary: 'Alert sent to 6 recipients',
    },
  }),
  // Machine learning
  demo({
    name: 'Churn Model Training',
    description: 'Retrains the customer churn classifier on the last 24 months of activity',
    type: ScheduleType.MACHINE_LEARNING,
    createdBy: 'anika.patel',
    createdDate: '2024-04-22T10:15:00Z',
    startDate: '2024-04-28T22:00:00Z',
    itemName: 'Customer Churn Model',
    runsAtUtc: '22:00',
    everyHours: 24 * 7,
    run: {
      pendingMs: 2000,
      tasks: [{ description: 'Customer Churn Model', runMs: 45 * SECOND }],
      successSummary: 'Model trained: AUC 0.87',
    },
  }),
  // Subscription
  demo({
    name: 'Daily KPI Digest',
    description: 'Morning e-mail with the KPI overview for everyone who subscribed',
    type: ScheduleType.SUBSCRIPTION,
    createdBy: 'anika.patel',
    createdDate: '2023-10-16T06:00:00Z',
    startDate: '2023-10-17T06:30:00Z',
    itemName: 'KPI Overview',
    timeZoneId: 'America/New_York',
    runsAtUtc: '06:30',
    everyHours: 24,
    run: {
      tasks: [{ description: 'KPI Overview', runMs: 5 * SECOND }],
      successSummary: 'Sent to 42 subscribers',
      outputType: PrintingOutputType.Html,
    },
  }),
  // System
  demo({
    name: 'Log Cleanup',
    description: 'Removes server log entries older than 30 days',
    type: ScheduleType.LOGS_CLEAN,
    createdBy: 'system',
    createdDate: '2022-06-01T00:00:00Z',
    startDate: '2022-06-01T01:00:00Z',
    timeZoneId: 'UTC',
    itemName: 'System Logs',
    runsAtUtc: '01:00',
    everyHours: 24,
    run: {
      pendingMs: 1000,
      tasks: [{ description: 'System Logs', runMs: 2 * SECOND }],
      successSummary: 'Removed 18,204 log entries',
    },
  }),
  demo({
    name: 'Database Maintenance',
    description: 'Weekly clean-up and re-indexing of the Pyramid repository database',
    type: ScheduleType.CLEAN_DB,
    createdBy: 'system',
    createdDate: '2022-06-01T00:00:00Z',
    startDate: '2022-06-05T03:00:00Z',
    timeZoneId: 'UTC',
    itemName: 'Pyramid Repository',
    runsAtUtc: '03:00',
    everyHours: 24 * 7,
    run: {
      tasks: [{ description: 'Pyramid Repository', runMs: 10 * SECOND }],
      successSummary: 'Repository cleaned and re-indexed',
    },
  }),
  // Soft-deleted: never listed, never found
  demo({
    name: 'Legacy CRM Import',
    description: 'Imported contacts from the retired CRM',
    type: ScheduleType.ETL,
    status: ScheduleStatus.DELETED,
    createdBy: 'tom.becker',
    createdDate: '2021-03-02T09:00:00Z',
    startDate: '2021-03-03T02:00:00Z',
    endDate: '2024-01-31T00:00:00Z',
    scheduleDataType: ScheduleDataType.ONCE,
    itemName: 'Legacy CRM Model',
    runsAtUtc: '02:00',
    everyHours: 24,
    pastRuns: [],
    run: { tasks: [{ description: 'Legacy CRM Model', runMs: 5 * SECOND }] },
  }),
];

/** Fresh copies, so one simulator's changes never leak into another. */
export function demoSchedules(): ScheduleSpec[] {
  return structuredClone(DEMO_SCHEDULES);
}
