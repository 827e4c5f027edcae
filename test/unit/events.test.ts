import * as FakeTimers from '@sinonjs/fake-timers';
import * as assert from 'node:assert/strict';
import { Emitter } from '../../src/util/events';

describe('Emitter', () => {
  it('calls every listener even when one throws, and reports the error to its handler', () => {
    const reported: unknown[] = [];
    const emitter = new Emitter<number>((error) => reported.push(error));
    const calls: string[] = [];
    const broken = new Error('listener broke');
    emitter.event((n) => calls.push(`first ${n}`));
    emitter.event(() => {
      throw broken;
    });
    emitter.event((n) => calls.push(`third ${n}`));

    assert.doesNotThrow(() => emitter.fire(7));
    assert.deepEqual(calls, ['first 7', 'third 7']);
    assert.deepEqual(reported, [broken]);
  });

  it('without a handler, throws the error again on a later tick instead of into the firing code', () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout'] });
    try {
      const emitter = new Emitter<void>();
      let after = false;
      emitter.event(() => {
        throw new Error('listener broke');
      });
      emitter.event(() => (after = true));
      assert.doesNotThrow(() => emitter.fire());
      assert.ok(after);
      assert.throws(() => clock.runAll(), /listener broke/);
    } finally {
      clock.uninstall();
    }
  });

  it('still surfaces the error when the handler itself throws', () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout'] });
    try {
      const emitter = new Emitter<void>(() => {
        throw new Error('handler broke');
      });
      emitter.event(() => {
        throw new Error('listener broke');
      });
      assert.doesNotThrow(() => emitter.fire());
      assert.throws(() => clock.runAll(), /listener broke/);
    } finally {
      clock.uninstall();
    }
  });

  it('stops calling a listener once disposed', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const subscription = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    subscription.dispose();
    emitter.fire(2);
    assert.deepEqual(seen, [1]);
  });
});
