// The polling scenario every approach watches: 100 runs of 10 s to 30 min (fixed seed), started within
// five minutes of each other, in four groups by what their schedule's history says (stable, noisy,
// slowly trending, none), and the server-side status changes each run goes through.
import { PyramidSimulator, SimSchedule } from '../simulator/server';
import { seededRandom } from './stats';

export const RUN_COUNT = 100;
export const SEED = 20_250_106;
export const SHORTEST_MS = 10_000;
export const LONGEST_MS = 30 * 60_000;
/** Runs start within the first five minutes, so many are watched at once. */
export const LAUNCH_WINDOW_MS = 5 * 60_000;
export const START = Date.parse('2025-01-06T08:00:00Z');
export const FIXED_INTERVAL_MS = 3_000;
export const IDLE_MS = 60 * 60_000;

/** Past runs each schedule with a history has, newest first. */
export const HISTORY_RUNS = 20;

/**
 * What a schedule's history says: stable (durations within ±5 % of their median), noisy (±30 %),
 * trending (each run 1 % slower than the one before, ±1 %), or no history at all.
 */
export const HISTORY_GROUPS = ['stable', 'noisy', 'trending', 'none'] as const;
export type HistoryGroup = (typeof HISTORY_GROUPS)[number];

export interface PlannedRun {
  number: number;
  scheduleId: string;
  scheduleName: string;
  launchAt: number;
  pendingMs: number;
  runMs: number;
  group: HistoryGroup;
  /** The schedule's past runs (ms from start to end), newest first; empty for the group without history. */
  pastDurationsMs: number[];
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
  /** The monitor's time left at the run's midpoint, when it had an estimate then. */
  leftAtMidpointMs?: number;
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

/**
 * Durations spread evenly on a log scale from 10 s to 30 min, queue times of 1–8 s, launches over 5 min;
 * the groups take turns along the durations, so each spans them all. A run's own duration comes from the
 * same spread as its schedule's history (for the trend, the next step of it).
 */
export function planRuns(schedules: readonly SimSchedule[]): PlannedRun[] {
  const random = seededRandom(SEED);
  return schedules.slice(0, RUN_COUNT).map((schedule, index) => {
    const typicalMs = SHORTEST_MS * (LONGEST_MS / SHORTEST_MS) ** ((index + random()) / RUN_COUNT);
    const group = HISTORY_GROUPS[index % HISTORY_GROUPS.length];
    const spread = (relative: number) => 1 + relative * (2 * random() - 1);
    const sample = (past: number): number => {
      switch (group) {
        case 'stable':
          return typicalMs * spread(0.05);
        case 'noisy':
          return typicalMs * spread(0.3);
        default:
          return typicalMs * 1.01 ** -past * spread(0.01); // 'trending': `past` runs ago; 'none' uses only the run itself
      }
    };
    const durationMs = Math.round(sample(0));
    const pastDurationsMs = group === 'none' ? [] : Array.from({ length: HISTORY_RUNS }, (_, i) => Math.round(sample(i + 1)));
    const pendingMs = Math.round(Math.min(1_000 + random() * 7_000, durationMs / 4));
    return {
      number: index + 1,
      scheduleId: schedule.scheduleId,
      scheduleName: schedule.name,
      launchAt: START + Math.round(random() * LAUNCH_WINDOW_MS),
      pendingMs,
      runMs: durationMs - pendingMs,
      group,
      pastDurationsMs,
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
