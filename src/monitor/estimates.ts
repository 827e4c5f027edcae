/**
 * How long a schedule's runs usually take, from its run history: the duration of each comparable past
 * run (finished, not failed, with both ends, on the server's clock), and from those a time left, a
 * window where a run is likely to end, and when it is clearly taking longer than usual. No `vscode`
 * import and no clock of its own: every function is given the times it needs.
 */
import { Execution } from '../api';
import { executionOutcome } from '../present/look';
import { formatDuration } from '../util/format';

/** Runs fewer than this give no estimate. */
export const MIN_COMPARABLE_RUNS = 3;
/** The estimate reads at most this many of the newest comparable runs: older ones describe older data. */
export const RECENT_RUNS = 12;
/** A run is longer than usual once it is past its 90th-percentile duration by half again. */
export const LONGER_THAN_USUAL_FACTOR = 1.5;
/** A trend is read from at least this many runs, and only when it stands this far out of their noise (in standard errors). */
export const TREND_MIN_RUNS = 6;
export const TREND_MIN_SIGNIFICANCE = 4;
/** Without a trend, a history is stable when its runs lie within this share of their median of each other. */
export const STABLE_SPREAD = 0.25;

/**
 * What a history says of the next run: stable (it ends about where the past runs did), trending (where
 * their steady trend leads) or noisy (anywhere in a wide range).
 */
export type HistoryKind = 'stable' | 'trending' | 'noisy';

export interface Estimate {
  /** The median duration of the runs read. */
  typicalMs: number;
  /** Their 90th-percentile duration. */
  p90Ms: number;
  /** The shortest and longest of them: the window where a run is likely to end. */
  shortestMs: number;
  longestMs: number;
  /** How many runs the estimate reads. */
  runs: number;
  kind: HistoryKind;
  /** How much longer each run takes than the one before, when the runs read show a steady trend (negative: shorter). */
  trendMsPerRun?: number;
}

/**
 * Durations of the runs an estimate may learn from, newest first: runs that finished (failed, canceled
 * or stopped runs end early, and runs with errors end anywhere) with a start and an end on the server's
 * clock. A run of length zero or less says nothing about time.
 */
export function comparableDurations(executions: readonly Execution[]): number[] {
  const durations: number[] = [];
  for (const execution of executions) {
    const { startDate, endDate } = execution;
    if (!startDate || !endDate || executionOutcome(execution) !== 'succeeded') {
      continue;
    }
    const ms = endDate.getTime() - startDate.getTime();
    if (Number.isFinite(ms) && ms > 0) {
      durations.push(ms);
    }
  }
  return durations;
}

/** The estimate from a history (newest first), or undefined with fewer than MIN_COMPARABLE_RUNS comparable runs. */
export function estimateFrom(executions: readonly Execution[], recentRuns = RECENT_RUNS): Estimate | undefined {
  const durations = comparableDurations(executions).slice(0, recentRuns);
  if (durations.length < MIN_COMPARABLE_RUNS) {
    return undefined;
  }
  const trend = steadyTrend(durations);
  // Along a trend, each past run says what the next one takes once carried forward by the runs since.
  const carried = trend === undefined ? durations : durations.map((ms, runsAgo) => Math.round(ms + trend * (runsAgo + 1)));
  const sorted = [...carried].sort((a, b) => a - b);
  const typicalMs = quantile(sorted, 0.5);
  const spread = (sorted[sorted.length - 1] - sorted[0]) / typicalMs;
  return {
    typicalMs,
    p90Ms: quantile(sorted, 0.9),
    shortestMs: sorted[0],
    longestMs: sorted[sorted.length - 1],
    runs: sorted.length,
    kind: trend !== undefined ? 'trending' : spread <= STABLE_SPREAD ? 'stable' : 'noisy',
    ...(trend === undefined ? {} : { trendMsPerRun: Math.round(trend) }),
  };
}

/**
 * The change per run of a least-squares line through the durations (newest first), when it is steady:
 * enough runs, a slope well out of their scatter around the line, and every run carried forward along it
 * still of positive length. Undefined otherwise: a noisy or stable history has no trend worth following.
 */
export function steadyTrend(durations: readonly number[]): number | undefined {
  const n = durations.length;
  if (n < TREND_MIN_RUNS) {
    return undefined;
  }
  // x counts runs forward in time: the newest run is at n - 1.
  const meanX = (n - 1) / 2;
  const meanY = durations.reduce((sum, ms) => sum + ms, 0) / n;
  let sxx = 0;
  let sxy = 0;
  durations.forEach((ms, runsAgo) => {
    const x = n - 1 - runsAgo - meanX;
    sxx += x * x;
    sxy += x * (ms - meanY);
  });
  const slope = sxy / sxx;
  let residuals = 0;
  durations.forEach((ms, runsAgo) => {
    const fitted = meanY + slope * (n - 1 - runsAgo - meanX);
    residuals += (ms - fitted) ** 2;
  });
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  if (Math.abs(slope) < TREND_MIN_SIGNIFICANCE * standardError || slope === 0) {
    return undefined;
  }
  return durations.every((ms, runsAgo) => ms + slope * (runsAgo + 1) > 0) ? slope : undefined;
}

/** Linear interpolation between the closest ranks of a sorted, non-empty list. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return Math.round(sorted[below] + (sorted[above] - sorted[below]) * (position - below));
}

/** How long is left after `elapsedMs`: never negative. */
export function timeLeftMs(estimate: Estimate, elapsedMs: number): number {
  return Math.max(0, estimate.typicalMs - Math.max(0, elapsedMs));
}

/** Clearly past its history: beyond the 90th percentile by half again. */
export function isLongerThanUsual(estimate: Estimate, elapsedMs: number): boolean {
  return elapsedMs > estimate.p90Ms * LONGER_THAN_USUAL_FACTOR;
}

/** `about 3 min left`, `less than a minute left`, `longer than usual`: what a running run shows after its status. */
export function estimateLabel(estimate: Estimate, elapsedMs: number): string {
  if (isLongerThanUsual(estimate, elapsedMs)) {
    return 'longer than usual';
  }
  const left = timeLeftMs(estimate, elapsedMs);
  if (left >= 90_000) {
    return `about ${Math.round(left / 60_000)} min left`;
  }
  return left >= 45_000 ? 'about 1 min left' : left > 0 ? 'less than a minute left' : 'should end soon';
}

/** `usually 4m 10s (median of the last 12 successful runs)`: where the estimate comes from, for tooltips. */
export function estimateBasis(estimate: Estimate): string {
  if (estimate.trendMsPerRun !== undefined) {
    const direction = estimate.trendMsPerRun > 0 ? 'longer' : 'shorter';
    return `about ${formatDuration(estimate.typicalMs)} (the last ${estimate.runs} successful runs, each a little ${direction} than the one before)`;
  }
  return `usually ${formatDuration(estimate.typicalMs)} (median of the last ${estimate.runs} successful runs)`;
}

/**
 * The window, relative to the run's start, where it is likely to end: its history's shortest to longest
 * duration, widened a little on each side (a sixteenth of the spread, at least half a second), as the
 * next run may end a little outside what the last few did.
 */
export function endWindow(estimate: Estimate): EndWindow {
  const margin = Math.max((estimate.longestMs - estimate.shortestMs) / 16, 500);
  return {
    fromMs: Math.max(0, Math.round(estimate.shortestMs - margin)),
    toMs: Math.round(estimate.longestMs + margin),
    typicalMs: estimate.typicalMs,
    history: estimate.kind,
  };
}

/** Where a run is likely to end, in ms after its start, and how long it usually takes. */
export interface EndWindow {
  fromMs: number;
  toMs: number;
  typicalMs: number;
  history: HistoryKind;
}
