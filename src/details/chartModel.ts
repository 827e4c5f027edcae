/**
 * The run-history chart as numbers: one bar per run (x from its start time, height from its
 * duration, a colour key from its outcome), the duration axis, and the statistics over the finished
 * runs shown. Coordinates are in the chart's own viewBox units. No `vscode` import and no DOM: the
 * webview draws what this computes, and unit tests check it.
 */
import { RunOutcome, RunSummary } from './protocol';

/** The chart's viewBox and the margins that hold the axis labels. */
export const CHART = { width: 640, height: 220, left: 56, right: 12, top: 12, bottom: 28 } as const;

/** The widest a bar gets, so a handful of runs do not become blocks. */
const MAX_BAR_WIDTH = 24;
const MIN_BAR_WIDTH = 3;
/** A bar never vanishes, even for a run of zero seconds. */
const MIN_BAR_HEIGHT = 2;

/** Durations the axis steps by: seconds, minutes, hours. */
const NICE_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
const AXIS_TICKS = 4;

export interface ChartBar {
  run: RunSummary;
  /** Left edge, width, top and height in viewBox units. */
  x: number;
  width: number;
  y: number;
  height: number;
  durationMs: number;
  /** Still running: its duration grows with `now`. */
  running: boolean;
  outcome: RunOutcome;
}

export interface ChartStats {
  /** Finished runs counted (with a start and an end). */
  finished: number;
  medianMs?: number;
  p90Ms?: number;
  /** Finished runs whose every task succeeded, over the finished runs that ran (trigger-stopped and canceled ones are not counted); 0..1. */
  successRate?: number;
}

export interface ChartModel {
  /** Oldest first, left to right. */
  bars: ChartBar[];
  stats: ChartStats;
  /** The duration the top of the plot stands for. */
  maxDurationMs: number;
  /** Axis ticks: a duration and its y. */
  ticks: { durationMs: number; y: number }[];
  /** The time span of the x axis (epoch ms); undefined without any dated run. */
  span?: { from: number; to: number };
}

/** The plot area inside the margins. */
export const PLOT = {
  left: CHART.left,
  top: CHART.top,
  width: CHART.width - CHART.left - CHART.right,
  height: CHART.height - CHART.top - CHART.bottom,
} as const;

/** How long a run took, or has taken by `now` while it runs; undefined without the dates to tell. */
export function runDurationMs(run: RunSummary, now: number): number | undefined {
  if (run.startedAt === undefined) {
    return undefined;
  }
  if (run.outcome === 'running') {
    return Math.max(0, now - run.startedAt);
  }
  return run.endedAt === undefined ? undefined : Math.max(0, run.endedAt - run.startedAt);
}

/**
 * The chart of `runs` (newest first, as the history gives them). Runs without a start date have no
 * place on a time axis: the table still lists them.
 */
export function buildChart(runs: readonly RunSummary[], now: number): ChartModel {
  const dated = runs
    .map((run) => ({ run, durationMs: runDurationMs(run, now) }))
    .filter((entry): entry is { run: RunSummary; durationMs: number } => entry.durationMs !== undefined)
    .sort((a, b) => a.run.startedAt! - b.run.startedAt!);
  const stats = statistics(runs);
  const longest = Math.max(0, ...dated.map((entry) => entry.durationMs));
  const step = axisStep(longest);
  const maxDurationMs = step * AXIS_TICKS;
  const yOf = (ms: number) => PLOT.top + PLOT.height - (ms / maxDurationMs) * PLOT.height;
  const ticks = Array.from({ length: AXIS_TICKS + 1 }, (_, i) => ({ durationMs: i * step, y: yOf(i * step) }));
  if (dated.length === 0) {
    return { bars: [], stats, maxDurationMs, ticks };
  }
  const from = dated[0].run.startedAt!;
  const to = dated[dated.length - 1].run.startedAt!;
  const width = Math.max(MIN_BAR_WIDTH, Math.min(MAX_BAR_WIDTH, (PLOT.width / dated.length) * 0.7));
  const usable = PLOT.width - width;
  const bars = dated.map(({ run, durationMs }) => {
    // One run, or runs all started together: in the middle.
    const share = to === from ? 0.5 : (run.startedAt! - from) / (to - from);
    const height = Math.max(MIN_BAR_HEIGHT, (Math.min(durationMs, maxDurationMs) / maxDurationMs) * PLOT.height);
    return {
      run,
      x: PLOT.left + share * usable,
      width,
      y: PLOT.top + PLOT.height - height,
      height,
      durationMs,
      running: run.outcome === 'running',
      outcome: run.outcome,
    };
  });
  return { bars, stats, maxDurationMs, ticks, span: { from, to } };
}

/** Median, 90th percentile (nearest rank) and success rate over the finished runs. */
export function statistics(runs: readonly RunSummary[]): ChartStats {
  const finished = runs.filter((run) => run.outcome !== 'running' && run.startedAt !== undefined && run.endedAt !== undefined);
  const durations = finished.map((run) => Math.max(0, run.endedAt! - run.startedAt!)).sort((a, b) => a - b);
  if (durations.length === 0) {
    return { finished: 0 };
  }
  const middle = Math.floor(durations.length / 2);
  const medianMs = durations.length % 2 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
  const p90Ms = durations[Math.ceil(0.9 * durations.length) - 1];
  const judged = finished.filter((run) => run.outcome === 'succeeded' || run.outcome === 'partial' || run.outcome === 'failed');
  const successRate = judged.length ? judged.filter((run) => run.outcome === 'succeeded').length / judged.length : undefined;
  return { finished: durations.length, medianMs, p90Ms, successRate };
}

/** The smallest nice step that fits the longest duration in AXIS_TICKS steps. */
export function axisStep(longestMs: number): number {
  const wanted = longestMs / AXIS_TICKS;
  return NICE_STEPS_MS.find((step) => step >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
}
