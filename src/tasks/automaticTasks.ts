/**
 * Which schedules a folder's tasks.json runs on its own: a `pyramid` task with
 * `"runOptions": {"runOn": "folderOpen"}`, or one that such a task depends on, directly or through
 * other tasks. VS Code does not tell a task's execution why it started, so a pyramid task that may
 * start when a folder opens always asks first. No `vscode` import: the configuration comes in as data.
 */

/** The label VS Code gives a task the provider made: `pyramid: <name>`. */
export const PROVIDED_LABEL_PREFIX = 'pyramid: ';

interface TaskEntry {
  label?: unknown;
  type?: unknown;
  schedule?: unknown;
  dependsOn?: unknown;
  runOptions?: { runOn?: unknown };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The labels a `dependsOn` names: a label, `{ "label": … }`, or a list of either. */
function dependencyLabels(dependsOn: unknown): string[] {
  const items = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  return items.flatMap((item) => (typeof item === 'string' ? [item] : isObject(item) && typeof item.label === 'string' ? [item.label] : []));
}

/**
 * The `schedule` values of every pyramid task that starts when a folder opens, given the `tasks` arrays
 * of each tasks.json (workspace, each folder, the user's). A dependency on a provided pyramid task by its
 * label counts with the name after `pyramid: `.
 */
export function schedulesStartedOnFolderOpen(taskLists: readonly unknown[]): Set<string> {
  const entries = taskLists.flatMap((list) => (Array.isArray(list) ? list.filter(isObject) : [])) as TaskEntry[];
  const byLabel = new Map<string, TaskEntry[]>();
  for (const entry of entries) {
    const label = typeof entry.label === 'string' ? entry.label : entry.type === 'pyramid' && typeof entry.schedule === 'string' ? `${PROVIDED_LABEL_PREFIX}${entry.schedule}` : undefined;
    if (label !== undefined) {
      byLabel.set(label, [...(byLabel.get(label) ?? []), entry]);
    }
  }
  const schedules = new Set<string>();
  const seen = new Set<TaskEntry>();
  const pending = entries.filter((entry) => isObject(entry.runOptions) && entry.runOptions.runOn === 'folderOpen');
  while (pending.length) {
    const entry = pending.pop() as TaskEntry;
    if (seen.has(entry)) {
      continue;
    }
    seen.add(entry);
    if (entry.type === 'pyramid' && typeof entry.schedule === 'string') {
      schedules.add(entry.schedule.trim());
    }
    for (const label of dependencyLabels(entry.dependsOn)) {
      const named = byLabel.get(label);
      if (named) {
        pending.push(...named);
      } else if (label.startsWith(PROVIDED_LABEL_PREFIX)) {
        schedules.add(label.slice(PROVIDED_LABEL_PREFIX.length).trim());
      }
    }
  }
  return schedules;
}
