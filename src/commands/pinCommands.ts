/**
 * Pin and unpin schedules, and check the pinned ones now. From a tree row they act on it; from the
 * palette (or given anything the extension did not make) they offer a quick pick: a pin is the
 * user's own choice, never a link's.
 */
import * as vscode from 'vscode';
import { Pin } from '../pins/pinStore';
import { Services } from '../services';
import { showInfo, showWarning, statusMessage, withProgress } from '../ui/messages';
import { isOwnArgument } from '../ui/provenance';
import { quickPickText } from '../util/untrusted';
import { PinOnlyNode, ScheduleNode } from '../views/nodes';
import { pickSchedule, signedInClient } from './scheduleCommands';

export function registerPinCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('pyramid.pinSchedule', (target?: unknown) => pin(services, target)),
    vscode.commands.registerCommand('pyramid.unpinSchedule', (target?: unknown) => unpin(services, target)),
    vscode.commands.registerCommand('pyramid.checkPinned', () => checkNow(services)),
  ];
}

async function pin(services: Services, target: unknown): Promise<void> {
  const { pins } = services;
  pins.store.reread(); // Another window may have pinned it meanwhile.
  const ownId = ownScheduleId(target);
  const schedule =
    target instanceof ScheduleNode
      ? target.schedule
      : ownId !== undefined
        ? services.servers.configured()?.schedules.known(ownId)
        : await pickSchedule(services, 'Pin', (s) => !pins.isPinnedHere(s.scheduleId)).then((ref) => ref?.schedule);
  if (!schedule) {
    return;
  }
  if (await pins.pin(schedule)) {
    statusMessage(`Pinned "${schedule.name}"`, 3000, 'pinned');
  } else if (!pins.isPinnedHere(schedule.scheduleId)) {
    void showWarning(`Could not pin "${schedule.name}": ${pins.pinsHere().length} schedules are pinned already, the most there can be.`);
  }
}

async function unpin(services: Services, target: unknown): Promise<void> {
  const { pins } = services;
  pins.store.reread();
  const scheduleId = target instanceof ScheduleNode ? target.schedule.scheduleId : target instanceof PinOnlyNode ? target.pin.scheduleId : ownScheduleId(target) ?? (await pickPin(pins.pinsHere()))?.scheduleId;
  const pinned = pins.pinsHere().find((candidate) => candidate.scheduleId === scheduleId);
  if (!pinned) {
    return;
  }
  await pins.unpin(pinned.scheduleId);
  statusMessage(`Unpinned "${pinned.name}"`, 3000, 'pin');
}

/** A schedule id passed by one of the extension's own buttons. */
function ownScheduleId(target: unknown): string | undefined {
  return isOwnArgument(target) && typeof (target as { scheduleId?: unknown }).scheduleId === 'string' ? (target as { scheduleId: string }).scheduleId : undefined;
}

async function pickPin(pinned: readonly Pin[]): Promise<Pin | undefined> {
  if (pinned.length === 0) {
    void showInfo('No schedule is pinned.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    pinned.map((pin) => ({ label: quickPickText(pin.name), description: pin.itemName === undefined ? undefined : quickPickText(pin.itemName), pin })),
    { title: 'Unpin Schedule', placeHolder: 'Type to search the pinned schedules' },
  );
  return picked?.pin;
}

async function checkNow(services: Services): Promise<void> {
  const { pins } = services;
  const count = pins.pinsHere().length;
  if (count === 0) {
    void showInfo('No schedule is pinned. Pin one from its context menu in the Schedules view, or with "Pyramid: Pin Schedule".');
    return;
  }
  if (!(await signedInClient(services))) {
    return;
  }
  const round = await withProgress(`Checking ${count} pinned schedule(s)…`, () => pins.checkNow(), false);
  const failed = round?.checks.filter((check) => check.error !== undefined) ?? [];
  if (!round) {
    return; // Refused: the sign-in prompt says so.
  }
  if (failed.length) {
    void showWarning(`Could not check ${failed.length} of ${count} pinned schedule(s): ${failed[0].error}`, 'Show Output').then((choice) => choice && services.log.show());
  } else {
    statusMessage(`Checked ${round.checks.length} pinned schedule(s)`, 3000, 'check');
  }
}
