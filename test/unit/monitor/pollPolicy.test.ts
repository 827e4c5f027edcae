// The polling policy with a run history: sparse while the end is far, dense and aligned through the window
// where the run is likely to end, growing waits past it. Driven through the real monitor on the fake clock.
import * as assert from 'node:assert/strict';
import { TaskStatus } from '../../../src/api';
import { Estimate, estimateFrom } from '../../../src/monitor/estimates';
import { Clock, RunMonitor } from '../../../src/monitor/runMonitor';
import { WatchedRun } from '../../../src/monitor/runs';
import { backoffPolls, windowBudget, windowStep, windowedPollAt } from '../../../src/monitor/scheduler';
import { FakeClock, createFakeClock, monitorClock } from '../../fakeClock';
import { FakeServer, history, quietLog, ref } from './fakes';

const MINUTE = 60_000;
const INTERVALS = { baseIntervalMs: 3_000, maxIntervalMs: 15_000 };
/** Ten runs of 9.5 to 10.5 minutes: a window of 9m 26.25s to 10m 33.75s after the start, checked every 2 s. */
const STABLE = estimateFrom(history([9.5, 10, 10.5, 9.8, 10.2, 10, 9.9, 10.1, 10, 10].map((m) => m * MINUTE)))!;
const WINDOW_FROM = 9.5 * MINUTE - 3_750;
const WINDOW_TO = 10.5 * MINUTE + 3_750;
const STEP = 2_000;

describe('polling policy', () => {
  let fake: FakeClock;
  let clock: Clock;
  let server: FakeServer;
  let monitor: RunMonitor;
  let estimate: Estimate | undefined;
  let estimateCalls: number;
  let overstays: string[];
  let start: number;

  beforeEach(() => {
    fake = createFakeClock(1_000_000);
    clock = monitorClock(fake);
    server = new FakeServer(clock);
    estimate = STABLE;
    estimateCalls = 0;
    overstays = [];
    monitor = new RunMonitor({
      clock,
      intervals: () => INTERVALS,
      isFocused: () => true,
      clientFor: async () => server,
      store: { load: () => undefined, save: () => undefined },
      log: quietLog,
      estimate: async () => {
        estimateCalls++;
        return estimate;
      },
    });
    monitor.onDidOverstay((run) => overstays.push(run.executionId));
    start = clock.now();
  });

  afterEach(() => monitor.dispose());

  /** Poll times of e1, in ms after the start. */
  const polls = () => server.pollTimes().map((at) => at - start);
  const watched = (): WatchedRun => monitor.watched[0];

  it('polls sparsely while the end is far, densely through the window on a grid aligned to its end, and sees the end within a step', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(WINDOW_FROM - 1);
    const before = polls();
    assert.equal(before[0], 0, 'the first check at once, not after the history');
    assert.equal(estimateCalls, 1);
    const gaps = before.slice(1).map((at, i) => at - before[i]);
    assert.ok(gaps.every((gap) => gap === INTERVALS.maxIntervalMs), `sparse before the window: ${gaps.join(', ')}`);

    const endsAt = 10 * MINUTE + 1_234;
    await fake.tickAsync(endsAt - (WINDOW_FROM - 1));
    server.statuses.set('e1', TaskStatus.Finished);
    await fake.tickAsync(WINDOW_TO - endsAt + 1);
    const inWindow = polls().filter((at) => at >= WINDOW_FROM);
    assert.ok(inWindow.every((at) => (WINDOW_TO - at) % STEP === 0), `aligned to the window's end: ${inWindow.join(', ')}`);
    assert.equal(monitor.recent[0]?.outcome, 'succeeded');
    const seenAt = inWindow.at(-1)!;
    assert.ok(seenAt >= endsAt && seenAt - endsAt < STEP, `the end seen ${seenAt - endsAt} ms after it`);
    assert.ok(polls().length < 10 * MINUTE / 3_000 / 3, `${polls().length} polls: a third of a 3-second loop's or fewer`);
  });

  it('without a history polls as before: the base interval, growing gently in the first minute', async () => {
    estimate = undefined;
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(30_000);
    assert.deepEqual(polls(), [0, 3_000, 6_750, 11_438, 17_298, 24_623]);
    assert.equal(monitor.estimateLabelOf(watched()), undefined);
  });

  it('plans the window once the run goes from Pending to Running, and keeps it through a status change inside it', async () => {
    server.statuses.set('e1', TaskStatus.Pending);
    monitor.watch(ref());
    await fake.tickAsync(20_000);
    assert.deepEqual(polls(), [0, 3_000, 6_750, 11_438, 17_298], 'queued: the run-start cadence, no window yet');
    server.statuses.set('e1', TaskStatus.Running);
    await fake.tickAsync(24_623 - 20_000);
    const runningSeen = polls().at(-1)!;
    await fake.tickAsync(60_000);
    const after = polls().filter((at) => at > runningSeen);
    assert.deepEqual(after.map((at, i) => at - (i ? after[i - 1] : runningSeen)), [15_000, 15_000, 15_000, 15_000], 'sparse once the window is planned');

    await fake.tickAsync(WINDOW_FROM + 30_000 - (runningSeen + 60_000));
    server.statuses.set('e1', TaskStatus.RunningEvaluation);
    await fake.tickAsync(12_000);
    const late = polls().filter((at) => at >= WINDOW_FROM);
    assert.ok(late.length >= 12, `${late.length} polls in the window`);
    assert.ok(late.every((at) => (WINDOW_TO - at) % STEP === 0), `still on the window's grid after the change: ${late.join(', ')}`);
    assert.equal(watched().status?.code, TaskStatus.RunningEvaluation);
  });

  it('backs off to the maximum for a run far past its window, and says once that it is longer than usual', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(WINDOW_TO + 1);
    await fake.tickAsync(10 * MINUTE);
    const past = polls().filter((at) => at > WINDOW_TO);
    const gaps = past.map((at, i) => at - (i ? past[i - 1] : WINDOW_TO));
    assert.deepEqual(gaps.slice(0, 5), [3_000, 3_000, 3_000, 4_500, 6_750], 'growing past the window');
    assert.ok(gaps.slice(6).every((gap) => gap === INTERVALS.maxIntervalMs), `then the maximum: ${gaps.join(', ')}`);
    assert.equal(monitor.estimateLabelOf(watched()), 'longer than usual');
    await fake.tickAsync(10 * MINUTE);
    assert.deepEqual(overstays, ['e1'], 'one notice per run');
  });

  it('sees a failure early in the run within the maximum interval', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(40_000);
    const failedAt = clock.now() - start;
    server.statuses.set('e1', TaskStatus.Error);
    await fake.tickAsync(INTERVALS.maxIntervalMs);
    assert.equal(monitor.recent[0]?.outcome, 'failed');
    assert.ok(polls().at(-1)! - failedAt <= INTERVALS.maxIntervalMs);
    assert.equal(monitor.scheduler.nextPollAt, undefined, 'no timer once it ended');
  });

  it('shows the time left while the run goes on', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(1);
    assert.equal(monitor.estimateLabelOf(watched()), 'about 10 min left');
    await fake.tickAsync(7 * MINUTE);
    assert.equal(monitor.estimateLabelOf(watched()), 'about 3 min left');
  });

  it('as a pure function: sparse, aligned, then growing; a wide window of a noisy history is checked at the maximum', () => {
    const window = { fromMs: 160_000, toMs: 190_000, typicalMs: 175_000, history: 'stable' as const };
    assert.equal(windowedPollAt(0, 0, window, INTERVALS), 15_000, 'far from the window: the maximum');
    assert.equal(windowedPollAt(150_000, 0, window, INTERVALS), 160_000, 'the first aligned point in the window');
    assert.equal(windowedPollAt(161_500, 0, window, INTERVALS), 164_000, 'on the grid 190 - k × 2 s');
    assert.equal(windowedPollAt(190_000, 0, window, INTERVALS), 193_000, 'just past: the base');
    assert.equal(windowedPollAt(220_000, 0, window, INTERVALS), 235_000, 'far past: the maximum');
    assert.equal(windowStep({ fromMs: 6 * MINUTE, toMs: 14 * MINUTE, typicalMs: 10 * MINUTE, history: 'noisy' }, INTERVALS), 15_000);
    assert.equal(windowStep({ fromMs: 9 * MINUTE, toMs: 11 * MINUTE, typicalMs: 10 * MINUTE, history: 'stable' }, INTERVALS), 2_000, 'a narrow window: two thirds of the base');
  });

  it('counts the polls of the backoff without history: at once, after 3, 4.5, 6.75 and 10.1 s, and the one that sees the end', () => {
    assert.equal(backoffPolls(30_000, INTERVALS), 6);
    assert.equal(backoffPolls(10 * MINUTE, INTERVALS), 44, 'then one every 15 s');
  });

  it('gives a window of a history that is not stable no more polls than the backoff would spend on the run', () => {
    const window = { fromMs: 9.5 * MINUTE, toMs: 10.5 * MINUTE, typicalMs: 10 * MINUTE };
    // 44 polls for the backoff over 10 minutes, 1 + 38 before the window: 5 left for its minute.
    assert.equal(windowBudget({ ...window, history: 'trending' }, INTERVALS), 5);
    assert.equal(windowStep({ ...window, history: 'trending' }, INTERVALS), 12_000);
    assert.equal(windowStep({ ...window, history: 'noisy' }, INTERVALS), 12_000);
    assert.equal(windowStep({ ...window, history: 'stable' }, INTERVALS), 2_000, 'a stable history earns dense polls');
    const far = { fromMs: 5 * MINUTE, toMs: 5 * MINUTE + 20_000, typicalMs: 10_000, history: 'trending' as const };
    assert.equal(windowStep(far, INTERVALS), 15_000, 'never sparser than the maximum');
  });

  it('places the window where a steady trend leads, and sees the run end for no more polls than the backoff', async () => {
    // Twenty runs each 1 % longer than the one before (±1 s): the next one takes 10 minutes.
    const rising = Array.from({ length: 20 }, (_, runsAgo) => Math.round(10 * MINUTE * 1.01 ** -(runsAgo + 1)) + (runsAgo % 2 ? 1_000 : -1_000));
    estimate = estimateFrom(history(rising));
    assert.equal(estimate?.kind, 'trending');
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    const endsAt = 10 * MINUTE;
    await fake.tickAsync(endsAt);
    server.statuses.set('e1', TaskStatus.Finished);
    await fake.tickAsync(INTERVALS.maxIntervalMs);
    assert.equal(monitor.recent[0]?.outcome, 'succeeded');
    const seenAt = polls().at(-1)!;
    assert.ok(seenAt - endsAt <= 2_000, `the end seen ${seenAt - endsAt} ms after it`);
    assert.ok(polls().length <= backoffPolls(endsAt, INTERVALS), `${polls().length} polls, the backoff's ${backoffPolls(endsAt, INTERVALS)}`);
  });
});
