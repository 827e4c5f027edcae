import * as vscode from 'vscode';
import { AuthPrompt } from './auth/authPrompt';
import { Session } from './auth/session';
import { RunMonitor } from './monitor/runMonitor';
import { ExecutionRef, statusLabel } from './monitor/runs';
import { PinnedSchedules } from './pins/pinnedSchedules';
import { runLines, writeLine } from './runLog';
import { Servers } from './schedules/servers';
import { RunStatusBar } from './statusBar';
import { Log } from './ui/log';
import { confirm } from './ui/messages';
import { ScheduleTreeProvider } from './views/scheduleTreeProvider';

/** What commands work with; built once in extension.ts. */
export interface Services {
  context: vscode.ExtensionContext;
  session: Session;
  monitor: RunMonitor;
  /** Each server's schedule store and run history. */
  servers: Servers;
  /** Pinned schedules: pins, their checks and what the checks found. */
  pins: PinnedSchedules;
  tree: ScheduleTreeProvider;
  statusBar: RunStatusBar;
  authPrompt: AuthPrompt;
  log: Log;
}

/**
 * Whether to start a run of a schedule: at once when none of its runs is followed here, else only when
 * the user says so. How every way of starting a run guards against a second one by accident.
 */
export async function mayStartAnotherRun(services: Services, scheduleId: string, name: string): Promise<boolean> {
  const active = services.monitor.watchedRunOf(scheduleId);
  return !active || confirm(`"${name}" already has a run in progress (${statusLabel(active)}). Start another run?`, 'Start Another Run');
}

/**
 * A run the user just started, from a command or the chat: the log says so, its schedule's kept history
 * is out of date, the monitor follows it, and it is claimed, so no check of pinned schedules announces it again.
 */
export async function followStartedRun(services: Services, run: Omit<ExecutionRef, 'kind'>, how: string): Promise<void> {
  writeLine(services.log, runLines.started(run, how));
  services.servers.get(run.serverUrl).history.invalidate(run.scheduleId);
  services.monitor.watch(run);
  await services.pins.claimOwnRun(run.serverUrl, run.executionId);
}
