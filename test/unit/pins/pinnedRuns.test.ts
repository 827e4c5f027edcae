// What the checks of pinned schedules mean: each pin's latest runs, its failing state, and the runs new
// to this machine, announced (or followed) once, by the window that claims them.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Execution } from '../../../src/api';
import type { PinnedRuns as PinnedRunsMode } from '../../../src/configDefaults';
import type { ExecutionRef } from '../../../src/monitor/runs';
import type { CheckRound } from '../../../src/pins/pinChecker';
import { KEPT_RUNS, PENDING_MAX_AGE_MS, PinnedFailure, PinnedRuns, firstMark, newerRuns, nextMark } from '../../../src/pins/pinnedRuns';
import { PinStore, SeenMark } from '../../../src/pins/pinStore';
import { MapState, ORIGIN, OTHER_ORIGIN, RunEnd, SERVER_URL, newestFirst, run, schedule } from './fakes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** When this session started; the pins were made an hour before. */
const SESSION_START = Date.UTC(2026, 10, 28, 9, 0);
const PINNED_AT = SESSION_START - HOUR;

/** One window: its store over the machine's global state, its PinnedRuns, and what they announced or followed. */
class Window {
  readonly store: PinStore;
  readonly runs: PinnedRuns;
  readonly failures: PinnedFailure[][] = [];
  readonly followed: { run: ExecutionRef; startedAt: number }[] = [];
  readonly changes: { origin: string; scheduleIds: string[] }[] = [];
  readonly claimAttempts: string[] = [];
  mode: PinnedRunsMode = 'failures';
  /** Runs this window's monitor follows (the user's own). */
  readonly followedByMonitor = new Set<string>();

  constructor(state: MapState, claim: (origin: string, executionId: string) => Promise<boolean>) {
    this.store = new PinStore(state, () => PINNED_AT);
    this.runs = new PinnedRuns({
      pins: this.store,
      claim: (origin, executionId) => {
        this.claimAttempts.push(executionId);
        return claim(origin, executionId);
      },
      mode: () => this.mode,
      isFollowed: (executionId) => this.followedByMonitor.has(executionId),
      follow: (ref, startedAt) => this.followed.push({ run: ref, startedAt }),
      serverUrl: (origin) => (origin === ORIGIN ? SERVER_URL : undefined),
      sessionStart: SESSION_START,
      log: { info: () => undefined },
    });
    this.runs.onDidFindFailures((failures) => this.failures.push(failures));
    this.runs.onDidChange((change) => this.changes.push(change));
  }

  /** The ids announced, one list per event. */
  announced(): string[][] {
    return this.failures.map((failures) => failures.map((failure) => failure.execution.id));
  }

  dispose(): void {
    this.runs.dispose();
    this.store.dispose();
  }
}

/** Claims of one machine: the first claim of a run wins. */
function machineClaims(): { claim: (origin: string, executionId: string) => Promise<boolean>; claimed: Set<string> } {
  const claimed = new Set<string>();
  return {
    claimed,
    claim: async (origin, executionId) => {
      await Promise.resolve(); // Like the file system, the answer comes later: windows interleave.
      const key = `${origin}\n${executionId}`;
      if (claimed.has(key)) {
        return false;
      }
      claimed.add(key);
      return true;
    },
  };
}

const check = (scheduleId: string, executions: Execution[], at = SESSION_START + 10 * MINUTE) => ({ scheduleId, executions: newestFirst(executions), at });
const round = (...checks: CheckRound['checks']): CheckRound => ({ origin: ORIGIN, reason: 'scheduled', checks });

describe('PinnedRuns', () => {
  let state: MapState;
  let machine: ReturnType<typeof machineClaims>;
  let window: Window;
  /** The last run before pinning: its past is not announced. */
  const before = run('before', PINNED_AT - HOUR, 'failed');

  beforeEach(async () => {
    state = new MapState();
    machine = machineClaims();
    window = new Window(state, machine.claim);
    await window.store.pin(ORIGIN, schedule('s1', 'Nightly Sales Load'), firstMark([before], PINNED_AT));
    await window.store.pin(ORIGIN, schedule('s2', 'Warehouse Sync'), firstMark([], PINNED_AT));
  });

  afterEach(() => window.dispose());

  it('announces a new failure once, and not the failure from before the pin', async () => {
    const failed = run('e1', SESSION_START + MINUTE, 'failed');
    await window.runs.apply(round(check('s1', [before, failed]), check('s2', [])));
    assert.deepEqual(window.announced(), [['e1']]);
    const [failure] = window.failures[0];
    assert.equal(failure.origin, ORIGIN);
    assert.equal(failure.pin.name, 'Nightly Sales Load');
    assert.equal(failure.execution, failed);
    assert.equal(failure.whileClosed, false);
    assert.deepEqual(window.changes, [{ origin: ORIGIN, scheduleIds: ['s1', 's2'] }]);

    await window.runs.apply(round(check('s1', [before, failed])));
    await window.runs.apply(round(check('s1', [before, failed, run('e2', SESSION_START + 20 * MINUTE, 'succeeded')])));
    assert.deepEqual(window.announced(), [['e1']]);
    assert.deepEqual(window.store.markOf(ORIGIN, 's1'), { startedAt: SESSION_START + 20 * MINUTE, executionId: 'e2' });
  });

  it('announces the failures of a round in one event, finished-with-errors included, oldest first', async () => {
    await window.runs.apply(
      round(
        check('s1', [run('e1', SESSION_START + MINUTE, 'failed'), run('e2', SESSION_START + 2 * MINUTE, 'succeeded'), run('e3', SESSION_START + 3 * MINUTE, 'partial')]),
        check('s2', [run('x1', SESSION_START + 4 * MINUTE, 'failed'), run('x0', SESSION_START, 'canceled')]),
      ),
    );
    assert.deepEqual(window.announced(), [['e1', 'e3', 'x1']]);
  });

  it('announces nothing the claim refuses: another window (or the one that started it) has it', async () => {
    const refusing = new Window(state, async () => false);
    try {
      await refusing.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed')])));
      assert.deepEqual(refusing.failures, []);
      assert.deepEqual(refusing.claimAttempts, ['e1']);
      assert.equal(refusing.store.markOf(ORIGIN, 's1')?.executionId, 'e1', 'the mark moves on all the same');
    } finally {
      refusing.dispose();
    }
  });

  it('of two windows checking at once, exactly one announces each failure', async () => {
    const other = new Window(state, machine.claim);
    try {
      const failedRound = round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed')]), check('s2', [run('x1', SESSION_START + MINUTE, 'failed')]));
      await Promise.all([window.runs.apply(failedRound), other.runs.apply(failedRound)]);
      const announced = [...window.announced(), ...other.announced()].flat().sort();
      assert.deepEqual(announced, ['e1', 'x1']);
    } finally {
      other.dispose();
    }
  });

  it('with pinnedRuns none, claims and announces nothing, and the mark still moves on', async () => {
    window.mode = 'none';
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed'), run('e2', SESSION_START + 2 * MINUTE, 'running')])));
    assert.deepEqual(window.failures, []);
    assert.deepEqual(window.followed, []);
    assert.deepEqual(window.claimAttempts, []);

    window.mode = 'failures';
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed'), run('e2', SESSION_START + 2 * MINUTE, 'running')])));
    assert.deepEqual(window.failures, [], 'what happened while silenced is not announced later');
    assert.equal(window.runs.failing(ORIGIN).length, 1, 'but the pin still shows as failing');
  });

  it('with pinnedRuns all, claims and follows a new run still going from its start on the server', async () => {
    window.mode = 'all';
    const going = run('e1', SESSION_START + 2 * MINUTE, 'running');
    await window.runs.apply(round(check('s1', [before, going])));
    assert.deepEqual(window.followed, [
      {
        run: { kind: 'execution', executionId: 'e1', scheduleId: 's1', scheduleName: 'Nightly Sales Load', serverUrl: SERVER_URL },
        startedAt: SESSION_START + 2 * MINUTE,
      },
    ]);
    assert.deepEqual(window.claimAttempts, ['e1']);
    assert.deepEqual(window.failures, []);

    // Its end is the monitor's to announce; later checks leave it alone.
    await window.runs.apply(round(check('s1', [before, going])));
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + 2 * MINUTE, 'failed')])));
    assert.equal(window.followed.length, 1);
    assert.deepEqual(window.failures, []);
  });

  it('with pinnedRuns failures, does not follow a run still going', async () => {
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + 2 * MINUTE, 'running')])));
    assert.deepEqual(window.followed, []);
    assert.deepEqual(window.claimAttempts, []);
  });

  it('follows only runs of the configured server', async () => {
    window.mode = 'all';
    await window.store.pin(OTHER_ORIGIN, schedule('s1'), firstMark([], PINNED_AT));
    await window.runs.apply({ origin: OTHER_ORIGIN, reason: 'scheduled', checks: [check('s1', [run('o1', SESSION_START + MINUTE, 'running')])] });
    assert.deepEqual(window.followed, []);
  });

  it('leaves the runs this window already follows to the monitor', async () => {
    window.mode = 'all';
    window.followedByMonitor.add('e1').add('e2');
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed'), run('e2', SESSION_START + 2 * MINUTE, 'running')])));
    assert.deepEqual(window.failures, []);
    assert.deepEqual(window.followed, []);
    assert.deepEqual(window.claimAttempts, []);
  });

  it('announces nothing at the first check of a pin made on another machine, and starts its mark there', async () => {
    // Settings Sync brought the pin; this machine has no mark for it.
    const synced = { version: 1, byOrigin: { [ORIGIN]: [...window.store.pinsOf(ORIGIN), { scheduleId: 's3', name: 'Synced', pinnedAt: PINNED_AT }] } };
    state.put('pyramid.pins', synced);
    const past = [run('p1', PINNED_AT - 2 * HOUR, 'failed'), run('p2', PINNED_AT, 'partial'), run('p3', SESSION_START, 'running')];
    await window.runs.apply(round(check('s3', past)));
    assert.deepEqual(window.failures, []);
    assert.deepEqual(window.claimAttempts, []);
    assert.deepEqual(window.store.markOf(ORIGIN, 's3'), { startedAt: SESSION_START, executionId: 'p3', pending: ['p3'] });

    await window.runs.apply(round(check('s3', [...past.slice(0, 2), run('p3', SESSION_START, 'failed')])));
    assert.deepEqual(window.announced(), [['p3']], 'a run still going at that check is announced once it fails');
  });

  it('announces a run that was still going at one check and failed by a later one', async () => {
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'running')])));
    assert.deepEqual(window.failures, []);
    assert.deepEqual(window.store.markOf(ORIGIN, 's1'), { startedAt: SESSION_START + MINUTE, executionId: 'e1', pending: ['e1'] });

    // A newer run came meanwhile; the mark moves past it, still remembering e1.
    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'running'), run('e2', SESSION_START + 5 * MINUTE, 'succeeded')])));
    assert.deepEqual(window.store.markOf(ORIGIN, 's1'), { startedAt: SESSION_START + 5 * MINUTE, executionId: 'e2', pending: ['e1'] });

    await window.runs.apply(round(check('s1', [before, run('e1', SESSION_START + MINUTE, 'failed', 30 * MINUTE), run('e2', SESSION_START + 5 * MINUTE, 'succeeded')])));
    assert.deepEqual(window.announced(), [['e1']]);
    assert.deepEqual(window.store.markOf(ORIGIN, 's1'), { startedAt: SESSION_START + 5 * MINUTE, executionId: 'e2' }, 'nothing pending any more');
  });

  it('says a failure happened while VS Code was closed when it ended before the session started', async () => {
    await window.runs.apply(
      round(
        check('s1', [before, run('closed', PINNED_AT + MINUTE, 'failed'), run('open', SESSION_START - MINUTE, 'failed', 2 * MINUTE)]),
        check('s2', [run('x1', PINNED_AT + 10 * MINUTE, 'partial', 10 * MINUTE)]),
      ),
    );
    assert.deepEqual(
      window.failures[0].map((failure) => [failure.execution.id, failure.whileClosed]),
      [
        ['closed', true],
        ['open', false],
        ['x1', true],
      ],
    );
  });

  describe('failing()', () => {
    const failingIds = () => window.runs.failing(ORIGIN).map((pin) => pin.scheduleId);

    it('judges a pin by its newest run that is over', async () => {
      await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed')]), check('s2', [run('x1', SESSION_START, 'partial')])));
      assert.deepEqual(failingIds(), ['s1', 's2']);

      await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed'), run('e2', SESSION_START + MINUTE, 'running')])));
      assert.deepEqual(failingIds(), ['s1', 's2'], 'a newer run still going does not clear it');

      await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed'), run('e2', SESSION_START + MINUTE, 'succeeded')])));
      assert.deepEqual(failingIds(), ['s2'], 'a newer run that succeeded does');

      await window.runs.apply(round(check('s2', [run('x1', SESSION_START, 'partial'), run('x2', SESSION_START + MINUTE, 'canceled')])));
      assert.deepEqual(failingIds(), []);
    });

    it('is empty for pins not checked yet, checked without runs, or of another origin, and after clear()', async () => {
      assert.deepEqual(failingIds(), []);
      await window.runs.apply(round(check('s1', []), check('s2', [run('x1', SESSION_START, 'running')])));
      assert.deepEqual(failingIds(), []);
      await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed')])));
      assert.deepEqual(window.runs.failing(OTHER_ORIGIN), []);
      window.runs.clear();
      assert.deepEqual(failingIds(), []);
      assert.equal(window.runs.latest(ORIGIN, 's1'), undefined);
    });

    it('forgets an unpinned schedule, and what its checks found', async () => {
      await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed')])));
      await window.store.unpin(ORIGIN, 's1');
      assert.deepEqual(failingIds(), []);
      window.runs.forget(ORIGIN, 's1');
      assert.equal(window.runs.latest(ORIGIN, 's1'), undefined, 'pinned again, it starts from its next check');
    });
  });

  it('keeps the newest runs of each pin, and the time of the last answer', async () => {
    const executions = Array.from({ length: 8 }, (_, i) => run(`e${i}`, SESSION_START + i * MINUTE, 'succeeded'));
    await window.runs.apply(round(check('s1', executions, SESSION_START + HOUR)));
    const latest = window.runs.latest(ORIGIN, 's1');
    assert.equal(KEPT_RUNS, 5);
    assert.deepEqual(
      latest?.executions.map((execution) => execution.id),
      ['e7', 'e6', 'e5', 'e4', 'e3'],
    );
    assert.equal(latest?.checkedAt, SESSION_START + HOUR);
    assert.equal(latest?.error, undefined);
    assert.equal(window.runs.latest(OTHER_ORIGIN, 's1'), undefined);
  });

  it('keeps the runs of the check before when a check fails, with the error', async () => {
    await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed')], SESSION_START + MINUTE)));
    await window.runs.apply(round({ scheduleId: 's1', error: 'Could not reach the server.', at: SESSION_START + 2 * MINUTE }));
    const latest = window.runs.latest(ORIGIN, 's1');
    assert.deepEqual(
      latest?.executions.map((execution) => execution.id),
      ['e1'],
    );
    assert.equal(latest?.error, 'Could not reach the server.');
    assert.equal(latest?.checkedAt, SESSION_START + 2 * MINUTE);
    assert.deepEqual(window.runs.failing(ORIGIN).map((pin) => pin.scheduleId), ['s1'], 'still failing as far as is known');

    await window.runs.apply(round({ scheduleId: 's2', error: 'Could not reach the server.', at: SESSION_START + 2 * MINUTE }));
    assert.deepEqual(window.runs.latest(ORIGIN, 's2'), { executions: [], checkedAt: SESSION_START + 2 * MINUTE, error: 'Could not reach the server.' });

    await window.runs.apply(round(check('s1', [run('e1', SESSION_START, 'failed')], SESSION_START + 3 * MINUTE)));
    assert.equal(window.runs.latest(ORIGIN, 's1')?.error, undefined, 'the next answer clears the error');
  });

  it('skips the answer for a schedule unpinned while the check was under way', async () => {
    await window.store.unpin(ORIGIN, 's2');
    await window.runs.apply(round(check('s2', [run('x1', SESSION_START + MINUTE, 'failed')])));
    assert.equal(window.runs.latest(ORIGIN, 's2'), undefined);
    assert.deepEqual(window.failures, []);
    assert.deepEqual(window.changes, []);
  });
});

describe('seen marks', () => {
  const T = Date.UTC(2026, 10, 28, 9, 0);

  it('newerRuns: runs after the mark and runs still pending, oldest first; runs without a start are left out', () => {
    const mark: SeenMark = { startedAt: T, executionId: 'm', pending: ['p'] };
    const executions = newestFirst([run('old', T - HOUR, 'failed'), run('p', T - 2 * HOUR, 'running'), run('m', T, 'failed'), run('n2', T + 2 * MINUTE, 'failed'), run('n1', T + MINUTE, 'running')]);
    const undated = { ...run('undated', T, 'failed'), startDate: undefined };
    assert.deepEqual(
      newerRuns(mark, [...executions, undated]).map((execution) => execution.id),
      ['p', 'n1', 'n2'],
    );
  });

  it('newerRuns: of runs started at the same moment as the mark\'s, those after it by id are new, and once past them the mark stays past', () => {
    const twins = [run('b', T, 'failed'), run('a', T, 'failed'), run('c', T, 'failed')];
    assert.deepEqual(
      newerRuns({ startedAt: T, executionId: 'b' }, twins).map((execution) => execution.id),
      ['c'],
    );
    const next = nextMark({ startedAt: T, executionId: 'b' }, twins, T);
    assert.deepEqual(next, { startedAt: T, executionId: 'c' });
    assert.deepEqual(newerRuns(next, twins), []);
    assert.deepEqual(newerRuns({ startedAt: T }, [run('m', T, 'failed')]), [], 'a mark without a run: runs from then on are not new');
  });

  it('nextMark: a run still going is remembered for PENDING_MAX_AGE_MS at most', () => {
    const going = run('g', T, 'running');
    assert.deepEqual(nextMark({ startedAt: T - HOUR }, [going], T + PENDING_MAX_AGE_MS - 1).pending, ['g']);
    assert.equal(nextMark({ startedAt: T - HOUR }, [going], T + PENDING_MAX_AGE_MS).pending, undefined);
  });

  it('firstMark: nothing that is over is new, a run still going is', () => {
    assert.deepEqual(firstMark([], T), { startedAt: 0, executionId: undefined });
    assert.deepEqual(firstMark(newestFirst([run('a', T - HOUR, 'failed'), run('b', T - MINUTE, 'running')]), T), { startedAt: T - MINUTE, executionId: 'b', pending: ['b'] });
  });

  /**
   * A schedule's history as the checks see it: runs appear in the order they start (some at the same
   * moment, listed together), each still going for a few checks before it ends.
   */
  const histories = fc
    .array(
      fc.record({
        gapMs: fc.constantFrom(0, 0, 1_000, MINUTE, HOUR),
        checksLater: fc.nat(2),
        end: fc.constantFrom<RunEnd>('succeeded', 'failed', 'partial', 'canceled'),
        endsAfter: fc.nat(3),
      }),
      { maxLength: 12 },
    )
    .map((specs) => {
      let startedAt = T;
      let appearsAt = 0;
      return specs.map(({ gapMs, checksLater, end, endsAfter }, index): RunSpec => {
        startedAt += gapMs;
        appearsAt += gapMs === 0 ? 0 : checksLater;
        return { id: `r${index}`, startedAt, appearsAt, end, endsAfter };
      });
    });

  it('nextMark never moves backwards, and never hands a run that is over back to a later check', () => {
    fc.assert(
      fc.property(histories, fc.nat(9), (runs, checks) => {
        let mark: SeenMark = { startedAt: T - 1 };
        for (let n = 0; n <= checks; n++) {
          const listed = listedAt(runs, n);
          const next = nextMark(mark, listed, T + n * MINUTE);
          assert.ok(next.startedAt >= mark.startedAt, 'never backwards in time');
          if (next.startedAt === mark.startedAt && mark.executionId !== undefined && next.executionId !== mark.executionId) {
            assert.ok((next.executionId ?? '') > mark.executionId, `never back to an earlier run of the same moment: ${mark.executionId} -> ${next.executionId}`);
          }
          const again = newerRuns(next, listed);
          assert.deepEqual(
            again.filter((execution) => execution.counts.running === 0).map((execution) => execution.id),
            [],
            'a run that is over is dealt with once',
          );
          mark = next;
        }
      }),
    );
  });

  it('announces each failure at most once, and every failure a check sees, whatever the history', async () => {
    await fc.assert(
      fc.asyncProperty(histories, fc.nat(9), async (runs, checks) => {
        const state = new MapState();
        const window = new Window(state, async () => true); // Every claim granted: the marks alone keep it to once.
        try {
          await window.store.pin(ORIGIN, schedule('s1'), firstMark([], T - 1));
          for (let n = 0; n <= checks; n++) {
            await window.runs.apply(round(check('s1', listedAt(runs, n), T + n * MINUTE)));
          }
          const announced = window.announced().flat();
          assert.equal(new Set(announced).size, announced.length, `announced twice: ${announced}`);
          const seenFailing = runs.filter((spec) => spec.end !== 'succeeded' && spec.end !== 'canceled' && spec.appearsAt + spec.endsAfter <= checks);
          assert.deepEqual([...announced].sort(), seenFailing.map((spec) => spec.id).sort());
        } finally {
          window.dispose();
        }
      }),
    );
  });
});

interface RunSpec {
  id: string;
  startedAt: number;
  /** The first check that lists it. */
  appearsAt: number;
  end: RunEnd;
  /** How many checks later than that it is over. */
  endsAfter: number;
}

/** The history as check `n` lists it, newest first: the runs that appeared by then, over once due. */
function listedAt(runs: RunSpec[], n: number): Execution[] {
  return newestFirst(runs.filter((spec) => spec.appearsAt <= n).map((spec) => run(spec.id, spec.startedAt, spec.appearsAt + spec.endsAfter <= n ? spec.end : 'running')));
}
