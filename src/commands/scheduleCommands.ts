/**
 * Run, suspend, resume and copy the id of a schedule. From a tree item they act on it; from the palette
 * they offer a quick pick; from the status bar or a notification they get the run to repeat.
 */
import * as vscode from 'vscode';
import { PyramidClient, Schedule, ScheduleStatus, scheduleStatuses } from '../api';
import { Services, followStartedRun, mayStartAnotherRun } from '../services';
import { confirm, showError, showInfo, showWarning, statusMessage, withProgress } from '../ui/messages';
import { isOwnArgument } from '../ui/provenance';
import { quickPickText } from '../util/untrusted';
import { ScheduleNode } from '../views/nodes';
import { scheduleState } from '../views/treeModel';
import { mayHaveReachedServer, reportFailure } from './errors';

/** A tree node, a run passed by one of our own buttons, or (from outside) anything naming a schedule id. */
type ScheduleTarget = ScheduleNode | { scheduleId: string; scheduleName?: string; serverUrl?: string } | string;

interface ScheduleRef {
  scheduleId: string;
  name: string;
  schedule?: Schedule;
}

/** The configured server and a client holding its token, taken together so a run stays with the server it was started on. */
interface SignedIn {
  serverUrl: string;
  client: PyramidClient;
}

export function registerScheduleCommands(services: Services): vscode.Disposable[] {
  /** Schedules with a runSchedule call under way: a double click must not start a second run. */
  const starting = new Set<string>();

  const run = async (target: ScheduleTarget | undefined, checkTriggers: boolean) => {
    const action = checkTriggers ? 'Run with triggers checked' : 'Run';
    const ref = await resolveForChange(services, target, action);
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
      const resolved = await resolve(services, target, 'Copy ID of');
      if (resolved) {
        await vscode.env.clipboard.writeText(resolved.ref.scheduleId);
        statusMessage(`Copied the ID of "${resolved.ref.name}"`, 3000, 'clippy');
      }
    }),
  ];
}

async function startRun(services: Services, ref: ScheduleRef, checkTriggers: boolean): Promise<void> {
  if (!(await mayStartAnotherRun(services, ref.scheduleId, ref.name))) {
    return;
  }
  const signedIn = await signedInClient(services);
  if (!signedIn) {
    return;
  }
  const { serverUrl, client } = signedIn;
  try {
    const executionId = await withProgress(`Starting "${ref.name}"…`, () => client.runSchedule(ref.scheduleId, { checkTriggers }), false);
    services.statusBar.acknowledge();
    await followStartedRun(services, { executionId, scheduleId: ref.scheduleId, scheduleName: ref.name, serverUrl }, checkTriggers ? ' with triggers checked' : '');
  } catch (error) {
    const hint = mayHaveReachedServer(error) ? ' The run may have started anyway: check its runs in the tree before running it again.' : '';
    await reportFailure(services, `Could not run "${ref.name}"`, error, hint);
  }
}

async function setSuspended(services: Services, target: ScheduleTarget | undefined, suspend: boolean): Promise<void> {
  const verb = suspend ? 'Suspend' : 'Resume';
  const ref = await resolveForChange(services, target, verb, (s) => scheduleState(s) === (suspend ? 'active' : 'suspended'));
  const signedIn = ref && (await signedInClient(services));
  if (!ref || !signedIn) {
    return;
  }
  const { client, serverUrl } = signedIn;
  const store = services.servers.get(serverUrl).schedules;
  try {
    await withProgress(`${suspend ? 'Suspending' : 'Resuming'} "${ref.name}"…`, (signal) =>
      suspend ? client.suspendSchedule(ref.scheduleId, signal) : client.resumeSchedule(ref.scheduleId, signal),
    );
    services.log.info(`${ref.name}: ${suspend ? 'suspended' : 'resumed'}.`);
    statusMessage(`${suspend ? 'Suspended' : 'Resumed'} "${ref.name}"`, 3000, 'check');
    if (ref.schedule) {
      store.update({ ...ref.schedule, status: scheduleStatuses.of(suspend ? ScheduleStatus.Hold : ScheduleStatus.Idle) });
    } else {
      store.invalidate();
    }
  } catch (error) {
    await reportFailure(services, `Could not ${verb.toLowerCase()} "${ref.name}"`, error);
  }
}

/**
 * The schedule a command that changes server state acts on. What the extension made itself (a tree
 * node, a quick pick choice, a run passed by its own buttons) is acted on at once; anything else (a
 * `command:` link, another extension's JSON) is confirmed first, naming the schedule from the
 * extension's own list (or the raw id) and the server, before any request.
 */
async function resolveForChange(
  services: Services,
  target: ScheduleTarget | undefined,
  action: string,
  applicable?: (schedule: Schedule) => boolean,
): Promise<ScheduleRef | undefined> {
  const resolved = await resolve(services, target, action, applicable);
  if (!resolved || resolved.own) {
    return resolved?.ref;
  }
  const { ref } = resolved;
  const serverUrl = services.session.serverUrl;
  if (!serverUrl) {
    await signedInClient(services);
    return undefined;
  }
  const host = new URL(serverUrl).host;
  services.log.warn(`${action} of schedule ${ref.scheduleId} was requested from outside the extension's views; asking first.`);
  const confirmed = await confirm(
    `${action} "${ref.name}" on ${host}?`,
    action,
    'This request did not come from the Pyramid views, menus or buttons: it may come from a link or another extension. Continue only if you asked for it.',
  );
  return confirmed ? ref : undefined;
}

/** The schedule a command acts on: its argument, or the user's pick; `own` when the extension made the argument. */
async function resolve(
  services: Services,
  target: ScheduleTarget | undefined,
  action: string,
  applicable: (schedule: Schedule) => boolean = () => true,
): Promise<{ ref: ScheduleRef; own: boolean } | undefined> {
  if (target === undefined) {
    const ref = await pickSchedule(services, action, applicable);
    return ref && { ref, own: true };
  }
  if (target instanceof ScheduleNode) {
    return { ref: { scheduleId: target.schedule.scheduleId, name: target.schedule.name, schedule: target.schedule }, own: true };
  }
  if (isOwnArgument(target) && typeof target === 'object') {
    if (target.serverUrl && target.serverUrl !== services.session.serverUrl) {
      void showError(`"${target.scheduleName}" belongs to ${target.serverUrl}, not the configured server.`);
      return undefined;
    }
    const schedule = services.servers.configured()?.schedules.known(target.scheduleId);
    return { ref: { scheduleId: target.scheduleId, name: schedule?.name ?? target.scheduleName ?? target.scheduleId, schedule }, own: true };
  }
  const scheduleId = typeof target === 'string' ? target : typeof target?.scheduleId === 'string' ? target.scheduleId : undefined;
  if (!scheduleId?.trim()) {
    services.log.warn(`${action}: ignored a command argument that names no schedule.`);
    return undefined;
  }
  // Never the name the caller passed: only what the server told us, or the raw id.
  const schedule = services.servers.configured()?.schedules.known(scheduleId);
  return { ref: { scheduleId, name: schedule?.name ?? scheduleId, schedule }, own: false };
}

export async function pickSchedule(services: Services, action: string, applicable: (schedule: Schedule) => boolean): Promise<ScheduleRef | undefined> {
  const signedIn = await signedInClient(services);
  if (!signedIn) {
    return undefined;
  }
  const store = services.servers.get(signedIn.serverUrl).schedules;
  let schedules: Schedule[];
  try {
    schedules = store.listed(await store.current()).filter(applicable);
  } catch (error) {
    await reportFailure(services, 'Could not load schedules', error);
    return undefined;
  }
  if (schedules.length === 0) {
    void showInfo(`No schedule to ${action.toLowerCase()}.`);
    return undefined;
  }
  const items = schedules.map((schedule) => ({
    label: quickPickText(schedule.name),
    description: schedule.scheduleItemName === undefined ? undefined : quickPickText(schedule.scheduleItemName),
    detail: quickPickText(`${schedule.type.label} · ${schedule.status.label}`),
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

/** The configured server with its client, or a Sign In prompt when there is none. */
export async function signedInClient(services: Services): Promise<SignedIn | undefined> {
  const serverUrl = services.session.serverUrl;
  const client = serverUrl === undefined ? undefined : await services.session.clientFor(serverUrl);
  if (serverUrl === undefined || !client) {
    const choice = await showWarning('Sign in to a Pyramid server first.', 'Sign In');
    if (choice) {
      await vscode.commands.executeCommand('pyramid.signIn');
    }
    return undefined;
  }
  return { serverUrl, client };
}
