// The pins of every server and this machine's seen marks, in global state that other windows and
// Settings Sync also write.
import * as assert from 'node:assert/strict';
import { ScheduleType } from '../../../src/api';
import { MAX_PINS_PER_SERVER, PINS_KEY, PinStore, SEEN_KEY } from '../../../src/pins/pinStore';
import { MapState, ORIGIN, OTHER_ORIGIN, schedule } from './fakes';

const PINNED_AT = Date.UTC(2026, 10, 28, 9, 0);
const mark = (startedAt: number, executionId?: string) => ({ startedAt, ...(executionId && { executionId }) });

describe('PinStore', () => {
  let state: MapState;
  let store: PinStore;
  let changes: string[];

  beforeEach(() => {
    state = new MapState();
    store = new PinStore(state, () => PINNED_AT);
    changes = [];
    store.onDidChange((origin) => changes.push(origin));
  });

  afterEach(() => store.dispose());

  it('pins and unpins per origin, keeping what is known of the schedule', async () => {
    assert.equal(await store.pin(ORIGIN, schedule('s1', 'Nightly Sales Load'), mark(0)), true);
    assert.equal(await store.pin(ORIGIN, schedule('s2', 'Warehouse Sync'), mark(0)), true);
    assert.deepEqual(store.pinsOf(ORIGIN), [
      { scheduleId: 's1', name: 'Nightly Sales Load', itemName: 'Nightly Sales Load.flow', typeLabel: 'Data flow', pinnedAt: PINNED_AT },
      { scheduleId: 's2', name: 'Warehouse Sync', itemName: 'Warehouse Sync.flow', typeLabel: 'Data flow', pinnedAt: PINNED_AT },
    ]);
    assert.equal(store.isPinned(ORIGIN, 's1'), true);
    assert.equal(await store.pin(ORIGIN, schedule('s1', 'Nightly Sales Load'), mark(0)), false, 'pinned once only');

    await store.unpin(ORIGIN, 's1');
    assert.deepEqual(
      store.pinsOf(ORIGIN).map((pin) => pin.scheduleId),
      ['s2'],
    );
    assert.equal(store.isPinned(ORIGIN, 's1'), false);
    assert.deepEqual(changes, [ORIGIN, ORIGIN, ORIGIN]);
  });

  it('keeps the pins of each origin apart, and drops an origin with no pins left', async () => {
    await store.pin(ORIGIN, schedule('s1'), mark(0));
    await store.pin(OTHER_ORIGIN, schedule('s1'), mark(0));
    await store.pin(OTHER_ORIGIN, schedule('s9'), mark(0));
    assert.deepEqual(
      store.pinsOf(OTHER_ORIGIN).map((pin) => pin.scheduleId),
      ['s1', 's9'],
    );

    await store.unpin(OTHER_ORIGIN, 's1');
    assert.equal(store.isPinned(ORIGIN, 's1'), true, 'the same id on another server stays pinned');
    assert.equal(store.isPinned(OTHER_ORIGIN, 's1'), false);
    await store.unpin(OTHER_ORIGIN, 's9');
    assert.deepEqual(state.get(PINS_KEY), { version: 1, byOrigin: { [ORIGIN]: store.pinsOf(ORIGIN) } });
    assert.deepEqual(changes, [ORIGIN, OTHER_ORIGIN, OTHER_ORIGIN, OTHER_ORIGIN, OTHER_ORIGIN]);
  });

  it('sets the mark when pinning, keeps marks per origin, and removes the mark when unpinning', async () => {
    await store.pin(ORIGIN, schedule('s1'), mark(1_000, 'e1'));
    await store.pin(OTHER_ORIGIN, schedule('s1'), mark(2_000, 'e7'));
    assert.deepEqual(store.markOf(ORIGIN, 's1'), mark(1_000, 'e1'));
    assert.deepEqual(store.markOf(OTHER_ORIGIN, 's1'), mark(2_000, 'e7'));

    await store.setMark(ORIGIN, 's1', { startedAt: 3_000, executionId: 'e2', pending: ['e1'] });
    assert.deepEqual(store.markOf(ORIGIN, 's1'), { startedAt: 3_000, executionId: 'e2', pending: ['e1'] });
    assert.deepEqual(store.markOf(OTHER_ORIGIN, 's1'), mark(2_000, 'e7'), 'the other server keeps its own');

    await store.unpin(ORIGIN, 's1');
    assert.equal(store.markOf(ORIGIN, 's1'), undefined);
    assert.deepEqual(store.markOf(OTHER_ORIGIN, 's1'), mark(2_000, 'e7'));
  });

  it('does not pin, nor set a mark, past MAX_PINS_PER_SERVER on one server', async () => {
    for (let i = 0; i < MAX_PINS_PER_SERVER; i++) {
      assert.equal(await store.pin(ORIGIN, schedule(`s${i}`), mark(0)), true);
    }
    assert.equal(await store.pin(ORIGIN, schedule('one-too-many'), mark(5)), false);
    assert.equal(store.pinsOf(ORIGIN).length, MAX_PINS_PER_SERVER);
    assert.equal(store.markOf(ORIGIN, 'one-too-many'), undefined);
    assert.equal(await store.pin(OTHER_ORIGIN, schedule('one-too-many'), mark(5)), true, 'the limit is per server');
  });

  it('reads no more than MAX_PINS_PER_SERVER pins of a server from a synced state', () => {
    const pins = Array.from({ length: MAX_PINS_PER_SERVER + 50 }, (_, i) => ({ scheduleId: `s${i}`, name: `S${i}`, pinnedAt: 1 }));
    state.put(PINS_KEY, { version: 1, byOrigin: { [ORIGIN]: pins } });
    assert.equal(store.pinsOf(ORIGIN).length, MAX_PINS_PER_SERVER);
    assert.equal(store.isPinned(ORIGIN, `s${MAX_PINS_PER_SERVER}`), false);
  });

  it('remember() takes a renamed schedule under its new name, keeping when it was pinned', async () => {
    await store.pin(ORIGIN, schedule('s1', 'Nightly Sales Load'), mark(0));
    await store.pin(ORIGIN, schedule('s2', 'Warehouse Sync'), mark(0));
    changes.length = 0;

    await store.remember(ORIGIN, [schedule('s1', 'Nightly Sales Load'), schedule('s2', 'Warehouse Sync')]);
    assert.deepEqual(changes, [], 'nothing changed, nothing written');

    const renamed = schedule('s2', 'Warehouse Sync (EU)', { type: ScheduleType.Alert, scheduleItemName: undefined });
    await store.remember(ORIGIN, [renamed, schedule('s3', 'Not pinned')]);
    assert.deepEqual(store.pinsOf(ORIGIN)[1], { scheduleId: 's2', name: 'Warehouse Sync (EU)', typeLabel: 'Alert', pinnedAt: PINNED_AT });
    assert.equal(store.pinsOf(ORIGIN)[0].name, 'Nightly Sales Load');
    assert.equal(store.isPinned(ORIGIN, 's3'), false, 'remember() never pins');
    assert.deepEqual(changes, [ORIGIN]);

    await store.remember(ORIGIN, []);
    assert.equal(store.pinsOf(ORIGIN).length, 2, 'a schedule the list no longer shows keeps its pin and name');
  });

  it('ignores malformed or foreign state instead of throwing', async () => {
    const malformedPins: unknown[] = [
      'pins',
      42,
      null,
      [],
      { version: 2, byOrigin: { [ORIGIN]: [{ scheduleId: 's1', name: 'S1', pinnedAt: 1 }] } },
      { version: 1 },
      { version: 1, byOrigin: [] },
      { version: 1, byOrigin: { [ORIGIN]: 'everything' } },
      { version: 1, byOrigin: { [ORIGIN]: [null, 7, { scheduleId: '', name: 'S', pinnedAt: 1 }, { scheduleId: 's1' }, { scheduleId: 3, name: 'S', pinnedAt: 1 }] } },
    ];
    for (const value of malformedPins) {
      state.put(PINS_KEY, value);
      assert.deepEqual(store.pinsOf(ORIGIN), [], JSON.stringify(value));
      store.reread();
    }

    state.put(PINS_KEY, {
      version: 1,
      byOrigin: {
        [ORIGIN]: [{ scheduleId: 's1', name: 'S1', pinnedAt: 1 }, { scheduleId: 'bad' }, { scheduleId: 's1', name: 'S1 again', pinnedAt: 2 }],
        [OTHER_ORIGIN]: { not: 'a list' },
      },
    });
    assert.deepEqual(store.pinsOf(ORIGIN), [{ scheduleId: 's1', name: 'S1', pinnedAt: 1 }], 'the valid pins are kept, once each');
    assert.deepEqual(store.pinsOf(OTHER_ORIGIN), []);

    for (const value of ['seen', [], { [ORIGIN]: 'x' }, { [ORIGIN]: { s1: { startedAt: '1' } } }, { [ORIGIN]: { s1: { startedAt: 1, pending: [1] } } }]) {
      state.put(SEEN_KEY, value);
      assert.equal(store.markOf(ORIGIN, 's1'), undefined, JSON.stringify(value));
    }
    state.put(SEEN_KEY, { [ORIGIN]: { s1: { startedAt: Number.MAX_VALUE * 2 }, s2: { startedAt: 5, executionId: 'e5' } } });
    assert.equal(store.markOf(ORIGIN, 's1'), undefined);
    assert.deepEqual(store.markOf(ORIGIN, 's2'), mark(5, 'e5'));

    await store.setMark(ORIGIN, 's3', mark(6));
    await store.pin(ORIGIN, schedule('s4'), mark(7));
    assert.deepEqual(state.get(SEEN_KEY), { [ORIGIN]: { s2: mark(5, 'e5'), s3: mark(6), s4: mark(7) } }, 'writing drops what could not be read');
  });

  describe('reread()', () => {
    let otherWindow: PinStore;

    beforeEach(() => {
      otherWindow = new PinStore(state, () => PINNED_AT + 1);
    });

    afterEach(() => otherWindow.dispose());

    it('fires for the origins another window changed, and only once', async () => {
      await store.pin(ORIGIN, schedule('s1'), mark(0));
      await store.pin(OTHER_ORIGIN, schedule('s1'), mark(0));
      changes.length = 0;

      await otherWindow.pin(OTHER_ORIGIN, schedule('s2'), mark(0));
      assert.deepEqual(store.pinsOf(OTHER_ORIGIN).map((pin) => pin.scheduleId), ['s1', 's2'], 'read from the state at once');
      assert.deepEqual(changes, [], 'noticed only when reread');
      store.reread();
      assert.deepEqual(changes, [OTHER_ORIGIN]);
      store.reread();
      assert.deepEqual(changes, [OTHER_ORIGIN], 'nothing new');
    });

    it('fires for an origin whose last pin another window removed, and for a rename', async () => {
      await store.pin(ORIGIN, schedule('s1'), mark(0));
      await store.pin(OTHER_ORIGIN, schedule('s1', 'Old name'), mark(0));
      changes.length = 0;
      await otherWindow.unpin(ORIGIN, 's1');
      await otherWindow.remember(OTHER_ORIGIN, [schedule('s1', 'New name')]);
      store.reread();
      assert.deepEqual(changes.sort(), [ORIGIN, OTHER_ORIGIN].sort());
    });

    it('fires nothing when only seen marks changed, or its own writes', async () => {
      await store.pin(ORIGIN, schedule('s1'), mark(0));
      changes.length = 0;
      await otherWindow.setMark(ORIGIN, 's1', mark(9, 'e9'));
      await store.setMark(ORIGIN, 's1', mark(10, 'e10'));
      store.reread();
      assert.deepEqual(changes, []);
    });

    it('still fires for another window\'s change after a write of its own to another origin', async () => {
      await otherWindow.pin(OTHER_ORIGIN, schedule('s2'), mark(0));
      await store.pin(ORIGIN, schedule('s1'), mark(0));
      assert.deepEqual(changes, [ORIGIN]);
      store.reread();
      assert.deepEqual(changes, [ORIGIN, OTHER_ORIGIN]);
    });

    it('fires when Settings Sync replaces the whole state', async () => {
      await store.pin(ORIGIN, schedule('s1'), mark(0));
      changes.length = 0;
      state.put(PINS_KEY, { version: 1, byOrigin: { [OTHER_ORIGIN]: [{ scheduleId: 'x', name: 'X', pinnedAt: 1 }] } });
      store.reread();
      assert.deepEqual(changes.sort(), [ORIGIN, OTHER_ORIGIN].sort());
    });
  });
});
