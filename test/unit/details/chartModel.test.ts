// The run-history chart's numbers: bars placed by start time and sized by duration, the duration
// axis, and the statistics over the finished runs, for empty, one-run and longer histories.
import * as assert from 'node:assert/strict';
import { CHART, PLOT, axisStep, buildChart, runDurationMs, statistics } from '../../../src/details/chartModel';
import { RunOutcome, RunSummary } from '../../../src/details/protocol';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-01T02:00:00Z');
const NOW = T0 + 100 * 24 * 60 * MINUTE;

let next = 0;
function run(startMinute: number | undefined, minutes: number | undefined, outcome: RunOutcome = 'succeeded'): RunSummary {
  const startedAt = startMinute === undefined ? undefined : T0 + startMinute * MINUTE;
  return {
    id: `run-${next++}`,
    startedAt,
    endedAt: startedAt === undefined || minutes === undefined || outcome === 'running' ? undefined : startedAt + minutes * MINUTE,
    outcome,
    outcomeLabel: outcome,
    counts: { succeeded: 1, partial: 0, failed: 0, running: 0, other: 0 },
  };
}
/** Newest first, as the history gives them. */
const newestFirst = (runs: RunSummary[]) => [...runs].sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));

describe('details: the run-history chart', () => {
  describe('an empty history', () => {
    it('has no bars, no time span and no statistics, and still a duration axis to draw', () => {
      const model = buildChart([], NOW);
      assert.deepEqual(model.bars, []);
      assert.equal(model.span, undefined);
      assert.deepEqual(model.stats, { finished: 0 });
      assert.equal(model.ticks.length, 5);
      assert.equal(model.ticks[0].y, PLOT.top + PLOT.height, 'zero sits on the baseline');
      assert.equal(model.ticks[4].y, PLOT.top, 'the top tick at the top of the plot');
    });

    it('runs without a start date are not drawn: there is no place for them on a time axis', () => {
      const model = buildChart([run(undefined, 5)], NOW);
      assert.deepEqual(model.bars, []);
    });
  });

  describe('one run', () => {
    it('stands in the middle of the plot, as high as its duration on the axis', () => {
      const model = buildChart([run(0, 20)], NOW);
      assert.equal(model.bars.length, 1);
      const [bar] = model.bars;
      assert.equal(bar.x + bar.width / 2, PLOT.left + PLOT.width / 2);
      assert.equal(bar.durationMs, 20 * MINUTE);
      assert.equal(model.maxDurationMs, 4 * 5 * MINUTE, '20 min in four steps of 5 min');
      assert.equal(bar.height, PLOT.height, 'the longest run reaches the top tick exactly');
      assert.equal(bar.y + bar.height, PLOT.top + PLOT.height, 'bars stand on the baseline');
      assert.deepEqual(model.span, { from: T0, to: T0 });
    });

    it('has itself as median and 90th percentile', () => {
      assert.deepEqual(statistics([run(0, 7)]), { finished: 1, medianMs: 7 * MINUTE, p90Ms: 7 * MINUTE, successRate: 1 });
    });
  });

  describe('several runs', () => {
    const runs = newestFirst([run(0, 10), run(60, 20, 'failed'), run(120, 5, 'partial'), run(240, 40)]);
    const model = buildChart(runs, NOW);

    it('are drawn oldest to newest, left to right, placed by their start time', () => {
      assert.deepEqual(
        model.bars.map((bar) => bar.durationMs / MINUTE),
        [10, 20, 5, 40],
      );
      const [first, second, , last] = model.bars;
      assert.equal(first.x, PLOT.left);
      assert.equal(last.x + last.width, PLOT.left + PLOT.width);
      const usable = PLOT.width - first.width;
      assert.ok(Math.abs(second.x - (PLOT.left + usable / 4)) < 1e-9, 'a quarter of the time span is a quarter of the plot');
    });

    it('are as high as their durations, in proportion, within the chart', () => {
      const [ten, twenty, five, forty] = model.bars;
      assert.ok(Math.abs(twenty.height - 2 * ten.height) < 1e-9);
      assert.ok(Math.abs(forty.height - 8 * five.height) < 1e-9);
      for (const bar of model.bars) {
        assert.ok(bar.x >= 0 && bar.x + bar.width <= CHART.width);
        assert.ok(bar.y >= PLOT.top && bar.y + bar.height <= PLOT.top + PLOT.height + 1e-9);
      }
    });

    it('carry their outcome as the colour key', () => {
      assert.deepEqual(
        model.bars.map((bar) => bar.outcome),
        ['succeeded', 'failed', 'partial', 'succeeded'],
      );
    });

    it('give the median, the 90th percentile (nearest rank) and the success rate of the finished runs', () => {
      assert.deepEqual(model.stats, { finished: 4, medianMs: 15 * MINUTE, p90Ms: 40 * MINUTE, successRate: 0.5 });
    });
  });

  describe('a run still going', () => {
    it('is drawn as long as it has run by now, and grows as now moves on', () => {
      const runs = newestFirst([run(0, 10), run(60, undefined, 'running')]);
      const start = T0 + 60 * MINUTE;
      const early = buildChart(runs, start + 2 * MINUTE).bars[1];
      const later = buildChart(runs, start + 6 * MINUTE).bars[1];
      assert.equal(early.running, true);
      assert.equal(early.durationMs, 2 * MINUTE);
      assert.equal(later.durationMs, 6 * MINUTE);
      assert.ok(later.height > early.height);
    });

    it('is left out of the statistics', () => {
      const stats = statistics([run(60, undefined, 'running'), run(0, 10)]);
      assert.deepEqual(stats, { finished: 1, medianMs: 10 * MINUTE, p90Ms: 10 * MINUTE, successRate: 1 });
    });
  });

  it('the success rate leaves out runs that did not run their tasks (stopped by the trigger, canceled)', () => {
    const stats = statistics([run(0, 1, 'skipped'), run(10, 1, 'canceled'), run(20, 1, 'failed'), run(30, 1)]);
    assert.equal(stats.finished, 4);
    assert.equal(stats.successRate, 0.5);
    assert.equal(statistics([run(0, 1, 'skipped')]).successRate, undefined);
  });

  it('a run of no time still shows as a thin bar', () => {
    const model = buildChart(newestFirst([run(0, 0), run(10, 30)]), NOW);
    assert.ok(model.bars[0].height > 0);
  });

  it('the duration of a run without an end is unknown, unless it is running', () => {
    assert.equal(runDurationMs(run(0, undefined), NOW), undefined);
    assert.equal(runDurationMs(run(undefined, 5), NOW), undefined);
    assert.equal(runDurationMs(run(0, 5), NOW), 5 * MINUTE);
  });

  describe('the duration axis', () => {
    it('steps by a nice duration that fits the longest run in four steps', () => {
      assert.equal(axisStep(0), 1_000);
      assert.equal(axisStep(3_500), 1_000);
      assert.equal(axisStep(20_000), 5_000);
      assert.equal(axisStep(21_000), 10_000);
      assert.equal(axisStep(4 * 60 * MINUTE), 60 * MINUTE);
      assert.equal(axisStep(5 * 24 * 60 * MINUTE), 2 * 24 * 60 * MINUTE);
    });

    it('labels ticks from zero up, evenly spaced', () => {
      const { ticks } = buildChart([run(0, 3)], NOW);
      assert.deepEqual(
        ticks.map((tick) => tick.durationMs / 1000),
        [0, 60, 120, 180, 240],
      );
      const gaps = ticks.slice(1).map((tick, i) => ticks[i].y - tick.y);
      assert.ok(gaps.every((gap) => Math.abs(gap - gaps[0]) < 1e-9));
    });
  });

  it('200 runs fit: bars stay within the plot and at least a few units wide', () => {
    const runs = newestFirst(Array.from({ length: 200 }, (_, i) => run(i * 60, 5 + (i % 7))));
    const model = buildChart(runs, NOW);
    assert.equal(model.bars.length, 200);
    assert.ok(model.bars.every((bar) => bar.width >= 2 && bar.x >= PLOT.left && bar.x + bar.width <= PLOT.left + PLOT.width + 1e-9));
  });
});
