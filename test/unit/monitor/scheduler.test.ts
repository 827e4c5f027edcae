import * as assert from 'node:assert/strict';
import { Clock, PollScheduler } from '../../../src/monitor/scheduler';
import { FakeClock, createFakeClock, monitorClock } from '../../fakeClock';

describe('PollScheduler', () => {
  let fake: FakeClock;
  let clock: Clock;
  let scheduler: PollScheduler;
  let polls: { key: string; at: number }[];
  /** What each poll does; by default the first answer is a change (as a first status is), the rest are not. */
  let onPoll: (key: string) => Promise<void>;
  let unexpected: string[];

  beforeEach(() => {
    fake = createFakeClock(1_000_000);
    clock = monitorClock(fake);
    polls = [];
    unexpected = [];
    onPoll = async (key) => scheduler.answered(key, polls.filter((p) => p.key === key).length === 1);
    scheduler = new PollScheduler({
      clock,
      intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
      isFocused: () => true,
      poll: (key) => {
        polls.push({ key, at: clock.now() });
        return onPoll(key);
      },
      unexpected: (where, error) => unexpected.push(`${where}: ${(error as Error).message}`),
    });
  });

  afterEach(() => scheduler.dispose());

  const gaps = (key: string) => polls.filter((p) => p.key === key).map((p, i, all) => (i === 0 ? 0 : p.at - all[i - 1].at));

  it('sets no timer until a key is added, and says when the one timer fires', async () => {
    assert.equal(scheduler.nextPollAt, undefined);
    await fake.tickAsync(60_000);
    assert.equal(fake.countTimers(), 0);

    scheduler.add('a');
    assert.equal(scheduler.nextPollAt, clock.now(), 'due at once, on the next tick');
    assert.equal(polls.length, 0, 'not inside add');
    await fake.tickAsync(1);
    assert.equal(scheduler.nextPollAt, polls[0].at + 3_000);
    scheduler.remove('a');
    assert.equal(scheduler.nextPollAt, undefined);
    assert.equal(fake.countTimers(), 0);
  });

  it('grows the wait gently through the first minute, then by half, and returns to the base on a change', async () => {
    scheduler.add('a');
    await fake.tickAsync(59_530);
    // × 1.25 while the run is under a minute old: short runs are not seen late.
    assert.deepEqual(gaps('a'), [0, 3_000, 3_750, 4_688, 5_860, 7_325, 9_156, 11_445, 14_306]);
    await fake.tickAsync(15_000);
    onPoll = async (key) => scheduler.answered(key, true);
    await fake.tickAsync(15_000);
    onPoll = async (key) => scheduler.answered(key, false);
    await fake.tickAsync(3_000 + 4_500);
    assert.deepEqual(gaps('a').slice(9), [15_000, 15_000, 3_000, 4_500], 'past the first minute: the maximum, the base after a change, then × 1.5');
  });

  it('doubles the wait with each failure in a row, and counts them', async () => {
    const counts: number[] = [];
    onPoll = async (key) => void counts.push(scheduler.failed(key));
    scheduler.add('a');
    await fake.tickAsync(6_000 + 12_000 + 15_000);
    assert.deepEqual(gaps('a'), [0, 6_000, 12_000, 15_000]);
    assert.deepEqual(counts, [1, 2, 3, 4]);
    onPoll = async (key) => scheduler.answered(key, true);
    await fake.tickAsync(15_000);
    onPoll = async (key) => void counts.push(scheduler.failed(key));
    await fake.tickAsync(3_000);
    assert.equal(counts.at(-1), 1, 'an answer ends the run of failures');
  });

  it('never polls a key again while its poll is under way, even one added afresh meanwhile', async () => {
    const pending: (() => void)[] = [];
    const answer = onPoll;
    onPoll = (key) => new Promise<void>((resolve) => pending.push(() => void answer(key).then(resolve)));
    scheduler.add('slow');
    await fake.tickAsync(1);
    scheduler.add('slow'); // as a resume after sign-in does
    void scheduler.pollDue();
    await fake.tickAsync(20_000);
    assert.equal(gaps('slow').length, 1);
    pending.forEach((release) => release());
    await fake.tickAsync(3_000);
    assert.equal(gaps('slow').length, 2, 'polled again one interval after its poll ended');
  });

  it('goes on polling every key when a poll throws, and reports it', async () => {
    const answer = onPoll;
    onPoll = async (key) => {
      if (key === 'broken') {
        throw new Error('bug');
      }
      await answer(key);
    };
    scheduler.add('broken');
    scheduler.add('fine');
    await fake.tickAsync(10_000);
    assert.ok(gaps('fine').length >= 3);
    assert.ok(gaps('broken').length >= 3);
    assert.equal(unexpected[0], 'a status poll: bug');
  });

  it('uses the maximum interval while the window is unfocused', async () => {
    let focused = false;
    scheduler.dispose();
    scheduler = new PollScheduler({
      clock,
      intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
      isFocused: () => focused,
      poll: async (key) => {
        polls.push({ key, at: clock.now() });
        scheduler.answered(key, true);
      },
      unexpected: () => undefined,
    });
    scheduler.add('a');
    await fake.tickAsync(30_000);
    assert.deepEqual(gaps('a'), [0, 15_000, 15_000]);
    focused = true;
    scheduler.focusChanged();
    await fake.tickAsync(3_000);
    assert.equal(gaps('a').at(-1), 3_000);
  });
});
