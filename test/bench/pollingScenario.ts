// The polling scenario both approaches watch: 50 runs of 10 s to 30 min (fixed seed), started within
// five minutes of each other, and the server-side status changes each run goes through.
import { PyramidSimulator, SimSchedule } from '../simulator/server';
import { seededRandom } from './stats';

export const RUN_COUNT = 50;
export const SEED = 20_250_106;
export const SHORTEST_MS = 10_000;
export const LONGEST_MS = 30 * 60_000;
/** Runs start within the first five minutes, so many are watched at once. */
export const LAUNCH_WINDOW_MS = 5 * 60_000;
export const START = Date.parse('2025-01-06T08:00:00Z');
export const FIXED_INTERVAL_MS = 3_000;
export const IDLE_MS = 60 * 60_000;

export interface PlannedRun {
  number: number;
  scheduleId: string;
  scheduleName: string;
  launchAt: number;
  pendingMs: number;
  runMs: number;
}

export interface Transition {
  label: string;
  at: number;
}

/** What one approach did for one run. */
export interface Watched {
  run: PlannedRun;
  executionId: string;
  transitions: Transition[];
}

export interface ScenarioResult {
  watched: Watched[];
  requests: PyramidSimulator['requests'];
  connectionsOpened: number;
}

export interface Intervals {
  baseIntervalMs: number;
  maxIntervalMs: number;
}

export interface IdleResult {
  timersSet: number;
  requests: number;
  connections: number;
  monitorHasTimer: boolean;
}

export interface Variant {
  intervals: Intervals;
  result: ScenarioResult;
}

/** Durations spread evenly on a log scale from 10 s to 30 min, queue times of 1–8 s, launches over 5 min. */
export function planRuns(schedules: readonly SimSchedule[]): PlannedRun[] {
  const random = seededRandom(SEED);
  return schedules.slice(0, RUN_COUNT).map((schedule, index) => {
    const durationMs = Math.round(SHORTEST_MS * (LONGEST_MS / SHORTEST_MS) ** ((index + random()) / RUN_COUNT));
    const pendingMs = Math.round(Math.min(1_000 + random() * 7_000, durationMs / 4));
    return {
      number: index + 1,
      scheduleId: schedule.scheduleId,
      scheduleName: schedule.name,
      launchAt: START + Math.round(random() * LAUNCH_WINDOW_MS),
      pendingMs,
      runMs: durationMs - pendingMs,
    };
  });
}

/** The server-side status changes of a run that happen while it is watched, and when. */
export function statusChanges(run: PlannedRun): Transition[] {
  return [
    { label: 'Running', at: run.launchAt + run.pendingMs },
    { label: 'Finished', at: run.launchAt + run.pendingMs + run.runMs },
  ];
}
