/**
 * Run, suspend, resume and copy the id of a schedule. From a tree item they act on it; from the palette
 * they offer a quick pick; from the status bar or a notification they get the run to repeat.
 */
import * as vscode from 'vscode';
import { PyramidClient, Schedule, ScheduleStatus, scheduleStatuses } from '../api';
import { shortId } from '../util/format';
import { Services } from '../services';
import { ScheduleNode } from '../views/nodes';
import { scheduleState } from '../views/treeModel';
import { withProgress } from '../progress';
import { mayHaveReachedServer, reportFailure } from './errors';

/** A tree node, or anything naming a schedule (a watched or recent run). */
type ScheduleTarget = ScheduleNode | { scheduleId: string; scheduleName?: string; serverUrl?: string };

interface ScheduleRef {
  scheduleId: string;
  name: string;
  schedule?: Schedule;
}

export function registerScheduleCommands(services: Services): vscode.Disposable[] {
  /** Schedules with a runSchedule call under way: a double click must not start a second run. */
  const starting = new Set<string>();

  const run = async (target: ScheduleTarget | undefined, checkTriggers: boolean) => {
    const ref = await resolve(services, target, checkTriggers ? 'Run with triggers checked' : 'Run');
    if (!ref || starting.has(ref.scheduleId)) {
      return;
    }
    starting.add(ref.scheduleId);
    try {
      await startRun(services, ref, checkTriggers);
    } finally {
      starting.delete(ref.scheduleId);
    }
  };

  return [
    vscode.commands.registerCommand('pyramid.runSchedule', (target?: ScheduleTarget) => run(target, false)),
    vscode.commands.registerCommand('pyramid.runScheduleCheckTriggers', (target?: ScheduleTarget) => run(target, true)),
    vscode.commands.registerCommand('pyramid.suspendSchedule', (target?: ScheduleTarget) => setSuspended(services, target, true)),
    vscode.commands.registerCommand('pyramid.resumeSchedule', (target?: ScheduleTarget) => setSuspended(services, target, false)),
    vscode.commands.registerCommand('pyramid.copyScheduleId', async (target?: ScheduleTarget) => {
      const ref = await resolve(services, target, 'Copy ID of');
      if (ref) {
        await vscode.env.clipboard.writeText(ref.scheduleId);
        vscode.window.setStatusBarMessage(`$(clippy) Copied the ID of "${ref.name}"`, 3000);
      }
    }),
  ];
}

async function startRun(services: Services, ref: ScheduleRef, checkTriggers: boolean): Promise<void> {
  const active = services.monitor.activeRunOf(ref.scheduleId);
  if (active) {
    const another = 'Start Another Run';
    const choice = await vscode.window.showWarningMessage(
      `"${ref.name}" already has a run in progress (${active.status.label}). Start another run?`,
      { modal: true },
      another,
    );
    if (choice !== another) {
      return;
    }
  }
  const client = await signedInClient(services);
  if (!client) {
    return;
  }
  try {
    const executionId = await withProgress(
      `Starting "${ref.name}"…`,
      () => client.runSchedule(ref.scheduleId, { checkTriggers }),
      false,
    );
    services.log.info(`${ref.name} (${shortId(executionId)}): run started${checkTriggers ? ' with triggers checked' : ''}.`);
    services.statusBar.acknowledge();
    services.monitor.watch({ executionId, scheduleId: ref.scheduleId, scheduleName: ref.name, serverUrl: services.session.serverUrl! });
  } catch (error) {
    const hint = mayHaveReachedServer(error) ? ' The run may have started anyway: check its runs in the tree before running it again.' : '';
    await reportFailure(services, `Could not run "${ref.name}"`, error, hint);
  }
}

async function setSuspended(services: Services, target: ScheduleTarget | undefined, suspend: boolean): Promise<void> {
  const verb = suspend ? 'Suspend' : 'Resume';
  const ref = await resolve(services, target, verb, (s) => scheduleState(s) === (suspend ? 'active' : 'suspended'));
  const client = ref && (await signedInClient(services));
  if (!ref || !client) {
    return;
  }
  try {
    await withProgress(`${suspend ? 'Suspending' : 'Resuming'} "${ref.name}"…`, (signal) =>
      suspend ? client.suspendSchedule(ref.scheduleId, signal) : client.resumeSchedule(ref.scheduleId, signal),
    );
    services.log.info(`${ref.name}: ${suspend ? 'suspended' : 'resumed'}.`);
    vscode.window.setStatusBarMessage(`$(check) ${suspend ? 'Suspended' : 'Resumed'} "${ref.name}"`, 3000);
    if (ref.schedule) {
      const status = scheduleStatuses.of(suspend ? ScheduleStatus.Hold : ScheduleStatus.Idle);
      services.tree.scheduleChanged({ ...ref.schedule, status });
    } else {
      services.tree.refresh();
    }
  } catch (error) {
    await reportFailure(services, `Could not ${verb.toLowerCase()} "${ref.name}"`, error);
  }
}

/** The schedule a command acts on: its argument, or the user's pick. */
async function resolve(
  services: Services,
  target: ScheduleTarget | undefined,
  action: string,
  applicable: (schedule: Schedule) => boolean = () => true,
): Promise<ScheduleRef | undefined> {
  if (target instanceof ScheduleNode) {
    return { scheduleId: target.schedule.scheduleId, name: target.schedule.name, schedule: target.schedule };
  }
  if (target?.scheduleId) {
    if (target.serverUrl && target.serverUrl !== services.session.serverUrl) {
      void vscode.window.showErrorMessage(`"${target.scheduleName}" belongs to ${target.serverUrl}, not the configured server.`);
      return undefined;
    }
    const schedule = (await services.tree.schedulesForPick().catch(() => [])).find((s) => s.scheduleId === target.scheduleId);
    return { scheduleId: target.scheduleId, name: schedule?.name ?? target.scheduleName ?? target.scheduleId, schedule };
  }
  return pickSchedule(services, action, applicable);
}

async function pickSchedule(services: Services, action: string, applicable: (schedule: Schedule) => boolean): Promise<ScheduleRef | undefined> {
  if (!(await signedInClient(services))) {
    return undefined;
  }
  let schedules: Schedule[];
  try {
    schedules = (await services.tree.schedulesForPick()).filter(applicable);
  } catch (error) {
    await reportFailure(services, 'Could not load schedules', error);
    return undefined;
  }
  if (schedules.length === 0) {
    void vscode.window.showInformationMessage(`No schedule to ${action.toLowerCase()}.`);
    return undefined;
  }
  const items = schedules.map((schedule) => ({
    label: schedule.name,
    description: schedule.scheduleItemName,
    detail: `${schedule.type.label} · ${schedule.status.label}`,
    schedule,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${action} Schedule`,
    placeHolder: 'Type to search schedules by name or content item',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked && { scheduleId: picked.schedule.scheduleId, name: picked.schedule.name, schedule: picked.schedule };
}

/** The configured server's client, or a Sign In prompt when there is none. */
async function signedInClient(services: Services): Promise<PyramidClient | undefined> {
  const client = await services.session.client();
  if (!client) {
    const choice = await vscode.window.showWarningMessage('Sign in to a Pyramid server first.', 'Sign In');
    if (choice) {
      await vscode.commands.executeCommand('pyramid.signIn');
    }
  }
  return client;
}
