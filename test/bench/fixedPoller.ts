// The documented approach, the baseline of the polling benchmark: as in Pyramid's example, every run
// has its own timer and checks its status every 3 seconds until it ends. Each request opens a new TCP
// connection, as a script calling requests.post without a Session (or any client without keep-alive) does.
import * as http from 'node:http';
import { EnumValue, TaskStatus, parseTaskStatus, taskOutcome } from '../../src/api';
import { isFinalOutcome } from '../../src/monitor/runs';
import { ScenarioClock } from './scenarioClock';

export interface FixedPollerOptions {
  serverUrl: string;
  token: string;
  intervalMs: number;
  timers: ScenarioClock;
  onStatus: (executionId: string, status: EnumValue<TaskStatus>) => void;
}

export class FixedIntervalPoller {
  constructor(private readonly options: FixedPollerOptions) {}

  /** Starts a run; returns its execution id. */
  async runSchedule(scheduleId: string): Promise<string> {
    return JSON.parse(await this.post('tasks/runSchedule', { scheduleId, checkTriggers: false })) as string;
  }

  /** Checks the run at once, then every interval until it ends. */
  async watch(executionId: string): Promise<void> {
    const status = parseTaskStatus(JSON.parse(await this.post('tasks/getScheduleExecutionStatus', executionId)));
    this.options.onStatus(executionId, status);
    if (!isFinalOutcome(taskOutcome(status))) {
      const { timers, intervalMs } = this.options;
      timers.setTimeout(() => void timers.track(this.watch(executionId)), intervalMs);
    }
  }

  /** One POST on a connection of its own, closed after the answer. */
  private post(method: string, body: unknown): Promise<string> {
    const url = new URL(`/API3/${method}`, this.options.serverUrl);
    return new Promise((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', paToken: this.options.token, Connection: 'close' },
      });
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(text) : reject(new Error(`${method}: HTTP ${response.statusCode} ${text}`))));
      });
      request.on('error', reject);
      request.end(JSON.stringify(body));
    });
  }
}
