// The polling report: per-run figures from the simulator's request log and the watchers' transitions,
// the comparison with the fixed loop, and what the targets say about them.
import { FIXED_INTERVAL_MS, IdleResult, Intervals, LAUNCH_WINDOW_MS, LONGEST_MS, PlannedRun, RUN_COUNT, SEED, SHORTEST_MS, ScenarioResult, Transition, Variant, Watched, statusChanges } from './pollingScenario';
import { Section, table } from './report';
import { duration, percentile, ratio, seconds, sum } from './stats';

/** Per run: the figures the report compares. */
interface RunFigures {
  run: PlannedRun;
  durationMs: number;
  statusRequests: number;
  connectionsUsed: number;
  /** Delay to see each status change that happens while the run is watched (to Running, to the end). */
  delaysMs: number[];
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
      const delaysMs = statusChanges(watched.run).map((change) => detectionDelay(change, watched));
      return {
        run: watched.run,
        durationMs: watched.run.pendingMs + watched.run.runMs,
        statusRequests: polls.length,
        connectionsUsed: new Set(polls.map((r) => r.connectionId)).size,
        delaysMs,
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
const requestsOf = (list: RunFigures[], keep = all) => sum(list.filter(keep).map((f) => f.statusRequests));
const delaysOf = (list: RunFigures[], keep = all) => list.filter(keep).flatMap((f) => f.delaysMs);

/** The figures the targets are about, for one adaptive run of the scenario against the fixed loop. */
function summarize(adaptive: RunFigures[], fixed: RunFigures[]) {
  const fixedOf = new Map(fixed.map((f) => [f.run.number, f]));
  const longRatios = adaptive.filter(isLong).map((f) => fixedOf.get(f.run.number)!.statusRequests / f.statusRequests);
  return {
    longRatio: requestsOf(fixed, isLong) / requestsOf(adaptive, isLong),
    minLongRatio: Math.min(...longRatios),
    shortP50: percentile(delaysOf(adaptive, isShort), 50),
    p95: percentile(delaysOf(adaptive), 95),
  };
}

export function pollingSection(
  intervals: Intervals,
  results: { adaptive: ScenarioResult; fixed: ScenarioResult },
  idle: IdleResult,
  variants: Variant[],
): Section {
  const adaptive = figures(results.adaptive);
  const fixed = figures(results.fixed);
  const { longRatio, minLongRatio, shortP50, p95 } = summarize(adaptive, fixed);
  const { baseIntervalMs: base, maxIntervalMs: max } = intervals;
  const connections = results.adaptive.connectionsOpened;
  const requestCount = results.adaptive.requests.length;
  const variantRows = variants.map((variant) => ({ variant, summary: summarize(figures(variant.result), fixed) }));
  return {
    title: '4. Polling cost',
    lines: [
      ...scenarioDescription(base, max),
      '',
      ...comparisonTable(adaptive, fixed, results),
      '',
      `**Idle window** (nothing watched, one simulated hour): ${idle.timersSet} timers set, monitor timer ${idle.monitorHasTimer ? 'set' : 'not set'} at the end,`,
      `${idle.requests} requests, ${idle.connections} connections.`,
      '',
      ...connectionsRemark(connections, max),
      '',
      '**Trade-off of the maximum interval** (`pyramid.maxPollIntervalSeconds`, same scenario, same fixed loop):',
      '',
      ...table(
        ['Maximum interval', 'Requests, runs > 2 min', 'Least saving per run > 2 min', 'Delay p50, runs < 1 min', 'Delay p95'],
        variantRows.map(({ variant, summary }) => [
          seconds(variant.intervals.maxIntervalMs, 0) + (variant.intervals.maxIntervalMs === max ? ' (default)' : ''),
          `${summary.longRatio.toFixed(1)}x fewer`,
          `${summary.minLongRatio.toFixed(1)}x fewer`,
          seconds(summary.shortP50),
          seconds(summary.p95),
        ]),
      ),
      '',
      '#### Per run',
      '',
      ...perRunTable(adaptive, fixed),
    ],
    checks: [
      {
        name: 'Requests, runs > 2 min',
        target: '≥ 3x fewer than the fixed loop',
        measured: `${longRatio.toFixed(1)}x fewer overall, ≥ ${minLongRatio.toFixed(1)}x for every run`,
        met: minLongRatio >= 3,
      },
      {
        name: 'Detection delay p50, runs < 1 min',
        target: `≤ base interval (${seconds(base, 0)})`,
        measured: `${seconds(shortP50)} (fixed loop: ${seconds(percentile(delaysOf(fixed, isShort), 50))})`,
        met: shortP50 <= base,
        note: shortP50 <= base ? undefined : shortDelayNote(shortP50, base, variantRows),
      },
      { name: 'Detection delay p95', target: `≤ maximum interval (${seconds(max, 0)})`, measured: seconds(p95), met: p95 <= max },
      {
        name: 'Connections',
        target: 'one kept-alive connection',
        measured: `${connections} for ${requestCount} requests (fixed loop: ${results.fixed.connectionsOpened})`,
        met: connections === 1,
        note: connections === 1 ? undefined : `${connections - 1} more than one: checks under way at the same moment each took a socket of the shared agent.`,
      },
      {
        name: 'Idle window',
        target: 'no timer, no request',
        measured: `${idle.timersSet} timers, ${idle.requests} requests in 1 h`,
        met: idle.timersSet === 0 && idle.requests === 0 && !idle.monitorHasTimer,
      },
    ],
  };
}

function scenarioDescription(base: number, max: number): string[] {
  return [
    `${RUN_COUNT} runs, durations spread evenly on a log scale from ${duration(SHORTEST_MS)} to ${duration(LONGEST_MS)} (seed ${SEED}),`,
    `queued 1–8 s before running, started at random moments in the first ${LAUNCH_WINDOW_MS / 60_000} minutes, so many are watched at once.`,
    "Each approach runs against its own simulator over loopback HTTP; one fake clock drives the watchers' timers and the",
    "simulator's run statuses, so every delay below is exact (network time is not part of it).",
    '',
    `- **Adaptive monitor** (the product): the real \`RunMonitor\` and \`PyramidClient\` with the default settings (base ${seconds(base, 0)},`,
    `  maximum ${seconds(max, 0)}), window focused: one shared timer, one keep-alive agent.`,
    `- **Fixed loop** (the documented approach, as in Pyramid's example): each run checks its status every ${seconds(FIXED_INTERVAL_MS, 0)} on a timer`,
    '  of its own until it ends; each request opens a new TCP connection (as `requests.post` without a Session does).',
    '',
    'Both check once right after `runSchedule`. A detection delay is the time from a status change on the server (to',
    'Running, and to Finished) to the watcher reporting it; for the monitor, the `onDidTransition` event that writes the',
    'output channel line. Request counts are status checks (`getScheduleExecutionStatus`); each run also sends one `runSchedule`.',
  ];
}

function comparisonTable(adaptive: RunFigures[], fixed: RunFigures[], results: { adaptive: ScenarioResult; fixed: ScenarioResult }): string[] {
  const count = (keep: Filter) => adaptive.filter(keep).length;
  const requestRow = (label: string, keep: Filter) => {
    const [a, f] = [requestsOf(adaptive, keep), requestsOf(fixed, keep)];
    return [label, String(f), String(a), `${ratio(f, a)} fewer`];
  };
  const delayRow = (label: string, p: number, keep: Filter = all) => [
    label,
    seconds(percentile(delaysOf(fixed, keep), p)),
    seconds(percentile(delaysOf(adaptive, keep), p)),
    '',
  ];
  const { longRatio, minLongRatio } = summarize(adaptive, fixed);
  return table(
    ['', 'Fixed 3-s loop', 'Adaptive monitor', 'Ratio'],
    [
      requestRow(`Status requests, all ${RUN_COUNT} runs`, all),
      requestRow(`Status requests, runs > 2 min (${count(isLong)})`, isLong),
      ['Least saving among runs > 2 min', '', '', `${minLongRatio.toFixed(1)}x fewer (overall ${longRatio.toFixed(1)}x)`],
      requestRow(`Status requests, runs < 1 min (${count(isShort)})`, isShort),
      [
        'TCP connections opened',
        String(results.fixed.connectionsOpened),
        String(results.adaptive.connectionsOpened),
        `${ratio(results.fixed.connectionsOpened, results.adaptive.connectionsOpened)} fewer`,
      ],
      delayRow('Detection delay p50, runs < 1 min', 50, isShort),
      delayRow('Detection delay p50, all runs', 50),
      delayRow('Detection delay p95, all runs', 95),
      delayRow('Detection delay max, all runs', 100),
    ],
  );
}

function perRunTable(adaptive: RunFigures[], fixed: RunFigures[]): string[] {
  const fixedOf = new Map(fixed.map((f) => [f.run.number, f]));
  const delays = (f: RunFigures) => f.delaysMs.map((d) => seconds(d)).join(' / ');
  return table(
    ['Run', 'Duration', 'Queued', 'Requests: fixed', 'Requests: monitor', 'Ratio', 'Delay to Running / end: fixed', 'Delay to Running / end: monitor', 'Connections: fixed', 'Connections: monitor'],
    [...adaptive]
      .sort((a, b) => a.durationMs - b.durationMs)
      .map((f) => {
        const other = fixedOf.get(f.run.number)!;
        return [
          f.run.number,
          duration(f.durationMs),
          seconds(f.run.pendingMs),
          other.statusRequests,
          f.statusRequests,
          ratio(other.statusRequests, f.statusRequests),
          delays(other),
          delays(f),
          other.connectionsUsed,
          `${f.connectionsUsed} (shared by all runs)`,
        ];
      }),
  );
}

type Summary = ReturnType<typeof summarize>;

function connectionsRemark(connections: number, max: number): string[] {
  const measured = connections === 1
    ? 'In this scenario no two checks were under way at once, so one kept-alive connection carried every request.'
    : `In this scenario checks under way at the same moment took ${connections} sockets of the shared agent.`;
  return [
    `**Connections.** ${measured} With real network latency, checks that fall due within one round trip of each other`,
    'overlap and the shared agent opens another socket for them (at most 8). A server closes an idle kept-alive connection',
    `after its own timeout (Node's default is 5 s, Tomcat's 20 s): checks ${seconds(max, 0)} apart keep their connection only on servers that wait longer.`,
  ];
}

/** Why short runs wait longer than the base interval, and what the settings can and cannot do about it. */
function shortDelayNote(p50: number, base: number, variants: { variant: Variant; summary: Summary }[]): string {
  const lowest = variants.reduce((best, row) => (row.summary.shortP50 < best.summary.shortP50 ? row : best));
  const settingCloses = variants.find((row) => row.summary.shortP50 <= base);
  const why =
    `Missed by ${seconds(p50 - base)}. Each unchanged check lets the wait grow by half (3 s, 4.5 s, 6.8 s, 10 s, …), so a run that ` +
    'ends within its first minute often ends inside one of those longer waits.';
  const settings = settingCloses
    ? ` A ${seconds(settingCloses.variant.intervals.maxIntervalMs, 0)} maximum closes it but saves only ${settingCloses.summary.minLongRatio.toFixed(1)}x on some runs > 2 min.`
    : ` Lowering the maximum interval does not close it (${seconds(lowest.variant.intervals.maxIntervalMs, 0)}: ${seconds(lowest.summary.shortP50)}): ` +
      'the waits that matter for short runs come before the maximum is reached.';
  return `${why}${settings} Closing it takes a product change: grow the wait more slowly during a run's first minute, for a few more checks per run.`;
}
