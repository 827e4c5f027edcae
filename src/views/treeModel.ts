/**
 * How schedules are arranged in the tree: grouped (src/schedules/ filters and sorts them), and what
 * each schedule shows (description, context value). No `vscode` import, so it unit-tests in plain Node.
 */
import { Schedule, ScheduleStatus, ScheduleType, Task, isSuspended, scheduleStatuses, taskOutcome } from '../api';
import type { GroupBy } from '../config';

export interface ScheduleGroup {
  /** Stable across refreshes: part of the tree item id. */
  key: string;
  label: string;
  schedules: Schedule[];
}

/** The types people schedule themselves, in the order they are shown; the rest are system housekeeping. */
const TYPE_GROUPS: { key: string; label: string; types: ScheduleType[] }[] = [
  { key: 'dataflows', label: 'Data flows', types: [ScheduleType.Etl] },
  { key: 'publications', label: 'Publications', types: [ScheduleType.Printing, ScheduleType.PrintEtl] },
  { key: 'alerts', label: 'Alerts', types: [ScheduleType.Alert] },
  { key: 'subscriptions', label: 'Subscriptions', types: [ScheduleType.Subscription] },
  { key: 'ml', label: 'Machine learning', types: [ScheduleType.MachineLearning] },
  { key: 'snapshots', label: 'Image snapshots', types: [ScheduleType.ImageSnapshot, ScheduleType.ImageSnapshotNow] },
];
const SYSTEM_GROUP = { key: 'system', label: 'System' };
const OTHER_GROUP = { key: 'other', label: 'Other' };

const STATUS_ORDER: ScheduleStatus[] = [
  ScheduleStatus.Idle,
  ScheduleStatus.Hold,
  ScheduleStatus.Stopped,
  ScheduleStatus.DisabledAfterFailures,
  ScheduleStatus.Finished,
  ScheduleStatus.Canceled,
  ScheduleStatus.Deleted,
];

/** Groups sorted schedules; empty groups are left out. `none` gives one group holding all. */
export function groupSchedules(sorted: readonly Schedule[], groupBy: GroupBy): ScheduleGroup[] {
  if (groupBy === 'none') {
    return [{ key: 'all', label: 'All schedules', schedules: [...sorted] }];
  }
  const groups = new Map<string, ScheduleGroup>();
  const add = (key: string, label: string, schedule: Schedule) => {
    const group = groups.get(key) ?? { key, label, schedules: [] };
    group.schedules.push(schedule);
    groups.set(key, group);
  };
  for (const schedule of sorted) {
    if (groupBy === 'type') {
      const code = schedule.type.code;
      const group = TYPE_GROUPS.find((g) => code !== undefined && g.types.includes(code)) ?? (code === undefined ? OTHER_GROUP : SYSTEM_GROUP);
      add(group.key, group.label, schedule);
    } else {
      const code = schedule.status.code;
      add(code === undefined ? 'status-unknown' : `status-${code}`, code === undefined ? 'Unknown status' : scheduleStatuses.label(code), schedule);
    }
  }
  const order = groupBy === 'type'
    ? [...TYPE_GROUPS.map((g) => g.key), SYSTEM_GROUP.key, OTHER_GROUP.key]
    : [...STATUS_ORDER.map((code) => `status-${code}`), 'status-unknown'];
  return [...groups.values()].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

/** The schedule's state word for menus and descriptions. */
export function scheduleState(schedule: Schedule): 'active' | 'suspended' | 'inactive' {
  if (schedule.status.code === ScheduleStatus.Idle) {
    return 'active';
  }
  return isSuspended(schedule.status) ? 'suspended' : 'inactive';
}

/**
 * Tokens matched by `when` clauses in package.json (`viewItem =~ /\bsuspended\b/`): `schedule` then
 * the state, then `running` while a watched run is active, then `pinned` when it is pinned.
 */
export function scheduleContextValue(schedule: Schedule, running: boolean, pinned = false): string {
  return ['schedule', scheduleState(schedule), ...(running ? ['running'] : []), ...(pinned ? ['pinned'] : [])].join(' ');
}

/** The code of `NoPrinting` among the output types: a task that publishes nothing. */
const NO_PRINTING = 6;

/** A task that ended badly (error, or finished with errors): it can be re-run. */
export function isFailedTask(task: Task): boolean {
  const outcome = taskOutcome(task.status);
  return outcome === 'failed' || outcome === 'partial';
}

/** A publication's task that finished: the server may list files it produced. The output type says it publishes. */
export function hasOutputs(task: Task): boolean {
  const publishes = task.outputType.code !== undefined && task.outputType.code !== NO_PRINTING;
  const outcome = taskOutcome(task.status);
  return publishes && (outcome === 'succeeded' || outcome === 'rendering' || outcome === 'partial');
}

/** `task`, then `failed` when it can be re-run, then `outputs` when it may list files to open. */
export function taskContextValue(task: Task): string {
  return ['task', ...(isFailedTask(task) ? ['failed'] : []), ...(hasOutputs(task) ? ['outputs'] : [])].join(' ');
}

/** The context value of an output row (a file a publication produced). */
export const OUTPUT_CONTEXT_VALUE = 'output';

/** A pinned row with no schedule in the list: `pin gone` (the server no longer lists it) or `pin hidden` (the filter does not). */
export function pinOnlyContextValue(gone: boolean): string {
  return gone ? 'pin gone' : 'pin hidden';
}

/** "Sales Model · suspended": the content item, then the state when it is worth saying. */
export function scheduleDescription(schedule: Schedule, runningStatus: string | undefined): string {
  return [schedule.scheduleItemName, runningStatus?.toLowerCase() ?? scheduleStatusNote(schedule)].filter(Boolean).join(' · ');
}

/** "suspended": the schedule's status when it is worth saying, that is when it is not active. */
export function scheduleStatusNote(schedule: Schedule): string | undefined {
  return schedule.status.code === ScheduleStatus.Idle ? undefined : schedule.status.label.toLowerCase();
}

