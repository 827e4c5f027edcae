import * as vscode from 'vscode';
import { AuthPrompt } from './auth/authPrompt';
import { Session } from './auth/session';
import { RunMonitor } from './monitor/runMonitor';
import { PinnedSchedules } from './pins/pinnedSchedules';
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
