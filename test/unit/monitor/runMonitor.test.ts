import * as FakeTimers from '@sinonjs/fake-timers';
import * as assert from 'node:assert/strict';
import { PyramidAuthError, PyramidHttpError, PyramidNetworkError, TaskStatus, taskStatuses } from '../../../src/api';
import { Clock, MAX_CONSECUTIVE_ERRORS, RunMonitor, systemClock } from '../../../src/monitor/runMonitor';
import { Run, SavedRuns, statusLabel } from '../../../src/monitor/runs';
import { FakeClock, createFakeClock, monitorClock } from '../../fakeClock';
import { FakeServer, catchStrayErrors, quietLog, recordingLog, ref, task, taskRef } from './fakes';

/** True while the monitor's one timer is set. */
const hasTimer = (monitor: RunMonitor) => monitor.scheduler.nextPollAt !== undefined;

describe('RunMonitor', () => {
  let fake: FakeClock;
  let clock: Clock;
  let server: FakeServer;
  let focused: boolean;
  let saved: unknown;
  let signedIn: boolean;
  let monitor: RunMonitor;
  let logs: string[];

  const createMonitor = () =>
    new RunMonitor({
      clock,
      intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
      isFocused: () => focused,
      clientFor: async () => (signedIn ? server : undefined),
      store: { load: () => saved && JSON.parse(JSON.stringify(saved)), save: (runs) => void (saved = runs) },
      log: recordingLog(logs),
    });
  /** What the monitor saved last. */
  const savedRuns = () => saved as SavedRuns;

  beforeEach(() => {
    fake = createFakeClock(1_000_000);
    clock = monitorClock(fake);
    server = new FakeServer(clock);
    focused = true;
    saved = undefined;
    signedIn = true;
    logs = [];
    monitor = createMonitor();
  });

  afterEach(() => monitor.dispose());

  it('has no timer while nothing is watched', async () => {
    assert.equal(hasTimer(monitor), false);
    await fake.tickAsync(60_000);
    assert.equal(fake.countTimers(), 0);
    assert.equal(server.polls.length, 0);
  });

  it('polls at once, then at the base interval, backing off (gently in the first minute) while nothing changes', async () => {
    const start = clock.now();
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(40_000);
    const gaps = server.pollTimes().map((at, i, all) => (i === 0 ? at - start : at - all[i - 1]));
    // First poll immediately; the status seen first counts as a change, so the next gap is the base.
    assert.deepEqual(gaps.slice(0, 6), [0, 3_000, 3_750, 4_688, 5_860, 7_325]);
  });

  it('returns to the base interval after a change', async () => {
    server.statuses.set('e1', TaskStatus.Pending);
    monitor.watch(ref());
    await fake.tickAsync(3_000 + 3_750 + 4_688); // polls at 0, 3000, 6750, 11438
    server.statuses.set('e1', TaskStatus.Running);
    await fake.tickAsync(5_860); // the poll at 17298 sees the change
    const times = server.pollTimes();
    await fake.tickAsync(3_000);
    assert.equal(server.pollTimes().length, times.length + 1, 'next poll one base interval after the change');
    assert.equal(server.pollTimes().at(-1)! - times.at(-1)!, 3_000);
  });

  it('polls at the maximum interval while the window is unfocused, and sooner once refocused', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    focused = false;
    monitor.watch(ref());
    await fake.tickAsync(40_000);
    const gaps = server.pollTimes().slice(1).map((at, i) => at - server.pollTimes()[i]);
    assert.deepEqual(gaps, [15_000, 15_000]);

    // Focused, the run would have been due at 30000 + 4688: it is overdue, so it is polled at once.
    focused = true;
    monitor.focusChanged();
    await fake.tickAsync(1);
    assert.equal(server.polls.length, 4);
  });

  it('reports each transition once and stops at a final status, leaving no timer', async () => {
    const transitions: string[] = [];
    const finished: string[] = [];
    monitor.onDidTransition((t) => transitions.push(`${t.from?.label ?? '-'} → ${t.to.label}`));
    monitor.onDidFinish((run) => finished.push(`${run.scheduleName}: ${run.outcome}`));
    server.statuses.set('e1', TaskStatus.Pending);
    monitor.watch(ref());
    await fake.tickAsync(3_000);
    server.statuses.set('e1', 'RUNNING');
    await fake.tickAsync(4_500);
    server.statuses.set('e1', TaskStatus.Finished);
    await fake.tickAsync(20_000);
    assert.deepEqual(transitions, ['- → Pending', 'Pending → Running', 'Running → Finished']);
    assert.deepEqual(finished, ['Nightly Sales Load: succeeded']);
    assert.equal(monitor.watched.length, 0);
    assert.equal(monitor.recent[0].outcome, 'succeeded');
    assert.equal(hasTimer(monitor), false);
    const polls = server.polls.length;
    await fake.tickAsync(60_000);
    assert.equal(server.polls.length, polls);
  });

  for (const [status, outcome] of [
    [TaskStatus.Error, 'failed'],
    [TaskStatus.FinishedWithErrors, 'partial'],
    [TaskStatus.StoppedAfterEvaluation, 'skipped'],
    [TaskStatus.Canceled, 'canceled'],
    [TaskStatus.Deleted, 'canceled'],
    [TaskStatus.StoppedWithoutRunning, 'skipped'],
  ] as const) {
    it(`stops at ${taskStatuses.label(status)} as ${outcome}`, async () => {
      server.statuses.set('e1', status);
      monitor.watch(ref());
      await fake.tickAsync(1);
      assert.equal(monitor.recent[0]?.outcome, outcome);
      assert.equal(hasTimer(monitor), false);
    });
  }

  it('fetches the task errors of a failed run', async () => {
    server.statuses.set('e1', TaskStatus.Error);
    server.tasks = [task('t1', TaskStatus.Error, { error: 'Connection to db01 refused' }), task('t2', TaskStatus.Finished)];
    monitor.watch(ref());
    await fake.tickAsync(1);
    assert.deepEqual(monitor.recent[0].taskErrors, ['Connection to db01 refused']);
  });

  it('gives FINISHED_RENDERING a grace of two polls before calling it finished', async () => {
    server.statuses.set('e1', TaskStatus.FinishedRendering);
    monitor.watch(ref());
    await fake.tickAsync(1);
    assert.equal(monitor.watched.length, 1);
    await fake.tickAsync(3_000 + 3_750 - 2);
    assert.equal(monitor.watched.length, 1, 'still watched after the second poll');
    await fake.tickAsync(10_000);
    assert.equal(monitor.recent[0].outcome, 'succeeded');

    server.statuses.set('e2', TaskStatus.FinishedRendering);
    monitor.watch(ref('e2'));
    await fake.tickAsync(3_000);
    server.statuses.set('e2', TaskStatus.Finished);
    await fake.tickAsync(4_500);
    assert.equal(monitor.recent[0].status.code, TaskStatus.Finished);
  });

  it('keeps watching a status it does not know', async () => {
    server.statuses.set('e1', 99);
    monitor.watch(ref());
    await fake.tickAsync(30_000);
    assert.equal(monitor.watched[0].status?.label, 'Unknown (99)');
    assert.ok(hasTimer(monitor));
  });

  it('backs off after errors and stalls after several in a row, keeping the run with its problem', async () => {
    const stalled: string[] = [];
    monitor.onDidStall((run) => stalled.push(run.problem ?? ''));
    server.statuses.set('e1', TaskStatus.Running);
    const error = new PyramidNetworkError('Cannot connect to https://pyramid.example.com: the connection was refused.');
    server.failures = Array(MAX_CONSECUTIVE_ERRORS).fill(error);
    monitor.watch(ref());
    await fake.tickAsync(120_000);
    const gaps = server.pollTimes().slice(1).map((at, i) => at - server.pollTimes()[i]);
    assert.deepEqual(gaps, [6_000, 12_000, 15_000]);
    assert.deepEqual(stalled, [error.message]);
    assert.equal(monitor.watched[0].state, 'stalled');
    assert.equal(hasTimer(monitor), false);

    monitor.retry('e1');
    await fake.tickAsync(1);
    assert.equal(monitor.watched[0].state, 'watching');
    assert.equal(server.polls.length, MAX_CONSECUTIVE_ERRORS + 1);
  });

  it('drops a run the server no longer knows, and says so once', async () => {
    const lost: string[] = [];
    monitor.onDidLose((run) => lost.push(run.executionId));
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(1);
    server.failures = [new PyramidHttpError('The server answered HTTP 400: Execution not found: e1', 400, 'Execution not found: e1')];
    await fake.tickAsync(3_000);
    assert.deepEqual(lost, ['e1']);
    assert.equal(monitor.watched.length, 0);
    assert.equal(monitor.recent.length, 0, 'an unknown run has no result to show');
    assert.equal(hasTimer(monitor), false);
    assert.equal(savedRuns().watched.length, 0);
  });

  it('treats other 400s as errors to retry, not as a lost run', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    server.failures = [new PyramidHttpError('The server answered HTTP 400: Bad request', 400, 'Bad request')];
    monitor.watch(ref());
    await fake.tickAsync(30_000);
    assert.equal(monitor.watched[0].state, 'watching');
  });

  it('recovers when a poll succeeds before the limit', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    server.failures = [new PyramidNetworkError('reset'), new PyramidNetworkError('reset')];
    monitor.watch(ref());
    await fake.tickAsync(60_000);
    assert.equal(monitor.watched[0].state, 'watching');
  });

  it('pauses every run of the server on an authentication error, asks once, and resumes after sign-in', async () => {
    const asked: string[] = [];
    monitor.onDidRequireSignIn((serverUrl) => asked.push(serverUrl));
    server.statuses.set('e1', TaskStatus.Running);
    server.statuses.set('e2', TaskStatus.Running);
    monitor.watch(ref('e1'));
    monitor.watch(ref('e2', 'Inventory Refresh'));
    await fake.tickAsync(1);
    server.failures = [new PyramidAuthError('expired', 401, '', 'unauthenticated'), new PyramidAuthError('expired', 401, '', 'unauthenticated')];
    await fake.tickAsync(3_000);
    assert.deepEqual(asked, ['https://pyramid.example.com']);
    assert.deepEqual(monitor.watched.map((r) => r.state), ['paused', 'paused']);
    assert.equal(hasTimer(monitor), false);
    const polls = server.polls.length;
    await fake.tickAsync(120_000);
    assert.equal(server.polls.length, polls, 'no polling while paused');

    monitor.resumeOrigin('https://pyramid.example.com');
    await fake.tickAsync(1);
    assert.deepEqual(monitor.watched.map((r) => r.state), ['watching', 'watching']);
    assert.equal(server.polls.length, polls + 2);
  });

  it('pauses when signed out of the run\'s server', async () => {
    signedIn = false;
    const asked: string[] = [];
    monitor.onDidRequireSignIn((serverUrl) => asked.push(serverUrl));
    monitor.watch(ref());
    await fake.tickAsync(10_000);
    assert.equal(monitor.watched[0].state, 'paused');
    assert.equal(asked.length, 1);
    assert.equal(server.polls.length, 0);
  });

  it('persists watched runs and resumes them in a new monitor, as after a window reload', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(1);
    assert.equal(savedRuns().watched[0].status?.code, TaskStatus.Running);
    monitor.dispose();

    const reloaded = createMonitor();
    const finished: string[] = [];
    let changes = 0;
    reloaded.onDidFinish((run) => finished.push(run.executionId));
    reloaded.onDidChange(() => changes++);
    reloaded.restore();
    assert.equal(changes, 1, 'the restored runs are announced, so the status bar shows them at once');
    assert.equal(reloaded.watched[0].scheduleName, 'Nightly Sales Load');
    const polls = server.polls.length;
    assert.equal(server.polls.length, polls, 'restore itself sends nothing');
    server.statuses.set('e1', TaskStatus.Finished);
    await fake.tickAsync(1);
    assert.deepEqual(finished, ['e1'], 'finished while away: reported once');
    assert.equal(savedRuns().watched.length, 0);
    assert.equal(savedRuns().recent[0].executionId, 'e1');
    reloaded.dispose();
  });

  it('keeps the last 20 finished runs', async () => {
    for (let i = 0; i < 25; i++) {
      server.statuses.set(`e${i}`, TaskStatus.Finished);
      monitor.watch(ref(`e${i}`));
    }
    await fake.tickAsync(1);
    assert.equal(monitor.recent.length, 20);
    assert.equal(monitor.recent[0].executionId, 'e24');
  });

  it('stops watching on request and forgets its timer', async () => {
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(1);
    monitor.stopWatching('e1');
    assert.equal(monitor.watched.length, 0);
    assert.equal(hasTimer(monitor), false);
    assert.equal(monitor.recent.length, 0);
  });

  it('polls a new run at once, and on its cadence, on a clock with sub-millisecond readings', async () => {
    clock = monitorClock(fake, { subMillisecondReadings: true });
    server = new FakeServer(clock);
    monitor.dispose();
    monitor = createMonitor();
    server.statuses.set('e1', TaskStatus.Running);
    monitor.watch(ref());
    await fake.tickAsync(1);
    assert.equal(server.polls.length, 1, 'polled at once');
    await fake.tickAsync(3_000);
    assert.equal(server.polls.length, 2, 'and again one base interval later');
    assert.equal(fake.countTimers(), 1);
  });

  it('uses one timer for many runs', async () => {
    for (let i = 0; i < 20; i++) {
      server.statuses.set(`e${i}`, TaskStatus.Running);
      monitor.watch(ref(`e${i}`));
    }
    await fake.tickAsync(10_000);
    assert.equal(fake.countTimers(), 1);
  });

  it('has no status for a run not yet polled: it reads "Starting", and its first status is a transition from none', async () => {
    const transitions: string[] = [];
    monitor.onDidTransition((t) => transitions.push(`${t.from?.label ?? '-'} → ${t.to.label}`));
    server.statuses.set('e1', TaskStatus.Pending);
    signedIn = false; // the first poll stops before a request: the run stays without a status
    const run = monitor.watch(ref());
    assert.equal(run.status, undefined);
    assert.equal(statusLabel(run), 'Starting');
    await fake.tickAsync(1);
    assert.equal(monitor.watched[0].status, undefined);

    signedIn = true;
    monitor.resumeOrigin('https://pyramid.example.com');
    await fake.tickAsync(1);
    assert.deepEqual(transitions, ['- → Pending']);
    assert.equal(statusLabel(monitor.watched[0]), 'Pending');
  });

  describe('change events', () => {
    let changes: (Run | undefined)[];
    const named = () => changes.map((run) => (run ? `${run.executionId} ${run.state}` : 'several'));

    beforeEach(() => {
      changes = [];
      monitor.onDidChange((run) => changes.push(run));
    });

    it('name the run that started, changed status and finished', async () => {
      server.statuses.set('e1', TaskStatus.Running);
      monitor.watch(ref());
      await fake.tickAsync(1);
      await fake.tickAsync(4_500); // unchanged: no event
      server.statuses.set('e1', TaskStatus.Finished);
      await fake.tickAsync(10_000);
      assert.deepEqual(named(), ['e1 watching', 'e1 watching', 'e1 finished']);
      assert.equal(changes[2], monitor.recent[0]);
    });

    it('name the run stopped, stalled or lost', async () => {
      server.statuses.set('e1', TaskStatus.Running);
      server.statuses.set('e2', TaskStatus.Running);
      server.statuses.set('e3', TaskStatus.Running);
      monitor.watch(ref('e1'));
      monitor.watch(ref('e2'));
      monitor.watch(ref('e3'));
      await fake.tickAsync(1);
      changes = [];
      monitor.stopWatching('e1');
      server.failuresOf.set('e2', Array(MAX_CONSECUTIVE_ERRORS).fill(new PyramidNetworkError('reset')));
      server.failuresOf.set('e3', [new PyramidHttpError('The server answered HTTP 404', 404, '')]);
      await fake.tickAsync(120_000);
      assert.deepEqual(named().sort(), ['e1 watching', 'e2 stalled', 'e3 watching']);
      assert.equal(monitor.watched.length, 1);
    });

    it('say "several" when a sign-in pauses or resumes several runs, or the results are cleared', async () => {
      server.statuses.set('e1', TaskStatus.Running);
      server.statuses.set('e2', TaskStatus.Running);
      monitor.watch(ref('e1'));
      monitor.watch(ref('e2'));
      await fake.tickAsync(1);
      changes = [];
      server.failures = [new PyramidAuthError('expired', 401, '', 'unauthenticated')];
      await fake.tickAsync(3_000);
      monitor.resumeOrigin('https://pyramid.example.com');
      monitor.clearRecent();
      assert.deepEqual(named(), ['several', 'several', 'several']);
    });

    it('say "several" when a finished run pushes the oldest result off the list, whose schedule changes too', async () => {
      for (let i = 0; i < 21; i++) {
        server.statuses.set(`e${i}`, TaskStatus.Finished);
        monitor.watch(ref(`e${i}`));
        await fake.tickAsync(1);
      }
      assert.equal(changes.at(-3)?.executionId, 'e19', 'the 20th result still fits');
      assert.equal(changes.at(-1), undefined);
    });
  });

  describe('following a single task', () => {
    it('polls the task by its id until it ends, and reports its error text from the same answer', async () => {
      const transitions: string[] = [];
      const finished: Run[] = [];
      monitor.onDidTransition((t) => transitions.push(`${t.from?.label ?? '-'} → ${t.to.label}`));
      monitor.onDidFinish((run) => finished.push(run));
      server.taskData.set('t1', task('t1', TaskStatus.Pending));
      const run = monitor.watch(taskRef());
      assert.equal(statusLabel(run), 'Starting');
      await fake.tickAsync(1);
      server.taskData.set('t1', task('t1', TaskStatus.Running));
      await fake.tickAsync(3_000);
      const error = 'Connection to crm-db01:5432 refused (ECONNREFUSED)';
      server.taskData.set('t1', task('t1', TaskStatus.Error, { error, summary: 'Load failed' }));
      await fake.tickAsync(3_000);

      assert.deepEqual(transitions, ['- → Pending', 'Pending → Running', 'Running → Error']);
      assert.deepEqual(server.polls.map((poll) => poll.id), ['t1', 't1', 't1'], 'polled by task id, never as an execution');
      assert.equal(server.getTasksCalls, 0, 'the error text came with the status');
      assert.equal(finished.length, 1);
      const [ended] = monitor.recent;
      assert.equal(ended, finished[0]);
      assert.deepEqual([ended.kind, ended.outcome, ended.status.label, ended.taskErrors], ['task', 'failed', 'Error', [error]]);
      assert.equal(monitor.watched.length, 0);
      assert.equal(hasTimer(monitor), false);
      assert.ok(logs.every((line) => !line.includes('failed')), logs.join('\n'));
    });

    it('falls back to the summary, then to a sentence, for a task that failed without an error', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.FinishedWithErrors, { summary: '3 of 5 rows loaded' }));
      server.taskData.set('t2', task('t2', TaskStatus.Error, { description: 'Load CRM contacts' }));
      monitor.watch(taskRef('t1'));
      monitor.watch(taskRef('t2'));
      await fake.tickAsync(1);
      assert.deepEqual(
        monitor.recent.map((run) => run.taskErrors),
        [['Load CRM contacts ended with Error'], ['3 of 5 rows loaded']],
      );
    });

    it('keeps a task apart from the execution it belongs to, and saves and restores it', async () => {
      server.statuses.set('e1', TaskStatus.Running);
      server.taskData.set('t1', task('t1', TaskStatus.Running));
      monitor.watch(ref('e1'));
      monitor.watch(taskRef('t1'));
      await fake.tickAsync(1);
      assert.deepEqual(monitor.watched.map((run) => run.kind), ['execution', 'task']);
      monitor.dispose();

      monitor = createMonitor();
      monitor.restore();
      assert.deepEqual(monitor.watched.map((run) => run.kind), ['execution', 'task']);
      monitor.stopWatching(taskRef('t1'));
      assert.deepEqual(monitor.watched.map((run) => run.kind), ['execution']);
      assert.ok(logs.includes('Nightly Sales Load · Load CRM contacts (t1): stopped watching (last status: Running).'), logs.join('\n'));
    });

    it('drops a task the server does not know', async () => {
      const lost: string[] = [];
      monitor.onDidLose((run) => lost.push(run.kind));
      monitor.watch(taskRef('t-gone'));
      await fake.tickAsync(1);
      assert.deepEqual(lost, ['task']);
      assert.equal(monitor.watched.length, 0);
    });
  });

  describe('following a re-run task', () => {
    const failedAt = { startDate: new Date(900_000), endDate: new Date(950_000) };
    const rerunRef = (knownExecutions = ['e1']) => ({ ...taskRef(), rerun: { status: 'Error', startedAt: 900_000, endedAt: 950_000, knownExecutions, unchangedPolls: 0 } });
    const execution = (id: string) => ({ id, counts: { success: 0, partialSuccess: 0, failed: 0, canceled: 0, running: 1, pending: 0, triggerStopped: 0 }, tasks: [] });

    it('does not take the previous run for its end: waits until the task runs again, then follows it to its new end', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.Error, { error: 'old failure', ...failedAt }));
      monitor.watch(rerunRef());
      await fake.tickAsync(1);
      await fake.tickAsync(3_000);
      assert.equal(monitor.recent.length, 0, 'the previous run is not the re-run');
      assert.equal(monitor.watched.length, 1);
      server.taskData.set('t1', task('t1', TaskStatus.Running, { startDate: new Date(clock.wallNow()) }));
      await fake.tickAsync(6_000);
      server.taskData.set('t1', task('t1', TaskStatus.Finished, { startDate: new Date(1_000_000), endDate: new Date(clock.wallNow()) }));
      await fake.tickAsync(15_000);
      const [ended] = monitor.recent;
      assert.deepEqual([ended?.kind, ended?.outcome, ended?.status.label], ['task', 'succeeded', 'Finished']);
      assert.equal('rerun' in ended && ended.rerun, undefined);
      assert.equal(server.getExecutionsCalls, 0, 'the task changed before the schedule had to be searched');
    });

    it('takes a re-run that already ended before the first poll (new dates) as its end', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.Error, { error: 'new failure', startDate: new Date(990_000), endDate: new Date(995_000) }));
      monitor.watch(rerunRef());
      await fake.tickAsync(1);
      assert.deepEqual(monitor.recent.map((run) => [run.outcome, run.taskErrors]), [['failed', ['new failure']]]);
    });

    it('follows a new run of the schedule instead when the task keeps reading as before, and says so in the log', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.Error, failedAt));
      server.executions = [execution('e2'), execution('e1')];
      server.statuses.set('e2', TaskStatus.Running);
      monitor.watch(rerunRef());
      await fake.tickAsync(30_000);
      assert.deepEqual(monitor.watched.map((run) => [run.kind, run.executionId]), [['execution', 'e2']]);
      assert.equal(monitor.watched[0].startedAt, 1_000_000, 'it keeps the time the re-run was sent');
      assert.ok(logs.some((line) => /still reads as its previous run after 3 checks, but a new run of the schedule appeared \(e2\): following that run instead/.test(line)), logs.join('\n'));
      server.statuses.set('e2', TaskStatus.Finished);
      await fake.tickAsync(30_000);
      assert.deepEqual(monitor.recent.map((run) => [run.kind, run.executionId, run.outcome]), [['execution', 'e2', 'succeeded']]);
    });

    it('saves how many checks read the previous run, so a restored monitor goes on from there', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.Error, failedAt));
      monitor.watch(rerunRef());
      await fake.tickAsync(1);
      await fake.tickAsync(5_000);
      assert.equal(server.polls.length, 2);
      const [savedRun] = savedRuns().watched;
      assert.equal(savedRun.kind === 'task' && savedRun.rerun?.unchangedPolls, 2);
      monitor.dispose();
      monitor = createMonitor();
      monitor.restore();
      server.taskData.set('t1', task('t1', TaskStatus.Finished, { startDate: new Date(1_000_000), endDate: new Date(1_010_000) }));
      await fake.tickAsync(1);
      assert.deepEqual(monitor.recent.map((run) => [run.kind, run.outcome]), [['task', 'succeeded']]);
    });

    it('takes the status as the result after many checks with no change and no new run, with a warning', async () => {
      server.taskData.set('t1', task('t1', TaskStatus.Error, { error: 'old failure', ...failedAt }));
      monitor.watch(rerunRef());
      await fake.tickAsync(10 * 60_000);
      assert.deepEqual(monitor.recent.map((run) => [run.outcome, run.taskErrors]), [['failed', ['old failure']]]);
      assert.ok(logs.some((line) => /did not run again after 12 checks/.test(line)), logs.join('\n'));
      assert.equal(monitor.watched.length, 0);
    });
  });

  describe('saved runs that cannot be polled safely', () => {
    // Written as version 1 wrote them: no kind, and a status on every run.
    const good = () => ({ executionId: 'e-good', scheduleId: 's-e-good', scheduleName: 'Nightly Sales Load', serverUrl: 'https://pyramid.example.com', status: taskStatuses.parse(TaskStatus.Running), state: 'watching', startedAt: 1_000 });
    const done = { ...good(), executionId: 'e-done', status: taskStatuses.parse(TaskStatus.Finished), state: 'finished', outcome: 'succeeded', finishedAt: 2_000 };
    // Each is logged by its ids only: none of these texts may reach the log.
    const secret = 'Quarterly Board Pack';
    const badRuns: unknown[] = [
      { ...good(), executionId: 'nourl', scheduleId: 'snourl', scheduleName: secret, serverUrl: undefined },
      { ...good(), executionId: 'ftp', scheduleId: 'sftp', scheduleName: secret, serverUrl: 'ftp://user:hunter2@pyramid.example.com' },
      { ...good(), executionId: 'garbage', scheduleId: 'sgarbage', scheduleName: secret, serverUrl: 'not a url' },
      { ...good(), executionId: 42, scheduleId: 'snumber', scheduleName: secret },
      { ...good(), executionId: 'nosched', scheduleId: undefined, scheduleName: secret },
      { ...good(), executionId: 'nostatus', scheduleId: 'snostat', scheduleName: secret, status: 'RUNNING' },
      null,
      `${secret} as a string`,
    ];

    it('drops them on restore, logging one line each by ids only, and keeps the good ones', () => {
      saved = { version: 1, watched: [...badRuns, good()], recent: [badRuns[0], done] };
      monitor.restore();
      assert.deepEqual(monitor.watched.map((run) => run.executionId), ['e-good']);
      assert.deepEqual(monitor.recent.map((run) => run.executionId), ['e-done']);
      assert.deepEqual(
        logs.filter((line) => line.startsWith('Dropped')),
        [
          'Dropped a saved finished run (execution nourl, schedule snourl): no valid http(s) server URL.',
          'Dropped a saved watched run (execution nourl, schedule snourl): no valid http(s) server URL.',
          'Dropped a saved watched run (execution ftp, schedule sftp): no valid http(s) server URL.',
          'Dropped a saved watched run (execution garbage, schedule sgarbage): no valid http(s) server URL.',
          'Dropped a saved watched run (execution ?, schedule snumber): no execution or schedule id.',
          'Dropped a saved watched run (execution nosched, schedule ?): no execution or schedule id.',
          'Dropped a saved watched run (execution nostatus, schedule snostat): not in the expected shape.',
          'Dropped a saved watched run (execution ?, schedule ?): not a run.',
          'Dropped a saved watched run (execution ?, schedule ?): not a run.',
        ],
      );
      for (const text of [secret, 'hunter2', 'ftp:', 'not a url']) {
        assert.ok(!logs.some((line) => line.includes(text)), `the log holds "${text}":\n${logs.join('\n')}`);
      }
    });

    it('keeps polling the good run through a 401 and a new sign-in, with nothing thrown', async () => {
      const stray = catchStrayErrors();
      try {
        const asked: string[] = [];
        monitor.onDidRequireSignIn((origin) => asked.push(origin));
        saved = { version: 1, watched: [badRuns[0], good()], recent: [] };
        server.statuses.set('e-good', TaskStatus.Running);
        server.failuresOf.set('e-good', [new PyramidAuthError('expired', 401, '', 'unauthenticated')]);
        monitor.restore();
        await fake.tickAsync(1);
        assert.deepEqual(asked, ['https://pyramid.example.com']);
        assert.equal(monitor.watched[0].state, 'paused');

        monitor.resumeOrigin('https://pyramid.example.com');
        await fake.tickAsync(1);
        assert.equal(server.pollTimes('e-good').length, 2, 'polled again after the sign-in');
        assert.equal(monitor.watched[0].state, 'watching');
        await fake.tickAsync(4_500); // unchanged status: the wait has grown by half
        assert.equal(server.pollTimes('e-good').length, 3, 'and on its cadence after that');
        assert.deepEqual(server.pollTimes('nourl'), [], 'the run without a URL is never polled');
        assert.deepEqual(stray.errors, []);
      } finally {
        stray.stop();
      }
    });
  });

  describe('when a listener or the store throws', () => {
    it('still follows every run to its end, calls the other listeners, and logs the errors', async () => {
      const stray = catchStrayErrors();
      try {
        monitor.onDidChange(() => {
          throw new Error('status bar broke');
        });
        monitor.onDidTransition(() => {
          throw new Error('log broke');
        });
        monitor.onDidFinish(() => {
          throw new Error('notifier broke');
        });
        const seen = { changes: 0, transitions: 0, finished: [] as string[] };
        monitor.onDidChange(() => seen.changes++);
        monitor.onDidTransition(() => seen.transitions++);
        monitor.onDidFinish((run) => seen.finished.push(run.executionId));

        for (const id of ['e1', 'e2', 'e3']) {
          server.statuses.set(id, TaskStatus.Running);
          monitor.watch(ref(id));
        }
        await fake.tickAsync(3_000);
        server.statuses.set('e1', TaskStatus.Finished);
        await fake.tickAsync(5_000);
        server.statuses.set('e2', TaskStatus.Error);
        await fake.tickAsync(20_000);
        server.statuses.set('e3', TaskStatus.Canceled);
        await fake.tickAsync(20_000);

        assert.deepEqual(monitor.watched, []);
        assert.deepEqual(monitor.recent.map((run) => `${run.executionId}: ${run.outcome}`), ['e3: canceled', 'e2: failed', 'e1: succeeded']);
        assert.deepEqual(seen.finished, ['e1', 'e2', 'e3']);
        assert.equal(seen.transitions, 6);
        assert.ok(seen.changes >= 6);
        assert.equal(hasTimer(monitor), false);
        for (const message of ['status bar broke', 'log broke', 'notifier broke']) {
          assert.ok(logs.some((line) => line.includes('an event listener') && line.includes(message)), `"${message}" is not logged`);
        }
        assert.deepEqual(stray.errors, []);
      } finally {
        stray.stop();
      }
    });

    it('keeps polling when saving the runs throws', async () => {
      const stray = catchStrayErrors();
      try {
        const throwing = new RunMonitor({
          clock,
          intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
          isFocused: () => true,
          clientFor: async () => server,
          store: {
            load: () => undefined,
            save: () => {
              throw new Error('disk full');
            },
          },
          log: recordingLog(logs),
        });
        server.statuses.set('e1', TaskStatus.Running);
        throwing.watch(ref());
        await fake.tickAsync(10_000);
        server.statuses.set('e1', TaskStatus.Finished);
        await fake.tickAsync(20_000);
        assert.equal(throwing.recent[0]?.outcome, 'succeeded');
        assert.equal(hasTimer(throwing), false);
        assert.ok(logs.some((line) => line.includes('Could not save the watched runs: disk full')));
        assert.deepEqual(stray.errors, []);
        throwing.dispose();
      } finally {
        stray.stop();
      }
    });
  });
});

describe('RunMonitor on the system clock', () => {
  const start = Date.UTC(2026, 10, 28, 12, 0, 0);
  let fake: ReturnType<typeof FakeTimers.install>;
  let monitor: RunMonitor;

  beforeEach(() => {
    // Date, timers and performance all fake, so systemClock is driven by the test as in a real host.
    fake = FakeTimers.install({ now: start, toFake: ['Date', 'setTimeout', 'clearTimeout', 'performance'] });
  });

  afterEach(() => {
    monitor?.dispose();
    fake.uninstall();
  });

  const monitorOnSystemClock = (server: FakeServer) =>
    new RunMonitor({
      clock: systemClock,
      intervals: () => ({ baseIntervalMs: 3_000, maxIntervalMs: 15_000 }),
      isFocused: () => true,
      clientFor: async () => server,
      store: { load: () => undefined, save: () => undefined },
      log: quietLog,
    });

  it('keeps polling when the wall clock moves back an hour, and stamps runs with the epoch', async () => {
    const server = new FakeServer({ now: () => fake.now });
    monitor = monitorOnSystemClock(server);
    server.statuses.set('e1', TaskStatus.Running);
    await fake.tickAsync(1_000);
    const run = monitor.watch(ref());
    assert.ok(Math.abs(run.startedAt - (start + 1_000)) < 5, `startedAt ${run.startedAt} does not read as the time watching began`);
    await fake.tickAsync(1);
    assert.equal(server.polls.length, 1);

    fake.setSystemTime(Date.now() - 3_600_000);
    await fake.tickAsync(3_000 + 4_500 + 6_750);
    assert.equal(server.polls.length, 4, 'polls go on at the usual cadence after the wall clock moved back');
    assert.ok(hasTimer(monitor));
  });

  it('stamps a run with the wall clock, which goes on while the machine sleeps', async () => {
    const server = new FakeServer({ now: () => fake.now });
    monitor = monitorOnSystemClock(server);
    // A night asleep: the wall clock moves on, a monotonic clock does not.
    fake.setSystemTime(start + 8 * 3_600_000);
    server.statuses.set('e1', TaskStatus.Running);
    const run = monitor.watch(ref());
    assert.equal(run.startedAt, Date.now(), 'the run started now, not eight hours ago');
  });
});
