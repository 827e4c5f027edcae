/**
 * Show Schedule Details: from a tree row (its click, or its context menu), a notification's button,
 * or the palette's quick pick. Showing is read-only, so any argument naming a schedule id is taken;
 * the name shown comes from the extension's own list when it knows the schedule.
 */
import * as vscode from 'vscode';
import { DetailsPanels } from '../details/detailsPanels';
import { Services } from '../services';
import { PinOnlyNode, ScheduleNode } from '../views/nodes';
import { pickSchedule, signedInClient } from './scheduleCommands';

/** A second click on the same row within this time is a double click: the schedule keeps its panel. */
const DOUBLE_CLICK_MS = 500;

export function registerDetailsCommands(services: Services, details: DetailsPanels): vscode.Disposable[] {
  let lastRowClick: { scheduleId: string; at: number } | undefined;

  const show = async (target: unknown) => {
    const fromRow = target instanceof ScheduleNode || target instanceof PinOnlyNode;
    const ref = await resolve(services, target);
    if (!ref) {
      return;
    }
    const now = Date.now();
    const doubleClick = fromRow && lastRowClick?.scheduleId === ref.scheduleId && now - lastRowClick.at < DOUBLE_CLICK_MS;
    lastRowClick = fromRow ? { scheduleId: ref.scheduleId, at: now } : undefined;
    if (!details.show({ ...ref, keep: doubleClick || undefined })) {
      await signedInClient(services); // No server configured: the Sign In prompt says what to do.
    }
  };
  return [vscode.commands.registerCommand('pyramid.showDetails', show)];
}

async function resolve(services: Services, target: unknown): Promise<{ scheduleId: string; name: string } | undefined> {
  if (target instanceof ScheduleNode) {
    return { scheduleId: target.schedule.scheduleId, name: target.schedule.name };
  }
  if (target instanceof PinOnlyNode) {
    return { scheduleId: target.pin.scheduleId, name: target.pin.name };
  }
  const scheduleId = typeof target === 'string' ? target : typeof (target as { scheduleId?: unknown })?.scheduleId === 'string' ? (target as { scheduleId: string }).scheduleId : undefined;
  if (scheduleId?.trim()) {
    const known = services.servers.configured()?.schedules.known(scheduleId);
    const pinned = services.pins.pinsHere().find((pin) => pin.scheduleId === scheduleId);
    return { scheduleId, name: known?.name ?? pinned?.name ?? scheduleId };
  }
  if (target !== undefined) {
    services.log.warn('Show Schedule Details: ignored a command argument that names no schedule.');
    return undefined;
  }
  const ref = await pickSchedule(services, 'Show Details of', () => true);
  return ref && { scheduleId: ref.scheduleId, name: ref.name };
}
