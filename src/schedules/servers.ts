/**
 * The data of every server the extension talks to, one set per origin: its schedule store and its run
 * history. Today that is the configured server; a second one is another entry, not another redesign.
 */
import * as vscode from 'vscode';
import { AuthPrompt } from '../auth/authPrompt';
import { Session } from '../auth/session';
import * as config from '../config';
import { RunMonitor } from '../monitor/runMonitor';
import { originOf } from '../monitor/runs';
import { Log } from '../ui/log';
import { RunHistory } from './runHistory';
import { ScheduleStore } from './scheduleStore';
import { PyramidServer, pyramidServer } from './server';

export interface ServerData {
  readonly server: PyramidServer;
  readonly schedules: ScheduleStore;
  readonly history: RunHistory;
}

export interface ServersOptions {
  session: Session;
  monitor: RunMonitor;
  state: vscode.Memento;
  log: Log;
  authPrompt: AuthPrompt;
  /** Wraps a load of the schedule list, e.g. in the view's progress bar. */
  whileLoading: <T>(load: () => Promise<T>) => Promise<T>;
}

export class Servers implements vscode.Disposable {
  private readonly byOrigin = new Map<string, ServerData>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];

  /** The configured server, or the sign-in to a server, changed: what the stores hold may no longer apply. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly options: ServersOptions) {
    this.subscriptions = [
      this.changeEmitter,
      // A run that ended changed its schedule's history.
      options.monitor.onDidFinish((run) => this.byOrigin.get(originOf(run))?.history.invalidate(run.scheduleId)),
      options.session.onDidChange(() => void this.sessionChanged()),
    ];
  }

  /** Whether we hold a token for that server. */
  isSignedIn(server: PyramidServer): Promise<boolean> {
    return this.options.session.isSignedInTo(server.url);
  }

  /** The configured server's data; undefined while no server is configured. */
  configured(): ServerData | undefined {
    const url = this.options.session.serverUrl;
    return url === undefined ? undefined : this.get(url);
  }

  /** The data of a server, made on first use. */
  get(url: string): ServerData {
    const server = pyramidServer(url);
    let data = this.byOrigin.get(server.origin);
    if (!data || data.server.url !== server.url) {
      data?.schedules.dispose();
      data = this.create(server);
      this.byOrigin.set(server.origin, data);
    }
    return data;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    for (const data of this.byOrigin.values()) {
      data.schedules.dispose();
    }
    this.byOrigin.clear();
  }

  private create(server: PyramidServer): ServerData {
    const { session, state, log, authPrompt, whileLoading } = this.options;
    const client = () => session.clientFor(server.url);
    return {
      server,
      schedules: new ScheduleStore({
        server,
        client,
        state,
        log,
        autoRefreshMs: config.autoRefreshMs,
        listedTypes: config.listedScheduleTypes,
        onSignInNeeded: (origin, message) => authPrompt.report(origin, message),
        whileLoading,
      }),
      history: new RunHistory({ client, log }),
    };
  }

  /** Signed out somewhere: what was loaded there must not stand in for another user's list. */
  private async sessionChanged(): Promise<void> {
    for (const data of [...this.byOrigin.values()]) {
      if (!(await this.isSignedIn(data.server))) {
        data.schedules.forget();
        data.history.clear();
      }
    }
    this.changeEmitter.fire();
  }
}
