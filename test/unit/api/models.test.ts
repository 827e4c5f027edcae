import * as assert from 'node:assert/strict';
import {
  MAX_ANSWER_ITEMS,
  MAX_TOKEN_LENGTH,
  PyramidResponseError,
  ScheduleStatus,
  ScheduleType,
  TaskStatus,
  isSuspended,
  parseDate,
  parseExecutions,
  parseItemIds,
  parseModifiedItemsResult,
  parseSchedules,
  parseStringId,
  parseTask,
  parseTaskStatus,
  parseTasks,
  scheduleStatuses,
  taskOutcome,
  taskStatuses,
} from '../../../src/api';

describe('enums', () => {
  it('map numbers, digit strings and names in any case to one code', () => {
    for (const raw of [4, '4', 'RUNNING', 'running', 'Running', ' RUNNING ']) {
      const value = taskStatuses.parse(raw);
      assert.equal(value.code, TaskStatus.Running, `from ${JSON.stringify(raw)}`);
      assert.equal(value.label, 'Running');
    }
    assert.equal(taskStatuses.parse('finished_with_errors').code, TaskStatus.FinishedWithErrors);
    assert.equal(taskStatuses.parse('FinishedWithErrors').code, TaskStatus.FinishedWithErrors);
  });

  it('keep an unknown value and show it as Unknown (…)', () => {
    assert.deepEqual(taskStatuses.parse(17), { code: undefined, raw: 17, label: 'Unknown (17)' });
    assert.deepEqual(taskStatuses.parse('WAITING_FOR_GODOT'), { code: undefined, raw: 'WAITING_FOR_GODOT', label: 'Unknown (WAITING_FOR_GODOT)' });
    assert.equal(taskStatuses.parse(undefined).label, 'Unknown');
    assert.equal(taskStatuses.parse(null).label, 'Unknown');
    assert.equal(taskStatuses.parse(2.5).label, 'Unknown');
  });

  it('sort task statuses into what a watcher does with them', () => {
    const outcome = (code: number) => taskOutcome(taskStatuses.parse(code));
    assert.deepEqual([0, 4, 7, 9, 10, 11, 12].map(outcome), Array(7).fill('active'));
    assert.equal(outcome(TaskStatus.Finished), 'succeeded');
    assert.equal(outcome(TaskStatus.FinishedRendering), 'rendering');
    assert.equal(outcome(TaskStatus.Error), 'failed');
    assert.equal(outcome(TaskStatus.FinishedWithErrors), 'partial');
    assert.equal(outcome(TaskStatus.StoppedAfterEvaluation), 'skipped');
    assert.equal(outcome(TaskStatus.Canceled), 'canceled');
    assert.equal(outcome(99), 'unknown');
  });

  it('call HOLD and STOPPED suspended', () => {
    assert.ok(isSuspended(scheduleStatuses.parse('HOLD')));
    assert.ok(isSuspended(scheduleStatuses.parse(1)));
    assert.ok(!isSuspended(scheduleStatuses.parse(0)));
    assert.equal(scheduleStatuses.label(ScheduleStatus.Hold), 'Suspended');
  });
});

describe('parseDate', () => {
  it('reads epoch milliseconds, digit strings and ISO strings', () => {
    const expected = Date.UTC(2026, 5, 3, 12, 0, 0);
    assert.equal(parseDate(expected)?.getTime(), expected);
    assert.equal(parseDate(String(expected))?.getTime(), expected);
    assert.equal(parseDate('2026-06-03T12:00:00Z')?.getTime(), expected);
    assert.equal(parseDate('2026-06-03T12:00:00.000+00:00')?.getTime(), expected);
  });

  it('gives no date for null, garbage or other types', () => {
    for (const raw of [null, undefined, '', 'yesterday', {}, [], Number.NaN, true]) {
      assert.equal(parseDate(raw), undefined, JSON.stringify(raw));
    }
  });

  it('gives no date for numbers and strings that make an invalid Date or a year outside 1900..9999', () => {
    const outOfRange = [
      1e20, -1e20, 8.64e15 + 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE,
      Date.UTC(1899, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1),
      '100000000000000000000', '-100000000000000000000', '1e20', '0001-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '+010000-01-01T00:00:00Z',
    ];
    for (const raw of outOfRange) {
      assert.equal(parseDate(raw), undefined, String(raw));
    }
    assert.equal(parseDate(Date.UTC(1900, 0, 1))?.toISOString(), '1900-01-01T00:00:00.000Z');
    assert.equal(parseDate('9999-12-31T23:59:59.999Z')?.toISOString(), '9999-12-31T23:59:59.999Z');
    assert.equal(parseDate(0)?.getTime(), 0);
  });

  it('reads a schedule whose dates are out of range as having none', () => {
    const [schedule] = parseSchedules([{ scheduleId: 's1', createdDate: 1e20, startDate: '0001-01-01T00:00:00', endDate: -1e20 }]);
    assert.deepEqual([schedule.createdDate, schedule.startDate, schedule.endDate], [undefined, undefined, undefined]);
  });
});

describe('parseStringId', () => {
  const notAToken = new PyramidResponseError("The server's answer to authenticateUser is not a token.");

  it('takes a JSON string or raw text of visible ASCII, ignoring whitespace around it', () => {
    assert.equal(parseStringId('"abc-123"', 'authenticateUser', 'a token'), 'abc-123');
    assert.equal(parseStringId(' abc/+=_~!.123 \n', 'authenticateUser', 'a token'), 'abc/+=_~!.123');
    assert.equal(parseStringId('" abc "', 'authenticateUser', 'a token'), 'abc');
    assert.equal(parseStringId('"a\\/b"', 'authenticateUser', 'a token'), 'a/b');
    assert.equal(parseStringId('x'.repeat(MAX_TOKEN_LENGTH), 'authenticateUser', 'a token').length, MAX_TOKEN_LENGTH);
  });

  it('refuses JSON values that are not strings, empty answers, whitespace, control characters, markup and long text', () => {
    const answers = [
      '{"token":"abc"}', '["abc"]', '12345', '-1.5e3', 'true', 'null', '', '   ', '""', '"   "',
      'abc def', '"abc def"', 'abc\tdef', '"abc\\u0000def"', 'abc\u0000def', 'abc\u007fdef', 'abcdéf', '"abc',
      '<b>abc</b>', '<script>', 'x'.repeat(MAX_TOKEN_LENGTH + 1), `"${'x'.repeat(10 * 1024)}"`,
    ];
    for (const answer of answers) {
      assert.throws(() => parseStringId(answer, 'authenticateUser', 'a token'), notAToken, JSON.stringify(answer));
    }
    assert.throws(() => parseStringId('{}', 'runSchedule', 'an execution id'), new PyramidResponseError("The server's answer to runSchedule is not an execution id."));
  });
});

describe('parsers', () => {
  it('read a schedule with every field, and one with only an id', () => {
    const [full, bare] = parseSchedules([
      {
        scheduleId: 's1', name: 'Nightly Sales Load', description: 'Reprocess', type: 'ETL', status: 4, scheduleDataType: 1,
        createdDate: '2026-01-01T00:00:00Z', createdBy: 'admin', startDate: 1767225600000, endDate: null,
        scheduleItemId: 'i1', scheduleItemName: 'Sales Model', tenantId: 't1',
      },
      { scheduleId: 's2' },
    ]);
    assert.equal(full.type.code, ScheduleType.Etl);
    assert.equal(full.status.code, ScheduleStatus.Hold);
    assert.equal(full.recurrence.label, 'Recurring');
    assert.equal(full.createdDate?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(full.endDate, undefined);
    assert.equal(bare.name, '(unnamed schedule)');
    assert.equal(bare.type.label, 'Unknown');
  });

  it('accept the API2 {data: …} envelope', () => {
    assert.equal(parseSchedules({ data: [{ scheduleId: 's1', name: 'A' }] })[0].name, 'A');
    assert.equal(parseTaskStatus({ data: { status: 'ERROR' } }).code, TaskStatus.Error);
  });

  it('reject answers of the wrong shape with a message naming the method', () => {
    assert.throws(() => parseSchedules({ schedules: [] }), new PyramidResponseError("The server's answer to findSchedule is not the expected list."));
    assert.throws(() => parseSchedules([{ name: 'no id' }]), /findSchedule has an item without "scheduleId"/);
    assert.throws(() => parseExecutions('nope'), PyramidResponseError);
  });

  it('read a status as {status}, a bare code or a bare name', () => {
    assert.equal(parseTaskStatus({ status: 1 }).code, TaskStatus.Finished);
    assert.equal(parseTaskStatus(3).code, TaskStatus.Error);
    assert.equal(parseTaskStatus('CANCELED').code, TaskStatus.Canceled);
    assert.equal(parseTaskStatus({}).label, 'Unknown');
    assert.equal(parseTaskStatus({ status: 99 }).label, 'Unknown (99)');
  });

  it('fill the parameters of a task error message', () => {
    const task = parseTask({
      id: 't1', status: 3,
      taskSummary: { message: 'Processing failed', error: { msg: 'Connection to {0}:{1} refused', code: 1001, params: ['db01', 5432] } },
    });
    assert.equal(task.error, 'Connection to db01:5432 refused');
    assert.equal(task.summary, 'Processing failed');
  });

  it('sort executions newest first and default missing counts to zero', () => {
    const executions = parseExecutions([
      { id: 'old', startDate: 1000, successCount: 1 },
      { id: 'new', startDate: '1970-01-01T00:00:05Z', failedCount: '2', items: [{ id: 't', status: 'ERROR' }] },
    ]);
    assert.deepEqual(executions.map((e) => e.id), ['new', 'old']);
    assert.equal(executions[0].counts.failed, 2);
    assert.equal(executions[0].counts.success, 0);
    assert.equal(executions[0].tasks[0].status.code, TaskStatus.Error);
  });

  it('refuse a list of more than MAX_ANSWER_ITEMS items before parsing any of them', () => {
    assert.equal(MAX_ANSWER_ITEMS, 200_000);
    const tooMany = (what: string) => new PyramidResponseError(`The server's answer to ${what} lists more than 200,000 items; narrow it down with a filter.`);
    // Items that would fail to parse: the count is what is refused, before the first item is looked at.
    const garbage = new Array(MAX_ANSWER_ITEMS + 1).fill(null);
    assert.throws(() => parseSchedules(garbage), tooMany('findSchedule'));
    assert.throws(() => parseSchedules({ data: garbage }), tooMany('findSchedule'));
    assert.throws(() => parseExecutions(garbage), tooMany('getExecutions'));
    assert.throws(() => parseTasks(garbage), tooMany('getTasks'));
    assert.throws(() => parseItemIds(garbage, 'getTasksIds'), tooMany('getTasksIds'));
    assert.throws(() => parseModifiedItemsResult({ success: true, modifiedList: garbage }, 'suspendSchedule'), tooMany('suspendSchedule'));
    assert.equal(parseItemIds(new Array(MAX_ANSWER_ITEMS).fill('id'), 'getTasksIds').length, MAX_ANSWER_ITEMS);
  });

  it('count the tasks inside executions towards the limit', () => {
    const half = new Array(MAX_ANSWER_ITEMS / 2).fill(null);
    assert.throws(() => parseExecutions([{ id: 'e1', items: half }, { id: 'e2', items: half }]), /getExecutions lists more than 200,000 items/);
    assert.throws(() => parseExecutions([{ id: 'e1', items: new Array(MAX_ANSWER_ITEMS + 1).fill(null) }]), /getExecutions lists more than 200,000 items/);
  });

  it('read ModifiedItemsResult success and failure', () => {
    assert.deepEqual(parseModifiedItemsResult({ success: true, errorMessage: '', modifiedList: [{ id: 's1', name: null }] }, 'suspendSchedule'), {
      success: true,
      errorMessage: undefined,
      modified: [{ id: 's1', name: undefined }],
    });
    const refused = parseModifiedItemsResult({ success: false, errorMessage: ' Already suspended ' }, 'suspendSchedule');
    assert.equal(refused.success, false);
    assert.equal(refused.errorMessage, 'Already suspended');
  });
});
