/**
 * Schedule details editors. One shared panel follows the schedule clicked in the tree, like a
 * preview tab; Keep Open gives a schedule a panel of its own. Each panel reads the configured
 * server's schedule store and run history (no request when the tree or a pinned check read the runs
 * a moment ago), does every request itself and posts plain data to its webview (protocol.ts). The
 * webview asks for actions by message; they go through the same commands as the tree's, with an
 * argument the extension made. Panels are restored after a reload by the serializer.
 */
import * as vscode from 'vscode';
import { Execution, ItemId, Schedule, Task, isSignInNeeded } from '../api';
import * as config from '../config';
import { estimateBasis } from '../monitor/estimates';
import { RunMonitor } from '../monitor/runMonitor';
import { WatchedRun } from '../monitor/runs';
import { PinStore } from '../pins/pinStore';
import { ServerData, Servers } from '../schedules/servers';
import { Log } from '../ui/log';
import { statusMessage } from '../ui/messages';
import { ownArgument } from '../ui/provenance';
import { plainText } from '../util/untrusted';
import { hasOutputs, isFailedTask } from '../views/treeModel';
import { CopyField, HostMessage, PanelState, PanelView, ScheduleHeader, WebviewMessage, parsePanelState, parseWebviewMessage } from './protocol';
import { runSummary, scheduleHeader, taskSummary } from './summaries';

export const DETAILS_VIEW_TYPE = 'pyramid.scheduleDetails';

/** Panel titles are short: the tab shows the start of the name. */
const TITLE_LIMIT = 60;
/** How many messages each way a panel remembers, for the in-host tests. */
const MESSAGE_LOG_SIZE = 100;

export interface DetailsOptions {
  extensionUri: vscode.Uri;
  servers: Servers;
  monitor: RunMonitor;
  pins: PinStore;
  log: Log;
}

/** Which schedule to show, and where it comes from. */
export interface DetailsTarget {
  scheduleId: string;
  name: string;
  /** A panel of its own rather than the shared one. */
  keep?: boolean;
}

export class DetailsPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private preview: DetailsPanel | undefined;
  private readonly kept = new Set<DetailsPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The configured server's schedule store, followed for suspend, resume and reloads. */
  private storeSubscription: { dispose(): void } | undefined;

  constructor(private readonly options: DetailsOptions) {
    const { servers, monitor, pins } = options;
    const shown = (scheduleId?: string) => this.all.filter((panel) => scheduleId === undefined || panel.scheduleId === scheduleId);
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(DETAILS_VIEW_TYPE, this),
      // Another server, a sign-in or a sign-out: each panel says what it can show now.
      servers.onDidChange(() => shown().forEach((panel) => void panel.load())),
      // A run started or ended: its bar appears, or its duration and outcome become final.
      monitor.onDidChange((run) => shown(run?.scheduleId).forEach((panel) => panel.runsChanged())),
      monitor.onDidFinish((run) => shown(run.scheduleId).forEach((panel) => void panel.load())),
      toDisposable(pins.onDidChange(() => shown().forEach((panel) => panel.headerChanged()))),
    );
    this.followStore();
    this.subscriptions.push(servers.onDidChange(() => this.followStore()));
  }

  /** Every open details panel, the shared one first. */
  get all(): DetailsPanel[] {
    return [...(this.preview ? [this.preview] : []), ...this.kept];
  }

  /** Shows a schedule: in its own panel when it has one, else in the shared panel (or a new one of its own with `keep`). */
  show(target: DetailsTarget): DetailsPanel | undefined {
    const origin = this.options.servers.configured()?.server.origin;
    if (origin === undefined) {
      return undefined;
    }
    const own = [...this.kept].find((panel) => panel.scheduleId === target.scheduleId && panel.origin === origin);
    if (own) {
      own.reveal();
      return own;
    }
    const preview = this.preview;
    if (preview?.scheduleId === target.scheduleId && preview.origin === origin) {
      if (target.keep) {
        this.keep(preview);
      }
      preview.reveal();
      return preview;
    }
    const state: PanelState = { scheduleId: target.scheduleId, name: target.name, origin, kept: Boolean(target.keep) };
    if (!target.keep && this.preview) {
      this.preview.retarget(state);
      this.preview.reveal();
      return this.preview;
    }
    const panel = vscode.window.createWebviewPanel(DETAILS_VIEW_TYPE, title(state), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.options.extensionUri));
    return this.adopt(panel, state);
  }

  /** Restores a panel after a reload, from the state its webview kept. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = parsePanelState(raw);
    if (!state) {
      this.options.log.warn('A details panel could not be restored: it kept no schedule.');
      panel.dispose();
      return;
    }
    // Only one panel can be the shared one; any other restored one keeps its schedule.
    this.adopt(panel, { ...state, kept: state.kept || this.preview !== undefined });
  }

  /** Gives the shared panel's schedule a panel of its own; the next click opens a new shared one. */
  keep(panel: DetailsPanel): void {
    if (this.preview === panel) {
      this.preview = undefined;
      this.kept.add(panel);
      panel.setKept();
    }
  }

  dispose(): void {
    this.all.forEach((panel) => panel.dispose());
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.storeSubscription?.dispose();
  }

  /** Suspend, resume or a reloaded list: headers change, with no request. */
  private followStore(): void {
    this.storeSubscription?.dispose();
    const store = this.options.servers.configured()?.schedules;
    this.storeSubscription = store?.onDidChange(({ schedule }) =>
      this.all.filter((panel) => !schedule || panel.scheduleId === schedule.scheduleId).forEach((panel) => panel.headerChanged()),
    );
  }

  private adopt(webviewPanel: vscode.WebviewPanel, state: PanelState): DetailsPanel {
    webviewPanel.webview.options = webviewOptions(this.options.extensionUri);
    const panel = new DetailsPanel(webviewPanel, state, this.options, this);
    if (state.kept) {
      this.kept.add(panel);
    } else {
      this.preview = panel;
    }
    webviewPanel.onDidDispose(() => {
      if (this.preview === panel) {
        this.preview = undefined;
      }
      this.kept.delete(panel);
      panel.dispose();
    });
    void panel.load();
    return panel;
  }
}

/** One details editor: a webview, the schedule it shows and what it last posted. */
export class DetailsPanel {
  private state: PanelState;
  private view: PanelView;
  private shownRuns: Execution[] = [];
  /** The tasks of the selected run as last sent, with the outputs listed for them: what task buttons may act on. */
  private shownTasks: { executionId: string; tasks: Task[]; outputs: Map<string, ItemId[]> } | undefined;
  private ready = false;
  private loads = 0;
  private readonly subscription: vscode.Disposable;
  /** The latest messages each way, newest last: what the in-host tests read. */
  readonly posted: HostMessage[] = [];
  readonly received: WebviewMessage[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    state: PanelState,
    private readonly options: DetailsOptions,
    private readonly owner: DetailsPanels,
  ) {
    this.state = state;
    this.view = { kind: 'loading', name: state.name };
    panel.title = title(state);
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'pyramid.svg');
    panel.webview.html = detailsHtml(panel.webview, options.extensionUri);
    this.subscription = panel.webview.onDidReceiveMessage((raw) => void this.receive(raw));
  }

  get scheduleId(): string {
    return this.state.scheduleId;
  }

  get origin(): string {
    return this.state.origin;
  }

  get kept(): boolean {
    return this.state.kept;
  }

  get title(): string {
    return this.panel.title;
  }

  /** What the panel shows now. */
  get shown(): PanelView {
    return this.view;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** The shared panel now shows another schedule. */
  retarget(state: PanelState): void {
    this.state = state;
    this.shownRuns = [];
    this.panel.title = title(state);
    this.post({ type: 'state', state });
    void this.load();
  }

  setKept(): void {
    this.state = { ...this.state, kept: true };
    this.panel.title = title(this.state);
    this.post({ type: 'state', state: this.state });
  }

  /** Reads the schedule and its runs (from the history cache while fresh) and shows them, or why it cannot. */
  async load(fresh = false): Promise<void> {
    const load = ++this.loads;
    const { name, scheduleId, origin } = this.state;
    const data = this.options.servers.configured();
    if (!data || data.server.origin !== origin) {
      this.setView({ kind: 'serverChanged', name, openedOn: origin, configured: data?.server.origin });
      return;
    }
    if (!(await this.options.servers.isSignedIn(data.server))) {
      this.setView({ kind: 'signedOut', name, server: data.server.origin });
      return;
    }
    if (this.view.kind !== 'data' || this.view.header.scheduleId !== scheduleId) {
      this.setView({ kind: 'loading', name });
    }
    try {
      if (fresh) {
        data.history.invalidate(scheduleId);
      }
      const [schedule, executions] = await Promise.all([this.schedule(data), data.history.executions(scheduleId)]);
      if (load !== this.loads) {
        return; // A newer load (another schedule, a retry) answers instead.
      }
      this.shownRuns = executions.slice(0, config.detailsRuns());
      this.setView({
        kind: 'data',
        header: this.header(schedule),
        runs: this.shownRuns.map(runSummary),
        limit: config.detailsRuns(),
        server: data.server.origin,
      });
    } catch (error) {
      if (load !== this.loads) {
        return;
      }
      const message = (error as Error).message ?? String(error);
      this.options.log.warn(`Details of "${name}": ${message}`);
      this.setView(isSignInNeeded(error) ? { kind: 'signedOut', name, server: data.server.origin } : { kind: 'error', name, message: plainText(message, 1_000) });
    }
  }

  /** Pinned, suspended, watched: the header again, from what is known, with no request; posted only when it changed. */
  headerChanged(): void {
    if (this.view.kind === 'data') {
      const data = this.options.servers.configured();
      const schedule = data?.server.origin === this.origin ? data.schedules.known(this.scheduleId) : undefined;
      const header = this.header(schedule);
      if (JSON.stringify(header) !== JSON.stringify(this.view.header)) {
        this.setView({ ...this.view, header });
      }
    }
  }

  /** The monitor follows a run of this schedule: a run the chart does not show yet means reading the history again. */
  runsChanged(): void {
    const watched = this.options.monitor.watchedRunOf(this.scheduleId);
    if (watched?.kind === 'execution' && this.view.kind === 'data' && !this.shownRuns.some((run) => run.id === watched.executionId)) {
      void this.load();
    } else {
      this.headerChanged();
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async schedule(data: ServerData): Promise<Schedule | undefined> {
    const known = data.schedules.known(this.scheduleId);
    if (known || data.schedules.schedules) {
      return known;
    }
    // Restored after a reload, before the tree loaded the list.
    return (await data.schedules.current()).find((schedule) => schedule.scheduleId === this.scheduleId);
  }

  /** The schedule as the store knows it; a pin hidden by the filter shows its name and id only. */
  private header(schedule: Schedule | undefined): ScheduleHeader {
    const pinned = this.options.pins.isPinned(this.origin, this.scheduleId);
    const run = this.options.monitor.watchedRunOf(this.scheduleId);
    const watched = run !== undefined;
    if (schedule) {
      return scheduleHeader(schedule, { pinned, watched, estimate: run && this.estimate(run) });
    }
    return {
      scheduleId: this.scheduleId,
      name: plainText(this.state.name, 500),
      type: '',
      status: 'Not in the current schedule list',
      state: 'inactive',
      pinned,
      watched,
    };
  }

  /** The time left of the followed run, when its schedule's history gives one. */
  private estimate(run: WatchedRun): ScheduleHeader['estimate'] {
    const estimate = this.options.monitor.estimateOf(run);
    const label = run.state === 'watching' ? this.options.monitor.estimateLabelOf(run) : undefined;
    return estimate && label ? { label, basis: estimateBasis(estimate) } : undefined;
  }

  private setView(view: PanelView): void {
    this.view = view;
    if (view.kind === 'data' && view.header.name !== this.state.name) {
      this.state = { ...this.state, name: view.header.name };
      this.panel.title = title(this.state);
      this.post({ type: 'state', state: this.state });
    }
    this.post({ type: 'view', view });
  }

  private post(message: HostMessage): void {
    remember(this.posted, message);
    if (this.ready) {
      void this.panel.webview.postMessage(message);
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.options.log.warn('The details panel sent a message it should not: ignored.');
      return;
    }
    remember(this.received, message);
    await this.handle(message);
  }

  /** What a message from the webview asks for. Also the in-host tests' way in. */
  async handle(message: WebviewMessage): Promise<void> {
    const target = () => ownArgument({ scheduleId: this.scheduleId, scheduleName: this.state.name, serverUrl: this.serverUrl() });
    switch (message.type) {
      case 'ready':
        // Loaded, or loaded again after being hidden: it has nothing yet.
        this.ready = true;
        this.post({ type: 'state', state: this.state });
        this.post({ type: 'view', view: this.view });
        return;
      case 'retry':
        return this.load(true);
      case 'signIn':
        await vscode.commands.executeCommand('pyramid.signIn');
        return;
      case 'keepOpen':
        this.owner.keep(this);
        return;
      case 'action':
        await vscode.commands.executeCommand(ACTION_COMMANDS[message.action], target());
        return;
      case 'copy':
        return this.copy(message.field);
      case 'selectRun':
        return this.selectRun(message.executionId);
      case 'rerunTask':
        return this.rerunTask(message.executionId, message.taskId);
      case 'openOutput':
        return this.openOutput(message.executionId, message.taskId, message.outputId);
    }
  }

  /** Re-runs a failed task of the selected run: the task is taken from the extension's own data, never the message. */
  private async rerunTask(executionId: string, taskId: string): Promise<void> {
    const shown = this.shownTasks?.executionId === executionId ? this.shownTasks : undefined;
    const task = shown?.tasks.find((candidate) => candidate.id === taskId);
    if (!task || !isFailedTask(task)) {
      return;
    }
    const taskName = task.description || `Task ${task.id}`;
    const target = { taskId, taskName, scheduleId: this.scheduleId, scheduleName: this.state.name, executionId, serverUrl: this.serverUrl() };
    await vscode.commands.executeCommand('pyramid.rerunTask', ownArgument(target));
  }

  /** Opens an output the panel listed for that task. */
  private async openOutput(executionId: string, taskId: string, outputId: string): Promise<void> {
    const shown = this.shownTasks?.executionId === executionId ? this.shownTasks : undefined;
    const output = shown?.outputs.get(taskId)?.find((candidate) => candidate.id === outputId);
    if (output) {
      await vscode.commands.executeCommand('pyramid.openOutput', ownArgument({ outputId: output.id, serverUrl: this.serverUrl() }));
    }
  }

  private async selectRun(executionId: string): Promise<void> {
    const execution = this.shownRuns.find((run) => run.id === executionId);
    const history = this.options.servers.configured()?.history;
    if (!execution || !history) {
      return;
    }
    try {
      const tasks = await history.tasks(execution);
      const outputs = new Map<string, ItemId[]>();
      await Promise.all(
        tasks.filter(hasOutputs).map(async (task) => {
          try {
            outputs.set(task.id, await history.outputs(task.id));
          } catch (error) {
            this.options.log.warn(`Could not list the outputs of task ${task.id}: ${(error as Error).message ?? String(error)}`);
          }
        }),
      );
      this.shownTasks = { executionId, tasks, outputs };
      this.post({ type: 'tasks', executionId, tasks: tasks.map((task) => taskSummary(task, outputs.get(task.id))) });
    } catch (error) {
      this.post({ type: 'tasksError', executionId, message: plainText((error as Error).message ?? String(error), 1_000) });
    }
  }

  /** Copies an id the panel shows, taken from the extension's own data rather than the message. */
  private async copy(field: CopyField): Promise<void> {
    const header = this.view.kind === 'data' ? this.view.header : undefined;
    const value = field === 'scheduleId' ? this.scheduleId : header?.contentItemId;
    if (value) {
      await vscode.env.clipboard.writeText(value);
      statusMessage(`Copied the ${field === 'scheduleId' ? 'schedule' : 'content item'} ID of "${this.state.name}"`, 3000, 'clippy');
    }
  }

  private serverUrl(): string | undefined {
    const server = this.options.servers.configured()?.server;
    return server?.origin === this.origin ? server.url : `${this.origin}`;
  }
}

const ACTION_COMMANDS = {
  run: 'pyramid.runSchedule',
  runCheckTriggers: 'pyramid.runScheduleCheckTriggers',
  suspend: 'pyramid.suspendSchedule',
  resume: 'pyramid.resumeSchedule',
  pin: 'pyramid.pinSchedule',
  unpin: 'pyramid.unpinSchedule',
  openInPyramid: 'pyramid.openInPyramid',
} as const;

function title(state: PanelState): string {
  return plainText(state.name, TITLE_LIMIT);
}

/** Scripts on; the webview loads only its own bundle and stylesheet. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** The page: a strict Content-Security-Policy, one script with a fresh nonce, one stylesheet, no inline code. */
export function detailsHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = createNonce();
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'details.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'details.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Schedule details</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function createNonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

function remember<T>(log: T[], message: T): void {
  log.push(message);
  if (log.length > MESSAGE_LOG_SIZE) {
    log.shift();
  }
}

function toDisposable(subscription: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => subscription.dispose());
}
