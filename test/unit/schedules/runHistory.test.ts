import * as assert from 'node:assert/strict';
import { Execution } from '../../../src/api';
import { ESTIMATE_MAX_AGE_MS, HistoryApi, RunHistory } from '../../../src/schedules/runHistory';
import { history } from '../monitor/fakes';

const MINUTE = 60_000;

describe('RunHistory estimates', () => {
  let now: number;
  let requests: string[];
  let answer: Execution[];
  let runHistory: RunHistory;

  beforeEach(() => {
    now = 1_000_000;
    requests = [];
    answer = history([4 * MINUTE, 5 * MINUTE, 6 * MINUTE]);
    const client: HistoryApi = {
      getExecutions: async (scheduleId) => {
        requests.push(scheduleId);
        return answer;
      },
      getTasks: async () => [],
      getTaskOutputs: async () => [],
    };
    runHistory = new RunHistory({ client: async () => client, now: () => now, log: { warn: () => undefined } });
  });

  it('reads the history once for an estimate, and shares one request between readers', async () => {
    const [first, second] = await Promise.all([runHistory.estimate('s1'), runHistory.executions('s1')]);
    assert.equal(first?.typicalMs, 5 * MINUTE);
    assert.equal(second.length, 3);
    assert.deepEqual(requests, ['s1']);
  });

  it('asks nothing when the answer is recent, even after a run start invalidated it', async () => {
    await runHistory.executions('s1');
    runHistory.invalidate('s1');
    now += ESTIMATE_MAX_AGE_MS - 1;
    assert.equal((await runHistory.estimate('s1'))?.typicalMs, 5 * MINUTE);
    assert.deepEqual(requests, ['s1']);
    now += 1;
    await runHistory.estimate('s1');
    assert.deepEqual(requests, ['s1', 's1'], 'an old answer is read again');
  });

  it('keeps nothing for another user after a sign-out, and gives no estimate from too few runs', async () => {
    await runHistory.executions('s1');
    runHistory.clear();
    answer = history([4 * MINUTE, 5 * MINUTE]);
    assert.equal(await runHistory.estimate('s1'), undefined);
    assert.deepEqual(requests, ['s1', 's1']);
  });
});
