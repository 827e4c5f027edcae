// 4. Polling cost: the scenario's runs watched through the real RunMonitor (with the real run history
// and client), and side by side through today's backoff without histories and the documented fixed
// 3-second loop, each against its own simulator over loopback HTTP. One fake clock drives both the
// client's timers and the server's run statuses, so detection delays are exact and 30 simulated minutes
// take seconds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyramidClient } from '../../src/api';
import { timeLeftMs } from '../../src/monitor/estimates';
import { Logger, RunMonitor, StatusApi } from '../../src/monitor/runMonitor';
import { RunHistory } from '../../src/schedules/runHistory';
import { repoRoot } from '../host/paths';
import { PyramidSimulator, ScheduleStatus, SimulatorClock } from '../simulator/server';
import { ScenarioClock } from './scenarioClock';
import { BackoffPoller } from './backoffPoller';
import { FixedIntervalPoller } from './fixedPoller';
import { pollingSection } from './pollingReport';
import { FIXED_INTERVAL_MS, IDLE_MS, IdleResult, Intervals, PlannedRun, ScenarioResult, START, Variant, Watched, planRuns } from './pollingScenario';
import { Section } from './report';

/** The poll settings' defaults, read from package.json so the benchmark follows the product. */
function defaultIntervals(): Intervals {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const settings = manifest.contributes.configuration.properties;
  return {
    baseIntervalMs: settings['pyramid.pollIntervalSeconds'].default * 1000,
    maxIntervalMs: settings['pyramid.maxPollIntervalSeconds'].default * 1000,
  };
}

/** A simulator on the scenario's clock whose first active schedules behave and have run as planned. */
async function scenarioServer(clock: SimulatorClock): Promise<{ sim: PyramidSimulator; runs: PlannedRun[] }> {
  const sim = await PyramidSimulator.start({ schedules: 200, clock });
  const active = sim.allSchedules.filter((schedule) => schedule.status === ScheduleStatus.IDLE);
  const runs = planRuns(active);
  for (const run of runs) {
    const behaviour = sim.schedule(run.scheduleId).run;
    behaviour.pendingMs = run.pendingMs;
    behaviour.tasks = [{ description: 'Benchmark task', runMs: run.runMs }];
    sim.setHistory(run.scheduleId, run.pastDurationsMs);
  }
  return { sim, runs };
}

const silentLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** The product's way: the real RunMonitor with the real (keep-alive) client and the real run history. */
async function watchAdaptively(intervals: Intervals): Promise<ScenarioResult> {
  const timers = new ScenarioClock(START);
  const { sim, runs } = await scenarioServer(timers);
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retries: 0 });
  const tracked: StatusApi = {
    getScheduleExecutionStatus: (id) => timers.track(client.getScheduleExecutionStatus(id)),
    getTasks: (id) => timers.track(client.getTasks(id)),
    getTaskData: (id) => timers.track(client.getTaskData(id)),
    getExecutions: (id) => timers.track(client.getExecutions(id)),
  };
  const history = new RunHistory({
    client: async () => ({
      getExecutions: (id) => timers.track(client.getExecutions(id)),
      getTasks: (id) => timers.track(client.getTasks(id)),
      getTaskOutputs: (id) => timers.track(client.getTaskOutputs(id)),
    }),
    now: () => timers.wallNow(),
    log: silentLog,
  });
  const monitor = new RunMonitor({
    clock: timers,
    intervals: () => intervals,
    isFocused: () => true,
    clientFor: async () => tracked,
    store: { load: () => undefined, save: () => undefined },
    log: silentLog,
    estimate: (run) => timers.track(history.estimate(run.scheduleId)),
  });
  const watched = new Map<string, Watched>();
  monitor.onDidTransition(({ run, to }) => watched.get(run.executionId)?.transitions.push({ label: to.label, at: timers.now() }));
  const launch = async (run: PlannedRun) => {
    const executionId = await client.runSchedule(run.scheduleId);
    const entry: Watched = { run, executionId, transitions: [] };
    watched.set(executionId, entry);
    const followed = monitor.watch({ executionId, scheduleId: run.scheduleId, scheduleName: run.scheduleName, serverUrl: sim.url });
    const halfway = Math.round((run.pendingMs + run.runMs) / 2);
    timers.setTimeout(() => {
      const estimate = monitor.estimateOf(followed);
      entry.leftAtMidpointMs = estimate && timeLeftMs(estimate, timers.wallNow() - followed.startedAt);
    }, halfway);
  };
  for (const run of runs) {
    timers.setTimeout(() => void timers.track(launch(run)), run.launchAt - START);
  }
  await timers.run();
  monitor.dispose();
  await sim.stop();
  return { watched: [...watched.values()], requests: sim.requests, connectionsOpened: sim.connectionsOpened };
}

/** Today's backoff without histories: the same client, the cadence the monitor had before. */
async function watchWithBackoff(intervals: Intervals): Promise<ScenarioResult> {
  const timers = new ScenarioClock(START);
  const { sim, runs } = await scenarioServer(timers);
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retries: 0 });
  const watched = new Map<string, Watched>();
  const poller = new BackoffPoller({
    client,
    intervals,
    timers,
    onStatus: recordStatus(watched, timers),
  });
  return runBaseline(timers, sim, runs, watched, (scheduleId) => client.runSchedule(scheduleId), (executionId) => poller.watch(executionId));
}

/** The documented way: one independent 3-second timer per run, a new connection per request. */
async function watchWithFixedLoop(): Promise<ScenarioResult> {
  const timers = new ScenarioClock(START);
  const { sim, runs } = await scenarioServer(timers);
  const watched = new Map<string, Watched>();
  const poller = new FixedIntervalPoller({
    serverUrl: sim.url,
    token: sim.issueToken(),
    intervalMs: FIXED_INTERVAL_MS,
    timers,
    onStatus: recordStatus(watched, timers),
  });
  return runBaseline(timers, sim, runs, watched, (scheduleId) => poller.runSchedule(scheduleId), (executionId) => poller.watch(executionId));
}

/** A baseline's status callback: each run's changes of status, with when they were seen. */
function recordStatus(watched: Map<string, Watched>, timers: ScenarioClock): (executionId: string, status: { label: string }) => void {
  return (executionId, status) => {
    const transitions = watched.get(executionId)!.transitions;
    if (transitions.at(-1)?.label !== status.label) {
      transitions.push({ label: status.label, at: timers.now() });
    }
  };
}

/** Starts each planned run at its time, watches it the baseline's way, and runs the scenario to its end. */
async function runBaseline(
  timers: ScenarioClock,
  sim: { requests: ScenarioResult['requests']; connectionsOpened: number; stop(): Promise<void> },
  runs: readonly PlannedRun[],
  watched: Map<string, Watched>,
  start: (scheduleId: string) => Promise<string>,
  watch: (executionId: string) => Promise<void>,
): Promise<ScenarioResult> {
  const launch = async (run: PlannedRun) => {
    const executionId = await start(run.scheduleId);
    watched.set(executionId, { run, executionId, transitions: [] });
    await watch(executionId);
  };
  for (const run of runs) {
    timers.setTimeout(() => void timers.track(launch(run)), run.launchAt - START);
  }
  await timers.run();
  await sim.stop();
  return { watched: [...watched.values()], requests: sim.requests, connectionsOpened: sim.connectionsOpened };
}

/** A window with nothing watched: an hour passes; no timer may be set and no request sent. */
async function idleWindow(intervals: Intervals): Promise<IdleResult> {
  const timers = new ScenarioClock(START);
  const sim = await PyramidSimulator.start({ clock: timers });
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken() });
  const monitor = new RunMonitor({
    clock: timers,
    intervals: () => intervals,
    isFocused: () => true,
    clientFor: async () => client,
    store: { load: () => undefined, save: () => undefined },
    log: silentLog,
  });
  monitor.restore();
  monitor.focusChanged();
  await timers.run(START + IDLE_MS);
  const result = { timersSet: timers.everSet, requests: sim.count(), connections: sim.connectionsOpened, monitorHasTimer: monitor.scheduler.nextPollAt !== undefined };
  monitor.dispose();
  await sim.stop();
  return result;
}

/** Lower maximum intervals (a user setting) tried on the same scenario, to show the trade-off. */
const OTHER_MAXIMUMS_MS = [10_000, 6_000];

export async function measurePolling(): Promise<Section> {
  const intervals = defaultIntervals();
  const adaptive = await watchAdaptively(intervals);
  const backoff = await watchWithBackoff(intervals);
  const fixed = await watchWithFixedLoop();
  const idle = await idleWindow(intervals);
  const variants: Variant[] = [{ intervals, result: adaptive }];
  for (const maxIntervalMs of OTHER_MAXIMUMS_MS) {
    const other = { ...intervals, maxIntervalMs };
    variants.push({ intervals: other, result: await watchAdaptively(other) });
  }
  return pollingSection(intervals, { adaptive, backoff, fixed }, idle, variants);
}
