/**
 * What the in-host tests may see of a running extension, handed out by activate() only in
 * ExtensionMode.Test. Functions and getters that return data (tree nodes, runs, texts), never the
 * objects behind them: nothing here leads to the session, a client, SecretStorage or a token.
 */
import * as vscode from 'vscode';
import type { ChatTools } from './chat/tools';
import { DetailsPanels } from './details/detailsPanels';
import type { HostMessage, PanelView, WebviewMessage } from './details/protocol';
import { RunMonitor } from './monitor/runMonitor';
import { FinishedRun, Run, WatchedRun } from './monitor/runs';
import { PinnedSchedules } from './pins/pinnedSchedules';
import { PyramidNode } from './views/nodes';
import { ScheduleFilter } from './schedules/scheduleStore';
import { Servers } from './schedules/servers';
import { ScheduleTreeProvider } from './views/scheduleTreeProvider';

/** The keys and values of a Memento, read-only. */
export interface StoredState {
  keys(): readonly string[];
  get(key: string): unknown;
}

export interface PyramidSchedulesTestApi {
  readonly tree: {
    getChildren(node?: PyramidNode): Promise<PyramidNode[]>;
    resolveTreeItem(item: vscode.TreeItem, node: PyramidNode): vscode.TreeItem;
    readonly onDidChangeTreeData: vscode.Event<PyramidNode | undefined>;
    refresh(): void;
    showMore(groupKey: string): void;
    readonly filter: ScheduleFilter | undefined;
    readonly viewMessage: string | undefined;
  };
  readonly monitor: {
    readonly watched: readonly WatchedRun[];
    readonly recent: readonly FinishedRun[];
    /** True while the monitor's one timer is set: never while nothing is watched. */
    readonly hasTimer: boolean;
    /** Names the run that changed; undefined when several did. */
    readonly onDidChange: vscode.Event<Run | undefined>;
    stopWatching(executionId: string): void;
    clearRecent(): void;
  };
  readonly statusBar: { readonly shownText: string | undefined };
  readonly pins: {
    /** The configured server's pins, as kept. */
    readonly pinned: readonly { scheduleId: string; name: string }[];
    /** True while the checker's one timer is set: never while nothing is pinned or signed out. */
    readonly hasTimer: boolean;
    /** The Schedules view's badge. */
    readonly badge: { value: number; tooltip: string } | undefined;
    /** A round of checks was dealt with (rows, badge, notifications). */
    readonly onDidCheck: vscode.Event<void>;
  };
  readonly details: {
    /** The open details panels, the shared one first, with the messages each way. */
    readonly panels: readonly DetailsPanelFacts[];
    /**
     * Hands a panel a message as its webview would send it (the webview's whole power), for the
     * controls the in-host tests cannot click.
     */
    deliver(scheduleId: string, message: WebviewMessage): Promise<void>;
    /** Restores a panel the way a reload does, through the serializer. */
    restore(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  };
  readonly tasks: {
    /** All that the newest terminal of the pyramid task with this name printed, escape sequences included. */
    terminalText(taskName: string): string | undefined;
  };
  /** The chat tools, called directly: a confirmation a tool asks for is shown by the chat, not here. */
  readonly chat: {
    /** What the tool would ask before running: its confirmation title and message, if any. */
    prepare(tool: keyof ChatTools, input: object): Promise<{ invocationMessage?: string; title?: string; message?: string }>;
    /** The tool's result text, as the model reads it. */
    invoke(tool: keyof ChatTools, input: object): Promise<string>;
  };
  /** The folder holding the output channel's log file, `Pyramid.log`. */
  readonly logUri: vscode.Uri;
  /** What the extension keeps in workspace and global state (watched runs, the filter, the last user name). */
  readonly storedState: { readonly workspace: StoredState; readonly global: StoredState };
}

export interface DetailsPanelFacts {
  readonly scheduleId: string;
  readonly kept: boolean;
  readonly title: string;
  readonly shown: PanelView;
  readonly posted: readonly HostMessage[];
  readonly received: readonly WebviewMessage[];
}

/** What the facade reads, as activate() built it. */
export interface TestApiSources {
  context: vscode.ExtensionContext;
  servers: Servers;
  tree: ScheduleTreeProvider;
  view: vscode.TreeView<PyramidNode>;
  monitor: RunMonitor;
  runsItem: vscode.StatusBarItem;
  pins: PinnedSchedules;
  details: DetailsPanels;
  chatTools: ChatTools;
  taskTerminals: TaskTerminals;
}

/** What each pyramid task terminal printed, by task name; kept only in ExtensionMode.Test. */
export class TaskTerminals {
  private readonly printed = new Map<string, string>();

  readonly record = (name: string, terminal: vscode.Pseudoterminal): void => {
    this.printed.set(name, '');
    terminal.onDidWrite((text) => this.printed.set(name, (this.printed.get(name) ?? '') + text));
  };

  text(name: string): string | undefined {
    return this.printed.get(name);
  }
}

export function testApi({ context, servers, tree, view, monitor, runsItem, pins, details, chatTools, taskTerminals }: TestApiSources): PyramidSchedulesTestApi {
  const readOnly = (memento: vscode.Memento): StoredState => ({ keys: () => memento.keys(), get: (key) => memento.get(key) });
  return {
    tree: {
      getChildren: (node) => tree.getChildren(node),
      resolveTreeItem: (item, node) => tree.resolveTreeItem(item, node),
      onDidChangeTreeData: (listener, thisArgs, disposables) => tree.onDidChangeTreeData(listener, thisArgs, disposables),
      refresh: () => servers.configured()?.schedules.invalidate(),
      showMore: (groupKey) => tree.showMore(groupKey),
      get filter() {
        return servers.configured()?.schedules.filter;
      },
      get viewMessage() {
        return view.message;
      },
    },
    monitor: {
      get watched() {
        return monitor.watched;
      },
      get recent() {
        return monitor.recent;
      },
      get hasTimer() {
        return monitor.scheduler.nextPollAt !== undefined;
      },
      onDidChange: (listener, thisArgs, disposables) => {
        const subscription = monitor.onDidChange(thisArgs ? listener.bind(thisArgs) : listener);
        disposables?.push(subscription);
        return subscription;
      },
      stopWatching: (executionId) => monitor.stopWatching(executionId),
      clearRecent: () => monitor.clearRecent(),
    },
    statusBar: {
      get shownText() {
        return runsItem.text || undefined;
      },
    },
    pins: {
      get pinned() {
        return pins.pinsHere().map(({ scheduleId, name }) => ({ scheduleId, name }));
      },
      get hasTimer() {
        return pins.checker.nextCheckAt !== undefined;
      },
      get badge() {
        return view.badge && { value: view.badge.value, tooltip: view.badge.tooltip };
      },
      onDidCheck: (listener, thisArgs, disposables) => {
        const subscription = pins.runs.onDidChange(() => (thisArgs ? listener.call(thisArgs) : listener()));
        disposables?.push(subscription);
        return subscription;
      },
    },
    tasks: {
      terminalText: (taskName) => taskTerminals.text(taskName),
    },
    chat: {
      prepare: async (tool, input) => {
        const token = new vscode.CancellationTokenSource().token;
        const prepared = await (chatTools[tool] as vscode.LanguageModelTool<object>).prepareInvocation?.({ input }, token);
        const text = (value: string | vscode.MarkdownString | undefined) => (typeof value === 'string' ? value : value?.value);
        return { invocationMessage: text(prepared?.invocationMessage), title: prepared?.confirmationMessages?.title, message: text(prepared?.confirmationMessages?.message) };
      },
      invoke: async (tool, input) => {
        const token = new vscode.CancellationTokenSource().token;
        const answer = await (chatTools[tool] as vscode.LanguageModelTool<object>).invoke({ input, toolInvocationToken: undefined }, token);
        return (answer?.content ?? []).map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
      },
    },
    details: {
      get panels() {
        return details.all.map((panel) => ({
          scheduleId: panel.scheduleId,
          kept: panel.kept,
          title: panel.title,
          shown: structuredClone(panel.shown),
          posted: [...panel.posted],
          received: [...panel.received],
        }));
      },
      deliver: async (scheduleId, message) => {
        const panel = details.all.find((candidate) => candidate.scheduleId === scheduleId);
        await panel?.handle(message);
      },
      restore: (panel, state) => details.deserializeWebviewPanel(panel, state),
    },
    logUri: context.logUri,
    storedState: { workspace: readOnly(context.workspaceState), global: readOnly(context.globalState) },
  };
}
