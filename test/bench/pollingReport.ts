// The polling report: per-run figures from the simulator's request log and the watchers' transitions,
// per history group, the comparison of the monitor with today's backoff and the fixed loop, and what
// the targets say about them.
import {
  FIXED_INTERVAL_MS,
  HISTORY_GROUPS,
  HISTORY_RUNS,
  HistoryGroup,
  IdleResult,
  Intervals,
  LAUNCH_WINDOW_MS,
  LONGEST_MS,
  PlannedRun,
  RUN_COUNT,
  SEED,
  SHORTEST_MS,
  ScenarioResult,
  Transition,
  Variant,
  Watched,
  statusChanges,
} from './pollingScenario';
import { Section, TargetCheck as Check, table } from './report';
import { duration, percentile, ratio, seconds, sum } from './stats';

/** Per run: the figures the report compares. */
interface RunFigures {
  run: PlannedRun;
  durationMs: number;
  statusRequests: number;
  /** `getExecutions` of the run's schedule: what the estimate cost. */
  historyRequests: number;
  connectionsUsed: number;
  /** Delay to see each status change that happens while the run is watched (to Running, to the end). */
  delaysMs: number[];
  /** Delay to see the run's end. */
  endDelayMs: number;
  /** |time left said at the midpoint − time really left| as a share of the run's duration. */
  midpointError?: number;
}

/** How long after the change the watcher reported it (or a later status, had it skipped this one). */
function detectionDelay(change: Transition, watched: Watched): number {
  const seen = watched.transitions.find((transition) => transition.label === change.label)
    ?? watched.transitions.find((transition) => transition.at >= change.at);
  return seen ? seen.at - change.at : NaN;
}

function figures(result: ScenarioResult): RunFigures[] {
  return result.watched
    .map((watched) => {
      const polls = result.requests.filter((r) => r.path === 'tasks/getScheduleExecutionStatus' && r.body.includes(watched.executionId));
      const reads = result.requests.filter((r) => r.path === 'tasks/getExecutions' && r.body.includes(watched.run.scheduleId));
      const delaysMs = statusChanges(watched.run).map((change) => detectionDelay(change, watched));
      const durationMs = watched.run.pendingMs + watched.run.runMs;
      const halfway = Math.round(durationMs / 2);
      return {
        run: watched.run,
        durationMs,
        statusRequests: polls.length,
        historyRequests: reads.length,
        connectionsUsed: new Set([...polls, ...reads].map((r) => r.connectionId)).size,
        delaysMs,
        endDelayMs: delaysMs.at(-1)!,
        midpointError: watched.leftAtMidpointMs === undefined ? undefined : Math.abs(watched.leftAtMidpointMs - (durationMs - halfway)) / durationMs,
      };
    })
    .sort((a, b) => a.run.number - b.run.number);
}

const TWO_MINUTES = 2 * 60_000;
const ONE_MINUTE = 60_000;

type Filter = (f: RunFigures) => boolean;
const all: Filter = () => true;
const isLong: Filter = (f) => f.durationMs > TWO_MINUTES;
const isShort: Filter = (f) => f.durationMs < ONE_MINUTE;
const inGroup = (group: HistoryGroup, also: Filter = all): Filter => (f) => f.run.group === group && also(f);
/** Every request a run cost: its status checks and its history read. */
const requestsOf = (list: RunFigures[], keep = all) => sum(list.filter(keep).map((f) => f.statusRequests + f.historyRequests));
const endDelaysOf = (list: RunFigures[], keep = all) => list.filter(keep).map((f) => f.endDelayMs);
const delaysOf = (list: RunFigures[], keep = all) => list.filter(keep).flatMap((f) => f.delaysMs);
const p50End = (list: RunFigures[], keep = all) => percentile(endDelaysOf(list, keep), 50);

interface Approaches {
  adaptive: RunFigures[];
  backoff: RunFigures[];
  fixed: RunFigures[];
}

/** The figures of the targets for one adaptive run of the scenario, against the same baselines. */
function summarize(adaptive: RunFigures[], fixed: RunFigures[]) {
  const fixedOf = new Map(fixed.map((f) => [f.run.number, f]));
  const noHistoryLong = inGroup('none', isLong);
  return {
    stableRatio: requestsOf(fixed, inGroup('stable')) / requestsOf(adaptive, inGroup('stable')),
    stableP50: p50End(adaptive, inGroup('stable')),
    noneShortP50: p50End(adaptive, inGroup('none', isShort)),
    noneLongRatio: requestsOf(fixed, noHistoryLong) / requestsOf(adaptive, noHistoryLong),
    noneLeastLongRatio: Math.min(...adaptive.filter(noHistoryLong).map((f) => fixedOf.get(f.run.number)!.statusRequests / f.statusRequests)),
    allRatio: requestsOf(fixed) / requestsOf(adaptive),
    p95: percentile(delaysOf(adaptive), 95),
  };
}

export function pollingSection(intervals: Intervals, results: { adaptive: ScenarioResult; backoff: ScenarioResult; fixed: ScenarioResult }, idle: IdleResult, variants: Variant[]): Section {
  const approaches: Approaches = { adaptive: figures(results.adaptive), backoff: figures(results.backoff), fixed: figures(results.fixed) };
  const { adaptive, backoff, fixed } = approaches;
  const summary = summarize(adaptive, fixed);
  const { baseIntervalMs: base, maxIntervalMs: max } = intervals;
  const connections = results.adaptive.connectionsOpened;
  const requestCount = results.adaptive.requests.length;
  const historyRequests = sum(adaptive.map((f) => f.historyRequests));
  const withHistory = adaptive.filter((f) => f.run.group !== 'none').length;
  const variantRows = variants.map((variant) => ({ variant, summary: summarize(figures(variant.result), fixed) }));
  const midpoint = (group: HistoryGroup) => percentile(adaptive.filter(inGroup(group)).flatMap((f) => (f.midpointError === undefined ? [] : [f.midpointError])), 50);
  const estimated = (group: HistoryGroup) => adaptive.filter(inGroup(group)).filter((f) => f.midpointError !== undefined).length;

  const notWorse = (group: HistoryGroup): Check => {
    const [a, b] = [p50End(adaptive, inGroup(group)), p50End(backoff, inGroup(group))];
    const [ra, rb] = [requestsOf(adaptive, inGroup(group)), requestsOf(backoff, inGroup(group))];
    return {
      name: `${capitalized(group)} history: delay and requests`,
      target: "never worse than today's backoff on either",
      measured: `end delay p50 ${seconds(a)} (backoff ${seconds(b)}), ${ra} requests (backoff ${rb})`,
      met: a <= b && ra <= rb,
      note: a <= b && ra <= rb ? undefined : NOT_WORSE_NOTES[group],
    };
  };
  const checks: Check[] = [
    {
      name: 'Stable history: detection delay p50',
      target: `≤ ${seconds(1_500)} (the fixed loop's own figure)`,
      measured: `${seconds(summary.stableP50)} (fixed loop ${seconds(p50End(fixed, inGroup('stable')))}, backoff ${seconds(p50End(backoff, inGroup('stable')))})`,
      met: summary.stableP50 <= 1_500,
    },
    {
      name: 'Stable history: requests',
      target: '≥ 3x fewer than the fixed loop',
      measured: `${summary.stableRatio.toFixed(1)}x fewer (${requestsOf(adaptive, inGroup('stable'))} against ${requestsOf(fixed, inGroup('stable'))})`,
      met: summary.stableRatio >= 3,
    },
    notWorse('noisy'),
    notWorse('trending'),
    {
      name: 'No history: detection delay p50, runs < 1 min',
      target: `≤ ${seconds(3_000)}`,
      measured: `${seconds(summary.noneShortP50)} (backoff ${seconds(p50End(backoff, inGroup('none', isShort)))}, fixed loop ${seconds(p50End(fixed, inGroup('none', isShort)))})`,
      met: summary.noneShortP50 <= 3_000,
    },
    {
      name: 'No history: requests, runs > 2 min',
      target: '≥ 3x fewer than the fixed loop',
      measured: `${summary.noneLongRatio.toFixed(1)}x fewer overall, ≥ ${summary.noneLeastLongRatio.toFixed(1)}x for every run`,
      met: summary.noneLongRatio >= 3,
    },
    { name: 'Detection delay p95, all runs', target: `≤ maximum interval (${seconds(max, 0)})`, measured: seconds(summary.p95), met: summary.p95 <= max },
    {
      name: 'History requests',
      target: 'at most one per run start, counted in the totals',
      measured: `${historyRequests} for ${withHistory} runs with a history and ${adaptive.length - withHistory} without`,
      met: adaptive.every((f) => f.historyRequests <= 1),
    },
    ...(['stable', 'trending'] as const).map((group) => ({
      name: `${capitalized(group)} history: time left at the midpoint`,
      target: "median error ≤ 15 % of the run's duration",
      measured: `${(midpoint(group) * 100).toFixed(1)} % (${estimated(group)} runs with an estimate)`,
      met: midpoint(group) <= 0.15,
    })),
    {
      name: 'Connections',
      target: 'one kept-alive connection',
      measured: `${connections} for ${requestCount} requests (backoff ${results.backoff.connectionsOpened}, fixed loop ${results.fixed.connectionsOpened})`,
      met: connections === 1,
      note: connections === 1 ? undefined : `${connections - 1} more than one: requests under way at the same moment each took a socket of the shared agent.`,
    },
    {
      name: 'Idle window',
      target: 'no timer, no request',
      measured: `${idle.timersSet} timers, ${idle.requests} requests in 1 h`,
      met: idle.timersSet === 0 && idle.requests === 0 && !idle.monitorHasTimer,
    },
  ];

  return {
    title: '4. Polling cost',
    lines: [
      ...scenarioDescription(base, max),
      '',
      ...groupTable(approaches),
      '',
      `**Idle window** (nothing watched, one simulated hour): ${idle.timersSet} timers set, monitor timer ${idle.monitorHasTimer ? 'set' : 'not set'} at the end,`,
      `${idle.requests} requests, ${idle.connections} connections.`,
      '',
      '**Trade-off of the maximum interval** (`pyramid.maxPollIntervalSeconds`, same scenario, same fixed loop):',
      '',
      ...table(
        ['Maximum interval', 'Requests, all runs', 'Stable: end delay p50', 'No history: end delay p50, runs < 1 min', 'No history: requests, runs > 2 min', 'Delay p95'],
        variantRows.map(({ variant, summary: s }) => [
          seconds(variant.intervals.maxIntervalMs, 0) + (variant.intervals.maxIntervalMs === max ? ' (default)' : ''),
          `${s.allRatio.toFixed(1)}x fewer`,
          seconds(s.stableP50),
          seconds(s.noneShortP50),
          `${s.noneLongRatio.toFixed(1)}x fewer`,
          seconds(s.p95),
        ]),
      ),
      '',
      '#### Per run',
      '',
      ...perRunTable(approaches),
    ],
    checks,
  };
}

/** Why a group costs more than today's backoff, when it does. */
const NOT_WORSE_NOTES: Partial<Record<HistoryGroup, string>> = {
  trending:
    "A trending history's window, placed where the trend leads, gets no more checks than the backoff would send over the run; here runs ended outside it, where waits grow again from the base interval.",
  noisy: "A noisy history's window gets no more checks than the backoff would send over the run; here runs ended outside it, where waits grow again from the base interval.",
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function scenarioDescription(base: number, max: number): string[] {
  return [
    `${RUN_COUNT} runs, durations spread evenly on a log scale from ${duration(SHORTEST_MS)} to ${duration(LONGEST_MS)} (seed ${SEED}),`,
    `queued 1–8 s before running, started at random moments in the first ${LAUNCH_WINDOW_MS / 60_000} minutes, so many are watched at once.`,
    `Their schedules take turns in four groups by what their last ${HISTORY_RUNS} runs (in the simulator's history) say: **stable**`,
    '(within ±5 % of their median), **noisy** (±30 %), **trending** (each run 1 % slower than the one before) and **none**',
    '(no history); each run itself takes what its history predicts (the next step of the trend).',
    "Each approach runs against its own simulator over loopback HTTP; one fake clock drives the watchers' timers and the",
    "simulator's run statuses, so every delay below is exact (network time is not part of it).",
    '',
    `- **Monitor** (the product): the real \`RunMonitor\`, \`RunHistory\` and \`PyramidClient\` with the default settings (base ${seconds(base, 0)},`,
    `  maximum ${seconds(max, 0)}), window focused: one shared timer, one keep-alive agent, the history read after the first status.`,
    `- **Backoff** (the monitor before run histories): the same client; the wait grows by half per unchanged answer from ${seconds(base, 0)} to ${seconds(max, 0)}.`,
    `- **Fixed loop** (the documented approach, as in Pyramid's example): each run checks its status every ${seconds(FIXED_INTERVAL_MS, 0)} on a timer`,
    '  of its own until it ends; each request opens a new TCP connection (as `requests.post` without a Session does).',
    '',
    'All check once right after `runSchedule`. The detection delay is the time from the run\'s end on the server to the',
    'watcher reporting it (for the monitor, the `onDidTransition` event that the status bar and the output channel follow);',
    'the p95 below also counts the change to Running. Requests are status checks (`getScheduleExecutionStatus`) plus, for',
    'the monitor, the history reads (`getExecutions`); each run also sends one `runSchedule`.',
  ];
}

function groupTable({ adaptive, backoff, fixed }: Approaches): string[] {
  const rows: (string | number)[][] = [];
  const groups: [string, Filter][] = [...HISTORY_GROUPS.map((group): [string, Filter] => [capitalized(group), inGroup(group)]), ['All runs', all]];
  for (const [label, keep] of groups) {
    const count = adaptive.filter(keep).length;
    const [f, b, a] = [requestsOf(fixed, keep), requestsOf(backoff, keep), requestsOf(adaptive, keep)];
    rows.push([
      `${label} (${count})`,
      `${f} / ${b} / ${a}`,
      `${ratio(f, a)} fewer`,
      [fixed, backoff, adaptive].map((list) => seconds(p50End(list, keep))).join(' / '),
      [fixed, backoff, adaptive].map((list) => seconds(percentile(endDelaysOf(list, keep), 95))).join(' / '),
    ]);
  }
  const short = inGroup('none', isShort);
  rows.push([
    `No history, runs < 1 min (${adaptive.filter(short).length})`,
    `${requestsOf(fixed, short)} / ${requestsOf(backoff, short)} / ${requestsOf(adaptive, short)}`,
    `${ratio(requestsOf(fixed, short), requestsOf(adaptive, short))} fewer`,
    [fixed, backoff, adaptive].map((list) => seconds(p50End(list, short))).join(' / '),
    [fixed, backoff, adaptive].map((list) => seconds(percentile(endDelaysOf(list, short), 95))).join(' / '),
  ]);
  return table(['History', 'Requests: fixed / backoff / monitor', 'Monitor vs fixed', 'End delay p50: fixed / backoff / monitor', 'End delay p95: fixed / backoff / monitor'], rows);
}

function perRunTable({ adaptive, backoff, fixed }: Approaches): string[] {
  const of = (list: RunFigures[]) => new Map(list.map((f) => [f.run.number, f]));
  const [fixedOf, backoffOf] = [of(fixed), of(backoff)];
  return table(
    ['Run', 'History', 'Duration', 'Queued', 'Requests: fixed / backoff / monitor', 'End delay: fixed / backoff / monitor', 'Time left at midpoint: error'],
    [...adaptive]
      .sort((a, b) => a.durationMs - b.durationMs)
      .map((f) => {
        const [x, y] = [fixedOf.get(f.run.number)!, backoffOf.get(f.run.number)!];
        return [
          f.run.number,
          f.run.group,
          duration(f.durationMs),
          seconds(f.run.pendingMs),
          `${x.statusRequests} / ${y.statusRequests} / ${f.statusRequests}${f.historyRequests ? ` + ${f.historyRequests}` : ''}`,
          [x, y, f].map((g) => seconds(g.endDelayMs)).join(' / '),
          f.midpointError === undefined ? '' : `${(f.midpointError * 100).toFixed(1)} %`,
        ];
      }),
  );
}
