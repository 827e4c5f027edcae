/**
 * The pinned-schedules capability, put together: the pins and seen marks (pinStore.ts), the checks
 * (pinChecker.ts), what their answers mean (pinnedRuns.ts) and the once-per-machine claims (claims.ts),
 * kept in step with the configured server, the sign-in, the window's focus and the settings. It also
 * keeps the view's badge: how many pinned schedules are failing.
 */
import * as vscode from 'vscode';
import { Schedule } from '../api';
import { AuthPrompt } from '../auth/authPrompt';
import { Session } from '../auth/session';
import * as config from '../config';
import { RunMonitor, systemClock } from '../monitor/runMonitor';
import { originOf } from '../monitor/runs';
import { Servers } from '../schedules/servers';
import { Log } from '../ui/log';
import { LIMITS, plainText } from '../util/untrusted';
import { Claims } from './claims';
import { CheckRound, CheckTarget, PinChecker } from './pinChecker';
import { PinnedRuns, firstMark } from './pinnedRuns';
import { Pin, PINS_KEY, PinStore, SeenMark } from './pinStore';

export interface PinnedSchedulesOptions {
  context: vscode.ExtensionContext;
  session: Session;
  servers: Servers;
  monitor: RunMonitor;
  authPrompt: AuthPrompt;
  log: Log;
}

export class PinnedSchedules implements vscode.Disposable {
  readonly store: PinStore;
  readonly runs: PinnedRuns;
  readonly checker: PinChecker;
  private readonly claims: Claims;
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.TreeView<unknown> | undefined;

  constructor(private readonly options: PinnedSchedulesOptions) {
    const { context, servers, monitor, log } = options;
    // Pins follow the user to other machines; what this machine has seen of their runs does not.
    context.globalState.setKeysForSync([PINS_KEY]);
    this.store = new PinStore(context.globalState);
    this.claims = new Claims(vscode.Uri.joinPath(context.globalStorageUri, 'announced-runs').fsPath, log);
    this.runs = new PinnedRuns({
      pins: this.store,
      claim: (origin, executionId) => this.claims.claim(origin, executionId),
      mode: config.pinnedRuns,
      isFollowed: (executionId) => [...monitor.watched, ...monitor.recent].some((run) => run.kind === 'execution' && run.executionId === executionId),
      // The server stamped the start on its own clock: elapsed time is counted on this machine's.
      follow: (run, startedAt) => monitor.watch(run, { startedAt: startedAt - options.session.serverClockOffsetMs(run.serverUrl) }),
      serverUrl: (origin) => this.serverUrlOf(origin),
      sessionStart: Date.now(),
      log,
    });
    this.checker = new PinChecker({
      clock: systemClock,
      intervalMs: config.pinnedCheckMs,
      isFocused: () => vscode.window.state.focused,
      target: () => this.target(),
      log,
    });
    this.subscriptions.push(
      { dispose: () => this.checker.dispose() },
      { dispose: () => this.runs.dispose() },
      { dispose: () => this.store.dispose() },
      this.checker.onDidCheck((round) => void this.answered(round)),
      this.checker.onDidRequireSignIn(({ origin, message }) => options.authPrompt.report(origin, `${message} Pinned schedules are not checked until you sign in again.`)),
      this.runs.onDidChange(() => this.updateBadge()),
      this.store.onDidChange(() => {
        void this.updateContext();
        void this.checker.refresh();
        this.updateBadge();
      }),
      servers.onDidChange(() => {
        this.runs.clear();
        void this.updateContext();
        this.updateBadge();
        void this.checker.refresh();
      }),
      options.session.onDidSignIn((origin) => this.checker.signedIn(origin)),
      // A followed run of a pinned schedule ended: its row and the badge should say so now.
      monitor.onDidFinish((run) => {
        if (servers.configured()?.server.origin === originOf(run)) {
          this.checker.checkSoon(run.scheduleId);
        }
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) {
          this.store.reread(); // Pins made in another window or arrived through Settings Sync.
        }
        this.checker.replan();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => config.affects(event, 'pinnedCheckSeconds') && this.checker.replan()),
    );
  }

  /** After activation: no request now; the first check a few seconds later, and only when something is pinned. */
  start(): void {
    void this.updateContext();
    this.checker.start();
  }

  /** Shows the failing count as the view's badge. */
  attach(view: vscode.TreeView<unknown>): void {
    this.view = view;
    this.updateBadge();
  }

  /** The configured server's pins. */
  pinsHere(): readonly Pin[] {
    const origin = this.options.servers.configured()?.server.origin;
    return origin === undefined ? [] : this.store.pinsOf(origin);
  }

  isPinnedHere(scheduleId: string): boolean {
    return this.pinsHere().some((pin) => pin.scheduleId === scheduleId);
  }

  /** Pins a schedule of the configured server; its past runs are not announced. */
  async pin(schedule: Schedule): Promise<boolean> {
    const data = this.options.servers.configured();
    if (!data) {
      return false;
    }
    // Without a history to go by (none yet, or it could not be read), runs started from now on are new.
    let mark: SeenMark = { startedAt: Date.now() };
    try {
      // A kept answer may predate runs that ended since: those are past too.
      data.history.invalidate(schedule.scheduleId);
      const executions = await data.history.executions(schedule.scheduleId);
      if (executions.length) {
        mark = firstMark(executions, Date.now());
      }
    } catch {
      // The first check reads the history again; the mark above keeps the past quiet meanwhile.
    }
    return this.store.pin(data.server.origin, schedule, mark);
  }

  async unpin(scheduleId: string): Promise<void> {
    const origin = this.options.servers.configured()?.server.origin;
    if (origin !== undefined) {
      await this.store.unpin(origin, scheduleId);
      this.runs.forget(origin, scheduleId);
    }
  }

  /** The configured server's URL when it has this origin: only its runs are followed or run again. */
  serverUrlOf(origin: string): string | undefined {
    const server = this.options.servers.configured()?.server;
    return server?.origin === origin ? server.url : undefined;
  }

  /** Checks every pin now. Pins another window or Settings Sync brought while this one kept the focus are taken in first. */
  async checkNow(): Promise<CheckRound | undefined> {
    this.store.reread();
    await this.checker.refresh();
    return this.checker.checkNow();
  }

  /** A run the user started in this window: no window's check announces it again. */
  async claimOwnRun(serverUrl: string, executionId: string): Promise<void> {
    await this.claims.claim(new URL(serverUrl).origin, executionId);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private target(): CheckTarget | undefined {
    const data = this.options.servers.configured();
    if (!data) {
      return undefined;
    }
    const { server, history } = data;
    return {
      origin: server.origin,
      scheduleIds: this.store.pinsOf(server.origin).map((pin) => pin.scheduleId),
      read: (scheduleId, fresh) => {
        if (fresh) {
          history.invalidate(scheduleId);
        }
        return history.executions(scheduleId);
      },
      isSignedIn: () => this.options.servers.isSignedIn(server),
    };
  }

  private async answered(round: CheckRound): Promise<void> {
    const data = this.options.servers.configured();
    const known = data?.schedules.schedules;
    if (data && known && data.server.origin === round.origin) {
      await this.store.remember(round.origin, known);
    }
    await this.runs.apply(round);
  }

  private updateBadge(): void {
    if (!this.view) {
      return;
    }
    const origin = this.options.servers.configured()?.server.origin;
    const failing = origin === undefined ? [] : this.runs.failing(origin);
    this.view.badge = failing.length
      ? { value: failing.length, tooltip: plainText(`Failing pinned schedules: ${failing.map((pin) => pin.name).join(', ')}`, LIMITS.message) }
      : undefined;
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'pyramid.hasPins', this.pinsHere().length > 0);
  }
}
