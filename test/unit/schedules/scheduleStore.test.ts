// The schedule store and run history of each server, against two simulators side by side: one store
// per server, each with its own list, filter, history and requests.
import * as FakeTimers from '@sinonjs/fake-timers';
import * as assert from 'node:assert/strict';
import { PyramidClient, SearchMatchType } from '../../../src/api';
import { RunHistory } from '../../../src/schedules/runHistory';
import { KeyValueState, ScheduleChange, ScheduleStore } from '../../../src/schedules/scheduleStore';
import { pyramidServer } from '../../../src/schedules/server';
import { PyramidSimulator } from '../../simulator/server';

class MapState implements KeyValueState {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function storeFor(sim: PyramidSimulator, state: KeyValueState, overrides: { autoRefreshMs?: number; signInNeeded?: string[] } = {}) {
  const server = pyramidServer(sim.url);
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retries: 0 });
  return new ScheduleStore({
    server,
    client: async () => client,
    state,
    log: quiet,
    autoRefreshMs: () => overrides.autoRefreshMs ?? 0,
    listedTypes: () => undefined,
    onSignInNeeded: (origin) => overrides.signInNeeded?.push(origin),
  });
}

describe('ScheduleStore', () => {
  let first: PyramidSimulator;
  let second: PyramidSimulator;

  beforeEach(async () => {
    [first, second] = await Promise.all([PyramidSimulator.start(), PyramidSimulator.start({ schedules: 40 })]);
  });

  afterEach(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });

  it('keeps one store per server side by side: lists, filters and requests apart', async () => {
    const state = new MapState();
    const a = storeFor(first, state);
    const b = storeFor(second, state);
    assert.notEqual(a.server.origin, b.server.origin);

    await a.setFilter({ text: 'Load', matchType: SearchMatchType.Contains });
    const [listA, listB] = await Promise.all([a.current(), b.current()]);
    assert.ok(listA.length > 0 && listA.every((s) => s.name.includes('Load')), 'the first server filtered by its own filter');
    assert.ok(listB.length > listA.length && listB.some((s) => !s.name.includes('Load')), 'the second server unfiltered');
    assert.equal(first.count('tasks/findSchedule'), 1);
    assert.equal(second.count('tasks/findSchedule'), 1);
    assert.equal(b.filter, undefined);
    assert.deepEqual([...state.values.keys()], [`pyramid.filter:${a.server.origin}`]);
    assert.equal(a.known(listA[0].scheduleId)?.name, listA[0].name);
    const onlyInB = listB.find((s) => !s.name.includes('Load'));
    assert.ok(onlyInB && b.known(onlyInB.scheduleId));
    assert.equal(a.known(onlyInB.scheduleId), undefined, 'each store knows only its own list');
  });

  it('sends one findSchedule for readers that arrive together, and none while the list is fresh', async () => {
    const store = storeFor(first, new MapState());
    await Promise.all([store.current(), store.current(), store.current()]);
    await store.current();
    assert.equal(first.count('tasks/findSchedule'), 1);
    store.invalidate();
    await store.current();
    assert.equal(first.count('tasks/findSchedule'), 2);
  });

  it('keeps the last list when a reload fails, and says why in the view message', async () => {
    const store = storeFor(first, new MapState());
    const list = await store.current();
    first.inject({ fault: { kind: 'html', status: 502 } });
    store.invalidate();
    assert.equal(await store.current(), list);
    assert.match(store.viewMessage ?? '', /^Refresh failed, showing the last list: The server answered with an HTML page \(HTTP 502\)/);
    store.forget();
    first.inject({ fault: { kind: 'html', status: 502 } });
    await assert.rejects(store.current(), /HTML page/);
  });

  it('reports an expired session once per load and names its origin', async () => {
    const signInNeeded: string[] = [];
    const store = storeFor(first, new MapState(), { signInNeeded });
    first.expireAllTokens();
    await assert.rejects(store.current());
    assert.deepEqual(signInNeeded, [new URL(first.url).origin]);
  });

  it('fires a change naming the schedule for an update, and a whole-list change for invalidate', async () => {
    const store = storeFor(first, new MapState());
    const [schedule] = await store.current();
    const changes: ScheduleChange[] = [];
    store.onDidChange((change) => changes.push(change));
    store.update({ ...schedule, name: 'Renamed' });
    store.invalidate();
    assert.deepEqual(changes.map((change) => change.schedule?.name), ['Renamed', undefined]);
    assert.equal(store.known(schedule.scheduleId)?.name, 'Renamed');
  });

  it('a cleared filter stays cleared, even with an older workspace-wide filter saved', async () => {
    const state = new MapState();
    state.values.set('pyramid.filter', { text: 'Sales', matchType: SearchMatchType.Contains });
    const store = storeFor(first, state);
    assert.equal(store.filter?.text, 'Sales', 'the filter of earlier versions still applies');
    await store.setFilter(undefined);
    assert.equal(store.filter, undefined);
  });

  describe('auto-refresh', () => {
    let clock: ReturnType<typeof FakeTimers.install>;
    beforeEach(() => {
      clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    });
    afterEach(() => clock.uninstall());

    it('plans a refresh only while it is wanted and on, and none after', async () => {
      const store = storeFor(first, new MapState(), { autoRefreshMs: 10_000 });
      const changes: ScheduleChange[] = [];
      store.onDidChange((change) => changes.push(change));
      store.setAutoRefresh(true);
      assert.equal(clock.countTimers(), 1);
      await clock.tickAsync(10_000);
      assert.equal(changes.length, 1, 'the list went stale once');
      store.setAutoRefresh(false);
      assert.equal(clock.countTimers(), 0, 'no timer while nobody looks');
      store.dispose();
    });

    it('sets no timer when it is off', () => {
      const store = storeFor(first, new MapState(), { autoRefreshMs: 0 });
      store.setAutoRefresh(true);
      assert.equal(clock.countTimers(), 0);
    });
  });
});

describe('RunHistory', () => {
  let sim: PyramidSimulator;
  let now: number;
  let history: RunHistory;
  const warnings: string[] = [];

  beforeEach(async () => {
    sim = await PyramidSimulator.start();
    now = 1_000_000;
    const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), retries: 0 });
    history = new RunHistory({ client: async () => client, ttlMs: 30_000, now: () => now, log: { warn: (line) => warnings.push(line) } });
  });

  afterEach(() => sim.stop());

  it('answers every reader of a schedule from one getExecutions while it is fresh', async () => {
    const id = sim.schedule('Warehouse Sync').scheduleId;
    const answers = await Promise.all([history.executions(id), history.executions(id), history.executions(id)]);
    now += 29_000;
    await history.executions(id);
    assert.equal(sim.count('tasks/getExecutions'), 1);
    assert.equal(answers[0], answers[2]);
    now += 2_000;
    await history.executions(id);
    assert.equal(sim.count('tasks/getExecutions'), 2, 'asked again once stale');
  });

  it('asks again after invalidate (a followed run ended) and after a failed answer', async () => {
    const id = sim.schedule('Warehouse Sync').scheduleId;
    await history.executions(id);
    history.invalidate(id);
    await history.executions(id);
    assert.equal(sim.count('tasks/getExecutions'), 2);
    history.invalidate(id);
    sim.inject({ path: 'tasks/getExecutions', fault: { kind: 'malformedJson' } });
    await assert.rejects(history.executions(id));
    await history.executions(id);
    assert.equal(sim.count('tasks/getExecutions'), 4, 'a failure is not kept');
  });

  it('shows a run listed twice once, and says so', async () => {
    sim.inject({ path: 'tasks/getExecutions', fault: { kind: 'json', body: [{ id: 'e1', items: [] }, { id: 'e1', items: [] }] } });
    const runs = await history.executions('s1');
    assert.deepEqual(runs.map((run) => run.id), ['e1']);
    assert.match(warnings.at(-1) ?? '', /listed 1 run\(s\) twice/);
  });
});
