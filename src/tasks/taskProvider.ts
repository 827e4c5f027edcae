/**
 * The `pyramid` task type: tasks.json names a schedule, and the task runs it on the configured server
 * and ends with the run's outcome as its exit code. The provider offers a task per pinned schedule, or
 * per listed schedule when the server lists at most 50.
 */
import * as vscode from 'vscode';
import { Services } from '../services';
import { quickPickText } from '../util/untrusted';
import { schedulesStartedOnFolderOpen } from './automaticTasks';
import { PyramidTaskDefinition, ScheduleRunTerminal, TASK_TYPE } from './runTerminal';

/** The most listed schedules offered as tasks; past it, only the pinned ones are. */
export const MAX_OFFERED_SCHEDULES = 50;

export class ScheduleTaskProvider implements vscode.TaskProvider {
  /** `onTerminal` sees each task terminal as it is made (the in-host tests read what it prints). */
  constructor(
    private readonly services: Services,
    private readonly onTerminal?: (name: string, terminal: vscode.Pseudoterminal) => void,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const data = this.services.servers.configured();
    if (!data) {
      return [];
    }
    const signedIn = await this.services.servers.isSignedIn(data.server);
    // A list that cannot be read now (the view says why) leaves the pinned schedules to offer.
    const listed = signedIn ? await data.schedules.current().then((all) => data.schedules.listed(all), () => undefined) : undefined;
    const offered = listed && listed.length <= MAX_OFFERED_SCHEDULES ? listed : this.services.pins.pinsHere();
    // A name two schedules share cannot name one of them: such a task names its schedule by id.
    const names = new Map<string, number>();
    for (const { name } of data.schedules.schedules ?? offered) {
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    return offered.map(({ name, scheduleId }) =>
      this.task({ type: TASK_TYPE, schedule: (names.get(name) ?? 0) > 1 ? scheduleId : name }, vscode.TaskScope.Workspace, name),
    );
  }

  /** A task of tasks.json, given its execution: its definition as written, checked when it runs. */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== TASK_TYPE) {
      return undefined;
    }
    return this.task(task.definition, task.scope ?? vscode.TaskScope.Workspace, task.name);
  }

  private task(definition: PyramidTaskDefinition, scope: vscode.TaskScope | vscode.WorkspaceFolder, name: string): vscode.Task {
    const label = quickPickText(name);
    const execution = new vscode.CustomExecution(async (resolved) => {
      const terminal = new ScheduleRunTerminal(this.services, resolved, { schedulesStartedOnFolderOpen: readAutomaticSchedules });
      this.onTerminal?.(label, terminal);
      return terminal;
    });
    const task = new vscode.Task(definition, scope, label, TASK_TYPE, execution, []);
    task.detail = 'Runs the schedule on the configured Pyramid server and waits for its end';
    return task;
  }
}

/** The `pyramid` task type; `onTerminal` as for ScheduleTaskProvider. */
export function registerScheduleTasks(services: Services, onTerminal?: (name: string, terminal: vscode.Pseudoterminal) => void): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, new ScheduleTaskProvider(services, onTerminal));
}

/** The schedules of tasks that start when a folder opens, from every tasks.json VS Code has. */
function readAutomaticSchedules(): ReadonlySet<string> {
  const lists: unknown[] = [];
  const add = (inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined) =>
    inspected && lists.push(inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue);
  add(vscode.workspace.getConfiguration('tasks').inspect('tasks'));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    add(vscode.workspace.getConfiguration('tasks', folder.uri).inspect('tasks'));
  }
  return schedulesStartedOnFolderOpen(lists);
}
