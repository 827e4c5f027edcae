/**
 * Re-run a failed task, open a publication's output, and open a schedule's content item in Pyramid.
 * Re-run changes server state: from a tree row, a quick pick or the extension's own buttons it acts at
 * once; any other argument is confirmed first. The browser links carry ids only, never the token.
 */
import * as vscode from 'vscode';
import { PyramidClient, Task } from '../api';
import { RerunMark, TaskRef, runId, runName } from '../monitor/runs';
import { statusLabel } from '../present/look';
import { Services } from '../services';
import { confirm, showInfo, showWarning, withProgress } from '../ui/messages';
import { isOwnArgument } from '../ui/provenance';
import { shortId } from '../util/format';
import { directUrl, fileDownloadUrl } from '../util/links';
import { quickPickText } from '../util/untrusted';
import { OutputNode, ScheduleNode, TaskNode } from '../views/nodes';
import { isFailedTask } from '../views/treeModel';
import { mayHaveReachedServer, reportFailure } from './errors';
import { pickSchedule, signedInClient } from './scheduleCommands';

/** A task as the extension's own buttons pass it (made with ownArgument), or as a finished run of one. */
export interface TaskTarget {
  taskId: string;
  taskName?: string;
  scheduleId?: string;
  scheduleName?: string;
  executionId?: string;
  serverUrl?: string;
}

/** An output as the details editor passes it. */
export interface OutputTarget {
  outputId: string;
  serverUrl?: string;
}

type ScheduleTarget = ScheduleNode | { scheduleId: string; serverUrl?: string } | string;

/** The task a re-run acts on, with the names the run is followed under. */
interface ResolvedTask {
  taskId: string;
  taskName: string;
  scheduleId?: string;
  scheduleName?: string;
  executionId?: string;
}

/** How many recent runs per schedule the palette's pick looks through for failed tasks. */
const PICK_RUNS_PER_SCHEDULE = 3;

export function registerTaskCommands(services: Services): vscode.Disposable[] {
  /** Tasks with a reRunTask call under way: a double click must not send a second one. */
  const rerunning = new Set<string>();

  const rerun = async (target: TaskNode | TaskTarget | string | undefined) => {
    const task = await resolveTask(services, target);
    if (!task || rerunning.has(task.taskId)) {
      return;
    }
    rerunning.add(task.taskId);
    try {
      await rerunTask(services, task);
    } finally {
      rerunning.delete(task.taskId);
    }
  };

  return [
    vscode.commands.registerCommand('pyramid.rerunTask', rerun),
    vscode.commands.registerCommand('pyramid.openOutput', (target?: OutputNode | OutputTarget) => openOutput(services, target)),
    vscode.commands.registerCommand('pyramid.openInPyramid', (target?: ScheduleTarget) => openInPyramid(services, target)),
  ];
}

async function rerunTask(services: Services, task: ResolvedTask): Promise<void> {
  const followed = services.monitor.watched.find((run) => runId(run) === `task:${task.taskId}`);
  const label = task.scheduleName ? `${task.scheduleName} · ${task.taskName}` : task.taskName;
  if (followed && !(await confirm(`"${label}" is already being followed (${statusLabel(followed)}). Re-run it again?`, 'Re-run Task'))) {
    return;
  }
  const signedIn = await signedInClient(services);
  if (!signedIn) {
    return;
  }
  const { serverUrl, client } = signedIn;
  let before: TaskBefore;
  try {
    before = await withProgress(`Re-running "${label}"…`, (signal) => taskBefore(client, task.taskId, task.scheduleId, signal));
  } catch (error) {
    await reportFailure(services, `Could not re-run "${label}"`, error);
    return;
  }
  const scheduleId = task.scheduleId ?? before.task.scheduleId;
  if (!scheduleId) {
    void showWarning(`Could not re-run "${label}": the server did not say which schedule the task belongs to.`);
    return;
  }
  const scheduleName = task.scheduleName ?? services.servers.get(serverUrl).schedules.known(scheduleId)?.name ?? scheduleId;
  const ref: TaskRef = {
    kind: 'task',
    taskId: task.taskId,
    taskName: task.taskName,
    executionId: task.executionId ?? before.executionId ?? task.taskId,
    scheduleId,
    scheduleName,
    serverUrl,
    rerun: rerunMark(before.task, before.knownExecutions),
  };
  try {
    await withProgress(`Re-running "${runName(ref)}"…`, () => client.reRunTask(task.taskId), false);
  } catch (error) {
    const hint = mayHaveReachedServer(error) ? ' The task may have started anyway: check its run in the tree before re-running it again.' : '';
    await reportFailure(services, `Could not re-run "${runName(ref)}"`, error, hint);
    return;
  }
  services.log.info(`${runName(ref)} (${shortId(task.taskId)}): re-run requested.`);
  services.statusBar.acknowledge();
  services.servers.get(serverUrl).history.invalidate(scheduleId);
  if (followed) {
    services.monitor.stopWatching(followed);
  }
  services.monitor.watch(ref);
}

/**
 * The task and its schedule's runs just before the re-run: what the monitor compares the task with
 * to tell its previous run from the new one (see RerunMark).
 */
async function taskBefore(client: PyramidClient, taskId: string, scheduleId: string | undefined, signal: AbortSignal): Promise<TaskBefore> {
  const task = await client.getTaskData(taskId, signal);
  const executions = await client.getExecutions(scheduleId ?? task.scheduleId ?? '', signal).catch(() => []);
  const executionId = executions.find((execution) => execution.tasks.some((candidate) => candidate.id === taskId))?.id;
  return { task, knownExecutions: executions.map((execution) => execution.id), executionId };
}

interface TaskBefore {
  task: Task;
  knownExecutions: string[];
  /** The run the task belongs to, when the schedule's runs list it. */
  executionId?: string;
}

function rerunMark(task: Task, knownExecutions: string[]): RerunMark {
  return { status: task.status.label, startedAt: task.startDate?.getTime(), endedAt: task.endDate?.getTime(), knownExecutions, unchangedPolls: 0 };
}

/**
 * The task a re-run acts on: a tree row or the extension's own argument at once; from the palette, a
 * pick among the failed tasks of recent runs; anything else (a link, another extension) after a confirmation
 * naming only the raw id and the server.
 */
async function resolveTask(services: Services, target: TaskNode | TaskTarget | string | undefined): Promise<ResolvedTask | undefined> {
  if (target === undefined) {
    return pickFailedTask(services);
  }
  if (target instanceof TaskNode) {
    return { taskId: target.task.id, taskName: target.taskName, ...target.place };
  }
  if (isOwnArgument(target) && typeof target === 'object') {
    if (target.serverUrl && target.serverUrl !== services.session.serverUrl) {
      void showWarning(`"${target.taskName ?? target.taskId}" belongs to ${target.serverUrl}, not the configured server.`);
      return undefined;
    }
    return { ...target, taskName: target.taskName ?? `Task ${target.taskId}` };
  }
  const taskId = typeof target === 'string' ? target : typeof target?.taskId === 'string' ? target.taskId : undefined;
  const serverUrl = services.session.serverUrl;
  if (!taskId?.trim() || !serverUrl) {
    services.log.warn('Re-run Task: ignored a command argument that names no task.');
    return undefined;
  }
  services.log.warn(`Re-run of task ${taskId} was requested from outside the extension's views; asking first.`);
  const confirmed = await confirm(
    `Re-run task ${taskId} on ${new URL(serverUrl).host}?`,
    'Re-run Task',
    'This request did not come from the Pyramid views, menus or buttons: it may come from a link or another extension. Continue only if you asked for it.',
  );
  return confirmed ? { taskId, taskName: `Task ${taskId}` } : undefined;
}

/** The failed tasks of the last few runs of the listed schedules that have a failed recent run, newest first. */
async function pickFailedTask(services: Services): Promise<ResolvedTask | undefined> {
  const signedIn = await signedInClient(services);
  if (!signedIn) {
    return undefined;
  }
  const data = services.servers.get(signedIn.serverUrl);
  let items: (vscode.QuickPickItem & { task: ResolvedTask; at: number })[];
  try {
    const candidates = await withProgress('Looking for failed tasks…', async () => {
      const schedules = data.schedules.listed(await data.schedules.current());
      const found = await Promise.all(
        schedules.map(async (schedule) => {
          const executions = (await data.history.executions(schedule.scheduleId)).slice(0, PICK_RUNS_PER_SCHEDULE);
          return executions.flatMap((execution) =>
            execution.tasks.filter(isFailedTask).map((task) => ({ schedule, execution, task })),
          );
        }),
      );
      return found.flat();
    });
    items = candidates.map(({ schedule, execution, task }) => {
      const taskName = task.description || `Task ${task.id}`;
      return {
        label: quickPickText(`${schedule.name} · ${taskName}`),
        description: quickPickText(task.status.label),
        detail: quickPickText(task.error ?? task.formattedSummary ?? task.summary ?? ''),
        at: (task.endDate ?? execution.startDate)?.getTime() ?? 0,
        task: { taskId: task.id, taskName, scheduleId: schedule.scheduleId, scheduleName: schedule.name, executionId: execution.id },
      };
    });
  } catch (error) {
    await reportFailure(services, 'Could not look for failed tasks', error);
    return undefined;
  }
  if (items.length === 0) {
    void showInfo('No failed task in the recent runs.');
    return undefined;
  }
  items.sort((a, b) => b.at - a.at);
  const picked = await vscode.window.showQuickPick(items, { title: 'Re-run Task', placeHolder: 'Failed tasks of recent runs', matchOnDetail: true });
  return picked?.task;
}

async function openOutput(services: Services, target: OutputNode | OutputTarget | undefined): Promise<void> {
  const serverUrl = services.session.serverUrl;
  const outputId = target instanceof OutputNode ? target.output.id : target?.outputId;
  if (!serverUrl || typeof outputId !== 'string' || !outputId.trim()) {
    services.log.warn('Open Output: no output or no server to open it on.');
    return;
  }
  if (!(target instanceof OutputNode) && target?.serverUrl && target.serverUrl !== serverUrl) {
    void showWarning(`This output belongs to ${target.serverUrl}, not the configured server.`);
    return;
  }
  await openInBrowser(services, fileDownloadUrl(serverUrl, outputId));
}

async function openInPyramid(services: Services, target: ScheduleTarget | undefined): Promise<void> {
  const serverUrl = services.session.serverUrl;
  if (!serverUrl) {
    await signedInClient(services);
    return;
  }
  let scheduleId: string | undefined;
  if (target instanceof ScheduleNode) {
    scheduleId = target.schedule.scheduleId;
  } else if (target === undefined) {
    scheduleId = (await pickSchedule(services, 'Open in Pyramid', (schedule) => schedule.scheduleItemId !== undefined))?.scheduleId;
  } else if (typeof target === 'object' && target.serverUrl && target.serverUrl !== serverUrl) {
    void showWarning(`This schedule belongs to ${target.serverUrl}, not the configured server.`);
    return;
  } else {
    scheduleId = typeof target === 'string' ? target : target.scheduleId;
  }
  if (!scheduleId) {
    return;
  }
  // Only what the server told us about the schedule: never an item id a caller passed.
  const schedule = services.servers.get(serverUrl).schedules.known(scheduleId);
  if (!schedule?.scheduleItemId) {
    void showInfo(`${schedule ? `"${schedule.name}"` : `Schedule ${scheduleId}`}: the server names no content item to open.`);
    return;
  }
  await openInBrowser(services, directUrl(serverUrl, schedule.scheduleItemId));
}

async function openInBrowser(services: Services, url: string): Promise<void> {
  services.log.info(`Opening ${url} in the browser.`);
  // VS Code opens a string target exactly as given. A Uri would be decoded and re-encoded on the way
  // (toString(true), then encodeURI), turning an id's %26 or %23 back into & or # and breaking the link.
  const opened = await vscode.env.openExternal(url as unknown as vscode.Uri);
  if (!opened) {
    services.log.warn(`The browser did not open ${url}.`);
  }
}
