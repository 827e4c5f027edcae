/**
 * The Schedules tree: maps the configured server's schedule store and run history to nodes, grouped
 * per settings, with runs and tasks on expand. Errors become nodes or the view message: getChildren
 * never throws. Loading, the filter and auto-refresh belong to the store (src/schedules/).
 */
import * as vscode from 'vscode';
import { Schedule, isSignInNeeded } from '../api';
import * as config from '../config';
import { RunMonitor } from '../monitor/runMonitor';
import { Run } from '../monitor/runs';
import { ServerData, Servers } from '../schedules/servers';
import { Log } from '../ui/log';
import { LIMITS, plainText } from '../util/untrusted';
import { ExecutionNode, GroupNode, MessageNode, PyramidNode, ScheduleNode, TaskNode, scheduleTooltip } from './nodes';
import { ScheduleGroup, groupSchedules } from './treeModel';

/** Rows per group before a "Show more" node: keeps a group of thousands responsive. */
export const PAGE_SIZE = 500;

export class ScheduleTreeProvider implements vscode.TreeDataProvider<PyramidNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<PyramidNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private view: vscode.TreeView<PyramidNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** The store the tree shows and listens to; it changes with pyramid.serverUrl. */
  private shown: { data: ServerData; subscription: vscode.Disposable } | undefined;
  private readonly scheduleNodes = new Map<string, ScheduleNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  private arranged: { source: readonly Schedule[]; groupBy: string; groups: ScheduleGroup[] } | undefined;
  private readonly pageSizes = new Map<string, number>();
  /** The value of the `pyramid.filterActive` context key last set. */
  private filterActive: boolean | undefined;

  constructor(
    private readonly servers: Servers,
    private readonly monitor: RunMonitor,
    private readonly log: Log,
  ) {
    this.disposables.push(
      monitor.onDidChange((run) => this.renderScheduleNodes(run)),
      // Another server, a sign-in or a sign-out: show the configured server's store, loaded afresh.
      servers.onDidChange(() => {
        this.follow();
        this.shown?.data.schedules.invalidate();
      }),
      vscode.window.onDidChangeWindowState(() => this.planAutoRefresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'groupBy', 'scheduleTypes', 'recentExecutions')) {
          this.changeEmitter.fire(undefined);
        }
        if (config.affects(event, 'autoRefreshSeconds')) {
          this.planAutoRefresh();
        }
      }),
    );
    this.follow();
  }

  /** Connects the TreeView, whose message shows the filter and a failed refresh, and whose visibility gates auto-refresh. */
  attach(view: vscode.TreeView<PyramidNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(() => this.planAutoRefresh()));
    this.updateMessage();
    this.planAutoRefresh();
  }

  /** Shows the next page of a large group, re-rendering that group only. */
  showMore(groupKey: string): void {
    this.pageSizes.set(groupKey, (this.pageSizes.get(groupKey) ?? PAGE_SIZE) + PAGE_SIZE);
    this.changeEmitter.fire(this.groupNodes.get(groupKey));
  }

  getTreeItem(node: PyramidNode): vscode.TreeItem {
    return node;
  }

  resolveTreeItem(item: vscode.TreeItem, node: PyramidNode): vscode.TreeItem {
    if (node instanceof ScheduleNode) {
      const id = node.schedule.scheduleId;
      item.tooltip = scheduleTooltip(node.schedule, this.monitor.watchedRunOf(id), this.lastRunOf(id));
    }
    return item;
  }

  async getChildren(node?: PyramidNode): Promise<PyramidNode[]> {
    try {
      if (!node) {
        return await this.rootChildren();
      }
      if (node instanceof GroupNode) {
        return this.page(node.group.key, node.group.schedules);
      }
      if (node instanceof ScheduleNode) {
        return await this.executionChildren(node);
      }
      if (node instanceof ExecutionNode) {
        return await this.taskChildren(node);
      }
      return [];
    } catch (error) {
      this.log.error(`Could not show the tree: ${(error as Error).message}`);
      return [this.errorNode(node?.id ?? 'root', error)];
    }
  }

  dispose(): void {
    this.shown?.subscription.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Follows the configured server's store: the whole tree when the list changes, one node when a schedule does. */
  follow(): void {
    const data = this.servers.configured();
    if (data === this.shown?.data) {
      return;
    }
    this.shown?.data.schedules.setAutoRefresh(false);
    this.shown?.subscription.dispose();
    this.shown = data && {
      data,
      subscription: data.schedules.onDidChange(({ schedule }) => (schedule ? this.scheduleChanged(schedule) : this.listChanged())),
    };
    this.listChanged();
  }

  private async rootChildren(): Promise<PyramidNode[]> {
    this.follow();
    const store = this.shown?.data.schedules;
    if (!store || !(await this.servers.isSignedIn(store.server))) {
      this.scheduleNodes.clear();
      return []; // The welcome view explains what to do.
    }
    let schedules: readonly Schedule[];
    try {
      schedules = store.listed(await store.current());
    } catch (error) {
      return [this.errorNode('root', error)];
    } finally {
      this.updateMessage();
    }
    if (schedules.length === 0) {
      return [new MessageNode('empty', store.filter ? 'No schedule matches the filter' : 'No schedules on this server', { icon: 'info' })];
    }
    const groups = this.arrange(schedules);
    if (config.groupBy() === 'none') {
      return this.page(groups[0].key, groups[0].schedules);
    }
    this.groupNodes.clear();
    return groups.map((group) => {
      const node = new GroupNode(group);
      this.groupNodes.set(group.key, node);
      return node;
    });
  }

  /** Groups the listed schedules, unless the same list was grouped the same way before. */
  private arrange(schedules: readonly Schedule[]): ScheduleGroup[] {
    const groupBy = config.groupBy();
    if (this.arranged?.source !== schedules || this.arranged.groupBy !== groupBy) {
      this.arranged = { source: schedules, groupBy, groups: groupSchedules(schedules, groupBy) };
    }
    return this.arranged.groups;
  }

  private listChanged(): void {
    this.scheduleNodes.clear();
    this.updateMessage();
    this.planAutoRefresh();
    this.changeEmitter.fire(undefined);
  }

  /** A schedule changed (after suspend or resume): only its node re-renders, unless it moves to another group. */
  private scheduleChanged(schedule: Schedule): void {
    const node = this.scheduleNodes.get(schedule.scheduleId);
    if (config.groupBy() === 'status' || !node) {
      this.changeEmitter.fire(undefined);
      return;
    }
    node.update(schedule, this.monitor.watchedRunOf(schedule.scheduleId), this.lastRunOf(schedule.scheduleId));
    this.changeEmitter.fire(node);
  }

  private page(groupKey: string, schedules: readonly Schedule[]): PyramidNode[] {
    const size = this.pageSizes.get(groupKey) ?? PAGE_SIZE;
    const nodes: PyramidNode[] = schedules.slice(0, size).map((schedule) => this.scheduleNode(schedule));
    const remaining = schedules.length - size;
    if (remaining > 0) {
      nodes.push(
        new MessageNode(`more:${groupKey}:${size}`, `Show ${Math.min(PAGE_SIZE, remaining)} more…`, {
          description: `${remaining.toLocaleString()} not shown`,
          icon: 'ellipsis',
          command: { command: 'pyramid.showMore', title: 'Show More', arguments: [groupKey] },
        }),
      );
    }
    return nodes;
  }

  private scheduleNode(schedule: Schedule): ScheduleNode {
    const watched = this.monitor.watchedRunOf(schedule.scheduleId);
    const lastRun = this.lastRunOf(schedule.scheduleId);
    let node = this.scheduleNodes.get(schedule.scheduleId);
    if (node) {
      node.update(schedule, watched, lastRun);
    } else {
      node = new ScheduleNode(schedule, watched, lastRun);
      this.scheduleNodes.set(schedule.scheduleId, node);
    }
    return node;
  }

  private lastRunOf(scheduleId: string): Run | undefined {
    return this.monitor.recent.find((run) => run.scheduleId === scheduleId);
  }

  /**
   * After a run starts, changes or ends: re-render the node of that run's schedule, or (when several
   * runs changed at once) every node whose look changed; never the whole tree.
   */
  private renderScheduleNodes(run: Run | undefined): void {
    const single = run && this.scheduleNodes.get(run.scheduleId);
    const nodes = run ? (single ? [single] : []) : this.scheduleNodes.values();
    for (const node of nodes) {
      const before = `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`;
      const id = node.schedule.scheduleId;
      node.update(node.schedule, this.monitor.watchedRunOf(id), this.lastRunOf(id));
      if (before !== `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`) {
        this.changeEmitter.fire(node);
      }
    }
  }

  private async executionChildren(node: ScheduleNode): Promise<PyramidNode[]> {
    const history = this.shown?.data.history;
    const executions = history ? (await history.executions(node.schedule.scheduleId)).slice(0, config.recentExecutions()) : [];
    if (executions.length === 0) {
      return [new MessageNode(`no-runs:${node.schedule.scheduleId}`, 'No runs yet', { icon: 'info' })];
    }
    return executions.map((execution) => new ExecutionNode(node.schedule.scheduleId, execution));
  }

  private async taskChildren(node: ExecutionNode): Promise<PyramidNode[]> {
    const history = this.shown?.data.history;
    const tasks = history ? await history.tasks(node.execution) : node.execution.tasks;
    return tasks.map((task) => new TaskNode(task));
  }

  private errorNode(parentId: string, error: unknown): MessageNode {
    const message = (error as Error).message ?? String(error);
    if (isSignInNeeded(error)) {
      return new MessageNode(`signin:${parentId}`, 'Sign in again to see schedules', {
        description: message,
        icon: 'account',
        color: 'list.warningForeground',
        command: { command: 'pyramid.signIn', title: 'Sign In' },
      });
    }
    return new MessageNode(`error:${parentId}`, 'Cannot load from the server: click to retry', {
      description: message,
      tooltip: message,
      icon: 'error',
      color: 'list.errorForeground',
      command: { command: 'pyramid.refresh', title: 'Retry' },
    });
  }

  private updateMessage(): void {
    const store = this.shown?.data.schedules;
    const message = store?.viewMessage;
    if (this.view) {
      this.view.message = message === undefined ? undefined : plainText(message, LIMITS.message);
    }
    const filterActive = store?.filter !== undefined;
    if (filterActive !== this.filterActive) {
      this.filterActive = filterActive;
      void vscode.commands.executeCommand('setContext', 'pyramid.filterActive', filterActive);
    }
  }

  /** Auto-refresh runs only while it is on, the view is visible and the window focused. */
  private planAutoRefresh(): void {
    this.shown?.data.schedules.setAutoRefresh(Boolean(this.view?.visible) && vscode.window.state.focused);
  }
}
