/**
 * The server's objects as the details webview receives them: plain data, dates as epoch ms, every
 * server text made inert for the webview (src/util/untrusted.ts). No `vscode` import.
 */
import { Execution, ItemId, Schedule, Task, TaskOutcome, taskOutcome } from '../api';
import { executionOutcome, outcomeLabel, taskProblem } from '../present/look';
import { plainText, webviewText } from '../util/untrusted';
import { isFailedTask, scheduleState } from '../views/treeModel';
import { RunOutcome, RunSummary, ScheduleHeader, TaskSummary } from './protocol';

/** A one-line name: long names are rare, but a server may send anything. */
const NAME_LIMIT = 500;

export function runOutcome(outcome: TaskOutcome): RunOutcome {
  return outcome === 'active' || outcome === 'rendering' ? 'running' : outcome;
}

export function runSummary(execution: Execution): RunSummary {
  const { counts } = execution;
  const outcome = executionOutcome(execution);
  return {
    id: execution.id,
    startedAt: execution.startDate?.getTime(),
    endedAt: execution.endDate?.getTime(),
    outcome: runOutcome(outcome),
    outcomeLabel: outcomeLabel(outcome),
    counts: {
      succeeded: counts.success,
      partial: counts.partialSuccess,
      failed: counts.failed,
      running: counts.running + counts.pending,
      other: counts.canceled + counts.triggerStopped,
    },
    error: execution.error === undefined ? undefined : webviewText(execution.error),
  };
}

export function taskSummary(task: Task, outputs?: ItemId[]): TaskSummary {
  const problem = taskProblem(task);
  return {
    id: task.id,
    name: plainText(task.description || `Task ${task.id}`, NAME_LIMIT),
    status: plainText(task.status.label, NAME_LIMIT),
    outcome: runOutcome(taskOutcome(task.status)),
    startedAt: task.startDate?.getTime(),
    endedAt: task.endDate?.getTime(),
    executor: task.executorDescription === undefined ? undefined : plainText(task.executorDescription, NAME_LIMIT),
    error: problem === undefined ? undefined : webviewText(problem),
    summary: problem === undefined && (task.formattedSummary ?? task.summary) ? webviewText((task.formattedSummary ?? task.summary)!) : undefined,
    rerunnable: isFailedTask(task),
    ...(outputs && { outputs: outputs.map((output) => ({ id: output.id, name: plainText(output.name || `Output ${output.id}`, NAME_LIMIT) })) }),
  };
}

export function scheduleHeader(schedule: Schedule, facts: Pick<ScheduleHeader, 'pinned' | 'watched' | 'estimate'>): ScheduleHeader {
  const text = (value: string | undefined) => (value === undefined ? undefined : plainText(value, NAME_LIMIT));
  return {
    scheduleId: plainText(schedule.scheduleId, NAME_LIMIT),
    name: plainText(schedule.name, NAME_LIMIT),
    type: plainText(schedule.type.label, NAME_LIMIT),
    status: plainText(schedule.status.label, NAME_LIMIT),
    state: scheduleState(schedule),
    contentItem: text(schedule.scheduleItemName),
    contentItemId: text(schedule.scheduleItemId),
    createdBy: text(schedule.createdBy),
    createdAt: schedule.createdDate?.getTime(),
    startsAt: schedule.startDate?.getTime(),
    endsAt: schedule.endDate?.getTime(),
    recurrence: schedule.recurrence.raw === undefined ? undefined : plainText(schedule.recurrence.label, NAME_LIMIT),
    description: schedule.description === undefined ? undefined : webviewText(schedule.description),
    pinned: facts.pinned,
    watched: facts.watched,
    ...(facts.estimate && { estimate: facts.estimate }),
  };
}
