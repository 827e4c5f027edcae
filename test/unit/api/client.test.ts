import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  PyramidAuthError,
  PyramidCancelledError,
  PyramidClient,
  PyramidHttpError,
  PyramidNetworkError,
  PyramidOperationError,
  PyramidResponseError,
  PyramidTimeoutError,
  RequestEvent,
  ScheduleStatus,
  ScheduleType,
  SearchMatchType,
  TaskStatus,
  isSignInNeeded,
} from '../../../src/api';
import { MAX_ANSWER_BYTES } from '../../../src/api/transport';
import { makeTestCertificates } from '../../simulator/certificates';
import { DEMO_USER, Fault, ManualClock, PyramidSimulator } from '../../simulator/server';

/** Awaits a rejection and returns the error, so tests can check its class and exact message. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected the call to fail');
}

describe('PyramidClient against the simulator', () => {
  let sim: PyramidSimulator;
  let clock: ManualClock;
  let token: string;
  let events: RequestEvent[];

  const client = (overrides: Partial<ConstructorParameters<typeof PyramidClient>[0]> = {}) =>
    new PyramidClient({
      serverUrl: sim.url,
      token,
      retryDelayMs: 1,
      timeoutMs: 2_000,
      onRequest: (event) => events.push(event),
      ...overrides,
    });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    sim = await PyramidSimulator.start({ clock });
    token = sim.issueToken();
    events = [];
  });

  afterEach(async () => {
    await sim.stop();
  });

  describe('sign-in', () => {
    it('authenticateUser sends userName and returns the text/plain token, which then works', async () => {
      const signedIn = await client({ token: undefined }).authenticateUser(DEMO_USER.userName, DEMO_USER.password);
      const request = sim.requests.find((r) => r.path === 'authentication/authenticateUser');
      assert.deepEqual(JSON.parse(request!.body), { userName: DEMO_USER.userName, password: DEMO_USER.password });
      assert.equal(request!.token, undefined, 'no paToken header on sign-in');
      assert.match(signedIn, /^[A-Za-z0-9+/=]+$/);
      const me = await client({ token: signedIn }).getMe();
      assert.equal(me.userName, DEMO_USER.userName);
    });

    it("reports how far the server's clock is from this machine's, from the Date header", async () => {
      await client().getMe();
      const offset = events.at(-1)?.serverClockOffsetMs;
      assert.ok(offset !== undefined, 'an offset');
      // The simulator's clock stands at its start date while the machine's runs on: a large offset, known to within a minute.
      const expected = clock.now() - Date.now();
      assert.ok(Math.abs(offset - expected) <= 60_000, `offset ${offset} ms, expected about ${expected} ms`);
    });

    it('a wrong password is an authentication error that names the problem and none of the server\'s text', async () => {
      const error = await failure(client({ token: undefined }).authenticateUser(DEMO_USER.userName, 'wrong-secret-pw'));
      assert.ok(error instanceof PyramidAuthError);
      assert.equal(error.message, 'The server refused the sign-in (HTTP 400): check the user name and password.');
      assert.equal(error.serverText, '');
      assert.ok(isSignInNeeded(error));
      assert.ok(!JSON.stringify(events).includes('Invalid username'), 'nor does the log');
    });

    it('shows no text of a failed sign-in, whatever the status, even one echoing the password in a form no redaction knows', async () => {
      const password = 'correct-horse-battery';
      const reversed = [...password].reverse().join('');
      const cases: [number, string][] = [
        [400, `Invalid password ${reversed} for admin`],
        [401, `Unauthorized: ${reversed}`],
        [403, `Forbidden: ${reversed}`],
        [500, `Internal error while checking ${reversed}`],
      ];
      for (const [status, body] of cases) {
        sim.inject({ fault: { kind: 'status', status, body }, path: 'authentication/authenticateUser' });
        const error = await failure(client({ token: undefined }).authenticateUser('admin', password));
        assert.ok(error instanceof PyramidHttpError, `${status}: ${error.message}`);
        assert.equal(error.serverText, '', `${status}`);
        assert.ok(!error.message.includes(reversed) && !JSON.stringify(events).includes(reversed), `${status}: ${error.message}`);
        if (status < 500) {
          assert.equal(error.message, `The server refused the sign-in (HTTP ${status}): check the user name and password.`);
        } else {
          assert.equal(error.message, 'The server answered HTTP 500.');
        }
      }
    });

    it('sign-in is never retried, even after a server error', async () => {
      sim.inject({ fault: { kind: 'status', status: 503, body: 'Service Unavailable' }, times: 5 });
      const error = await failure(client({ token: undefined }).authenticateUser(DEMO_USER.userName, DEMO_USER.password));
      assert.ok(error instanceof PyramidHttpError);
      assert.equal(sim.count('authentication/authenticateUser'), 1);
    });

    it('getMe with an unknown token is an authentication error that asks to sign in again', async () => {
      const error = await failure(client({ token: 'not-a-real-token' }).getMe());
      assert.ok(error instanceof PyramidAuthError);
      assert.equal(error.status, 401);
      assert.ok(isSignInNeeded(error));
      assert.match(error.message, /^The server rejected the token \(HTTP 401\).*Sign in again\.$/);
    });

    it('an expired token gives the same authentication error', async () => {
      const api = client();
      await api.getMe();
      sim.expireAllTokens();
      const error = await failure(api.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains }));
      assert.ok(isSignInNeeded(error));
    });
  });

  describe('findSchedule', () => {
    it('lists every schedule with an empty Contains search and sends numeric codes', async () => {
      const schedules = await client().findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
      assert.ok(schedules.length >= 10, `demo fixture lists ${schedules.length}`);
      const nightly = schedules.find((s) => s.name === 'Nightly Sales Load');
      assert.ok(nightly);
      assert.equal(nightly.type.code, ScheduleType.Etl);
      assert.equal(nightly.type.label, 'Data flow');
      assert.equal(nightly.scheduleItemName, 'Sales Model');
      assert.ok(nightly.createdDate instanceof Date && !Number.isNaN(nightly.createdDate.getTime()));
      const body = JSON.parse(sim.requests.at(-1)!.body);
      assert.deepEqual(body, { searchCriteria: { searchValue: '', searchMatchType: 0 } });
      assert.ok(!schedules.some((s) => s.status.code === ScheduleStatus.Deleted));
    });

    it('narrows by exact name and by type', async () => {
      const exact = await client().findSchedule({ searchValue: 'nightly sales load' });
      assert.deepEqual(exact.map((s) => s.name), ['Nightly Sales Load']);
      assert.equal(JSON.parse(sim.requests.at(-1)!.body).searchCriteria.searchMatchType, SearchMatchType.Equals);

      const alerts = await client().findSchedule({ searchValue: '', matchType: SearchMatchType.Contains, scheduleType: ScheduleType.Alert });
      assert.ok(alerts.length > 0);
      assert.ok(alerts.every((s) => s.type.code === ScheduleType.Alert));
      assert.equal(JSON.parse(sim.requests.at(-1)!.body).scheduleType, 8);
    });

    it('reads enum names and ISO dates exactly as it reads numbers and epoch milliseconds', async () => {
      const api = client();
      const asNumbers = await api.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
      sim.setWire({ enums: 'name', dates: 'iso' });
      const asNames = await api.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
      assert.ok(sim.requests.at(-1)!.status === 200);
      assert.deepEqual(
        asNames.map((s) => [s.name, s.type.code, s.status.code, s.recurrence.code, s.createdDate?.getTime()]),
        asNumbers.map((s) => [s.name, s.type.code, s.status.code, s.recurrence.code, s.createdDate?.getTime()]),
      );
    });

    it('lists 10,000 schedules', async function () {
      this.timeout(20_000);
      await sim.stop();
      sim = await PyramidSimulator.start({ clock, schedules: 10_000 });
      token = sim.issueToken();
      const all = await client().findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
      assert.ok(all.length >= 9_990, `got ${all.length}`);
    });
  });

  describe('runs and their status', () => {
    it('runSchedule sends checkTriggers false by default, returns the execution id, and the id is polled as a bare JSON string', async () => {
      const api = client();
      const nightly = sim.schedule('Nightly Sales Load');
      const executionId = await api.runSchedule(nightly.scheduleId);
      const run = sim.requests.find((r) => r.path === 'tasks/runSchedule')!;
      assert.deepEqual(JSON.parse(run.body), { scheduleId: nightly.scheduleId, checkTriggers: false });
      assert.equal(run.token, token);

      const status = await api.getScheduleExecutionStatus(executionId);
      assert.equal(status.code, TaskStatus.Pending);
      assert.equal(sim.requests.at(-1)!.body, JSON.stringify(executionId));

      clock.advance(10 * 60_000);
      const finished = await api.getScheduleExecutionStatus(executionId);
      assert.equal(finished.code, TaskStatus.Finished);
      assert.equal(finished.label, 'Finished');
    });

    it('sends checkTriggers true when asked', async () => {
      await client().runSchedule(sim.schedule('Nightly Sales Load').scheduleId, { checkTriggers: true });
      assert.equal(JSON.parse(sim.requests.at(-1)!.body).checkTriggers, true);
    });

    it('accepts a run id sent as raw text instead of a JSON string', async () => {
      sim.setWire({ runId: 'raw' });
      const executionId = await client().runSchedule(sim.schedule('Nightly Sales Load').scheduleId);
      assert.match(executionId, /^[0-9a-f-]{36}$/);
      assert.ok(!executionId.includes('"'));
      const status = await client().getScheduleExecutionStatus(executionId);
      assert.equal(status.code, TaskStatus.Pending);
    });

    it('reads a status sent by name', async () => {
      const executionId = await client().runSchedule(sim.schedule('Nightly Sales Load').scheduleId);
      clock.advance(5_000);
      sim.setWire({ enums: 'name' });
      const status = await client().getScheduleExecutionStatus(executionId);
      assert.equal(status.code, TaskStatus.Running);
      assert.equal(status.raw, 'RUNNING');
    });

    it('a failing run exposes its error text through executions, tasks, task ids and task data', async () => {
      const api = client();
      const warehouse = sim.schedule('Warehouse Sync');
      const executionId = await api.runSchedule(warehouse.scheduleId);
      clock.advance(60 * 60_000);
      assert.equal((await api.getScheduleExecutionStatus(executionId)).code, TaskStatus.Error);

      const executions = await api.getExecutions(warehouse.scheduleId);
      assert.equal(executions[0].id, executionId, 'newest first');
      assert.equal(executions[0].counts.failed, 1);
      for (let i = 1; i < executions.length; i++) {
        assert.ok((executions[i - 1].startDate?.getTime() ?? 0) >= (executions[i].startDate?.getTime() ?? 0));
      }

      const tasks = await api.getTasks(executionId);
      assert.equal(tasks[0].status.code, TaskStatus.Error);
      assert.match(tasks[0].error ?? '', /refused/i);

      const ids = await api.getTasksIds(executionId);
      assert.deepEqual(ids.map((i) => i.id), tasks.map((t) => t.id));
      const task = await api.getTaskData(ids[0].id);
      assert.equal(task.error, tasks[0].error);
    });

    it('an unknown execution id is an HTTP error with the server text', async () => {
      const error = await failure(client().getScheduleExecutionStatus('00000000-0000-0000-0000-000000000000'));
      assert.ok(error instanceof PyramidHttpError && !(error instanceof PyramidAuthError));
      assert.equal(error.status, 400);
      assert.match(error.message, /^The server answered HTTP 400: Execution not found/);
    });
  });

  describe('suspend and resume', () => {
    it('suspends and resumes, and the schedule state follows', async () => {
      const api = client();
      const nightly = sim.schedule('Nightly Sales Load');
      const suspended = await api.suspendSchedule(nightly.scheduleId);
      assert.equal(suspended.modified[0].id, nightly.scheduleId);
      assert.equal(sim.requests.at(-1)!.body, JSON.stringify(nightly.scheduleId));
      let [listed] = await api.findSchedule({ searchValue: 'Nightly Sales Load' });
      assert.equal(listed.status.code, ScheduleStatus.Hold);
      assert.equal(listed.status.label, 'Suspended');

      await api.resumeSchedule(nightly.scheduleId);
      [listed] = await api.findSchedule({ searchValue: 'Nightly Sales Load' });
      assert.equal(listed.status.code, ScheduleStatus.Idle);
    });

    it('success: false becomes an error carrying the server message', async () => {
      const api = client();
      const nightly = sim.schedule('Nightly Sales Load');
      const error = await failure(api.resumeSchedule(nightly.scheduleId));
      assert.ok(error instanceof PyramidOperationError);
      assert.match(error.message, /Nightly Sales Load/);
    });

    it('a 403 is a "forbidden" authentication error that does not ask to sign in again', async () => {
      const viewer = new PyramidClient({ serverUrl: sim.url, retryDelayMs: 1 });
      const viewerToken = await viewer.authenticateUser('viewer', 'viewer-demo');
      const error = await failure(client({ token: viewerToken }).suspendSchedule(sim.schedule('Nightly Sales Load').scheduleId));
      assert.ok(error instanceof PyramidAuthError);
      assert.equal(error.reason, 'forbidden');
      assert.ok(!isSignInNeeded(error));
      assert.match(error.message, /^The server refused the request \(HTTP 403\): Insufficient permissions/);
    });
  });

  describe('faults', () => {
    const listAll = (api = client()) => api.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });

    it('retries a read after a 5xx and succeeds', async () => {
      sim.inject({ fault: { kind: 'status', status: 503, body: 'Service Unavailable' }, path: 'tasks/findSchedule', times: 2 });
      const schedules = await listAll();
      assert.ok(schedules.length > 0);
      assert.equal(sim.count('tasks/findSchedule'), 3);
      assert.deepEqual(events.map((e) => e.attempt), [1, 2, 3]);
    });

    it('gives up after a bounded number of retries with the server text', async () => {
      sim.inject({ fault: { kind: 'status', status: 500, body: '  Internal error:\n database is locked  ' }, times: Infinity });
      const error = await failure(listAll());
      assert.ok(error instanceof PyramidHttpError);
      assert.equal(error.status, 500);
      assert.equal(error.serverText, 'Internal error: database is locked');
      assert.equal(error.message, 'The server answered HTTP 500: Internal error: database is locked');
      assert.equal(sim.count('tasks/findSchedule'), 3);
    });

    it('caps long server text', async () => {
      sim.inject({ fault: { kind: 'status', status: 500, body: 'x'.repeat(5_000) }, times: Infinity });
      const error = (await failure(listAll(client({ retries: 0 })))) as PyramidHttpError;
      assert.equal(error.serverText.length, 300);
    });

    it('an HTML error page names itself instead of a JSON parse error', async () => {
      sim.inject({ fault: { kind: 'html', status: 502 }, times: Infinity });
      const error = await failure(listAll());
      assert.equal(error.message, 'The server answered with an HTML page (HTTP 502): check the server URL or proxy.');
    });

    it('an HTML page with status 200 (a login page) is named too', async () => {
      sim.inject({ fault: { kind: 'html', status: 200 } });
      const error = await failure(listAll());
      assert.ok(error instanceof PyramidResponseError);
      assert.equal(error.message, 'The server answered with an HTML page (HTTP 200): check the server URL or proxy.');
    });

    it('malformed JSON and an empty body are clear response errors', async () => {
      sim.inject({ fault: { kind: 'malformedJson' } });
      const malformed = await failure(listAll());
      assert.ok(malformed instanceof PyramidResponseError);
      assert.equal(malformed.message, "The server's answer to findSchedule is not valid JSON.");

      sim.inject({ fault: { kind: 'emptyBody' } });
      const empty = await failure(listAll());
      assert.equal(empty.message, 'The server sent an empty answer to findSchedule.');
    });

    it('a dropped connection is retried for reads', async () => {
      sim.inject({ fault: { kind: 'drop' }, path: 'tasks/findSchedule' });
      assert.ok((await listAll()).length > 0);
      assert.equal(sim.count('tasks/findSchedule'), 2);
    });

    it('a connection dropped mid-answer, every time, is a network error', async () => {
      sim.inject({ fault: { kind: 'dropMidBody' }, times: Infinity });
      const error = await failure(listAll());
      assert.ok(error instanceof PyramidNetworkError, `${error.name}: ${error.message}`);
      assert.match(error.message, /closed before the answer was complete/);
    });

    it('a refused connection says so', async () => {
      const url = sim.url;
      await sim.stop();
      const error = await failure(new PyramidClient({ serverUrl: url, token, retryDelayMs: 1 }).getMe());
      assert.ok(error instanceof PyramidNetworkError);
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.message, `Cannot connect to ${url}: the connection was refused. Check that the server is running and pyramid.serverUrl is right.`);
      sim = await PyramidSimulator.start({ clock });
    });

    it('times out a slow answer with the timeout in the message, without retrying', async () => {
      sim.inject({ fault: { kind: 'latency', ms: 1_000 } });
      const error = await failure(listAll(client({ timeoutMs: 200 })));
      assert.ok(error instanceof PyramidTimeoutError);
      assert.equal(error.message, `The server at ${sim.url} did not answer within 0.2 s.`);
      assert.equal(sim.count('tasks/findSchedule'), 1);
    });

    it('cancels on request', async () => {
      sim.inject({ fault: { kind: 'latency', ms: 1_000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const cancelled = await failure(client().getMe(controller.signal));
      assert.ok(cancelled instanceof PyramidCancelledError);
      assert.equal(cancelled.message, 'The request was cancelled.');
    });

    it('a 400 that speaks of the token is an authentication error; other 400s are not', async () => {
      sim.inject({ fault: { kind: 'status', status: 400, body: 'Invalid token' } });
      assert.ok(isSignInNeeded(await failure(listAll())));
      sim.inject({ fault: { kind: 'status', status: 400, body: 'Bad search criteria' } });
      const other = await failure(listAll());
      assert.ok(other instanceof PyramidHttpError && !(other instanceof PyramidAuthError));
    });

    for (const method of ['runSchedule', 'suspendSchedule', 'resumeSchedule'] as const) {
      it(`${method} is never retried, whatever the failure`, async () => {
        const api = client();
        const id = sim.schedule('Nightly Sales Load').scheduleId;
        for (const fault of [{ kind: 'status', status: 503, body: 'busy' }, { kind: 'drop' }] as const) {
          sim.clearLog();
          sim.inject({ fault, path: `tasks/${method}`, times: Infinity });
          await failure(api[method](id));
          assert.equal(sim.count(`tasks/${method}`), 1, `${fault.kind}: sent once`);
          sim.clearFaults();
        }
      });
    }
  });

  describe('a server that is not trusted', () => {
    const notFollowed = (method: string, status: number, origin?: string) =>
      `The server answered ${method} with a redirect (HTTP ${status})${origin ? ` to ${origin}` : ''}: a change is never sent twice or elsewhere, so it was not followed. If the server moved, change pyramid.serverUrl.`;

    for (const status of [302, 303, 307] as const) {
      it(`runSchedule under a same-origin ${status} reaches the server exactly once`, async () => {
        const id = sim.schedule('Nightly Sales Load').scheduleId;
        sim.inject({ fault: { kind: 'redirect', status, location: '/API3/tasks/runSchedule' }, path: 'tasks/runSchedule' });
        const error = await failure(client().runSchedule(id));
        assert.ok(error instanceof PyramidHttpError && !(error instanceof PyramidAuthError));
        assert.equal(error.status, status);
        assert.equal(error.message, notFollowed('runSchedule', status, sim.url));
        assert.equal(sim.count('tasks/runSchedule'), 1);
      });
    }

    it('suspendSchedule, resumeSchedule and authenticateUser follow no redirect either', async () => {
      const id = sim.schedule('Nightly Sales Load').scheduleId;
      const calls: [string, () => Promise<unknown>][] = [
        ['tasks/suspendSchedule', () => client().suspendSchedule(id)],
        ['tasks/resumeSchedule', () => client().resumeSchedule(id)],
        ['authentication/authenticateUser', () => client({ token: undefined }).authenticateUser(DEMO_USER.userName, DEMO_USER.password)],
      ];
      for (const [method, call] of calls) {
        sim.clearLog();
        sim.inject({ fault: { kind: 'redirect', status: 301, location: `/API3/${method}` }, path: method });
        const error = await failure(call());
        assert.equal(error.message, notFollowed(method.split('/')[1], 301, sim.url));
        assert.equal(sim.count(method), 1, method);
      }
    });

    it('names only the origin a write was redirected to, never its path or query', async () => {
      const id = sim.schedule('Nightly Sales Load').scheduleId;
      const location = `https://other.example:8443/collect/${token}?password=hunter2-secret&run=${id}#top`;
      sim.inject({ fault: { kind: 'redirect', status: 302, location }, path: 'tasks/runSchedule' });
      const error = await failure(client().runSchedule(id));
      assert.equal(error.message, notFollowed('runSchedule', 302, 'https://other.example:8443'));
      assert.ok(!JSON.stringify(events).includes('collect'));

      sim.inject({ fault: { kind: 'status', status: 302, body: 'Found' }, path: 'tasks/runSchedule' });
      assert.equal((await failure(client().runSchedule(id))).message, notFollowed('runSchedule', 302), 'no Location: no target named');
      assert.equal(sim.count('tasks/runSchedule'), 2);
    });

    it('reads still follow a redirect on the same origin', async () => {
      sim.inject({ fault: { kind: 'redirect', status: 307, location: '/API3/access/getMe' }, path: 'access/getMe' });
      assert.equal((await client().getMe()).userName, 'admin');
      assert.equal(sim.count('access/getMe'), 2);
    });

    it('redacts the token from error messages however the server echoes it', async () => {
      const jsonEscaped = Array.from(token, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join('');
      const echoes = [
        JSON.stringify(token).replace(/\//g, '\\/'),
        jsonEscaped,
        encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
        Buffer.from(token).toString('base64'),
        Buffer.from(`paToken=${token}`).toString('base64url').replace(/=+$/, ''),
      ];
      for (const echo of echoes) {
        sim.inject({ fault: { kind: 'status', status: 500, body: `{"error":"bad token","echo":"${echo}"}` } });
        const error = (await failure(client({ retries: 0 }).getMe())) as PyramidHttpError;
        assert.ok(!error.message.includes(echo) && !error.serverText.includes(echo), error.message);
        assert.match(error.message, /\[redacted\]/);
      }
      assert.ok(!JSON.stringify(events).includes(token));
    });

    it('redacts the token from the reason of a refused suspend', async () => {
      const id = sim.schedule('Nightly Sales Load').scheduleId;
      sim.inject({ fault: { kind: 'json', body: { success: false, errorMessage: `Token ${encodeURIComponent(token)} may not suspend` } }, path: 'tasks/suspendSchedule' });
      const error = await failure(client().suspendSchedule(id));
      assert.ok(error instanceof PyramidOperationError);
      assert.equal(error.message, 'Token [redacted] may not suspend');
    });

    it('redacts the token from task and run error texts, wherever the server puts it', async () => {
      const echo = `Refused for token ${token}, ${Buffer.from(token).toString('base64')}`;
      sim.inject({
        path: 'tasks/getTasks',
        fault: { kind: 'json', body: [{ id: 't1', status: 5, taskSummary: { error: { msg: 'Failed: {0}', params: [echo] }, message: echo }, formattedSummary: echo }] },
      });
      const [task] = await client().getTasks('e1');
      sim.inject({
        path: 'tasks/getExecutions',
        fault: { kind: 'json', body: [{ id: 'e1', error: echo, items: [{ id: 't1', status: 5, taskSummary: { error: { msg: echo } } }] }] },
      });
      const [execution] = await client().getExecutions('s1');
      const texts = [task.error, task.summary, task.formattedSummary, execution.error, execution.tasks[0].error];
      for (const text of texts) {
        assert.ok(text && !text.includes(token) && text.includes('[redacted]'), String(text));
      }
    });

    const notIds: [string, Fault][] = [
      ['a JSON object', { kind: 'json', body: { token: 'abc123' } }],
      ['a JSON array', { kind: 'json', body: ['abc123'] }],
      ['a JSON number', { kind: 'json', body: 1234567 }],
      ['an empty answer', { kind: 'emptyBody' }],
      ['an empty JSON string', { kind: 'json', body: '' }],
      ['a JSON string with a space inside', { kind: 'json', body: 'abc 123' }],
      ['a JSON string with a control character', { kind: 'json', body: 'abc\u0007123' }],
      ['raw text with a space inside', { kind: 'status', status: 200, body: 'Welcome back, admin' }],
      ['raw text with a control character', { kind: 'status', status: 200, body: 'abc\u0000123' }],
      ['markup', { kind: 'status', status: 200, body: '<b>abc123</b>' }],
      ['10 KB', { kind: 'status', status: 200, body: 'a'.repeat(10 * 1024) }],
    ];
    for (const [what, fault] of notIds) {
      it(`${what} is neither a token nor an execution id`, async () => {
        sim.inject({ fault, path: 'authentication/authenticateUser' });
        const signIn = await failure(client({ token: undefined }).authenticateUser(DEMO_USER.userName, DEMO_USER.password));
        assert.ok(signIn instanceof PyramidResponseError, signIn.message);
        assert.equal(signIn.message, "The server's answer to authenticateUser is not a token.");

        sim.inject({ fault, path: 'tasks/runSchedule' });
        const run = await failure(client().runSchedule(sim.schedule('Nightly Sales Load').scheduleId));
        assert.ok(run instanceof PyramidResponseError, run.message);
        assert.equal(run.message, "The server's answer to runSchedule is not an execution id.");
      });
    }

    it('takes a token or id as a JSON string or raw text, around which whitespace is ignored', async () => {
      sim.inject({ fault: { kind: 'status', status: 200, body: ' raw-Token_1/+= \r\n' }, path: 'authentication/authenticateUser' });
      assert.equal(await client({ token: undefined }).authenticateUser(DEMO_USER.userName, DEMO_USER.password), 'raw-Token_1/+=');
      sim.inject({ fault: { kind: 'json', body: 'e0c5c1a2-0000-4000-8000-000000000001' }, path: 'tasks/runSchedule' });
      assert.equal(await client().runSchedule(sim.schedule('Nightly Sales Load').scheduleId), 'e0c5c1a2-0000-4000-8000-000000000001');
    });

    it('refuses an answer listing more than 200,000 items before reading them', async () => {
      sim.inject({ fault: { kind: 'json', body: new Array(200_001).fill('task-id') }, path: 'tasks/getTasksIds' });
      const ids = await failure(client().getTasksIds('e1'));
      assert.ok(ids instanceof PyramidResponseError);
      assert.equal(ids.message, "The server's answer to getTasksIds lists more than 200,000 items; narrow it down with a filter.");

      sim.inject({ fault: { kind: 'json', body: new Array(200_001).fill(null) }, path: 'tasks/findSchedule' });
      const schedules = await failure(client().findSchedule({ searchValue: '', matchType: SearchMatchType.Contains }));
      assert.equal(schedules.message, "The server's answer to findSchedule lists more than 200,000 items; narrow it down with a filter.");
    });
  });

  describe('connections and secrets', () => {
    it('reuses one kept-alive connection for a series of polls', async () => {
      const api = client();
      const executionId = await api.runSchedule(sim.schedule('Nightly Sales Load').scheduleId);
      sim.clearLog();
      for (let i = 0; i < 5; i++) {
        await api.getScheduleExecutionStatus(executionId);
      }
      assert.equal(sim.count('tasks/getScheduleExecutionStatus'), 5);
      assert.equal(sim.connectionsOpened, 0, 'the connection opened for runSchedule is reused');
    });

    it('never puts the token or password into an error, even when the server echoes them', async () => {
      sim.inject({ fault: { kind: 'status', status: 500, body: `token ${token} rejected` }, times: Infinity });
      const withToken = await failure(client({ retries: 0 }).getMe());
      assert.ok(!withToken.message.includes(token));
      assert.ok(!(withToken as PyramidHttpError).serverText.includes(token));
      assert.match(withToken.message, /\[redacted\]/);
      assert.ok(!events.some((e) => JSON.stringify(e).includes(token)));

      sim.clearFaults();
      sim.inject({ fault: { kind: 'status', status: 400, body: 'password hunter2-secret is wrong' } });
      const withPassword = await failure(client({ token: undefined }).authenticateUser('admin', 'hunter2-secret'));
      assert.ok(!withPassword.message.includes('hunter2-secret'));
      assert.ok(!String(withPassword.stack).includes('hunter2-secret'));
    });
  });
});

describe('PyramidClient redirects', () => {
  let servers: http.Server[] = [];
  let received: { server: string; path: string; token?: string }[] = [];

  async function serve(name: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
    const server = http.createServer((req, res) => {
      received.push({ server: name, path: req.url ?? '', token: req.headers.patoken as string | undefined });
      req.resume();
      req.on('end', () => handler(req, res));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers = [];
    received = [];
  });

  it('does not follow a redirect to another origin, so the token stays with its server', async () => {
    const elsewhere = await serve('elsewhere', (_req, res) => res.end('{}'));
    const origin = await serve('origin', (_req, res) => {
      res.writeHead(307, { Location: `${elsewhere}/API3/access/getMe` }).end();
    });
    const error = await failure(new PyramidClient({ serverUrl: origin, token: 'secret-token-1' }).getMe());
    assert.ok(error instanceof PyramidHttpError);
    assert.match(error.message, /redirected to .* another address/);
    assert.deepEqual(received.map((r) => r.server), ['origin']);
  });

  it('follows a redirect on the same origin, keeping the method and token', async () => {
    const origin = await serve('origin', (req, res) => {
      if (req.url === '/API3/access/getMe') {
        res.writeHead(308, { Location: '/pyramid/API3/access/getMe' }).end();
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"userName":"admin"}');
      }
    });
    const me = await new PyramidClient({ serverUrl: origin, token: 'secret-token-1' }).getMe();
    assert.equal(me.userName, 'admin');
    assert.deepEqual(received.map((r) => [r.path, r.token]), [
      ['/API3/access/getMe', 'secret-token-1'],
      ['/pyramid/API3/access/getMe', 'secret-token-1'],
    ]);
  });

  it('keeps a path prefix of the server URL', async () => {
    const origin = await serve('origin', (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    await new PyramidClient({ serverUrl: `${origin}/pyramid`, token: 't0ken' }).getMe();
    assert.equal(received[0].path, '/pyramid/API3/access/getMe');
  });
});

describe('PyramidClient over https with a private CA', function () {
  this.timeout(20_000);
  let sim: PyramidSimulator;
  let certificates: ReturnType<typeof makeTestCertificates>;

  before(async () => {
    certificates = makeTestCertificates();
    sim = await PyramidSimulator.start({ tls: { key: certificates.key, cert: certificates.cert } });
  });

  after(async () => {
    await sim.stop();
  });

  it('refuses the server while its CA is not trusted, saying how to fix it, and sends no request', async () => {
    const error = await failure(new PyramidClient({ serverUrl: sim.url, token: sim.issueToken() }).getMe());
    assert.ok(error instanceof PyramidNetworkError);
    assert.match(error.message, /^The TLS certificate of 127\.0\.0\.1 is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\. .*pyramid\.caCertificates\.$/);
    assert.equal(sim.count(), 0);
  });

  it('trusts the server once its CA is added, still verifying the certificate', async () => {
    assert.ok(sim.url.startsWith('https://'));
    const api = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken(), caCertificates: [certificates.caCert] });
    assert.equal((await api.getMe()).userName, 'admin');

    const wrongHost = new PyramidClient({ serverUrl: sim.url.replace('127.0.0.1', '127.0.0.2'), token: 'x', caCertificates: [certificates.caCert], retries: 0 });
    const error = await failure(wrongHost.getMe());
    assert.ok(error instanceof PyramidNetworkError, 'a name mismatch is still refused');
  });
});

describe('PyramidClient with large answers', function () {
  this.timeout(30_000);
  let server: http.Server;
  let url: string;
  let bytes: number;

  before(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Schedules with long descriptions until the answer has the wanted size.
      const description = 'x'.repeat(1_000);
      let sent = 1;
      res.write('[');
      for (let i = 0; sent < bytes; i++) {
        const item = `${i ? ',' : ''}{"scheduleId":"id-${i}","name":"Schedule ${i}","description":"${description}","type":1,"status":0}`;
        res.write(item);
        sent += item.length;
      }
      res.end(']');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a 20 MB findSchedule answer', async () => {
    bytes = 20 * 1024 * 1024;
    const schedules = await new PyramidClient({ serverUrl: url, token: 't0ken' }).findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
    assert.ok(schedules.length > 19_000, `${schedules.length} schedules`);
  });

  it('refuses an answer over the size limit with a clear message', async () => {
    bytes = MAX_ANSWER_BYTES + 1024;
    const error = await failure(new PyramidClient({ serverUrl: url, token: 't0ken', retries: 0 }).findSchedule({ searchValue: '', matchType: SearchMatchType.Contains }));
    assert.ok(error instanceof PyramidResponseError);
    assert.equal(error.message, "The server's answer is larger than 64 MB; narrow it down with a filter.");
  });
});
