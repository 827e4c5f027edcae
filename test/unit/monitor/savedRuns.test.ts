import * as assert from 'node:assert/strict';
import { TaskStatus, taskStatuses } from '../../../src/api';
import { RunMonitor } from '../../../src/monitor/runMonitor';
import { SavedRuns, statusLabel } from '../../../src/monitor/runs';
import { readSavedRuns } from '../../../src/monitor/savedRuns';
import { createFakeClock, monitorClock } from '../../fakeClock';
import { FakeServer, recordingLog } from './fakes';

/**
 * Workspace state as version 1 of the monitor wrote it (produced by running that code, then through
 * JSON as VS Code keeps it): one run polled, one never polled (the `Unknown` status with no raw value;
 * paused, as its server was signed out), and one that failed.
 */
const VERSION_1 = {
  version: 1,
  watched: [
    {
      executionId: '6f1c2a9e-4b7d-4e21-9c3a-0d5e8f7a1b20',
      scheduleId: 'c1f0e2d3-aaaa-4bbb-8ccc-000000000001',
      scheduleName: 'Nightly Sales Load',
      serverUrl: 'https://pyramid.example.com',
      status: { code: 4, raw: 4, label: 'Running' },
      state: 'watching',
      startedAt: 1773480604000,
    },
    {
      executionId: '0b9e8d7c-2222-4a33-9b44-c55d66e77f88',
      scheduleId: 'c1f0e2d3-aaaa-4bbb-8ccc-000000000003',
      scheduleName: 'Finance Cube Reprocess',
      serverUrl: 'https://other.example.com',
      status: { label: 'Unknown' },
      state: 'paused',
      startedAt: 1773480605000,
      problem: 'Signed out of this server.',
    },
  ],
  recent: [
    {
      executionId: 'a3d4e5f6-1111-4c22-8d33-9e44f5a6b7c8',
      scheduleId: 'c1f0e2d3-aaaa-4bbb-8ccc-000000000002',
      scheduleName: 'Warehouse Sync',
      serverUrl: 'https://pyramid.example.com',
      status: { code: 3, raw: 3, label: 'Error' },
      state: 'finished',
      startedAt: 1773480600000,
      outcome: 'failed',
      finishedAt: 1773480600000,
      taskErrors: ['Connection to warehouse-db01:5432 refused (ECONNREFUSED)'],
    },
  ],
};

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('readSavedRuns', () => {
  let warnings: string[];
  const read = (saved: unknown) => readSavedRuns(saved, (message) => warnings.push(message));

  beforeEach(() => (warnings = []));

  it('migrates version 1: every run an execution, the "Unknown" status of a run never polled becomes none', () => {
    const { watched, recent } = read(copy(VERSION_1));
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      watched.map((run) => [run.kind, run.scheduleName, run.state, run.status, run.problem]),
      [
        ['execution', 'Nightly Sales Load', 'watching', { code: 4, raw: 4, label: 'Running' }, undefined],
        ['execution', 'Finance Cube Reprocess', 'paused', undefined, 'Signed out of this server.'],
      ],
    );
    assert.equal(statusLabel(watched[1]), 'Starting');
    const [failed] = recent;
    assert.deepEqual(
      [failed.kind, failed.scheduleName, failed.status, failed.outcome, failed.finishedAt, failed.taskErrors],
      ['execution', 'Warehouse Sync', { code: 3, raw: 3, label: 'Error' }, 'failed', 1773480600000, ['Connection to warehouse-db01:5432 refused (ECONNREFUSED)']],
    );
  });

  it('migrates the sentinel as version 1 held it in memory too, before any JSON round trip', () => {
    const inMemory = { ...copy(VERSION_1), watched: [{ ...VERSION_1.watched[1], status: taskStatuses.parse(undefined) }] };
    assert.equal(read(inMemory).watched[0].status, undefined);
  });

  it('keeps a status the server really sent, even an unknown one', () => {
    const unknownCode = { ...copy(VERSION_1), watched: [{ ...VERSION_1.watched[0], status: taskStatuses.parse(99) }] };
    assert.equal(read(copy(unknownCode)).watched[0].status?.label, 'Unknown (99)');
  });

  it('reads back what version 2 saves, tasks included', () => {
    const saved: SavedRuns = {
      version: 2,
      watched: [
        { kind: 'execution', executionId: 'e1', scheduleId: 's1', scheduleName: 'Nightly Sales Load', serverUrl: 'https://pyramid.example.com', state: 'watching', startedAt: 1 },
        { kind: 'task', taskId: 't1', taskName: 'Load CRM contacts', executionId: 'e0', scheduleId: 's1', scheduleName: 'Nightly Sales Load', serverUrl: 'https://pyramid.example.com', state: 'stalled', status: taskStatuses.parse(TaskStatus.Running), startedAt: 2, problem: 'reset' },
      ],
      recent: [
        { kind: 'task', taskId: 't2', taskName: 'Send', executionId: 'e0', scheduleId: 's1', scheduleName: 'Nightly Sales Load', serverUrl: 'https://pyramid.example.com', state: 'finished', status: taskStatuses.parse(TaskStatus.Finished), outcome: 'succeeded', startedAt: 1, finishedAt: 3 },
      ],
    };
    assert.deepEqual(read(copy(saved)), copy({ watched: saved.watched, recent: saved.recent }));
    assert.deepEqual(warnings, []);
  });

  it('drops what is not in the shape of its list, by ids only', () => {
    const execution = { kind: 'execution', executionId: 'e1', scheduleId: 's1', scheduleName: 'Secret Board Pack', serverUrl: 'https://pyramid.example.com', state: 'watching', startedAt: 1 };
    const { watched, recent } = read({
      version: 2,
      watched: [{ ...execution, kind: 'task', taskName: 'Load' }, { ...execution, kind: 'job' }, execution],
      recent: [{ ...execution, state: 'finished', status: taskStatuses.parse(TaskStatus.Finished), finishedAt: 2 }],
    });
    assert.equal(watched.length, 1);
    assert.equal(recent.length, 0);
    assert.deepEqual(warnings, [
      'Dropped a saved finished run (execution e1, schedule s1): not in the expected shape.',
      'Dropped a saved watched run (execution e1, schedule s1): no task id.',
      'Dropped a saved watched run (execution e1, schedule s1): not in the expected shape.',
    ]);
  });

  it('keeps the mark of a re-run task and drops a task whose mark is broken', () => {
    const rerunTask = { kind: 'task', taskId: 't1', taskName: 'Load', executionId: 'e0', scheduleId: 's1', scheduleName: 'Nightly Sales Load', serverUrl: 'https://pyramid.example.com', state: 'watching', startedAt: 1 };
    const mark = { status: 'Error', startedAt: 5, endedAt: 9, knownExecutions: ['e0'], unchangedPolls: 2 };
    const { watched } = read({ version: 2, watched: [{ ...rerunTask, rerun: mark }, { ...rerunTask, taskId: 't2', rerun: { ...mark, knownExecutions: 'e0' } }] });
    assert.deepEqual(watched.map((run) => run.kind === 'task' && [run.taskId, run.rerun]), [['t1', mark]]);
    assert.deepEqual(warnings, ['Dropped a saved watched run (execution e0, schedule s1): a re-run mark not in the expected shape.']);
  });

  it('drops a format it does not know, such as one a later version wrote, and says so', () => {
    assert.deepEqual(read({ version: 3, watched: [], recent: [] }), { watched: [], recent: [] });
    assert.deepEqual(read('garbage'), { watched: [], recent: [] });
    assert.deepEqual(warnings, ['Dropped the saved runs: not in a format this version knows.', 'Dropped the saved runs: not in a format this version knows.']);
    assert.deepEqual(read(undefined), { watched: [], recent: [] });
    assert.equal(warnings.length, 2, 'nothing saved is nothing to say');
  });
});

describe('RunMonitor after an upgrade from version 1', () => {
  it('resumes the saved runs, reports the first status of the one never polled, and saves version 2', async () => {
    const fake = createFakeClock(1_000_000);
    const clock = monitorClock(fake);
    const server = new FakeServer(clock);
    const logs: string[] = [];
    let saved: unknown = copy(VERSION_1);
    const monitor = new RunMonitor({
      clock,
      intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
      isFocused: () => true,
      clientFor: async () => server,
      store: { load: () => copy(saved), save: (runs) => void (saved = copy(runs)) },
      log: recordingLog(logs),
    });
    try {
      const transitions: string[] = [];
      monitor.onDidTransition((t) => transitions.push(`${t.run.scheduleName}: ${t.from?.label ?? '-'} → ${t.to.label}`));
      monitor.restore();
      assert.deepEqual(monitor.watched.map((run) => [run.state, statusLabel(run)]), [['watching', 'Running'], ['watching', 'Starting']]);
      assert.equal(monitor.recent[0].taskErrors?.length, 1);

      server.statuses.set(VERSION_1.watched[0].executionId, TaskStatus.Running);
      server.statuses.set(VERSION_1.watched[1].executionId, TaskStatus.Running);
      await fake.tickAsync(1);
      assert.deepEqual(transitions, ['Finance Cube Reprocess: - → Running'], 'the run already seen Running did not change');
      const after = saved as SavedRuns;
      assert.equal(after.version, 2);
      assert.deepEqual(after.watched.map((run) => [run.kind, run.status?.label]), [['execution', 'Running'], ['execution', 'Running']]);
      assert.ok(!logs.some((line) => line.startsWith('Dropped')), logs.join('\n'));
    } finally {
      monitor.dispose();
    }
  });
});
