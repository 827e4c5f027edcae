/**
 * Typed Pyramid API3 objects and the tolerant parsers that build them from whatever the server sent.
 * Field names follow the API3 SDK; every field is optional on the wire, so every field is optional here
 * except the ids that the extension cannot work without.
 */
import {
  EnumValue,
  ScheduleDataType,
  ScheduleStatus,
  ScheduleType,
  TaskStatus,
  printingOutputTypes,
  scheduleDataTypes,
  scheduleStatuses,
  scheduleTypes,
  taskStatuses,
} from './enums';
import { PyramidResponseError } from './errors';

export interface Schedule {
  scheduleId: string;
  name: string;
  description?: string;
  type: EnumValue<ScheduleType>;
  status: EnumValue<ScheduleStatus>;
  recurrence: EnumValue<ScheduleDataType>;
  createdDate?: Date;
  createdBy?: string;
  startDate?: Date;
  endDate?: Date;
  scheduleItemId?: string;
  scheduleItemName?: string;
  tenantId?: string;
}

export interface ErrorDetail {
  msg?: string;
  code?: number;
  params: string[];
}

export interface Task {
  id: string;
  status: EnumValue<TaskStatus>;
  description?: string;
  summary?: string;
  formattedSummary?: string;
  /** `taskSummary.error`, with its `{0}` parameters already filled in. */
  error?: string;
  /** What a publication task produces (PDF, Excel, …). */
  outputType: EnumValue<number>;
  executorDescription?: string;
  scheduleId?: string;
  startDate?: Date;
  endDate?: Date;
}

export interface ExecutionCounts {
  success: number;
  partialSuccess: number;
  failed: number;
  canceled: number;
  running: number;
  pending: number;
  triggerStopped: number;
}

export interface Execution {
  id: string;
  startDate?: Date;
  endDate?: Date;
  error?: string;
  counts: ExecutionCounts;
  tasks: Task[];
}

export interface ItemId {
  id: string;
  name?: string;
}

export interface PyramidUser {
  userName?: string;
}

/** A `ModifiedItemsResult` that reported success (failures become a PyramidOperationError). */
export interface ModifiedItems {
  modified: ItemId[];
}

type Json = Record<string, unknown>;

/**
 * Answers listing more items (schedules, executions, tasks, ids) are refused before any item is read:
 * twenty times the 10,000 schedules the client is tested with, where more would only freeze the tree.
 * The byte cap (MAX_ANSWER_BYTES) alone lets millions of small items through.
 */
export const MAX_ANSWER_ITEMS = 200_000;

/** The longest token or id accepted; real ones are a few dozen to a few hundred characters. */
export const MAX_TOKEN_LENGTH = 4096;

/** Dates outside these years are a server's placeholder (0001-01-01) or garbage: shown as unknown. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

/** Accepts epoch milliseconds (number or digits) or an ISO string; anything else, or out of range, is no date. */
export function parseDate(raw: unknown): Date | undefined {
  let date: Date | undefined;
  if (typeof raw === 'number') {
    date = new Date(raw);
  } else if (typeof raw === 'string' && raw.trim() !== '') {
    const text = raw.trim();
    date = /^-?\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  }
  const year = date?.getUTCFullYear() ?? Number.NaN;
  return year >= FIRST_YEAR && year <= LAST_YEAR ? date : undefined;
}

/**
 * A token or id answered as a JSON string or as raw text. It goes into headers, logs and later requests,
 * so it must look like one: visible ASCII without markup (`<`, `>`), at most MAX_TOKEN_LENGTH characters.
 * An object, array, number, empty answer, or text with whitespace or control characters inside is not.
 */
export function parseStringId(text: string, what: string, kind: string): string {
  const trimmed = text.trim();
  let value: unknown = trimmed;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // Raw text, unless it pretends to be a JSON string.
    value = trimmed.startsWith('"') ? undefined : trimmed;
  }
  const id = typeof value === 'string' ? value.trim() : '';
  if (id.length === 0 || id.length > MAX_TOKEN_LENGTH || !/^[\x21-\x3b=\x3f-\x7e]+$/.test(id)) {
    throw new PyramidResponseError(`The server's answer to ${what} is not ${kind}.`);
  }
  return id;
}

function text(raw: unknown): string | undefined {
  if (typeof raw === 'string') {
    return raw;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') {
    return String(raw);
  }
  return undefined;
}

function count(raw: unknown): number {
  const value = typeof raw === 'string' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isObject(raw: unknown): raw is Json {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/** API2 wrapped results as `{"data": …}`; some servers still do. Take what is inside. */
function unwrap(raw: unknown): unknown {
  if (isObject(raw) && 'data' in raw && Object.keys(raw).length <= 2) {
    return raw.data;
  }
  return raw;
}

function expectObject(raw: unknown, what: string): Json {
  const value = unwrap(raw);
  if (!isObject(value)) {
    throw new PyramidResponseError(`The server's answer to ${what} is not the expected object.`);
  }
  return value;
}

function expectArray(raw: unknown, what: string): unknown[] {
  const value = unwrap(raw);
  if (!Array.isArray(value)) {
    throw new PyramidResponseError(`The server's answer to ${what} is not the expected list.`);
  }
  checkItemCount(value.length, what);
  return value;
}

/** Called before any item is parsed, so an oversized answer costs no more than its JSON.parse. */
function checkItemCount(count: number, what: string): void {
  if (count > MAX_ANSWER_ITEMS) {
    throw new PyramidResponseError(
      `The server's answer to ${what} lists more than ${MAX_ANSWER_ITEMS.toLocaleString('en-US')} items; narrow it down with a filter.`,
    );
  }
}

function requiredId(raw: Json, field: string, what: string): string {
  const id = text(raw[field]);
  if (!id) {
    throw new PyramidResponseError(`The server's answer to ${what} has an item without "${field}".`);
  }
  return id;
}

export function parseSchedule(raw: unknown): Schedule {
  const item = expectObject(raw, 'findSchedule');
  return {
    scheduleId: requiredId(item, 'scheduleId', 'findSchedule'),
    name: text(item.name) ?? '(unnamed schedule)',
    description: text(item.description),
    type: scheduleTypes.parse(item.type),
    status: scheduleStatuses.parse(item.status),
    recurrence: scheduleDataTypes.parse(item.scheduleDataType),
    createdDate: parseDate(item.createdDate),
    createdBy: text(item.createdBy),
    startDate: parseDate(item.startDate),
    endDate: parseDate(item.endDate),
    scheduleItemId: text(item.scheduleItemId),
    scheduleItemName: text(item.scheduleItemName),
    tenantId: text(item.tenantId),
  };
}

export function parseSchedules(raw: unknown): Schedule[] {
  return expectArray(raw, 'findSchedule').map(parseSchedule);
}

/** Fills `{0}`, `{1}` … in a Pyramid error message with its parameters. */
function formatErrorMessage(error: unknown): string | undefined {
  if (!isObject(error)) {
    return text(error);
  }
  const template = text(error.msg);
  if (!template) {
    return undefined;
  }
  const params = Array.isArray(error.params) ? error.params.map((p) => text(p) ?? '') : [];
  return template.replace(/\{(\d+)\}/g, (match, index: string) => params[Number(index)] ?? match);
}

export function parseTask(raw: unknown, what = 'getTaskData'): Task {
  const item = expectObject(raw, what);
  const summary = isObject(item.taskSummary) ? item.taskSummary : {};
  return {
    id: requiredId(item, 'id', what),
    status: taskStatuses.parse(item.status),
    description: text(item.description),
    summary: text(item.summary) ?? text(summary.message),
    formattedSummary: text(item.formattedSummary),
    error: formatErrorMessage(summary.error),
    outputType: printingOutputTypes.parse(item.outputType),
    executorDescription: text(item.executorDescription),
    scheduleId: text(item.scheduleId),
    startDate: parseDate(item.startDate),
    endDate: parseDate(item.endDate),
  };
}

export function parseTasks(raw: unknown): Task[] {
  return expectArray(raw, 'getTasks').map((item) => parseTask(item, 'getTasks'));
}

export function parseExecution(raw: unknown): Execution {
  const item = expectObject(raw, 'getExecutions');
  return {
    id: requiredId(item, 'id', 'getExecutions'),
    startDate: parseDate(item.startDate),
    endDate: parseDate(item.endDate),
    error: text(item.error) || undefined,
    counts: {
      success: count(item.successCount),
      partialSuccess: count(item.partialSuccessCount),
      failed: count(item.failedCount),
      canceled: count(item.canceledCount),
      running: count(item.runningCount),
      pending: count(item.pendingCount),
      triggerStopped: count(item.triggerStoppedCount),
    },
    tasks: Array.isArray(item.items) ? expectArray(item.items, 'getExecutions').map((task) => parseTask(task, 'getExecutions')) : [],
  };
}

/** Executions, newest first (the server's order is not documented). */
export function parseExecutions(raw: unknown): Execution[] {
  const list = expectArray(raw, 'getExecutions');
  // Each execution lists its tasks: they count towards the answer's items too.
  const tasks = list.reduce<number>((sum, entry) => {
    const item = unwrap(entry);
    return sum + (isObject(item) && Array.isArray(item.items) ? item.items.length : 0);
  }, 0);
  checkItemCount(list.length + tasks, 'getExecutions');
  const executions = list.map(parseExecution);
  return executions.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
}

export function parseItemIds(raw: unknown, what: string): ItemId[] {
  return expectArray(raw, what).map((item) => {
    if (typeof item === 'string') {
      return { id: item };
    }
    const object = expectObject(item, what);
    return { id: requiredId(object, 'id', what), name: text(object.name) ?? undefined };
  });
}

export function parseTaskStatus(raw: unknown): EnumValue<TaskStatus> {
  const value = unwrap(raw);
  // `{"status": 4}` as documented; a bare `4` or `"RUNNING"` is accepted too.
  return taskStatuses.parse(isObject(value) ? value.status : value);
}

export function parseUser(raw: unknown): PyramidUser {
  const user = expectObject(raw, 'getMe');
  return { userName: text(user.userName) ?? text(user.username) };
}

/** The raw fields of a ModifiedItemsResult; the client turns `success: false` into an error. */
export function parseModifiedItemsResult(raw: unknown, what: string): { success: boolean; errorMessage?: string; modified: ItemId[] } {
  const result = expectObject(raw, what);
  const success = result.success === true || result.success === 'true';
  return {
    success,
    errorMessage: text(result.errorMessage)?.trim() || undefined,
    modified: Array.isArray(result.modifiedList) ? parseItemIds(result.modifiedList, what) : [],
  };
}
