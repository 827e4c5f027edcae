// The simulator's long run histories for generated schedules, and the answer sizes it records.
import assert from 'node:assert/strict';
import { demoSchedules } from '../../simulator/fixture';
import { GeneratedHistory, ManualClock, PyramidSimulator, TaskStatus } from '../../simulator/server';
import { WireExecution } from './wireExecution';

const START = Date.parse('2025-03-10T12:34:00Z');
const HOUR = 3_600_000;

let sim: PyramidSimulator | undefined;

type Execution = WireExecution<{ description: string; status: number }>;

async function executionsOf(scheduleId: string): Promise<{ executions: Execution[]; bytes: number }> {
  const response = await fetch(`${sim!.url}/API3/tasks/getExecutions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', paToken: sim!.issueToken() },
    body: JSON.stringify(scheduleId),
  });
  const body = Buffer.from(await response.arrayBuffer());
  assert.equal(response.status, 200, body.toString());
  return { executions: JSON.parse(body.toString('utf8')), bytes: body.length };
}

/** The n-th generated schedule: they come after the demo fixture. */
const generated = (n: number) => sim!.allSchedules[demoSchedules().length + n - 1];

describe('Pyramid simulator: histories of generated schedules', () => {
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('seeds each generated schedule with its history: runs every period up to now, of several tasks, some failing', async () => {
    const histories: GeneratedHistory[] = [
      { everyHours: 1, runs: 720, tasks: 3, failEvery: 10 },
      { everyHours: 24 * 7, runs: 104 },
    ];
    sim = await PyramidSimulator.start({ clock: new ManualClock(START), schedules: demoSchedules().length + 3, histories });

    const { executions: hourly } = await executionsOf(generated(1).scheduleId);
    assert.equal(hourly.length, 720);
    assert.ok(hourly.every((execution) => execution.endDate !== null && execution.endDate <= START));
    assert.ok(START - hourly[0].startDate < HOUR, 'the newest run is within the last period');
    assert.ok(hourly.slice(1).every((execution, index) => hourly[index].startDate - execution.startDate === HOUR));
    assert.ok(hourly.every((execution) => execution.items.length === 3));
    assert.deepEqual(
      hourly[0].items.map((task) => task.description),
      [1, 2, 3].map((step) => `${generated(1).spec.itemName} – step ${step}`),
    );
    const failed = hourly.filter((execution) => execution.failedCount > 0);
    assert.equal(failed.length, 72);
    assert.deepEqual([failed[0].id, failed[1].id], [hourly[9].id, hourly[19].id]);
    assert.match(failed[0].error ?? '', /refused \(ECONNREFUSED\)/);
    assert.deepEqual(failed[0].items.map((task) => task.status), [TaskStatus.FINISHED, TaskStatus.FINISHED, TaskStatus.ERROR]);

    const { executions: weekly } = await executionsOf(generated(2).scheduleId);
    assert.equal(weekly.length, 104);
    assert.equal(weekly[0].startDate - weekly[1].startDate, 7 * 24 * HOUR);
    assert.ok(weekly.every((execution) => execution.items.length === 1 && execution.failedCount === 0));

    const { executions: none } = await executionsOf(generated(3).scheduleId);
    assert.deepEqual(none, []);
  });

  it('records the size of each answer it sends', async () => {
    sim = await PyramidSimulator.start({ clock: new ManualClock(START), histories: [] });
    const { bytes } = await executionsOf(sim.schedule('Nightly Sales Load').scheduleId);
    assert.ok(bytes > 1000);
    assert.deepEqual(
      sim.requests.map((request) => [request.path, request.bytes]),
      [['tasks/getExecutions', bytes]],
    );
  });
});
