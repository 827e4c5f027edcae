// Today's backoff before run histories, kept as a baseline of the polling benchmark: every run checked at
// once, then after the base interval, the wait growing by half with each unchanged answer up to the
// maximum, back to the base on a change. The real client (one keep-alive agent), one timer per run.
import { PyramidClient, TaskStatus, EnumValue, taskOutcome } from '../../src/api';
import { isFinalOutcome } from '../../src/monitor/runs';
import { Intervals } from './pollingScenario';
import { ScenarioClock } from './scenarioClock';

export interface BackoffPollerOptions {
  client: PyramidClient;
  intervals: Intervals;
  timers: ScenarioClock;
  onStatus: (executionId: string, status: EnumValue<TaskStatus>) => void;
}

export class BackoffPoller {
  constructor(private readonly options: BackoffPollerOptions) {}

  /** Checks the run at once, then on the growing cadence until it ends. */
  async watch(executionId: string, waitMs = this.options.intervals.baseIntervalMs, last?: string): Promise<void> {
    const status = await this.options.client.getScheduleExecutionStatus(executionId);
    this.options.onStatus(executionId, status);
    if (isFinalOutcome(taskOutcome(status))) {
      return;
    }
    const { baseIntervalMs, maxIntervalMs } = this.options.intervals;
    const next = last === undefined || last !== status.label ? baseIntervalMs : Math.min(maxIntervalMs, Math.round(waitMs * 1.5));
    const { timers } = this.options;
    timers.setTimeout(() => void timers.track(this.watch(executionId, next, status.label)), next);
  }
}
