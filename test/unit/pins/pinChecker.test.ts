// When pinned schedules are checked: a first sweep after start, then each pin once per interval spread
// over it, slower unfocused, backing off on errors, and nothing at all while signed out or refused.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Execution, PyramidAuthError, PyramidNetworkError } from '../../../src/api';
import type { Clock } from '../../../src/monitor/scheduler';
import { CheckRound, CheckTarget, MAX_BACKOFF_FACTOR, PinChecker, START_DELAY_MS, UNFOCUSED_FACTOR } from '../../../src/pins/pinChecker';
import { FakeClock, createFakeClock, monitorClock } from '../../fakeClock';
import { catchStrayErrors, quietLog } from '../monitor/fakes';
import { ORIGIN, OTHER_ORIGIN, run } from './fakes';

const INTERVAL_MS = 300_000;
const HOUR_MS = 3_600_000;

const unauthenticated = () => new PyramidAuthError('The server answered HTTP 401: the session expired. Sign in again.', 401, '', 'unauthenticated');

interface Read {
  id: string;
  fresh: boolean;
  /** Since the test's start. */
  at: number;
}

describe('PinChecker', () => {
  let fake: FakeClock;
  let clock: Clock;
  let t0: number;
  let pins: string[];
  let origin: string;
  let configured: boolean;
  let signedIn: boolean;
  let focused: boolean;
  let reads: Read[];
  /** Failures the next reads throw, by schedule id (taken before `failures`), then for any id. */
  let failuresOf: Map<string, Error[]>;
  let failures: Error[];
  let rounds: CheckRound[];
  let refusals: { origin: string; message: string }[];
  let checker: PinChecker;
  let stray: ReturnType<typeof catchStrayErrors>;

  const target = (): CheckTarget | undefined =>
    configured
      ? {
          origin,
          scheduleIds: [...pins],
          read: async (id: string, fresh: boolean): Promise<Execution[]> => {
            reads.push({ id, fresh, at: clock.now() - t0 });
            const failure = failuresOf.get(id)?.shift() ?? failures.shift();
            if (failure) {
              throw failure;
            }
            return [run(`${id}-e1`, clock.wallNow() - 60_000, 'succeeded')];
          },
          isSignedIn: async () => signedIn,
        }
      : undefined;

  /** Lets the checker's promises settle without moving the clock. */
  const settle = () => fake.tickAsync(0);
  const readsOf = (id: string) => reads.filter((read) => read.id === id);
  const readTimes = (id: string) => readsOf(id).map((read) => read.at);
  const readsBetween = (from: number, to: number) => reads.filter((read) => read.at > from && read.at <= to);
  /** Starts the checker and runs its first sweep. */
  const startAndSweep = async () => {
    checker.start();
    await fake.tickAsync(START_DELAY_MS);
    assert.equal(rounds.length, 1, 'the first sweep ran');
  };

  beforeEach(() => {
    stray = catchStrayErrors();
    fake = createFakeClock(1_000_000);
    clock = monitorClock(fake);
    t0 = clock.now();
    pins = ['s1', 's2', 's3', 's4'];
    origin = ORIGIN;
    configured = true;
    signedIn = true;
    focused = true;
    reads = [];
    failuresOf = new Map();
    failures = [];
    rounds = [];
    refusals = [];
    checker = new PinChecker({ clock, intervalMs: () => INTERVAL_MS, isFocused: () => focused, target, log: quietLog });
    checker.onDidCheck((round) => rounds.push(round));
    checker.onDidRequireSignIn((refusal) => refusals.push(refusal));
  });

  afterEach(() => {
    checker.dispose();
    stray.stop();
    assert.deepEqual(stray.errors, []);
  });

  it('sets no timer and reads nothing while nothing is pinned', async () => {
    pins = [];
    checker.start();
    await settle();
    assert.equal(checker.nextCheckAt, undefined);
    await fake.tickAsync(HOUR_MS);
    assert.equal(fake.countTimers(), 0);
    assert.equal(reads.length, 0);
    assert.equal(await checker.checkNow(), undefined, 'Check Now has nothing to check');
  });

  it('sets no timer and reads nothing while no server is configured', async () => {
    configured = false;
    checker.start();
    await fake.tickAsync(HOUR_MS);
    assert.equal(checker.nextCheckAt, undefined);
    assert.equal(fake.countTimers(), 0);
    assert.equal(reads.length, 0);
  });

  it('sets no timer while signed out, and sweeps once signed in', async () => {
    signedIn = false;
    checker.start();
    await fake.tickAsync(HOUR_MS);
    assert.equal(checker.nextCheckAt, undefined);
    assert.equal(fake.countTimers(), 0);
    assert.equal(reads.length, 0);
    assert.equal(await checker.checkNow(), undefined, 'Check Now signed out checks nothing');
    assert.equal(reads.length, 0);

    signedIn = true;
    const signInAt = clock.now() - t0;
    await checker.refresh();
    await settle();
    assert.deepEqual(
      rounds.map((round) => [round.reason, round.checks.map((check) => check.scheduleId)]),
      [['signIn', pins]],
    );
    assert.ok(reads.every((read) => read.at === signInAt));
  });

  it('sweeps every pin once, START_DELAY_MS after start, as one round', async () => {
    checker.start();
    await settle();
    assert.equal(checker.nextCheckAt, t0 + START_DELAY_MS);
    await fake.tickAsync(START_DELAY_MS - 1);
    assert.equal(reads.length, 0, 'startup itself sends nothing');
    await fake.tickAsync(1);
    assert.equal(rounds.length, 1);
    assert.equal(rounds[0].origin, ORIGIN);
    assert.equal(rounds[0].reason, 'start');
    assert.deepEqual(
      rounds[0].checks.map((check) => check.scheduleId),
      pins,
      'every pin, in pin order',
    );
    assert.ok(rounds[0].checks.every((check) => check.executions?.length === 1 && check.error === undefined && check.at === clock.wallNow()));
    assert.deepEqual(
      reads.map((read) => read.at),
      pins.map(() => START_DELAY_MS),
    );
  });

  it('spreads the checks after a sweep over one interval, one pin per round', async () => {
    await startAndSweep();
    const sweptAt = clock.now() - t0;
    reads = [];
    await fake.tickAsync(2 * INTERVAL_MS);
    const step = INTERVAL_MS / pins.length;
    assert.deepEqual(
      reads.map((read) => [read.id, read.at - sweptAt]),
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [pins[(n - 1) % pins.length], n * step]),
    );
    assert.ok(reads.every((read) => !read.fresh), 'scheduled checks may use kept answers');
    assert.ok(
      rounds.slice(1).every((round) => round.reason === 'scheduled' && round.checks.length === 1),
      'never a burst',
    );
  });

  it('reads each pin once per interval while focused, UNFOCUSED_FACTOR times less often unfocused', async () => {
    pins = Array.from({ length: 20 }, (_, i) => `s${i + 1}`);
    await startAndSweep();
    const sweptAt = clock.now() - t0;
    await fake.tickAsync(2 * HOUR_MS);
    // The second hour: past the first spread, at the steady pace.
    const focusedHour = readsBetween(sweptAt + HOUR_MS, sweptAt + 2 * HOUR_MS);
    assert.equal(focusedHour.length, 240);
    assert.ok(pins.every((id) => focusedHour.filter((read) => read.id === id).length === 12));

    focused = false;
    checker.replan();
    const unfocusedAt = clock.now() - t0;
    await fake.tickAsync(3 * HOUR_MS);
    const unfocusedHour = readsBetween(unfocusedAt + 2 * HOUR_MS, unfocusedAt + 3 * HOUR_MS);
    assert.equal(unfocusedHour.length, 240 / UNFOCUSED_FACTOR);
    const gaps = readTimes('s7')
      .filter((at) => at > unfocusedAt + HOUR_MS)
      .map((at, i, all) => (i === 0 ? undefined : at - all[i - 1]))
      .filter((gap) => gap !== undefined);
    assert.ok(gaps.length > 0 && gaps.every((gap) => gap === UNFOCUSED_FACTOR * INTERVAL_MS), `gaps ${gaps}`);
  });

  it('checks sooner again once the window is focused', async () => {
    pins = ['s1'];
    focused = false;
    await startAndSweep();
    assert.equal(checker.nextCheckAt, clock.now() + UNFOCUSED_FACTOR * INTERVAL_MS);
    focused = true;
    checker.replan();
    assert.equal(checker.nextCheckAt, clock.now() + INTERVAL_MS);
  });

  it('doubles the wait after each failed check, at most MAX_BACKOFF_FACTOR times, and resets it after an answer', async () => {
    pins = ['s1'];
    failures = Array.from({ length: 5 }, () => new PyramidNetworkError('Could not reach the server: connection refused.', 'ECONNREFUSED'));
    await startAndSweep();
    assert.equal(rounds[0].checks[0].error, 'Could not reach the server: connection refused.');
    assert.equal(rounds[0].checks[0].executions, undefined);
    await fake.tickAsync(10 * HOUR_MS);
    const times = readTimes('s1');
    const gaps = times.slice(1, 9).map((at, i) => (at - times[i]) / INTERVAL_MS);
    // Five failures in a row (the sweep's and four more), then answers.
    assert.deepEqual(gaps, [2, 4, 8, MAX_BACKOFF_FACTOR, MAX_BACKOFF_FACTOR, 1, 1, 1]);
    assert.deepEqual(
      rounds.slice(0, 7).map((round) => round.checks[0].error === undefined),
      [false, false, false, false, false, true, true],
    );
  });

  it('backs off per pin: a failing pin does not slow the others', async () => {
    pins = ['s1', 's2'];
    failuresOf.set('s1', Array.from({ length: 100 }, () => new PyramidNetworkError('Could not reach the server.')));
    await startAndSweep();
    await fake.tickAsync(2 * HOUR_MS);
    const s2 = readTimes('s2').filter((at) => at > HOUR_MS);
    assert.deepEqual(
      s2.slice(1).map((at, i) => at - s2[i]),
      s2.slice(1).map(() => INTERVAL_MS),
    );
    assert.ok(readsBetween(HOUR_MS, 2 * HOUR_MS).filter((read) => read.id === 's1').length <= HOUR_MS / (MAX_BACKOFF_FACTOR * INTERVAL_MS) + 1);
  });

  it('stops every check at a 401 and asks for a sign-in once; a sign-in resumes with a sweep', async () => {
    failures = [unauthenticated()];
    await startAndSweep();
    assert.deepEqual(refusals, [{ origin: ORIGIN, message: unauthenticated().message }]);
    assert.equal(checker.nextCheckAt, undefined);
    const readsAtRefusal = reads.length;
    assert.ok(readsAtRefusal <= 3, 'no read starts after the refusal');

    await fake.tickAsync(HOUR_MS);
    checker.checkSoon('s2');
    pins.push('s5');
    await checker.refresh();
    await fake.tickAsync(HOUR_MS);
    assert.equal(reads.length, readsAtRefusal, 'nothing read until a sign-in');
    assert.equal(fake.countTimers(), 0);
    assert.equal(refusals.length, 1);

    checker.signedIn(OTHER_ORIGIN);
    await settle();
    assert.equal(reads.length, readsAtRefusal, 'a sign-in to another server changes nothing');

    checker.signedIn(ORIGIN);
    await settle();
    const resumed = rounds.at(-1);
    assert.equal(resumed?.reason, 'signIn');
    assert.deepEqual(
      resumed?.checks.map((check) => check.scheduleId),
      pins,
    );
    assert.notEqual(checker.nextCheckAt, undefined);
    assert.equal(refusals.length, 1);
  });

  it('tries the token once more when asked to check now after a 401', async () => {
    failures = [unauthenticated()];
    await startAndSweep();
    const round = await checker.checkNow();
    assert.equal(round?.reason, 'now');
    assert.equal(round?.checks.length, pins.length);
    assert.notEqual(checker.nextCheckAt, undefined, 'checks go on');
  });

  it('checkNow reads every pin fresh and resolves with the round', async () => {
    await startAndSweep();
    await fake.tickAsync(100_000);
    reads = [];
    const round = await checker.checkNow();
    assert.equal(round?.reason, 'now');
    assert.equal(round?.origin, ORIGIN);
    assert.deepEqual(
      round?.checks.map((check) => check.scheduleId),
      pins,
    );
    assert.equal(rounds.at(-1), round, 'and announces it like any round');
    assert.deepEqual(
      reads.map((read) => [read.id, read.fresh]),
      pins.map((id) => [id, true]),
    );
  });

  it('checkNow before the first sweep replaces it', async () => {
    checker.start();
    await settle();
    const round = await checker.checkNow();
    assert.equal(round?.reason, 'now');
    await fake.tickAsync(START_DELAY_MS);
    assert.equal(
      rounds.filter((r) => r.reason === 'start').length,
      0,
    );
    assert.equal(reads.length, pins.length);
  });

  it('checks a new pin at once and alone, and an unpinned one no more', async () => {
    await startAndSweep();
    await fake.tickAsync(10_000);
    reads = [];
    pins.push('s5');
    await checker.refresh();
    await settle();
    // Pinning read its runs a moment ago: the kept answer serves.
    assert.deepEqual(reads, [{ id: 's5', fresh: false, at: clock.now() - t0 }]);
    assert.equal(rounds.at(-1)?.reason, 'soon');
    assert.deepEqual(
      rounds.at(-1)?.checks.map((check) => check.scheduleId),
      ['s5'],
    );

    pins = pins.filter((id) => id !== 's2');
    await checker.refresh();
    reads = [];
    rounds = [];
    await fake.tickAsync(HOUR_MS);
    assert.equal(readsOf('s2').length, 0);
    assert.equal(readsOf('s5').length, HOUR_MS / INTERVAL_MS);
    assert.ok(rounds.every((round) => round.checks.every((check) => pins.includes(check.scheduleId))));

    pins = [];
    await checker.refresh();
    assert.equal(checker.nextCheckAt, undefined, 'no pins, no timer');
    assert.equal(fake.countTimers(), 0);
  });

  it('checkSoon reads one pin at once (its kept answer was cleared when its run ended)', async () => {
    await startAndSweep();
    await fake.tickAsync(10_000);
    reads = [];
    checker.checkSoon('s3');
    await settle();
    assert.deepEqual(reads, [{ id: 's3', fresh: false, at: clock.now() - t0 }]);
    assert.equal(rounds.at(-1)?.reason, 'soon');
    checker.checkSoon('not-pinned');
    await settle();
    assert.equal(reads.length, 1);
  });

  it('starts afresh on another server: a sweep of its pins, never an answer for the old one', async () => {
    await startAndSweep();
    origin = OTHER_ORIGIN;
    pins = ['x1', 'x2'];
    await checker.refresh();
    await settle();
    const last = rounds.at(-1);
    assert.equal(last?.origin, OTHER_ORIGIN);
    assert.deepEqual(
      last?.checks.map((check) => check.scheduleId),
      ['x1', 'x2'],
    );
  });

  it('runs one round at a time, and at most three reads at once', async () => {
    pins = Array.from({ length: 10 }, (_, i) => `s${i + 1}`);
    let inFlight = 0;
    let most = 0;
    const slowTarget = (): CheckTarget | undefined => {
      const inner = target();
      return (
        inner && {
          ...inner,
          read: async (id, fresh) => {
            most = Math.max(most, ++inFlight);
            await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), 1_000));
            inFlight--;
            return inner.read(id, fresh);
          },
        }
      );
    };
    checker.dispose();
    checker = new PinChecker({ clock, intervalMs: () => INTERVAL_MS, isFocused: () => focused, target: slowTarget, log: quietLog });
    checker.onDidCheck((round) => rounds.push(round));
    checker.start();
    const [first, second] = [checker.checkNow(), checker.checkNow()];
    await fake.tickAsync(10_000);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(most, 3);
    assert.equal(a?.checks.length, 10);
    assert.equal(b?.checks.length, 10);
    // Four batches of reads a second each per round, the second round after the first.
    assert.deepEqual(
      rounds.map((round) => round.checks.at(-1)?.at),
      [t0 + 4_000, t0 + 8_000],
    );
  });

  it('whatever happens, has a timer exactly while something can be checked, and reads only what is pinned', async () => {
    type Step =
      | { kind: 'tick'; ms: number }
      | { kind: 'pin' | 'unpin' | 'checkSoon'; id: string }
      | { kind: 'focus' | 'blur' | 'signOut' | 'signIn' | 'checkNow' | 'failNext' | 'refuseNext' };
    const ids = ['s1', 's2', 's3'];
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 4 * INTERVAL_MS }) }),
      fc.record({ kind: fc.constantFrom('pin' as const, 'unpin' as const, 'checkSoon' as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constantFrom('focus' as const, 'blur' as const, 'signOut' as const, 'signIn' as const, 'checkNow' as const, 'failNext' as const, 'refuseNext' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        checker.dispose();
        pins = ['s1'];
        signedIn = true;
        focused = true;
        failures = [];
        let refused = false;
        const unexpected: string[] = [];
        checker = new PinChecker({
          clock,
          intervalMs: () => INTERVAL_MS,
          isFocused: () => focused,
          target: () => {
            const inner = target();
            return (
              inner && {
                ...inner,
                read: (id, fresh) => {
                  if (!pins.includes(id) || !signedIn) {
                    unexpected.push(`read ${id} pinned ${pins} signed in ${signedIn}`);
                  }
                  return inner.read(id, fresh);
                },
              }
            );
          },
          log: quietLog,
        });
        checker.onDidRequireSignIn(() => (refused = true));
        checker.start();
        for (const next of steps) {
          switch (next.kind) {
            case 'tick':
              await fake.tickAsync(next.ms);
              break;
            case 'pin':
              pins = [...new Set([...pins, next.id])];
              await checker.refresh();
              break;
            case 'unpin':
              pins = pins.filter((id) => id !== next.id);
              await checker.refresh();
              break;
            case 'checkSoon':
              checker.checkSoon(next.id);
              break;
            case 'focus':
            case 'blur':
              focused = next.kind === 'focus';
              checker.replan();
              break;
            case 'signOut':
              signedIn = false;
              await checker.refresh();
              break;
            case 'signIn':
              signedIn = true;
              refused = false;
              checker.signedIn(ORIGIN);
              break;
            case 'checkNow':
              refused = false;
              await checker.checkNow();
              break;
            case 'failNext':
              failures.push(new PyramidNetworkError('Could not reach the server.'));
              break;
            case 'refuseNext':
              failures.push(unauthenticated());
              break;
          }
          await settle();
          assert.deepEqual(unexpected, []);
          assert.ok(fake.countTimers() <= 1, 'one timer at most');
          const checkable: boolean = pins.length > 0 && signedIn && !refused;
          assert.equal(checker.nextCheckAt !== undefined, checkable, `timer ${checker.nextCheckAt} after ${JSON.stringify(next)}: pins ${pins}, signed in ${signedIn}, refused ${refused}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
