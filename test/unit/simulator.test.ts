// The simulator's own behaviour, exercised over real HTTP with Node's fetch.
import assert from 'node:assert/strict';
import http from 'node:http';
import { ScheduleStatus, ScheduleType, SearchMatchType, TaskStatus } from '../simulator/codes';
import { DEMO_USER, ManualClock, PyramidSimulator, SimulatorOptions } from '../simulator/server';

const START = Date.parse('2025-03-10T12:00:00Z');

interface Answer {
  status: number;
  contentType: string;
  text: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let sim: PyramidSimulator;
let clock: ManualClock;
let token: string;

async function startSimulator(options: SimulatorOptions = {}): Promise<void> {
  await sim?.stop();
  clock = new ManualClock(START);
  sim = await PyramidSimulator.start({ clock, ...options });
  token = sim.issueToken();
}

/** POSTs to /API3/<path>; a string body is sent as-is, anything else as JSON. */
async function call(path: string, body?: unknown, options: { token?: string | null; method?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const paToken = options.token === undefined ? token : options.token;
  if (paToken !== null) {
    headers.paToken = paToken;
  }
  const response = await fetch(`${sim.url}/API3/${path}`, {
    method: options.method ?? 'POST',
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

const idOf = (name: string) => sim.schedule(name).scheduleId;

async function find(searchValue: string, searchMatchType?: unknown, scheduleType?: unknown): Promise<string[]> {
  const answer = await call('tasks/findSchedule', { searchCriteria: { searchValue, searchMatchType }, scheduleType });
  assert.equal(answer.status, 200, answer.text);
  return answer.json<{ name: string }[]>().map((schedule) => schedule.name);
}

async function run(name: string, checkTriggers?: unknown): Promise<string> {
  const answer = await call('tasks/runSchedule', { scheduleId: idOf(name), checkTriggers });
  assert.equal(answer.status, 200, answer.text);
  return answer.json<string>();
}

async function statusOf(executionId: string): Promise<number> {
  const answer = await call('tasks/getScheduleExecutionStatus', JSON.stringify(executionId));
  assert.equal(answer.status, 200, answer.text);
  return answer.json<{ status: number }>().status;
}

describe('Pyramid simulator', () => {
  beforeEach(() => startSimulator());
  after(() => sim?.stop());

  describe('authentication', () => {
    it('answers a valid login with a raw base64 token as text/plain', async () => {
      const answer = await call('authentication/authenticateUser', DEMO_USER, { token: null });
      assert.equal(answer.status, 200);
      assert.match(answer.contentType, /^text\/plain/);
      assert.match(answer.text, /^[A-Za-z0-9+/]+=*$/);
      assert.equal((await call('access/getMe', undefined, { token: answer.text })).status, 200);
    });

    it('accepts the username key in any case and the lowercase /api3/ path', async () => {
      const response = await fetch(`${sim.url}/api3/authentication/authenticateUser`, {
        method: 'POST',
        body: JSON.stringify({ UserName: 'ADMIN', password: DEMO_USER.password }),
      });
      assert.equal(response.status, 200);
    });

    it('refuses a wrong password with 400 text', async () => {
      const answer = await call('authentication/authenticateUser', { userName: 'admin', password: 'nope' }, { token: null });
      assert.equal(answer.status, 400);
      assert.equal(answer.text, 'Invalid username or password');
    });

    it('refuses a missing or unknown token with 401, or the configured status', async () => {
      const missing = await call('access/getMe', undefined, { token: null });
      assert.equal(missing.status, 401);
      assert.equal(missing.text, 'Unauthorized: the paToken is missing, invalid or expired');
      assert.equal((await call('access/getMe', undefined, { token: 'bogus' })).status, 401);
      await startSimulator({ authFailureStatus: 403 });
      assert.equal((await call('access/getMe', undefined, { token: 'bogus' })).status, 403);
    });

    it('describes the signed-in user in getMe', async () => {
      const me = (await call('access/getMe')).json();
      assert.equal(me.userName, 'admin');
      for (const field of ['id', 'firstName', 'lastName', 'email', 'adminType', 'createdDate', 'lastLoginDate']) {
        assert.ok(field in me, field);
      }
    });

    it('expires tokens after tokenTtlMs on the simulator clock', async () => {
      await startSimulator({ tokenTtlMs: 60_000 });
      clock.advance(59_999);
      assert.equal((await call('access/getMe')).status, 200);
      clock.advance(1);
      assert.equal((await call('access/getMe')).status, 401);
    });

    it('invalidates every token on expireAllTokens', async () => {
      sim.expireAllTokens();
      assert.equal((await call('access/getMe')).status, 401);
      assert.equal((await call('access/getMe', undefined, { token: sim.issueToken() })).status, 200);
    });
  });

  describe('protocol', () => {
    it('answers 405 to anything but POST, and 404 to unknown methods', async () => {
      assert.equal((await call('tasks/findSchedule', undefined, { method: 'GET' })).status, 405);
      const unknown = await call('tasks/noSuchMethod', '""');
      assert.equal(unknown.status, 404);
      assert.match(unknown.contentType, /^text\/plain/);
    });

    it('answers 400 "Invalid JSON body" to unparsable JSON', async () => {
      const answer = await call('tasks/findSchedule', '{"searchCriteria":');
      assert.equal(answer.status, 400);
      assert.equal(answer.text, 'Invalid JSON body');
    });
  });

  describe('findSchedule', () => {
    it('defaults to a case-insensitive Equals match', async () => {
      assert.deepEqual(await find('nightly sales load'), ['Nightly Sales Load']);
      assert.deepEqual(await find('Nightly Sales'), []);
    });

    it('lists every schedule but the deleted one for Contains ""', async () => {
      const names = await find('', SearchMatchType.Contains);
      assert.ok(names.length >= 15);
      assert.ok(!names.includes('Legacy CRM Import'));
      assert.equal(sim.schedule('Legacy CRM Import').status, ScheduleStatus.DELETED);
    });

    it('supports all five match types, as numbers or names in any case', async () => {
      assert.deepEqual(await find('sales', 'contains'), ['Nightly Sales Load', 'Regional Sales Pack']);
      assert.ok(!(await find('sales', SearchMatchType.NotContains)).some((name) => /sales/i.test(name)));
      assert.deepEqual(await find('WAREHOUSE SYNC', 'Equals'), ['Warehouse Sync']);
      assert.deepEqual(await find('Nightly', SearchMatchType.StartsWith), ['Nightly Sales Load']);
      assert.deepEqual(await find(' alert', 'ENDSWITH'), ['Low Stock Alert', 'Revenue Drop Alert']);
    });

    it('narrows by scheduleType as a number or a name', async () => {
      assert.deepEqual(await find('', 0, ScheduleType.ALERT), ['Low Stock Alert', 'Revenue Drop Alert']);
      assert.deepEqual(await find('', 0, 'printing'), ['Weekly Executive Report', 'Regional Sales Pack', 'Quarterly Board Pack']);
    });

    it('returns all 13 ScheduleViewObject fields, with null end dates where open-ended', async () => {
      const schedules = (await call('tasks/findSchedule', { searchCriteria: { searchValue: '', searchMatchType: 0 } })).json();
      const fields = ['scheduleId', 'name', 'description', 'type', 'createdDate', 'createdBy', 'startDate', 'endDate',
        'scheduleDataType', 'status', 'scheduleItemId', 'scheduleItemName', 'tenantId'];
      for (const schedule of schedules) {
        assert.deepEqual(Object.keys(schedule).sort(), [...fields].sort());
      }
      assert.ok(schedules.some((schedule: { endDate: unknown }) => schedule.endDate === null));
      assert.ok(schedules.some((schedule: { endDate: unknown }) => typeof schedule.endDate === 'number'));
      const sales = schedules.find((schedule: { name: string }) => schedule.name === 'Nightly Sales Load');
      assert.equal(sales.scheduleItemName, 'Sales Model');
    });

    it('rejects an unknown match type and a missing search value with 400', async () => {
      assert.equal((await call('tasks/findSchedule', { searchCriteria: { searchValue: 'x', searchMatchType: 'Fuzzy' } })).status, 400);
      assert.equal((await call('tasks/findSchedule', {})).status, 400);
    });

    it('keeps ids stable across starts', async () => {
      const before = idOf('Nightly Sales Load');
      await startSimulator();
      assert.equal(idOf('Nightly Sales Load'), before);
    });

    it('answers quickly with 10,000 schedules', async () => {
      await startSimulator({ schedules: 10_000 });
      const started = Date.now();
      const all = await find('', SearchMatchType.Contains);
      assert.equal(all.length, 10_000 - 1); // the deleted demo schedule is hidden
      assert.ok(all.includes('Data Flow 00042 – Region West'));
      assert.deepEqual(await find('data flow 00042 – region west'), ['Data Flow 00042 – Region West']);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    });
  });

  describe('run lifecycle', () => {
    it('goes PENDING → RUNNING → FINISHED by the clock and returns a JSON-quoted GUID', async () => {
      const answer = await call('tasks/runSchedule', { scheduleId: idOf('Nightly Sales Load') });
      assert.match(answer.contentType, /^application\/json/);
      assert.match(answer.text, /^"[0-9a-f-]{36}"$/);
      const executionId = answer.json<string>();
      assert.equal(await statusOf(executionId), TaskStatus.PENDING);
      clock.advance(2_000);
      assert.equal(await statusOf(executionId), TaskStatus.RUNNING);
      clock.advance(20_000);
      assert.equal(await statusOf(executionId), TaskStatus.FINISHED);
    });

    it('fails Warehouse Sync with ERROR and a clear error in the task', async () => {
      const executionId = await run('Warehouse Sync');
      clock.advance(60_000);
      assert.equal(await statusOf(executionId), TaskStatus.ERROR);
      const [task] = (await call('tasks/getTasks', JSON.stringify(executionId))).json();
      assert.equal(task.status, TaskStatus.ERROR);
      assert.equal(task.formattedSummary, 'Processing failed: Connection to warehouse-db01:5432 refused (ECONNREFUSED)');
      assert.deepEqual(task.taskSummary.error.params, ['warehouse-db01:5432', 'ECONNREFUSED']);
    });

    it('ends Customer 360 Merge FINISHED_WITH_ERRORS with one failed task of three', async () => {
      const executionId = await run('Customer 360 Merge');
      clock.advance(60_000);
      assert.equal(await statusOf(executionId), TaskStatus.FINISHED_WITH_ERRORS);
      const [latest] = (await call('tasks/getExecutions', JSON.stringify(idOf('Customer 360 Merge')))).json();
      assert.equal(latest.id, executionId);
      assert.equal(latest.successCount, 2);
      assert.equal(latest.failedCount, 1);
      assert.equal(latest.failedPct, 33.33);
      assert.match(latest.error, /Duplicate key value/);
      assert.deepEqual(latest.items.map((task: { status: number }) => task.status), [1, 1, 3]);
    });

    it('runs the tasks of an execution one after another', async () => {
      const executionId = await run('Customer 360 Merge');
      clock.advance(1_500 + 4_000 + 1);
      const tasks = (await call('tasks/getTasks', JSON.stringify(executionId))).json();
      assert.deepEqual(tasks.map((task: { status: number }) => task.status), [TaskStatus.FINISHED, TaskStatus.RUNNING, TaskStatus.PENDING]);
      assert.equal(await statusOf(executionId), TaskStatus.RUNNING);
    });

    it('stops Low Stock Alert after trigger evaluation when checkTriggers is "true"', async () => {
      const executionId = await run('Low Stock Alert', 'true');
      assert.equal(await statusOf(executionId), TaskStatus.PENDING_FOR_EVALUATION);
      clock.advance(1_500);
      assert.equal(await statusOf(executionId), TaskStatus.RUNNING_EVALUATION);
      clock.advance(5_000);
      assert.equal(await statusOf(executionId), TaskStatus.STOPPED_AFTER_EVALUATION);
      const [latest] = (await call('tasks/getExecutions', JSON.stringify(idOf('Low Stock Alert')))).json();
      assert.equal(latest.triggerStoppedCount, 1);
    });

    it('runs an alert whose trigger is met, and ignores triggers when checkTriggers is false', async () => {
      const evaluated = await run('Revenue Drop Alert', true);
      const unconditional = await run('Low Stock Alert', false);
      clock.advance(30_000);
      assert.equal(await statusOf(evaluated), TaskStatus.FINISHED);
      assert.equal(await statusOf(unconditional), TaskStatus.FINISHED);
    });

    it('scales durations with durationScale', async () => {
      await startSimulator({ durationScale: 0.01 });
      const executionId = await run('Finance Cube Reprocess');
      clock.advance(2_000);
      assert.equal(await statusOf(executionId), TaskStatus.FINISHED);
    });

    it('runs suspended schedules too', async () => {
      assert.equal(sim.schedule('HR Headcount Load').status, ScheduleStatus.HOLD);
      await run('HR Headcount Load');
    });

    it('answers 400 for unknown schedules, executions and tasks', async () => {
      const schedule = await call('tasks/runSchedule', { scheduleId: 'nope' });
      assert.deepEqual([schedule.status, schedule.text], [400, 'Schedule not found: nope']);
      const execution = await call('tasks/getScheduleExecutionStatus', '"nope"');
      assert.deepEqual([execution.status, execution.text], [400, 'Execution not found: nope']);
      assert.equal((await call('tasks/getTaskData', '"nope"')).status, 400);
      assert.equal((await call('tasks/runSchedule', { scheduleId: idOf('Legacy CRM Import') })).status, 400);
    });

    it('lists past executions newest first, with a failure in the failing schedule', async () => {
      const history = (await call('tasks/getExecutions', JSON.stringify(idOf('Warehouse Sync')))).json();
      assert.ok(history.length >= 3);
      assert.ok(history.every((execution: { startDate: number }) => execution.startDate < START));
      assert.deepEqual(history.map((execution: { failedCount: number }) => execution.failedCount), [1, 0, 0]);
      const executionId = await run('Warehouse Sync');
      const [latest] = (await call('tasks/getExecutions', JSON.stringify(idOf('Warehouse Sync')))).json();
      assert.equal(latest.id, executionId);
      assert.equal(latest.pendingCount, 1);
      assert.equal(latest.endDate, null);
    });

    it('serves task ids and task data', async () => {
      const executionId = await run('Weekly Executive Report');
      const ids = (await call('tasks/getTasksIds', JSON.stringify(executionId))).json();
      assert.equal(ids.length, 2);
      const task = (await call('tasks/getTaskData', JSON.stringify(ids[0].id))).json();
      assert.equal(task.id, ids[0].id);
      assert.equal(task.scheduleName, 'Weekly Executive Report');
      assert.equal(task.status, TaskStatus.PENDING);
    });

    it('accepts a raw or object-wrapped id leniently, logging a warning', async () => {
      const lines: string[] = [];
      await startSimulator({ log: (line) => lines.push(line) });
      const executionId = await run('Nightly Sales Load');
      assert.equal((await call('tasks/getScheduleExecutionStatus', executionId)).status, 200);
      assert.equal((await call('tasks/getScheduleExecutionStatus', { executionId })).status, 200);
      assert.equal(lines.filter((line) => line.includes('warning')).length, 2);
      assert.ok(lines.every((line) => !line.includes(token)));
    });
  });

  describe('suspend and resume', () => {
    it('moves a schedule IDLE → HOLD → IDLE', async () => {
      const scheduleId = idOf('Nightly Sales Load');
      const suspended = (await call('tasks/suspendSchedule', JSON.stringify(scheduleId))).json();
      assert.deepEqual(suspended, { success: true, errorMessage: '', modifiedList: [{ id: scheduleId, name: null }] });
      assert.equal(sim.schedule('Nightly Sales Load').status, ScheduleStatus.HOLD);
      assert.equal((await call('tasks/resumeSchedule', JSON.stringify(scheduleId))).json().success, true);
      assert.equal(sim.schedule(scheduleId).status, ScheduleStatus.IDLE);
    });

    it('answers success:false for a repeated change or an unknown schedule', async () => {
      const held = (await call('tasks/suspendSchedule', JSON.stringify(idOf('HR Headcount Load')))).json();
      assert.deepEqual(held, { success: false, errorMessage: "Schedule 'HR Headcount Load' is already suspended", modifiedList: [] });
      const active = await call('tasks/resumeSchedule', JSON.stringify(idOf('Nightly Sales Load')));
      assert.equal(active.status, 200);
      assert.equal(active.json().success, false);
      const unknown = (await call('tasks/suspendSchedule', '"nope"')).json();
      assert.deepEqual([unknown.success, unknown.errorMessage], [false, 'Schedule not found']);
    });

    it('refuses a non-admin with 403', async () => {
      const viewer = sim.issueToken('viewer');
      const answer = await call('tasks/suspendSchedule', JSON.stringify(idOf('Nightly Sales Load')), { token: viewer });
      assert.deepEqual([answer.status, answer.text], [403, 'Insufficient permissions: Enterprise Admin role required']);
      assert.equal((await call('tasks/findSchedule', { searchCriteria: { searchValue: 'Log Cleanup' } }, { token: viewer })).status, 200);
    });
  });

  describe('faults', () => {
    const findAll = () => call('tasks/findSchedule', { searchCriteria: { searchValue: '', searchMatchType: 0 } });

    it('delays the answer for latency', async () => {
      sim.inject({ fault: { kind: 'latency', ms: 40 } });
      const started = Date.now();
      assert.equal((await findAll()).status, 200);
      assert.ok(Date.now() - started >= 35);
    });

    it('answers a status fault with its text, then behaves normally', async () => {
      sim.inject({ fault: { kind: 'status', status: 500, body: 'Internal error: database is locked' }, path: 'tasks/findSchedule' });
      const failed = await findAll();
      assert.deepEqual([failed.status, failed.text], [500, 'Internal error: database is locked']);
      assert.equal((await findAll()).status, 200);
      assert.deepEqual(sim.requests.map((request) => request.status), [500, 200]);
    });

    it('only hits the given path, and repeats for times', async () => {
      sim.inject({ fault: { kind: 'unauthorized' }, path: 'tasks/findSchedule', times: 2 });
      assert.equal((await call('access/getMe')).status, 200);
      assert.equal((await findAll()).status, 401);
      assert.equal((await findAll()).status, 401);
      assert.equal((await findAll()).status, 200);
    });

    it('keeps an Infinity rule until clearFaults', async () => {
      sim.inject({ fault: { kind: 'html' }, times: Infinity });
      for (let i = 0; i < 3; i++) {
        const answer = await findAll();
        assert.equal(answer.status, 502);
        assert.match(answer.contentType, /^text\/html/);
        assert.match(answer.text, /<html>/);
      }
      sim.clearFaults();
      assert.equal((await findAll()).status, 200);
    });

    it('sends malformed JSON and empty bodies with 200', async () => {
      sim.inject({ fault: { kind: 'malformedJson' } });
      sim.inject({ fault: { kind: 'emptyBody' } });
      const malformed = await findAll();
      assert.equal(malformed.status, 200);
      assert.throws(() => malformed.json());
      const empty = await findAll();
      assert.deepEqual([empty.status, empty.text], [200, '']);
      assert.match(empty.contentType, /^application\/json/);
    });

    it('drops the connection, before or during the body', async () => {
      sim.inject({ fault: { kind: 'drop' } });
      await assert.rejects(findAll());
      sim.inject({ fault: { kind: 'dropMidBody' } });
      await assert.rejects(findAll());
      assert.deepEqual(sim.requests.map((request) => request.status), [0, 200]);
      assert.equal((await findAll()).status, 200);
    });
  });

  describe('wire modes', () => {
    it('sends enum names and ISO dates when asked', async () => {
      await startSimulator({ wire: { enums: 'name', dates: 'iso' } });
      const [schedule] = (await call('tasks/findSchedule', { searchCriteria: { searchValue: 'Finance Cube Reprocess' } })).json();
      assert.deepEqual([schedule.type, schedule.status, schedule.scheduleDataType], ['ETL', 'IDLE', 'RECURRING']);
      assert.equal(schedule.createdDate, '2022-11-21T16:05:00.000Z');
      const executionId = await run('Finance Cube Reprocess');
      clock.advance(10_000);
      assert.equal(await statusOf(executionId), 'RUNNING');
    });

    it('switches at run time, including a raw text run id', async () => {
      sim.setWire({ runId: 'raw', enums: 'name' });
      const answer = await call('tasks/runSchedule', { scheduleId: idOf('Log Cleanup') });
      assert.match(answer.contentType, /^text\/plain/);
      assert.match(answer.text, /^[0-9a-f-]{36}$/);
      assert.equal(await statusOf(answer.text), 'PENDING');
      sim.setWire({ enums: 'number' });
      assert.equal(await statusOf(answer.text), TaskStatus.PENDING);
    });
  });

  describe('recording and connections', () => {
    /** A POST through a keep-alive agent limited to one socket, so reuse does not depend on client timing. */
    function postVia(agent: http.Agent, path: string, body: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const request = http.request(`${sim.url}/API3/${path}`, { method: 'POST', agent, headers: { paToken: token } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(body);
      });
    }

    it('records every request and keeps connections alive', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 5; i++) {
        assert.equal(await postVia(agent, 'access/getMe', ''), 200);
      }
      assert.equal(await postVia(agent, 'tasks/runSchedule', JSON.stringify({ scheduleId: idOf('Log Cleanup') })), 200);
      agent.destroy();
      assert.equal(sim.connectionsOpened, 1);
      assert.equal(new Set(sim.requests.map((request) => request.connectionId)).size, 1);
      assert.equal(sim.count(), 6);
      assert.equal(sim.count('tasks/runSchedule'), 1);
      const [first] = sim.requests;
      assert.deepEqual(
        { method: first.method, path: first.path, token: first.token, status: first.status, at: first.at },
        { method: 'POST', path: 'access/getMe', token, status: 200, at: START },
      );
      sim.clearLog();
      assert.deepEqual([sim.count(), sim.connectionsOpened], [0, 0]);
    });
  });

  describe('restart', () => {
    it('forgets executions but keeps schedules, their state and tokens', async () => {
      const executionId = await run('Nightly Sales Load');
      await call('tasks/suspendSchedule', JSON.stringify(idOf('Revenue Drop Alert')));
      sim.restart();
      assert.equal((await call('tasks/getScheduleExecutionStatus', JSON.stringify(executionId))).status, 400);
      assert.deepEqual((await call('tasks/getExecutions', JSON.stringify(idOf('Nightly Sales Load')))).json(), []);
      assert.equal(sim.schedule('Revenue Drop Alert').status, ScheduleStatus.HOLD);
      assert.equal((await call('access/getMe')).status, 200);
    });
  });
});
