// The simulator's scheduler: runs that start on their own, and the control tests start them with.
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../simulator/cliArgs';
import { ScheduleStatus, TaskStatus } from '../../simulator/codes';
import { ManualClock, PyramidSimulator, SimulatorOptions } from '../../simulator/server';
import { WireExecution } from './wireExecution';

const START = Date.parse('2025-03-10T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let sim: PyramidSimulator | undefined;
let clock: ManualClock;
let token: string;

async function startSimulator(options: SimulatorOptions = {}): Promise<PyramidSimulator> {
  await sim?.stop();
  clock = new ManualClock(START);
  sim = await PyramidSimulator.start({ clock, ...options });
  token = sim.issueToken();
  return sim;
}

async function call<T = any>(path: string, body: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${sim!.url}/API3/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', paToken: token },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text);
}

type Execution = WireExecution<{ id: string; status: number; description: string; formattedSummary: string; startDate: number | null }>;

const executionsOf = (name: string) => call<Execution[]>('tasks/getExecutions', sim!.schedule(name).scheduleId);
const statusOf = async (executionId: string) => (await call<{ status: number }>('tasks/getScheduleExecutionStatus', executionId)).status;

/** The executions of `name` that started after the simulator did (the seeded history is older), oldest first. */
async function newRuns(name: string): Promise<Execution[]> {
  return (await executionsOf(name)).filter((execution) => execution.startDate >= START).reverse();
}

describe('Pyramid simulator: the scheduler', () => {
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  describe('startScheduledRun', () => {
    beforeEach(() => startSimulator());

    it('starts a run that is in getExecutions with its tasks and moves on the clock, with no runSchedule request', async () => {
      const executionId = sim!.startScheduledRun('Customer 360 Merge');
      const [latest] = await executionsOf('Customer 360 Merge');
      assert.equal(latest.id, executionId);
      assert.equal(latest.startDate, START);
      assert.equal(latest.endDate, null);
      assert.deepEqual(
        latest.items.map((task) => [task.description, task.status]),
        [
          ['Load CRM contacts', TaskStatus.PENDING],
          ['Merge web sessions', TaskStatus.PENDING],
          ['Match loyalty accounts', TaskStatus.PENDING],
        ],
      );
      clock.advance(1_500 + 1);
      assert.equal(await statusOf(executionId), TaskStatus.RUNNING);
      clock.advance(HOUR);
      assert.equal(await statusOf(executionId), TaskStatus.FINISHED_WITH_ERRORS); // its own behaviour: the last task fails
      assert.equal(sim!.count('tasks/runSchedule'), 0);
      assert.deepEqual(
        sim!.scheduledRuns.map(({ executionId: id, scheduleName, at, by, outcome }) => ({ id, scheduleName, at, by, outcome })),
        [{ id: executionId, scheduleName: 'Customer 360 Merge', at: START, by: 'control', outcome: 'failed' }],
      );
    });

    it('looks on the wire like a run started by runSchedule', async () => {
      const scheduled = sim!.startScheduledRun('Weekly Executive Report');
      const requested = await call<string>('tasks/runSchedule', { scheduleId: sim!.schedule('Weekly Executive Report').scheduleId });
      clock.advance(HOUR);
      const [byRequest, byScheduler] = await executionsOf('Weekly Executive Report');
      assert.deepEqual([byRequest.id, byScheduler.id], [requested, scheduled]);
      // Everything but the fresh ids is the same.
      const shape = (execution: Execution) => ({
        ...execution,
        id: undefined,
        items: execution.items.map((task) => ({ ...task, id: undefined, outputId: typeof (task as { outputId?: unknown }).outputId })),
      });
      assert.deepEqual(shape(byScheduler), shape(byRequest));
      const tasks = await call<{ id: string; status: number }[]>('tasks/getTasks', scheduled);
      assert.deepEqual(tasks.map((task) => task.status), [TaskStatus.FINISHED, TaskStatus.FINISHED]);
    });

    it('forces a failure with the schedule’s task error, or a success of a schedule that always fails', async () => {
      const failed = sim!.startScheduledRun('Customer 360 Merge', { outcome: 'failed' });
      const succeeded = sim!.startScheduledRun('Warehouse Sync', { outcome: 'succeeded' });
      const forcedWarehouseFailure = sim!.startScheduledRun('Warehouse Sync', { outcome: 'failed' });
      clock.advance(HOUR);
      assert.equal(await statusOf(failed), TaskStatus.FINISHED_WITH_ERRORS);
      assert.equal(await statusOf(succeeded), TaskStatus.FINISHED);
      assert.equal(await statusOf(forcedWarehouseFailure), TaskStatus.ERROR);
      const [task] = await call<Execution['items']>('tasks/getTasks', forcedWarehouseFailure);
      assert.equal(task.formattedSummary, 'Processing failed: Connection to warehouse-db01:5432 refused (ECONNREFUSED)');
      const [latest] = await executionsOf('Warehouse Sync');
      assert.equal(latest.id, forcedWarehouseFailure);
      assert.equal(latest.error, 'Connection to warehouse-db01:5432 refused (ECONNREFUSED)');
    });

    it('fails a schedule whose tasks never fail with a timeout, or with a given error', async () => {
      const timedOut = sim!.startScheduledRun('Nightly Sales Load', { outcome: 'failed' });
      const custom = sim!.startScheduledRun('Log Cleanup', { outcome: { msg: 'Disk {0} is full', params: ['/var/log'], code: 28 } });
      clock.advance(HOUR);
      assert.equal(await statusOf(timedOut), TaskStatus.ERROR);
      assert.equal((await executionsOf('Nightly Sales Load'))[0].error, 'Processing of Sales Model timed out after 3600 seconds');
      assert.equal(await statusOf(custom), TaskStatus.ERROR);
      assert.equal((await executionsOf('Log Cleanup'))[0].error, 'Disk /var/log is full');
    });

    it('evaluates an alert’s trigger, as the scheduler does', async () => {
      const stopped = sim!.startScheduledRun('Low Stock Alert');
      assert.equal(await statusOf(stopped), TaskStatus.PENDING_FOR_EVALUATION);
      const forced = sim!.startScheduledRun('Low Stock Alert', { outcome: 'succeeded' });
      clock.advance(HOUR);
      assert.equal(await statusOf(stopped), TaskStatus.STOPPED_AFTER_EVALUATION);
      assert.equal(await statusOf(forced), TaskStatus.FINISHED);
    });

    it('backdates a run that happened overnight, and refuses one in the future', async () => {
      const overnight = START - 9 * HOUR;
      const executionId = sim!.startScheduledRun('Warehouse Sync', { outcome: 'failed', at: overnight });
      const [latest] = await executionsOf('Warehouse Sync');
      assert.deepEqual([latest.id, latest.startDate, latest.failedCount], [executionId, overnight, 1]);
      assert.ok(latest.endDate !== null && latest.endDate < START);
      assert.throws(() => sim!.startScheduledRun('Warehouse Sync', { at: START + 1 }), /future/);
    });

    it('refuses unknown and deleted schedules', () => {
      assert.throws(() => sim!.startScheduledRun('No Such Schedule'), /No simulated schedule/);
      assert.throws(() => sim!.startScheduledRun('Legacy CRM Import'), /deleted/);
    });
  });

  describe('timetable', () => {
    it('starts runs on the ManualClock at their times, each launched when it fell due', async () => {
      await startSimulator({ timetable: [{ schedule: 'Inventory Refresh', everyMs: 10 * MINUTE }] });
      clock.advance(10 * MINUTE - 1);
      assert.deepEqual(await newRuns('Inventory Refresh'), []);
      clock.advance(1);
      const [first] = await newRuns('Inventory Refresh');
      assert.equal(first.startDate, START + 10 * MINUTE);
      clock.advance(25 * MINUTE); // two more fell due while nobody asked
      const runs = await newRuns('Inventory Refresh');
      assert.deepEqual(
        runs.map((run) => run.startDate),
        [10, 20, 30].map((minutes) => START + minutes * MINUTE),
      );
      assert.deepEqual(runs.map((run) => run.successCount), [1, 1, 1]);
      assert.equal(await statusOf(runs[2].id), TaskStatus.FINISHED);
      assert.equal(sim!.count('tasks/runSchedule'), 0);
      assert.ok(sim!.scheduledRuns.every((run) => run.by === 'timetable'));
      assert.deepEqual(sim!.timetableEntries.map((entry) => [entry.scheduleName, entry.runs, entry.nextAt]), [
        ['Inventory Refresh', 3, START + 40 * MINUTE],
      ]);
    });

    it('fails every n-th run with failEvery and succeeds the others', async () => {
      await startSimulator({ timetable: [{ schedule: 'Warehouse Sync', everyMs: MINUTE, firstAt: START + MINUTE, failEvery: 3 }] });
      clock.advance(6 * MINUTE + 10_000);
      const runs = await newRuns('Warehouse Sync');
      assert.deepEqual(runs.map((run) => run.failedCount), [0, 0, 1, 0, 0, 1]);
      assert.match(runs[2].error ?? '', /refused/);
    });

    it('starts nothing when off, for all or for one schedule, and does not make up missed runs', async () => {
      await startSimulator({
        timetable: [
          { schedule: 'Inventory Refresh', everyMs: 10 * MINUTE },
          { schedule: 'Log Cleanup', everyMs: 10 * MINUTE },
        ],
      });
      sim!.setTimetableEnabled(false);
      clock.advance(HOUR);
      assert.deepEqual(await newRuns('Inventory Refresh'), []);
      assert.deepEqual(await newRuns('Log Cleanup'), []);
      sim!.setTimetableEnabled(true, 'Log Cleanup');
      clock.advance(10 * MINUTE);
      assert.deepEqual(await newRuns('Inventory Refresh'), []);
      assert.deepEqual((await newRuns('Log Cleanup')).map((run) => run.startDate), [START + 70 * MINUTE]);
      assert.throws(() => sim!.setTimetableEnabled(true, 'Nightly Sales Load'), /not on the simulator's timetable/);
      assert.equal(sim!.scheduledRuns.length, 1);
    });

    it('has no timetable unless asked: no run starts on its own', async () => {
      await startSimulator();
      clock.advance(48 * HOUR);
      assert.deepEqual(await newRuns('Low Stock Alert'), []);
      assert.deepEqual([sim!.timetableEntries.length, sim!.scheduledRuns.length], [0, 0]);
    });

    it('skips schedules on hold, and runs them again once resumed', async () => {
      await startSimulator({ timetable: [{ schedule: 'Inventory Refresh', everyMs: 10 * MINUTE }] });
      await call('tasks/suspendSchedule', sim!.schedule('Inventory Refresh').scheduleId);
      clock.advance(30 * MINUTE);
      assert.deepEqual(await newRuns('Inventory Refresh'), []);
      await call('tasks/resumeSchedule', sim!.schedule('Inventory Refresh').scheduleId);
      assert.equal(sim!.schedule('Inventory Refresh').status, ScheduleStatus.IDLE);
      clock.advance(10 * MINUTE);
      assert.equal((await newRuns('Inventory Refresh')).length, 1);
    });

    it('adds schedules at run time', async () => {
      await startSimulator();
      sim!.addToTimetable({ schedule: 'Daily KPI Digest', everyMs: 5 * MINUTE });
      clock.advance(5 * MINUTE);
      assert.equal((await newRuns('Daily KPI Digest')).length, 1);
    });

    it("runs every schedule at its own time with 'fixture'", async () => {
      await startSimulator({ timetable: 'fixture' });
      clock.advance(HOUR); // 13:00 UTC
      assert.deepEqual((await newRuns('Low Stock Alert')).map((run) => run.startDate), [START + HOUR]); // hourly
      assert.deepEqual(await newRuns('Nightly Sales Load'), []); // 02:00
      assert.deepEqual(await newRuns('HR Headcount Load'), []); // on hold
      clock.set(Date.parse('2025-03-11T02:00:00Z'));
      assert.deepEqual((await newRuns('Nightly Sales Load')).map((run) => run.startDate), [Date.parse('2025-03-11T02:00:00Z')]);
      assert.equal((await newRuns('Low Stock Alert')).length, 14);
    });

    it('has a demo timetable of a few schedules, Warehouse Sync failing every third run', async () => {
      await startSimulator({ timetable: { demoEveryMs: 3 * MINUTE } });
      assert.ok(sim!.timetableEntries.length >= 3);
      clock.advance(9 * MINUTE);
      assert.deepEqual((await newRuns('Warehouse Sync')).map((run) => run.failedCount), [0, 0, 1]);
      assert.ok(sim!.timetableEntries.every((entry) => entry.runs >= 1));
      assert.equal(sim!.count('tasks/runSchedule'), 0);
    });

    it('logs one line per scheduled run', async () => {
      const lines: string[] = [];
      await startSimulator({ log: (line) => lines.push(line), timetable: [{ schedule: 'Warehouse Sync', everyMs: MINUTE, failEvery: 1 }] });
      clock.advance(MINUTE);
      sim!.startScheduledRun('Log Cleanup');
      assert.deepEqual(lines.map((line) => line.replace(/[0-9a-f-]{36}/, 'ID')), [
        "scheduler: started 'Warehouse Sync' ID, it will fail",
        "scheduler: started 'Log Cleanup' ID, it will succeed (test control)",
      ]);
    });

    it('ticks in real time only while running: stop() clears its timer', async () => {
      const started = new Set<unknown>();
      const cleared = new Set<unknown>();
      const { setInterval: realSet, clearInterval: realClear } = globalThis;
      globalThis.setInterval = ((...args: Parameters<typeof realSet>) => {
        const timer = realSet(...args);
        started.add(timer);
        return timer;
      }) as typeof realSet;
      globalThis.clearInterval = ((timer: Parameters<typeof realClear>[0]) => {
        cleared.add(timer);
        realClear(timer);
      }) as typeof realClear;
      try {
        const server = await startSimulator({ timetable: { demoEveryMs: MINUTE } });
        assert.equal(started.size, 1);
        await server.stop();
        sim = undefined;
        assert.deepEqual([...started].filter((timer) => !cleared.has(timer)), []);
        await startSimulator(); // nothing on the timetable: no timer at all
        assert.equal(started.size, 1);
      } finally {
        globalThis.setInterval = realSet;
        globalThis.clearInterval = realClear;
      }
    });
  });

  describe('CLI', () => {
    it('parses --scheduled-runs-every into the demo timetable, scaled by --duration-scale in either order', () => {
      assert.deepEqual(parseArgs(['--scheduled-runs-every', '180', '--duration-scale', '0.05']).simulator.timetable, { demoEveryMs: 9000 });
      assert.deepEqual(parseArgs(['--duration-scale', '0.5', '--scheduled-runs-every', '60']).simulator.timetable, { demoEveryMs: 30_000 });
      assert.deepEqual(parseArgs(['--scheduled-runs-every', '300']).simulator.timetable, { demoEveryMs: 300_000 });
      assert.deepEqual(parseArgs(['--scheduled-runs-every', '10', '--duration-scale', '0']).simulator.timetable, { demoEveryMs: 1000 });
      assert.equal(parseArgs([]).simulator.timetable, undefined);
    });

    it('refuses a missing or bad period, and still parses the other options', () => {
      assert.throws(() => parseArgs(['--scheduled-runs-every']), UsageError);
      assert.throws(() => parseArgs(['--scheduled-runs-every', 'often']), UsageError);
      assert.throws(() => parseArgs(['--scheduled-runs-every', '0']), UsageError);
      assert.throws(() => parseArgs(['--nope']), /Unknown option/);
      const parsed = parseArgs(['--schedules', 'demo', '--port', '0', '--enums', 'names', '--quiet', '--help']);
      assert.deepEqual(
        [parsed.simulator.schedules, parsed.port, parsed.simulator.wire, parsed.quiet, parsed.help],
        ['demo', 0, { enums: 'name' }, true, true],
      );
      assert.equal(parseArgs(['--schedules', '40']).simulator.schedules, 40);
    });
  });
});
