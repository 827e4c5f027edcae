/**
 * Pyramid enums. The wire format is not documented consistently: a server may send the numeric code
 * (`4`) or the constant name (`"RUNNING"`, any case). Both map to one numeric code; a value we do not
 * know is kept, labelled `Unknown (17)`, and never throws.
 */

/** A parsed enum value: `code` is set when the value is known. */
export interface EnumValue<Code extends number> {
  readonly code: Code | undefined;
  /** What the server sent, for display and logs. */
  readonly raw: string | number | undefined;
  /** Human label, e.g. "Finished with errors" or "Unknown (17)". */
  readonly label: string;
}

/** A Pyramid enum: its wire names (index = code) and how to show them. */
export class PyramidEnum<Code extends number> {
  private readonly codeByName = new Map<string, Code>();

  constructor(
    /** Constant names in code order, as the server spells them (`FINISHED_WITH_ERRORS`). */
    private readonly names: readonly string[],
    /** Labels for people, same order; defaults to the name in sentence case. */
    private readonly labels: readonly string[] = names.map(sentenceCase),
  ) {
    names.forEach((name, code) => this.codeByName.set(normalise(name), code as Code));
  }

  parse(raw: unknown): EnumValue<Code> {
    if (typeof raw === 'number' && Number.isInteger(raw)) {
      return this.value(raw in this.names ? (raw as Code) : undefined, raw);
    }
    if (typeof raw === 'string' && raw.trim() !== '') {
      const text = raw.trim();
      if (/^\d+$/.test(text)) {
        return this.parse(Number(text));
      }
      return this.value(this.codeByName.get(normalise(text)), text);
    }
    return this.value(undefined, undefined);
  }

  /** The value for a known code (for building values in code, e.g. in tests). */
  of(code: Code): EnumValue<Code> {
    return this.value(code, code);
  }

  label(code: Code): string {
    return this.labels[code];
  }

  private value(code: Code | undefined, raw: string | number | undefined): EnumValue<Code> {
    const label = code !== undefined ? this.labels[code] : raw === undefined ? 'Unknown' : `Unknown (${raw})`;
    return { code, raw, label };
  }
}

function normalise(name: string): string {
  return name.replace(/[\s_-]/g, '').toLowerCase();
}

function sentenceCase(name: string): string {
  const words = name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Status of a task, and of an execution as a whole (`getScheduleExecutionStatus`). */
export enum TaskStatus {
  Pending = 0,
  Finished = 1,
  FinishedRendering = 2,
  Error = 3,
  Running = 4,
  FinishedWithErrors = 5,
  StoppedWithoutRunning = 6,
  DuringLock = 7,
  Canceled = 8,
  Canceling = 9,
  PendingForEvaluation = 10,
  DuringLockEvaluation = 11,
  RunningEvaluation = 12,
  StoppedAfterEvaluation = 13,
  EvaluationCanceled = 14,
  Deleted = 15,
}

export const taskStatuses = new PyramidEnum<TaskStatus>(
  [
    'PENDING', 'FINISHED', 'FINISHED_RENDERING', 'ERROR', 'RUNNING', 'FINISHED_WITH_ERRORS',
    'STOPPED_WITHOUT_RUNNING', 'DURING_LOCK', 'CANCELED', 'CANCELING', 'PENDING_FOR_EVALUATION',
    'DURING_LOCK_EVALUATION', 'RUNNING_EVALUATION', 'STOPPED_AFTER_EVALUATION', 'EVALUATION_CANCELED', 'DELETED',
  ],
  [
    'Pending', 'Finished', 'Finished rendering', 'Error', 'Running', 'Finished with errors',
    'Stopped without running', 'Waiting for lock', 'Canceled', 'Canceling', 'Pending trigger evaluation',
    'Waiting for lock (evaluation)', 'Evaluating triggers', 'Stopped by trigger', 'Evaluation canceled', 'Deleted',
  ],
);

/**
 * What a task status means for someone watching a run.
 * - active: still going, keep watching;
 * - rendering: FINISHED_RENDERING, which the documentation does not define: a success that may still
 *   change to Finished, so a watcher waits a little before calling it final;
 * - the rest are final; unknown codes are treated as still going by whoever watches.
 */
export type TaskOutcome = 'active' | 'rendering' | 'succeeded' | 'partial' | 'failed' | 'canceled' | 'skipped' | 'unknown';

export function taskOutcome(status: EnumValue<TaskStatus>): TaskOutcome {
  switch (status.code) {
    case TaskStatus.Pending:
    case TaskStatus.Running:
    case TaskStatus.DuringLock:
    case TaskStatus.Canceling:
    case TaskStatus.PendingForEvaluation:
    case TaskStatus.DuringLockEvaluation:
    case TaskStatus.RunningEvaluation:
      return 'active';
    case TaskStatus.FinishedRendering:
      return 'rendering';
    case TaskStatus.Finished:
      return 'succeeded';
    case TaskStatus.FinishedWithErrors:
      return 'partial';
    case TaskStatus.Error:
      return 'failed';
    case TaskStatus.Canceled:
    case TaskStatus.EvaluationCanceled:
    case TaskStatus.Deleted:
      return 'canceled';
    case TaskStatus.StoppedWithoutRunning:
    case TaskStatus.StoppedAfterEvaluation:
      return 'skipped';
    default:
      return 'unknown';
  }
}

/** Kind of content a schedule processes. */
export enum ScheduleType {
  Printing = 0,
  Etl = 1,
  MachineLearning = 2,
  UserGroups = 3,
  LogsClean = 4,
  Provision = 5,
  Recommendation = 6,
  ImageSnapshot = 7,
  Alert = 8,
  CleanDb = 9,
  UpgradeHierarchySecurity = 10,
  ImageSnapshotNow = 11,
  PrintEtl = 12,
  Subscription = 13,
  SchedulesCleaner = 14,
  CleanPresentationDocuments = 15,
  UpgradeTeOutputs = 16,
  UpgradeContentSnapshotResults = 17,
  UpdatePrivateRoles = 18,
  CleanDuplicateTags = 19,
  UpdateSystemSchedules = 20,
  CertificatesReader = 21,
  HotboxTemplatesPerTenant = 22,
  UpgradeUserProfiles = 23,
  Telemetry = 24,
  CollaborationEmails = 25,
}

export const scheduleTypes = new PyramidEnum<ScheduleType>(
  [
    'PRINTING', 'ETL', 'MACHINE_LEARNING', 'USER_GROUPS', 'LOGS_CLEAN', 'PROVISION', 'RECOMMENDATION',
    'IMAGE_SNAPSHOT', 'ALERT', 'CLEAN_DB', 'UPGRADE_HIERARCHY_SECURITY', 'IMAGE_SNAPSHOT_NOW', 'PRINT_ETL',
    'SUBSCRIPTION', 'SCHEDULES_CLEANER', 'CLEAN_PRESENTATION_DOCUMENTS', 'UPGRADE_TE_OUTPUTS',
    'UPGRADE_CONTENT_SNAPSHOT_RESULTS', 'UPDATE_PRIVATE_ROLES', 'CLEAN_DUPLICATE_TAGS', 'UPDATE_SYSTEM_SCHEDULES',
    'CERTIFICATES_READER', 'HOTBOX_TEMPLATES_PER_TENANT', 'UPGRADE_USER_PROFILES', 'TELEMETRY', 'COLLABORATION_EMAILS',
  ],
  [
    'Publication', 'Data flow', 'Machine learning', 'User groups', 'Log cleanup', 'Provisioning', 'Recommendation',
    'Image snapshot', 'Alert', 'Database cleanup', 'Hierarchy security upgrade', 'Image snapshot (now)',
    'Publication data flow', 'Subscription', 'Schedules cleanup', 'Presentation cleanup', 'Task engine outputs upgrade',
    'Content snapshot upgrade', 'Private roles update', 'Duplicate tags cleanup', 'System schedules update',
    'Certificates reader', 'Hotbox templates', 'User profiles upgrade', 'Telemetry', 'Collaboration emails',
  ],
);

/** State of a schedule itself (not of its runs). */
export enum ScheduleStatus {
  Idle = 0,
  Stopped = 1,
  Finished = 2,
  Deleted = 3,
  Hold = 4,
  Canceled = 5,
  DisabledAfterFailures = 6,
}

export const scheduleStatuses = new PyramidEnum<ScheduleStatus>(
  ['IDLE', 'STOPPED', 'FINISHED', 'DELETED', 'HOLD', 'CANCELED', 'DISABLED_AFTER_FAILURES'],
  ['Active', 'Stopped', 'Finished', 'Deleted', 'Suspended', 'Canceled', 'Disabled after failures'],
);

/** True when resumeSchedule applies (the schedule is paused or stopped). */
export function isSuspended(status: EnumValue<ScheduleStatus>): boolean {
  return status.code === ScheduleStatus.Hold || status.code === ScheduleStatus.Stopped;
}

/** How findSchedule compares `searchValue` with schedule names. */
export enum SearchMatchType {
  Contains = 0,
  NotContains = 1,
  Equals = 2,
  StartsWith = 3,
  EndsWith = 4,
}

export const searchMatchTypes = new PyramidEnum<SearchMatchType>(
  ['Contains', 'NotContains', 'Equals', 'StartsWith', 'EndsWith'],
  ['Contains', 'Does not contain', 'Equals', 'Starts with', 'Ends with'],
);

/** How a schedule recurs. */
export enum ScheduleDataType {
  Once = 0,
  Recurring = 1,
  RunOnce = 2,
  OnDemand = 3,
}

export const scheduleDataTypes = new PyramidEnum<ScheduleDataType>(
  ['ONCE', 'RECURRING', 'RUN_ONCE', 'ON_DEMAND'],
  ['Once', 'Recurring', 'Run once', 'On demand'],
);

/** Format of a task's output (publications). */
export const printingOutputTypes = new PyramidEnum<number>(
  ['PDF', 'Word', 'PowerPoint', 'Excel', 'Html', 'Image', 'NoPrinting', 'CSV', 'XML', 'JSON', 'PNG', 'ODATA'],
  ['PDF', 'Word', 'PowerPoint', 'Excel', 'HTML', 'Image', 'No output', 'CSV', 'XML', 'JSON', 'PNG', 'OData'],
);
