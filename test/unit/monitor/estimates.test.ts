import * as assert from 'node:assert/strict';
import { comparableDurations, endWindow, estimateBasis, estimateFrom, estimateLabel, isLongerThanUsual, steadyTrend, timeLeftMs } from '../../../src/monitor/estimates';
import { history, pastRun } from './fakes';

const MINUTE = 60_000;

describe('estimates', () => {
  it('learn only from runs that finished, with both ends and a positive length', () => {
    const runs = [
      pastRun(4 * MINUTE),
      pastRun(9 * MINUTE, { failed: 1 }),
      pastRun(9 * MINUTE, { success: 1, failed: 1 }), // finished with errors
      pastRun(1 * MINUTE, { canceled: 1 }),
      pastRun(undefined, { running: 1 }), // the run going on now
      pastRun(undefined, { success: 1 }), // no end date
      pastRun(0),
      pastRun(-5_000), // ended before it started: clocks disagreed
      pastRun(5 * MINUTE),
    ];
    assert.deepEqual(comparableDurations(runs), [4 * MINUTE, 5 * MINUTE]);
  });

  it('need at least three comparable runs', () => {
    assert.equal(estimateFrom(history([4 * MINUTE, 5 * MINUTE])), undefined);
    assert.equal(estimateFrom([...history([4 * MINUTE, 5 * MINUTE]), pastRun(4 * MINUTE, { failed: 1 }, 3)]), undefined);
    assert.equal(estimateFrom(history([4 * MINUTE, 5 * MINUTE, 6 * MINUTE]))?.typicalMs, 5 * MINUTE);
  });

  it('take the median of the last twelve successful runs, newest first', () => {
    // Twelve recent runs of 4-5 minutes, then older, much slower ones that no longer count.
    const recent = [4.0, 4.5, 4.2, 5.0, 4.1, 4.3, 4.4, 4.6, 4.0, 4.8, 4.2, 4.1].map((m) => m * MINUTE);
    const estimate = estimateFrom(history([...recent, 20 * MINUTE, 20 * MINUTE, 20 * MINUTE]))!;
    assert.equal(estimate.runs, 12);
    assert.equal(estimate.typicalMs, 4.25 * MINUTE);
    assert.equal(estimate.shortestMs, 4 * MINUTE);
    assert.equal(estimate.longestMs, 5 * MINUTE);
    assert.ok(estimate.p90Ms > 4.6 * MINUTE && estimate.p90Ms <= 4.8 * MINUTE, `p90 ${estimate.p90Ms}`);
    assert.equal(estimateBasis(estimate), 'usually 4m 15s (median of the last 12 successful runs)');
    assert.equal(estimate.kind, 'stable');
    assert.equal(estimate.trendMsPerRun, undefined);
  });

  it('follow a steady trend to the next run: each past run carried forward by the runs since', () => {
    // Each run 6 s longer than the one before: the next takes 10m 6s, as every past run says once carried forward.
    const rising = Array.from({ length: 10 }, (_, runsAgo) => 10 * MINUTE - 6_000 * runsAgo);
    const estimate = estimateFrom(history(rising))!;
    assert.equal(estimate.kind, 'trending');
    assert.equal(estimate.trendMsPerRun, 6_000);
    assert.equal(estimate.typicalMs, 10 * MINUTE + 6_000);
    assert.equal(estimate.shortestMs, 10 * MINUTE + 6_000);
    assert.equal(estimate.longestMs, 10 * MINUTE + 6_000);
    assert.equal(estimateBasis(estimate), 'about 10m 6s (the last 10 successful runs, each a little longer than the one before)');

    // The same trend with a little noise still stands out of it, and runs getting shorter are a trend too.
    const noisy = rising.map((ms, i) => ms + (i % 2 ? 1_500 : -1_500));
    const slope = steadyTrend(noisy)!;
    assert.ok(Math.abs(slope - 6_000) < 1_000, `slope ${slope}`);
    assert.ok(steadyTrend([...rising].reverse())! < 0);
  });

  it('see no trend in a few runs, nor in noise, and call a wide history noisy', () => {
    assert.equal(steadyTrend([4 * MINUTE, 5 * MINUTE, 6 * MINUTE]), undefined, 'three runs on a line are not yet a trend');
    const scattered = [6, 14, 9, 12, 7, 13, 10, 8].map((m) => m * MINUTE);
    assert.equal(steadyTrend(scattered), undefined);
    const estimate = estimateFrom(history(scattered))!;
    assert.equal(estimate.kind, 'noisy');
    assert.equal(estimate.typicalMs, 9.5 * MINUTE);
  });

  it('never give a negative time left', () => {
    const estimate = estimateFrom(history([4 * MINUTE, 4 * MINUTE, 4 * MINUTE]))!;
    assert.equal(timeLeftMs(estimate, 1 * MINUTE), 3 * MINUTE);
    assert.equal(timeLeftMs(estimate, 10 * MINUTE), 0);
    assert.equal(timeLeftMs(estimate, -1 * MINUTE), 4 * MINUTE, 'a start in the future counts as now');
  });

  it('call a run longer than usual once it is past the 90th percentile by half again', () => {
    const estimate = estimateFrom(history([4 * MINUTE, 4 * MINUTE, 4 * MINUTE]))!;
    assert.equal(isLongerThanUsual(estimate, 6 * MINUTE), false);
    assert.equal(isLongerThanUsual(estimate, 6 * MINUTE + 1), true);
  });

  it('say the time left in words a status bar can hold', () => {
    const estimate = estimateFrom(history([10 * MINUTE, 10 * MINUTE, 10 * MINUTE]))!;
    assert.equal(estimateLabel(estimate, 0), 'about 10 min left');
    assert.equal(estimateLabel(estimate, 7 * MINUTE - 20_000), 'about 3 min left');
    assert.equal(estimateLabel(estimate, 9 * MINUTE), 'about 1 min left');
    assert.equal(estimateLabel(estimate, 9.5 * MINUTE), 'less than a minute left');
    assert.equal(estimateLabel(estimate, 12 * MINUTE), 'should end soon');
    assert.equal(estimateLabel(estimate, 16 * MINUTE), 'longer than usual');
  });

  it('put the end window around the shortest and longest runs, a little wider', () => {
    const window = endWindow(estimateFrom(history([9 * MINUTE, 10 * MINUTE, 11 * MINUTE]))!);
    assert.deepEqual(window, { fromMs: 9 * MINUTE - 7_500, toMs: 11 * MINUTE + 7_500, typicalMs: 10 * MINUTE, history: 'stable' }, 'a sixteenth of the spread on each side');
    const short = endWindow(estimateFrom(history([10_000, 10_000, 10_000]))!);
    assert.deepEqual(short, { fromMs: 9_500, toMs: 10_500, typicalMs: 10_000, history: 'stable' }, 'at least half a second on each side');
  });
});
