import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseDate } from '../../../src/api';
import { formatDateTime } from '../../../src/util/format';

describe('formatDateTime', () => {
  it('shows a local date and time without seconds', () => {
    assert.equal(formatDateTime(new Date(2026, 10, 28, 14, 3, 59)), '2026-11-28 14:03');
  });

  it('shows an invalid date as unknown, never NaN', () => {
    assert.equal(formatDateTime(new Date(Number.NaN)), 'unknown');
    assert.equal(formatDateTime(new Date(1e20)), 'unknown');
    assert.equal(formatDateTime(new Date('not a date')), 'unknown');
  });

  it('never shows NaN for whatever date a server sends', () => {
    const raw = fc.oneof(fc.double(), fc.integer(), fc.bigInt().map(String), fc.string(), fc.date({ noInvalidDate: false }).map((d) => d.toString()));
    fc.assert(
      fc.property(raw, (value) => {
        const date = parseDate(value);
        if (date) {
          assert.match(formatDateTime(date), /^\d{4,5}-\d\d-\d\d \d\d:\d\d$/);
        }
      }),
    );
  });
});
