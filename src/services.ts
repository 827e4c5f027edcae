import * as vscode from 'vscode';
import { AuthPrompt } from './auth/authPrompt';
import { Session } from './auth/session';
import { RunMonitor } from './monitor/runMonitor';
import { ExecutionRef } from './monitor/runs';
import { PinnedSchedules } from './pins/pinnedSchedules';
import { runLines, writeLine } from './runLog';
import { Servers } from './schedules/servers';
import { RunStatusBar } from './statusBar';
import { Log } from './ui/log';
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
 * A run the user just started, from a command or the chat: the log says so, its schedule's kept history
 * is out of date, the monitor follows it, and it is claimed, so no check of pinned schedules announces it again.
 */
export async function followStartedRun(services: Services, run: Omit<ExecutionRef, 'kind'>, how: string): Promise<void> {
  writeLine(services.log, runLines.started(run, how));
  services.servers.get(run.serverUrl).history.invalidate(run.scheduleId);
  services.monitor.watch(run);
  await services.pins.claimOwnRun(run.serverUrl, run.executionId);
}
