import * as assert from 'node:assert/strict';
import { EXIT_CODE, exitCodeOf } from '../../../src/tasks/exitCodes';

describe('a pyramid task exit code', () => {
  it('is 0 only for a run that finished', () => {
    assert.equal(exitCodeOf('succeeded'), EXIT_CODE.finished);
    assert.equal(EXIT_CODE.finished, 0);
  });

  it('is 1 for a run that ended in error, with errors, canceled, or stopped after evaluating its triggers', () => {
    for (const outcome of ['failed', 'partial', 'canceled', 'skipped'] as const) {
      assert.equal(exitCodeOf(outcome), 1, outcome);
    }
  });

  it('is 2 for a run that could not start or be followed', () => {
    assert.equal(EXIT_CODE.notFollowed, 2);
  });
});
