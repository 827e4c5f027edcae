/**
 * What the in-host tests may see of a running extension, handed out by activate() only in
 * ExtensionMode.Test. Functions and getters that return data (tree nodes, runs, texts), never the
 * objects behind them: nothing here leads to the session, a client, SecretStorage or a token.
 */
import * as vscode from 'vscode';
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
  /** The folder holding the output channel's log file, `Pyramid.log`. */
  readonly logUri: vscode.Uri;
  /** What the extension keeps in workspace and global state (watched runs, the filter, the last user name). */
  readonly storedState: { readonly workspace: StoredState; readonly global: StoredState };
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
}

export function testApi({ context, servers, tree, view, monitor, runsItem, pins }: TestApiSources): PyramidSchedulesTestApi {
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
    logUri: context.logUri,
    storedState: { workspace: readOnly(context.workspaceState), global: readOnly(context.globalState) },
  };
}
