// What crosses between the details panel and its webview: only the messages the protocol names get
// in, and what goes out is plain, inert data.
import * as assert from 'node:assert/strict';
import { parseExecutions, parseSchedule, parseTask } from '../../../src/api';
import { parsePanelState, parseWebviewMessage } from '../../../src/details/protocol';
import { runSummary, scheduleHeader, taskSummary } from '../../../src/details/summaries';

describe('details: the webview protocol', () => {
  it('takes the messages the webview may send, field by field', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'retry', extra: 1 }), { type: 'retry' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'suspend' }), { type: 'action', action: 'suspend' });
    assert.deepEqual(parseWebviewMessage({ type: 'selectRun', executionId: 'e1' }), { type: 'selectRun', executionId: 'e1' });
    assert.deepEqual(parseWebviewMessage({ type: 'copy', field: 'scheduleId' }), { type: 'copy', field: 'scheduleId' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'openInPyramid' }), { type: 'action', action: 'openInPyramid' });
    assert.deepEqual(parseWebviewMessage({ type: 'rerunTask', executionId: 'e1', taskId: 't1', extra: 1 }), { type: 'rerunTask', executionId: 'e1', taskId: 't1' });
    assert.deepEqual(parseWebviewMessage({ type: 'openOutput', executionId: 'e1', taskId: 't1', outputId: 'o 1' }), { type: 'openOutput', executionId: 'e1', taskId: 't1', outputId: 'o 1' });
  });

  it('ignores anything else: unknown types and actions, missing or mistyped fields', () => {
    for (const raw of [
      undefined,
      null,
      'ready',
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'action', action: 'delete' },
      { type: 'action', action: 'toString' },
      { type: 'selectRun', executionId: 42 },
      { type: 'copy', field: 'token' },
      { type: 'rerunTask', taskId: 't1' },
      { type: 'openOutput', executionId: 'e1', taskId: 't1', url: 'https://elsewhere.example' },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('restores a panel only from a state that names a schedule and a server', () => {
    assert.deepEqual(parsePanelState({ scheduleId: 's1', name: 'Nightly', origin: 'https://p.example', kept: true }), {
      scheduleId: 's1',
      name: 'Nightly',
      origin: 'https://p.example',
      kept: true,
    });
    assert.deepEqual(parsePanelState({ scheduleId: 's1', origin: 'https://p.example', kept: 'yes' }), { scheduleId: 's1', name: 's1', origin: 'https://p.example', kept: false });
    for (const raw of [undefined, {}, { scheduleId: '', origin: 'x' }, { scheduleId: 's1' }, { scheduleId: 1, origin: 'x' }]) {
      assert.equal(parsePanelState(raw), undefined, JSON.stringify(raw));
    }
  });
});

describe('details: task buttons', () => {
  it('marks a task that ended badly as re-runnable, and sends the outputs of a publication task as inert text', () => {
    const failed = taskSummary(parseTask({ id: 't1', status: 3, description: 'Load' }));
    assert.equal(failed.rerunnable, true);
    assert.equal(failed.outputs, undefined);
    const published = taskSummary(parseTask({ id: 't2', status: 1, outputType: 0 }), [{ id: 'o1', name: 'Pack\u0007.pdf' }, { id: 'o2' }]);
    assert.equal(published.rerunnable, false);
    assert.deepEqual(published.outputs?.map((output) => output.id), ['o1', 'o2']);
    assert.equal(published.outputs?.[1].name, 'Output o2');
    assert.ok(!(published.outputs?.[0].name ?? '').includes('\u0007'), 'no control character');
  });
});

describe('details: what the webview is sent', () => {
  const [execution] = parseExecutions([
    {
      id: 'e1',
      startDate: '2026-11-01T02:00:00Z',
      endDate: '2026-11-01T02:03:30Z',
      successCount: 1,
      failedCount: 1,
      items: [{ id: 't1', status: 'ERROR', description: 'Load', taskSummary: { error: { msg: 'Connection to {0} refused ({1})', params: ['db01:5432', 'ECONNREFUSED'] } } }],
    },
  ]);

  it('a run: epoch milliseconds, an outcome key and label, task counts', () => {
    assert.deepEqual(runSummary(execution), {
      id: 'e1',
      startedAt: Date.parse('2026-11-01T02:00:00Z'),
      endedAt: Date.parse('2026-11-01T02:03:30Z'),
      outcome: 'partial',
      outcomeLabel: 'Finished with errors',
      counts: { succeeded: 1, partial: 0, failed: 1, running: 0, other: 0 },
      error: undefined,
    });
  });

  it("a failed task: its full error with the `{0}` parameters filled in", () => {
    const summary = taskSummary(execution.tasks[0]);
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error, 'Connection to db01:5432 refused (ECONNREFUSED)');
  });

  it('server text keeps its markup as text, loses what would mislead, and a long error keeps its lines', () => {
    const task = parseTask({ id: 't', status: 'ERROR', description: '<img src=x onerror=alert(1)>\u202e', taskSummary: { error: 'line one\r\nline\u200b two\u001b[31m' } });
    const summary = taskSummary(task);
    assert.equal(summary.name, '<img src=x onerror=alert(1)>');
    assert.equal(summary.error, 'line one\nline two');
  });

  it('a schedule: its fields, its state for the Suspend or Resume button, pinned and watched', () => {
    const header = scheduleHeader(parseSchedule({ scheduleId: 's1', name: 'Nightly', type: 'ETL', status: 'HOLD', scheduleItemName: 'Sales Model', createdDate: '0001-01-01T00:00:00Z' }), {
      pinned: true,
      watched: false,
    });
    assert.equal(header.name, 'Nightly');
    assert.equal(header.state, 'suspended');
    assert.equal(header.contentItem, 'Sales Model');
    assert.equal(header.createdAt, undefined, 'a placeholder date is no date');
    assert.equal(header.pinned, true);
  });
});
