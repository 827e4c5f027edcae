// The JSON shapes of spec §5, rendered in the current wire modes.
import { AdminType, PrintingOutputType, ScheduleDataType, ScheduleStatus, ScheduleType, TaskStatus, TaskStatusCode } from './codes';
import { formatError, SimExecution, SimTask } from './executions';
import { stableGuid } from './ids';
import { SimSchedule, TaskError } from './schedules';
import { SimUser } from './users';
import { WireFormat } from './wire';

export function scheduleView(schedule: SimSchedule, wire: WireFormat) {
  return {
    scheduleId: schedule.scheduleId,
    name: schedule.name,
    description: schedule.spec.description,
    type: wire.code(ScheduleType, schedule.type),
    createdDate: wire.date(schedule.createdDate),
    createdBy: schedule.spec.createdBy,
    startDate: wire.date(schedule.startDate),
    endDate: wire.date(schedule.endDate),
    scheduleDataType: wire.code(ScheduleDataType, schedule.spec.scheduleDataType),
    status: wire.code(ScheduleStatus, schedule.status),
    scheduleItemId: schedule.scheduleItemId,
    scheduleItemName: schedule.spec.itemName,
    tenantId: schedule.tenantId,
  };
}

export function userView(user: SimUser, wire: WireFormat) {
  return {
    id: user.id,
    userName: user.userName,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    adminType: wire.code(AdminType, user.adminType),
    createdDate: wire.date(user.createdDate),
    lastLoginDate: wire.date(user.lastLoginDate),
  };
}

const QUEUED_SUMMARY = 'Waiting for an available task engine';
const STATUS_SUMMARY: Partial<Record<TaskStatusCode, string>> = {
  [TaskStatus.PENDING_FOR_EVALUATION]: 'Waiting for trigger evaluation',
  [TaskStatus.RUNNING_EVALUATION]: 'Evaluating triggers',
  [TaskStatus.RUNNING]: 'Running',
  [TaskStatus.STOPPED_AFTER_EVALUATION]: 'Stopped: the trigger condition was not met',
};

function taskSummary(task: SimTask, status: TaskStatusCode, error: TaskError | undefined) {
  if (status === TaskStatus.ERROR && error) {
    const message = 'Processing failed';
    return {
      summary: message,
      formattedSummary: `${message}: ${formatError(error)}`,
      taskSummary: { message, params: [], error: { ...error }, inheritanceType: 'TaskSummary' },
    };
  }
  const message = status === TaskStatus.FINISHED ? task.successSummary : (STATUS_SUMMARY[status] ?? QUEUED_SUMMARY);
  return {
    summary: message,
    formattedSummary: message,
    taskSummary: { message, params: [], error: null, inheritanceType: 'TaskSummary' },
  };
}

/** A finished publication task's outputs: its own when a test set them, else one file named after the task. */
export function taskOutputs(execution: SimExecution, task: SimTask, now: number, overrides: ReadonlyMap<string, readonly OutputItem[]>): OutputItem[] {
  const publishes = execution.schedule.run.outputType !== PrintingOutputType.NoPrinting;
  if (!publishes || execution.taskStatus(task, now) !== TaskStatus.FINISHED) {
    return [];
  }
  const extension = OUTPUT_EXTENSIONS[execution.schedule.run.outputType] ?? 'out';
  return [...(overrides.get(task.id.toLowerCase()) ?? [{ id: stableGuid(`output/${task.id}`), name: `${task.description}.${extension}` }])];
}

export interface OutputItem {
  id: string;
  name: string | null;
}

const OUTPUT_EXTENSIONS: Partial<Record<number, string>> = {
  [PrintingOutputType.PDF]: 'pdf',
  [PrintingOutputType.Word]: 'docx',
  [PrintingOutputType.PowerPoint]: 'pptx',
  [PrintingOutputType.Excel]: 'xlsx',
  [PrintingOutputType.Html]: 'html',
  [PrintingOutputType.CSV]: 'csv',
};

export function taskView(execution: SimExecution, task: SimTask, now: number, wire: WireFormat, outputOverrides: ReadonlyMap<string, readonly OutputItem[]> = new Map()) {
  const outputs = taskOutputs(execution, task, now, outputOverrides);
  const status = execution.taskStatus(task, now);
  const started = execution.taskStart(task, now);
  const schedule = execution.schedule;
  return {
    id: task.id,
    status: wire.code(TaskStatus, status),
    description: task.description,
    ...taskSummary(task, status, execution.taskError(task)),
    result: null,
    outputId: outputs[0]?.id ?? null,
    outputType: wire.code(PrintingOutputType, schedule.run.outputType),
    executorId: started === null ? null : 'te-01',
    executorDescription: started === null ? null : 'pyramid-te-01',
    scheduleId: schedule.scheduleId,
    scheduleName: schedule.name,
    scheduleItemId: schedule.scheduleItemId,
    scheduleType: wire.code(ScheduleType, schedule.type),
    contentType: null,
    createdBy: schedule.spec.createdBy,
    createdDate: wire.date(execution.launchedAt),
    startDate: wire.date(started),
    endDate: wire.date(execution.taskEnd(task, now)),
    timeZoneId: schedule.spec.timeZoneId,
  };
}

const EMPTY_COUNTS = { success: 0, partialSuccess: 0, failed: 0, canceled: 0, running: 0, pending: 0, triggerStopped: 0 };

/** Which ExecutionViewData count each task status adds to. */
const COUNTED_AS: Record<TaskStatusCode, keyof typeof EMPTY_COUNTS> = {
  [TaskStatus.PENDING]: 'pending',
  [TaskStatus.PENDING_FOR_EVALUATION]: 'pending',
  [TaskStatus.RUNNING]: 'running',
  [TaskStatus.RUNNING_EVALUATION]: 'running',
  [TaskStatus.DURING_LOCK]: 'running',
  [TaskStatus.DURING_LOCK_EVALUATION]: 'running',
  [TaskStatus.CANCELING]: 'running',
  [TaskStatus.FINISHED]: 'success',
  [TaskStatus.FINISHED_RENDERING]: 'success',
  [TaskStatus.FINISHED_WITH_ERRORS]: 'partialSuccess',
  [TaskStatus.ERROR]: 'failed',
  [TaskStatus.CANCELED]: 'canceled',
  [TaskStatus.EVALUATION_CANCELED]: 'canceled',
  [TaskStatus.STOPPED_WITHOUT_RUNNING]: 'canceled',
  [TaskStatus.DELETED]: 'canceled',
  [TaskStatus.STOPPED_AFTER_EVALUATION]: 'triggerStopped',
};

const percent = (count: number, total: number) => (total === 0 ? 0 : Math.round((count / total) * 10000) / 100);

export function executionView(execution: SimExecution, now: number, wire: WireFormat, outputOverrides: ReadonlyMap<string, readonly OutputItem[]> = new Map()) {
  const counts = { ...EMPTY_COUNTS };
  for (const task of execution.tasks) {
    counts[COUNTED_AS[execution.taskStatus(task, now)]]++;
  }
  const total = execution.tasks.length;
  const failedTask = execution.tasks.find((task) => execution.taskStatus(task, now) === TaskStatus.ERROR && execution.taskError(task));
  const failedError = failedTask && execution.taskError(failedTask);
  const countFields: Record<string, number> = {};
  for (const [name, count] of Object.entries(counts)) {
    countFields[`${name}Pct`] = percent(count, total);
    countFields[`${name}Count`] = count;
  }
  return {
    id: execution.id,
    startDate: wire.date(execution.launchedAt),
    endDate: wire.date(execution.endDate(now)),
    outputType: wire.code(PrintingOutputType, execution.schedule.run.outputType),
    error: failedError ? formatError(failedError) : null,
    ...countFields,
    items: execution.tasks.map((task) => taskView(execution, task, now, wire, outputOverrides)),
  };
}
