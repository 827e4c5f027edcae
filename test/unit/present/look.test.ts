// One look for a run, a task, a run of the history and a schedule, whatever surface shows it.
import * as assert from 'node:assert/strict';
import { Execution, ScheduleStatus, TaskStatus, parseSchedule, parseTask, taskStatuses } from '../../../src/api';
import { FinishedRun, WatchedRun } from '../../../src/monitor/runs';
import {
  executionOutcome,
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
