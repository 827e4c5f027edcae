/**
 * Reads back the runs an earlier session saved. Storage outlives versions and can be edited or
 * corrupted: older shapes are migrated, and a run that cannot be polled safely is dropped (logged by
 * its ids only), so one bad run cannot break polling of the others.
 */
import type { TaskOutcome } from '../api';
import { shortId } from '../util/format';
import { FinishedRun, WatchedRun, isFinalOutcome } from './runs';

export interface RestoredRuns {
  watched: WatchedRun[];
  recent: FinishedRun[];
}

type Json = Record<string, unknown>;

/** Whatever `RunStore.load()` gave, as runs of the current shape; `warn` gets one line per run dropped. */
export function readSavedRuns(saved: unknown, warn: (message: string) => void): RestoredRuns {
  if (saved === undefined || saved === null) {
    return { watched: [], recent: [] };
  }
  const current = isObject(saved) && saved.version === 1 ? fromVersion1(saved) : saved;
  if (!isObject(current) || current.version !== 2) {
    warn('Dropped the saved runs: not in a format this version knows.');
    return { watched: [], recent: [] };
  }
  const recent = validRuns(current.recent, 'finished', warn) as FinishedRun[];
  const watched = validRuns(current.watched, 'watched', warn) as WatchedRun[];
  return { watched, recent };
}

/**
 * Version 1 knew only executions, and gave a run not yet polled the status `{ label: 'Unknown' }`
 * with no raw value (a status the server really sent always has one).
 */
function fromVersion1(saved: Json): Json {
  const migrate = (runs: unknown) => (Array.isArray(runs) ? runs.map(runFromVersion1) : runs);
  return { version: 2, watched: migrate(saved.watched), recent: migrate(saved.recent) };
}

function runFromVersion1(run: unknown): unknown {
  if (!isObject(run)) {
    return run;
  }
  const status = run.status;
  const neverPolled = isObject(status) && status.label === 'Unknown' && status.raw === undefined;
  return { ...run, kind: 'execution', status: neverPolled ? undefined : status };
}

function validRuns(stored: unknown, list: 'watched' | 'finished', warn: (message: string) => void): unknown[] {
  if (stored === undefined) {
    return [];
  }
  if (!Array.isArray(stored)) {
    warn(`Dropped the saved ${list} runs: not a list.`);
    return [];
  }
  return stored.filter((value: unknown) => {
    const problem = savedRunProblem(value, list);
    if (problem) {
      warn(`Dropped a saved ${list} run (${savedRunIds(value)}): ${problem}.`);
    }
    return problem === undefined;
  });
}

/** Why a stored value cannot be kept as a run of that list, or undefined if it can. */
function savedRunProblem(value: unknown, list: 'watched' | 'finished'): string | undefined {
  if (!isObject(value)) {
    return 'not a run';
  }
  if (!isId(value.executionId) || !isId(value.scheduleId)) {
    return 'no execution or schedule id';
  }
  if (value.kind === 'task' && !isId(value.taskId)) {
    return 'no task id';
  }
  if (value.rerun !== undefined && !isRerunMark(value.rerun)) {
    return 'a re-run mark not in the expected shape';
  }
  if (!isHttpUrl(value.serverUrl)) {
    return 'no valid http(s) server URL';
  }
  const kindOk = value.kind === 'execution' || (value.kind === 'task' && typeof value.taskName === 'string');
  const common = kindOk && typeof value.scheduleName === 'string' && Number.isFinite(value.startedAt);
  const ended = value.state === 'finished' && isStatus(value.status) && typeof value.outcome === 'string' && isFinalOutcome(value.outcome as TaskOutcome) && Number.isFinite(value.finishedAt);
  const watching = value.status === undefined || isStatus(value.status);
  return common && (list === 'finished' ? ended : watching) ? undefined : 'not in the expected shape';
}

/** The ids of a stored value that may not be a run, for a log line that must not echo anything else. */
function savedRunIds(value: unknown): string {
  const run = isObject(value) ? value : {};
  // Sanitised too: a corrupted id must not break the log line apart.
  const id = (candidate: unknown) => (isId(candidate) ? shortId(candidate).replace(/[^\w.-]/g, '?') : '?');
  return `execution ${id(run.executionId)}, schedule ${id(run.scheduleId)}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRerunMark(value: unknown): boolean {
  const optionalTime = (time: unknown) => time === undefined || Number.isFinite(time);
  return (
    isObject(value) &&
    typeof value.status === 'string' &&
    optionalTime(value.startedAt) &&
    optionalTime(value.endedAt) &&
    Array.isArray(value.knownExecutions) &&
    value.knownExecutions.every(isId) &&
    Number.isFinite(value.unchangedPolls)
  );
}

function isStatus(value: unknown): boolean {
  return isObject(value) && typeof value.label === 'string';
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
