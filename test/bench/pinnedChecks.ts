// 6. Pinned checks: what checking pinned schedules costs the server and the network per hour. The real
// PinChecker and PinnedRuns read each pin's runs through the real RunHistory and PyramidClient from a
// simulator over loopback HTTP; one scenario clock drives the checker's timers and the simulator, so a
// simulated hour takes seconds. Requests and answer sizes are counted where the simulator sends them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PyramidClient, SearchMatchType } from '../../src/api';
import { PinChecker, START_DELAY_MS, UNFOCUSED_FACTOR } from '../../src/pins/pinChecker';
import { PinnedRuns } from '../../src/pins/pinnedRuns';
import { PinState, PinStore } from '../../src/pins/pinStore';
import { HISTORY_TTL_MS, RunHistory } from '../../src/schedules/runHistory';
import { repoRoot } from '../host/paths';
import { demoSchedules } from '../simulator/fixture';
import { GeneratedHistory, PyramidSimulator, RecordedRequest } from '../simulator/server';
import { Section, table } from './report';
import { ScenarioClock } from './scenarioClock';
import { duration, kb, mb, sum } from './stats';

const START = Date.parse('2025-01-06T08:00:00Z');
const HOUR = 3_600_000;
/** The server has this many schedules; the first generated ones are pinned. */
const SCHEDULES = 200;
const TASKS_PER_RUN = 3;

interface HistoryKind {
  every: string;
  over: string;
  pinned: number;
  history: GeneratedHistory;
}

/** The pinned schedules' pasts: mostly nightly loads, some hourly jobs, some weekly reports; a few runs failed. */
const KINDS: HistoryKind[] = [
  { every: 'nightly', over: '1 year', pinned: 10, history: { everyHours: 24, runs: 365, tasks: TASKS_PER_RUN, failEvery: 30 } },
  { every: 'hourly', over: '30 days', pinned: 5, history: { everyHours: 1, runs: 720, tasks: TASKS_PER_RUN, failEvery: 50 } },
  { every: 'weekly', over: '2 years', pinned: 5, history: { everyHours: 24 * 7, runs: 104, tasks: TASKS_PER_RUN, failEvery: 20 } },
];
/** The kind of each pinned schedule, in the order of the generated schedules. */
const PINNED_KINDS = KINDS.flatMap((kind) => Array.from({ length: kind.pinned }, () => kind));
const PINNED = PINNED_KINDS.length;

interface Traffic {
  requests: number;
  bytes: number;
}

interface Scenario {
  /** The first sweep of every pin, shortly after start. */
  sweep: Traffic;
  /** An hour of checks after that sweep. */
  hour: Traffic;
  /** The answer to one check, per kind of history (the largest of its pins). */
  answerBytes: Map<HistoryKind, number>;
  /** The largest answer, and its size gzipped. */
  largest: { bytes: number; gzipped: number };
}

interface NonePinned {
  hour: Traffic;
  timersSet: number;
  hasTimer: boolean;
}

/** pyramid.pinnedCheckSeconds' default, read from package.json so the benchmark follows the product. */
function defaultIntervalMs(): number {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return manifest.contributes.configuration.properties['pyramid.pinnedCheckSeconds'].default * 1000;
}

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function memoryState(): PinState {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key, value) => void values.set(key, structuredClone(value)) };
}

function traffic(requests: readonly RecordedRequest[]): Traffic {
  return { requests: requests.length, bytes: sum(requests.map((request) => request.bytes)) };
}

/**
 * A window with the pins of an earlier session, put together as the extension does (pinnedSchedules.ts):
 * the checker reads through the server's run history, and each round's answers go to PinnedRuns.
 */
async function checkingWindow(pinCount: number, focused: boolean, intervalMs: number) {
  const timers = new ScenarioClock(START);
  const sim = await PyramidSimulator.start({ schedules: SCHEDULES, histories: PINNED_KINDS.map((kind) => kind.history), clock: timers });
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retries: 0 });
  const origin = client.origin;
  const generated = sim.allSchedules.slice(demoSchedules().length, demoSchedules().length + pinCount);
  const kindOf = new Map(generated.map((schedule, index) => [schedule.scheduleId, PINNED_KINDS[index]]));
  const store = new PinStore(memoryState(), () => timers.wallNow());
  const listed = await client.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
  for (const schedule of listed.filter((candidate) => kindOf.has(candidate.scheduleId))) {
    await store.pin(origin, schedule, { startedAt: timers.wallNow() }); // Every run so far was seen.
  }
  sim.clearLog();

  const history = new RunHistory({ client: async () => client, now: () => timers.now(), log: silentLog });
  const runs = new PinnedRuns({
    pins: store,
    claim: async () => true,
    mode: () => 'failures',
    isFollowed: () => false,
    follow: () => undefined,
    serverUrl: () => sim.url,
    sessionStart: START,
    log: silentLog,
  });
  const checker = new PinChecker({
    clock: timers,
    intervalMs: () => intervalMs,
    isFocused: () => focused,
    target: () => ({
      origin,
      scheduleIds: store.pinsOf(origin).map((pin) => pin.scheduleId),
      read: (scheduleId, fresh) => {
        if (fresh) {
          history.invalidate(scheduleId);
        }
        return timers.track(history.executions(scheduleId));
      },
      isSignedIn: async () => true,
    }),
    log: silentLog,
  });
  const errors: string[] = [];
  checker.onDidCheck((round) => {
    errors.push(...round.checks.flatMap((check) => (check.error === undefined ? [] : [check.error])));
    void timers.track(runs.apply(round));
  });
  const dispose = async () => {
    checker.dispose();
    runs.dispose();
    await sim.stop();
    if (errors.length) {
      throw new Error(`${errors.length} pinned checks failed, the first: ${errors[0]}`);
    }
  };
  return { timers, sim, checker, kindOf, dispose };
}

/** Starts the checker, lets the first sweep run, then counts one hour of checks. */
async function oneHour(focused: boolean, intervalMs: number): Promise<Scenario> {
  const { timers, sim, checker, kindOf, dispose } = await checkingWindow(PINNED, focused, intervalMs);
  checker.start();
  await timers.run(START + START_DELAY_MS);
  const sweep = traffic(sim.requests);
  const answerBytes = new Map<HistoryKind, number>();
  for (const request of sim.requests) {
    const kind = kindOf.get(JSON.parse(request.body));
    if (kind) {
      answerBytes.set(kind, Math.max(answerBytes.get(kind) ?? 0, request.bytes));
    }
  }
  const largestId = JSON.parse(sim.requests.reduce((most, request) => (request.bytes > most.bytes ? request : most)).body);
  // The hour counted starts when the sweep's answers are no longer kept, so every check in it is a request.
  await timers.run(timers.now() + HISTORY_TTL_MS);
  sim.clearLog();
  await timers.run(timers.now() + HOUR);
  const hour = traffic(sim.requests);
  const unexpected = sim.requests.filter((request) => request.status !== 200 || request.path !== 'tasks/getExecutions');
  const largest = await gzipped(sim, largestId);
  await dispose();
  if (sweep.requests !== PINNED || unexpected.length) {
    throw new Error(`Expected ${PINNED} getExecutions in the first sweep and only answered getExecutions after it`);
  }
  return { sweep, hour, answerBytes, largest };
}

/** A schedule's getExecutions answer and its size gzipped: what a server that compresses answers would send (the client accepts gzip). */
async function gzipped(sim: PyramidSimulator, scheduleId: string): Promise<{ bytes: number; gzipped: number }> {
  const response = await fetch(`${sim.url}/API3/tasks/getExecutions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', paToken: sim.issueToken() },
    body: JSON.stringify(scheduleId),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { bytes: body.length, gzipped: gzipSync(body).length };
}

/** No pins: an hour after start, no timer may be set and no request sent. */
async function nonePinned(intervalMs: number): Promise<NonePinned> {
  const { timers, sim, checker, dispose } = await checkingWindow(0, true, intervalMs);
  checker.start();
  await timers.run(START + START_DELAY_MS + HOUR);
  const result = { hour: traffic(sim.requests), timersSet: timers.everSet, hasTimer: checker.nextCheckAt !== undefined };
  await dispose();
  return result;
}

export async function measurePinnedChecks(): Promise<Section> {
  const intervalMs = defaultIntervalMs();
  const focused = await oneHour(true, intervalMs);
  const unfocused = await oneHour(false, intervalMs);
  const none = await nonePinned(intervalMs);
  return pinnedChecksSection(intervalMs, focused, unfocused, none);
}

function pinnedChecksSection(intervalMs: number, focused: Scenario, unfocused: Scenario, none: NonePinned): Section {
  const heaviest = KINDS.reduce((most, kind) => ((focused.answerBytes.get(kind) ?? 0) > (focused.answerBytes.get(most) ?? 0) ? kind : most));
  const { largest } = focused;
  return {
    title: '6. Pinned checks',
    lines: [
      `${PINNED} pinned schedules of a server with ${SCHEDULES}, each run of ${TASKS_PER_RUN} tasks, a few of them failed. The real \`PinChecker\` and`,
      '`PinnedRuns` read through the real `RunHistory` and `PyramidClient` from a simulator over loopback HTTP, on one scenario',
      `clock, with \`pyramid.pinnedCheckSeconds\` at its default (${duration(intervalMs)}). A check is one \`getExecutions\`, which has no paging:`,
      "its answer holds every run of the schedule with its tasks. Bytes are the answers' bodies as the simulator sends them",
      "(uncompressed). The hour is counted once the first sweep's answers are no longer kept. The counts and bytes are exact",
      'and the same in every run.',
      '',
      ...table(
        ['Pinned schedules', 'Runs each', 'One check (getExecutions answer)'],
        [
          ...KINDS.map((kind) => [`${kind.pinned} ${kind.every}, for ${kind.over}`, kind.history.runs, mb(focused.answerBytes.get(kind) ?? NaN)]),
          [`All ${PINNED} once: the sweep at start, after a sign-in and on Check Pinned Schedules Now`, '', mb(focused.sweep.bytes)],
        ],
      ),
      '',
      ...table(
        ['Window', 'Each pin checked every', 'Requests per hour', 'Received per hour'],
        [
          ['Focused', duration(intervalMs), focused.hour.requests, mb(focused.hour.bytes)],
          ['Not focused', duration(intervalMs * UNFOCUSED_FACTOR), unfocused.hour.requests, mb(unfocused.hour.bytes)],
          ['Nothing pinned', 'never (no timer)', none.hour.requests, mb(none.hour.bytes)],
        ],
      ),
      '',
      `The cost is the unpaged history, not the number of requests: every check brings the schedule's whole past again, and the`,
      `${heaviest.every} schedules' ${heaviest.history.runs} runs weigh most (${mb(largest.bytes)} a check; gzipped ${kb(largest.gzipped)}, so a server that compresses its answers`,
      `would send about ${Math.round(largest.bytes / largest.gzipped)}x less). A user with long histories pinned can raise \`pyramid.pinnedCheckSeconds\`: the bytes fall in`,
      'proportion (twice the interval, half the bytes); or pin fewer of them.',
    ],
    checks: [
      {
        name: 'Pinned checks, nothing pinned',
        target: 'no timer, no request',
        measured: `${none.timersSet} timers, ${none.hour.requests} requests in 1 h${none.hasTimer ? ', timer set at the end' : ''}`,
        met: none.hour.requests === 0 && none.timersSet === 0 && !none.hasTimer,
      },
    ],
  };
}
