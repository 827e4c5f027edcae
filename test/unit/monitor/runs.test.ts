import * as assert from 'node:assert/strict';
import { TaskStatus, taskStatuses } from '../../../src/api';
import { WatchedRun, describeRun, runId, runName, stateLabel, statusLabel } from '../../../src/monitor/runs';
import { ref, taskRef } from './fakes';

describe('how a run reads', () => {
  const watched = (fields: Partial<WatchedRun> = {}): WatchedRun => ({ ...ref('6f1c2a9e-4b7d'), state: 'watching', startedAt: 0, ...fields }) as WatchedRun;

  it('is "Starting" until the server first answers, then the status', () => {
    assert.equal(statusLabel(watched()), 'Starting');
    assert.equal(stateLabel(watched()), 'Starting');
    assert.equal(statusLabel(watched({ status: taskStatuses.parse(TaskStatus.Running) })), 'Running');
  });

  it('says why a run is not being checked, whatever its last status', () => {
    const running = taskStatuses.parse(TaskStatus.Running);
    assert.equal(stateLabel(watched({ state: 'paused', status: running })), 'Paused (sign in)');
    assert.equal(stateLabel(watched({ state: 'stalled' })), 'Not responding');
  });

  it('names a task after its schedule and itself, and keys it apart from its execution', () => {
    assert.equal(runName(ref()), 'Nightly Sales Load');
    assert.equal(runName(taskRef()), 'Nightly Sales Load · Load CRM contacts');
    assert.equal(describeRun(taskRef('0a1b2c3d-9999')), 'Nightly Sales Load · Load CRM contacts (0a1b2c3d)');
    assert.equal(runId(ref('e1')), 'e1');
    assert.notEqual(runId(taskRef('e1')), runId(ref('e1')));
  });
});
