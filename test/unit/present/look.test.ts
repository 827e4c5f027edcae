// One look for a run, a task, a run of the history and a schedule, whatever surface shows it.
import * as assert from 'node:assert/strict';
import { Execution, ScheduleStatus, TaskStatus, parseSchedule, parseTask, taskStatuses } from '../../../src/api';
import { FinishedRun, WatchedRun } from '../../../src/monitor/runs';
import {
  agoText,
  executionOutcome,
  hasEnded,
  latestEnded,
  latestRunSummary,
  outcomeLabel,
  resultCodicon,
  runLook,
  scheduleLook,
  stateLabel,
  statusLabel,
  taskProblem,
} from '../../../src/present/look';

const ref = { kind: 'execution' as const, executionId: 'e1', scheduleId: 's1', scheduleName: 'Nightly', serverUrl: 'https://p.example' };
const watching = (extra: Partial<WatchedRun> = {}): WatchedRun => ({ ...ref, state: 'watching', startedAt: 0, ...extra }) as WatchedRun;
const finished = (outcome: FinishedRun['outcome'], status: TaskStatus): FinishedRun => ({
  ...ref,
  state: 'finished',
  status: taskStatuses.of(status),
  outcome,
  startedAt: 0,
  finishedAt: 1_000,
});
const counts = { success: 0, partialSuccess: 0, failed: 0, canceled: 0, running: 0, pending: 0, triggerStopped: 0 };
const execution = (extra: Partial<Execution['counts']>, error?: string): Execution => ({ id: 'e', counts: { ...counts, ...extra }, tasks: [], error });

describe('present: how runs and schedules look', () => {
  it('a run the server has not answered for yet reads "Starting" everywhere, and spins', () => {
    const run = watching();
    assert.equal(statusLabel(run), 'Starting');
    assert.equal(stateLabel(run), 'Starting');
    assert.deepEqual(runLook(run), { icon: 'sync~spin', color: 'charts.blue' });
  });

  it('a paused or stalled run says why and shows a warning, in the tree as in the status bar', () => {
    for (const [state, label] of [['paused', 'Paused (sign in)'], ['stalled', 'Not responding']] as const) {
      const run = watching({ state, status: taskStatuses.of(TaskStatus.Running) });
      assert.equal(stateLabel(run), label);
      const schedule = parseSchedule({ scheduleId: 's1', name: 'Nightly', status: ScheduleStatus.Idle });
      assert.deepEqual(scheduleLook(schedule, run, undefined), runLook(run));
      assert.equal(runLook(run).icon, 'warning');
    }
  });

  it('a finished run shows how it ended; a bad ending is an error in the status bar', () => {
    assert.equal(resultCodicon(finished('failed', TaskStatus.Error)), '$(error)');
    assert.equal(resultCodicon(finished('partial', TaskStatus.FinishedWithErrors)), '$(error)');
    assert.equal(resultCodicon(finished('succeeded', TaskStatus.Finished)), '$(check)');
    assert.equal(runLook(finished('failed', TaskStatus.Error)).icon, 'error');
  });

  it('a schedule shows its last ending here unless it succeeded, then its own state', () => {
    const idle = parseSchedule({ scheduleId: 's1', name: 'Nightly', status: ScheduleStatus.Idle });
    const held = parseSchedule({ scheduleId: 's1', name: 'Nightly', status: ScheduleStatus.Hold });
    assert.equal(scheduleLook(idle, undefined, finished('failed', TaskStatus.Error)).icon, 'error');
    assert.equal(scheduleLook(idle, undefined, finished('succeeded', TaskStatus.Finished)).icon, 'pass');
    assert.equal(scheduleLook(idle, undefined, undefined).icon, 'calendar');
    assert.equal(scheduleLook(held, undefined, undefined).icon, 'debug-pause');
  });

  it('a run of the history amounts to what its task counts say', () => {
    assert.equal(executionOutcome(execution({ running: 1, failed: 1 })), 'active');
    assert.equal(executionOutcome(execution({ failed: 1, success: 2 })), 'partial');
    assert.equal(executionOutcome(execution({}, 'Server restarted')), 'failed');
    assert.equal(executionOutcome(execution({ success: 3 })), 'succeeded');
    assert.equal(executionOutcome(execution({ triggerStopped: 1 })), 'skipped');
    assert.equal(outcomeLabel('partial'), 'Finished with errors');
    assert.equal(outcomeLabel('unknown'), '');
  });

  it('a task that ended badly says what went wrong, with its parameters filled in; one that did not, nothing', () => {
    const failed = parseTask({ id: 't1', status: TaskStatus.Error, taskSummary: { error: { msg: 'Refused by {0}', params: ['db01'] } } });
    assert.equal(taskProblem(failed), 'Refused by db01');
    const silent = parseTask({ id: 't2', status: TaskStatus.Error, description: 'Load' });
    assert.equal(taskProblem(silent), 'Load ended with Error');
    assert.equal(taskProblem(parseTask({ id: 't3', status: TaskStatus.Finished, summary: 'ok' })), undefined);
  });
});

describe('present: a pinned schedule\'s latest run', () => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  // Local times, so the clock times read the same in every time zone.
  const now = new Date(2026, 10, 28, 7, 6, 12).getTime();
  const ended = new Date(2026, 10, 28, 7, 2, 12).getTime();
  /** A run of the history that started `tookMs` before it ended (or, still going, before `end`). */
  const run = (id: string, extra: Partial<Execution['counts']>, end: number, tookMs = 4 * MINUTE + 12_000, error?: string): Execution => {
    const going = (extra.running ?? 0) + (extra.pending ?? 0) > 0;
    return { ...execution(extra, error), id, startDate: new Date(end - tookMs), ...(!going && { endDate: new Date(end) }) };
  };

  it('agoText: "just now" under a minute, then minutes, then hours and minutes, then days', () => {
    assert.equal(agoText(new Date(now - 59_999), now), 'just now');
    assert.equal(agoText(new Date(now + 5 * MINUTE), now), 'just now', 'a server clock ahead of ours');
    assert.equal(agoText(new Date(now - MINUTE), now), '1m ago');
    assert.equal(agoText(new Date(now - 90_000), now), '1m ago');
    assert.equal(agoText(new Date(now - (3 * HOUR + 5 * MINUTE + 40_000)), now), '3h 5m ago');
    assert.equal(agoText(new Date(now - 47 * HOUR), now), '47h 0m ago');
    assert.equal(agoText(new Date(now - 50 * HOUR), now), '2 days ago');
    assert.equal(agoText(new Date(now - 30 * 24 * HOUR), now), '30 days ago');
  });

  it('hasEnded and latestEnded: a run still going is not over; the newest run that is decides', () => {
    const going = run('going', { running: 1, success: 2 }, now);
    const queued = run('queued', { pending: 1 }, now);
    const failed = run('failed', { failed: 1 }, ended - HOUR);
    const succeeded = run('succeeded', { success: 1 }, ended - 2 * HOUR);
    assert.equal(hasEnded(going), false);
    assert.equal(hasEnded(queued), false);
    assert.equal(hasEnded(failed), true);
    assert.equal(hasEnded(run('canceled', { canceled: 1 }, ended)), true);
    assert.equal(hasEnded(run('skipped', { triggerStopped: 1 }, ended)), true);
    assert.equal(latestEnded([going, queued, failed, succeeded]), failed);
    assert.equal(latestEnded([succeeded, failed]), succeeded);
    assert.equal(latestEnded([going, queued]), undefined);
    assert.equal(latestEnded([]), undefined);
  });

  it('hasEnded: a run listed before its tasks exist is over only once it has an end', () => {
    const noTasksYet = { ...run('new', {}, now), endDate: undefined };
    assert.equal(hasEnded(noTasksYet), false);
    assert.equal(hasEnded(run('empty', {}, ended)), true);
  });

  it('says how the latest run went, in a few words', () => {
    const summary = (executions: Execution[]) => latestRunSummary(executions, now).text;
    assert.equal(summary([]), 'no runs yet');
    assert.equal(summary([run('e', { failed: 1 }, now - (3 * HOUR + 5 * MINUTE))]), 'failed 3h 5m ago');
    assert.equal(summary([run('e', { failed: 1 }, now - 30_000)]), 'failed just now');
    assert.equal(summary([run('e', {}, now - 3 * HOUR, undefined, 'Server restarted')]), 'failed 3h 0m ago');
    assert.equal(summary([run('e', { success: 3, failed: 1 }, now - (2 * MINUTE + 40_000))]), 'finished with errors 2m ago');
    assert.equal(summary([run('e', { partialSuccess: 1 }, now - 25 * HOUR)]), 'finished with errors 25h 0m ago');
    assert.equal(summary([run('e', { success: 3 }, ended)]), 'finished 07:02 · 4m 12s');
    assert.equal(summary([run('e', { success: 3 }, now - 20 * HOUR + 1)]), `finished ${clock(now - 20 * HOUR + 1)} · 4m 12s`, 'a clock time within 20 hours');
    assert.equal(summary([run('e', { success: 3 }, now - 20 * HOUR)]), 'finished 20h 0m ago · 4m 12s', 'then how long ago');
    assert.equal(summary([run('e', { canceled: 1 }, ended, 30_000)]), 'canceled 07:02 · 30s');
    assert.equal(summary([run('e', { triggerStopped: 1 }, ended)]), 'stopped by trigger 07:02 · 4m 12s');
    assert.equal(summary([run('e', {}, ended)]), 'ended 07:02 · 4m 12s', 'an outcome the counts do not tell');
    assert.equal(summary([run('e', { running: 1 }, now, 2 * MINUTE + 30_000)]), 'running for 2m');
    assert.equal(summary([run('e', { pending: 1 }, now, 40_000)]), 'running for 40s');
    assert.equal(summary([run('e', { running: 1 }, now, HOUR + 5 * MINUTE + 59_000)]), 'running for 1h 5m');
    assert.equal(summary([run('newest', { running: 1 }, now, MINUTE), run('older', { failed: 1 }, ended)]), 'running for 1m', 'the newest run, even still going');
  });

  it('says what it can of a run without dates', () => {
    const undated = (extra: Partial<Execution['counts']>) => latestRunSummary([execution(extra)], now).text;
    assert.equal(undated({ failed: 1 }), 'failed');
    assert.equal(undated({ success: 1 }), 'finished');
    assert.equal(undated({ running: 1 }), 'running');
    assert.equal(latestRunSummary([{ ...execution({ success: 1 }), startDate: new Date(ended - MINUTE) }], now).text, 'finished 07:01', 'no end: judged by its start');
  });

  it('looks like its outcome', () => {
    const look = (executions: Execution[]) => latestRunSummary(executions, now).look;
    assert.deepEqual(look([]), { icon: 'circle-outline' });
    assert.deepEqual(look([run('e', { failed: 1 }, ended)]), { icon: 'error', color: 'testing.iconFailed' });
    assert.deepEqual(look([run('e', { success: 1, failed: 1 }, ended)]), { icon: 'warning', color: 'charts.orange' });
    assert.deepEqual(look([run('e', { success: 1 }, ended)]), { icon: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(look([run('e', { running: 1 }, now)]), { icon: 'sync~spin', color: 'charts.blue' });
  });
});

/** `07:02` for a moment, in local time. */
function clock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
