// Pyramid API3 enum codes (spec §6). Each table maps the S20 name to its numeric wire code.

export const TaskStatus = {
  PENDING: 0,
  FINISHED: 1,
  FINISHED_RENDERING: 2,
  ERROR: 3,
  RUNNING: 4,
  FINISHED_WITH_ERRORS: 5,
  STOPPED_WITHOUT_RUNNING: 6,
  DURING_LOCK: 7,
  CANCELED: 8,
  CANCELING: 9,
  PENDING_FOR_EVALUATION: 10,
  DURING_LOCK_EVALUATION: 11,
  RUNNING_EVALUATION: 12,
  STOPPED_AFTER_EVALUATION: 13,
  EVALUATION_CANCELED: 14,
  DELETED: 15,
} as const;

export const SearchMatchType = {
  Contains: 0,
  NotContains: 1,
  Equals: 2,
  StartsWith: 3,
  EndsWith: 4,
} as const;

export const ScheduleType = {
  PRINTING: 0,
  ETL: 1,
  MACHINE_LEARNING: 2,
  USER_GROUPS: 3,
  LOGS_CLEAN: 4,
  PROVISION: 5,
  RECOMMENDATION: 6,
  IMAGE_SNAPSHOT: 7,
  ALERT: 8,
  CLEAN_DB: 9,
  UPGRADE_HIERARCHY_SECURITY: 10,
  IMAGE_SNAPSHOT_NOW: 11,
  PRINT_ETL: 12,
  SUBSCRIPTION: 13,
  SCHEDULES_CLEANER: 14,
  CLEAN_PRESENTATION_DOCUMENTS: 15,
  UPGRADE_TE_OUTPUTS: 16,
  UPGRADE_CONTENT_SNAPSHOT_RESULTS: 17,
  UPDATE_PRIVATE_ROLES: 18,
  CLEAN_DUPLICATE_TAGS: 19,
  UPDATE_SYSTEM_SCHEDULES: 20,
  CERTIFICATES_READER: 21,
  HOTBOX_TEMPLATES_PER_TENANT: 22,
  UPGRADE_USER_PROFILES: 23,
  TELEMETRY: 24,
  COLLABORATION_EMAILS: 25,
} as const;

export const ScheduleStatus = {
  IDLE: 0,
  STOPPED: 1,
  FINISHED: 2,
  DELETED: 3,
  HOLD: 4,
  CANCELED: 5,
  DISABLED_AFTER_FAILURES: 6,
} as const;

export const ScheduleDataType = {
  ONCE: 0,
  RECURRING: 1,
  RUN_ONCE: 2,
  ON_DEMAND: 3,
} as const;

export const PrintingOutputType = {
  PDF: 0,
  Word: 1,
  PowerPoint: 2,
  Excel: 3,
  Html: 4,
  Image: 5,
  NoPrinting: 6,
  CSV: 7,
  XML: 8,
  JSON: 9,
  PNG: 10,
  ODATA: 11,
} as const;

/** Positional codes of the S20 AdminType names (None, DomainAdmin, EnterpriseAdmin). */
export const AdminType = {
  None: 0,
  DomainAdmin: 1,
  EnterpriseAdmin: 2,
} as const;

export type CodeTable = Readonly<Record<string, number>>;
export type CodeOf<T extends CodeTable> = T[keyof T];

export type TaskStatusCode = CodeOf<typeof TaskStatus>;
export type ScheduleTypeCode = CodeOf<typeof ScheduleType>;
export type ScheduleStatusCode = CodeOf<typeof ScheduleStatus>;
export type SearchMatchTypeCode = CodeOf<typeof SearchMatchType>;
export type ScheduleDataTypeCode = CodeOf<typeof ScheduleDataType>;
export type PrintingOutputTypeCode = CodeOf<typeof PrintingOutputType>;

/** The S20 name of a code, e.g. nameOf(TaskStatus, 4) === 'RUNNING'. */
export function nameOf(table: CodeTable, code: number): string {
  const entry = Object.entries(table).find(([, value]) => value === code);
  if (!entry) {
    throw new Error(`No name for code ${code}`);
  }
  return entry[0];
}

/**
 * Reads an enum value as a client may send it: a number, a numeric string or a name in any case.
 * Returns undefined when the value is not a member of the table.
 */
export function parseCode<T extends CodeTable>(table: T, value: unknown): CodeOf<T> | undefined {
  const codes = Object.values(table);
  if (typeof value === 'number') {
    return codes.includes(value) ? (value as CodeOf<T>) : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return parseCode(table, Number(text));
  }
  const entry = Object.entries(table).find(([name]) => name.toLowerCase() === text.toLowerCase());
  return entry ? (entry[1] as CodeOf<T>) : undefined;
}
