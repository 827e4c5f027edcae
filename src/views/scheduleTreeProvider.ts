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
import { PinnedRuns } from '../pins/pinnedRuns';
import { PinStore } from '../pins/pinStore';
import { ServerData, Servers } from '../schedules/servers';
import { Log } from '../ui/log';
import { LIMITS, plainText } from '../util/untrusted';
import { ExecutionNode, GroupNode, MessageNode, OutputNode, PinOnlyNode, PinnedGroupNode, PyramidNode, ScheduleFacts, ScheduleNode, TaskNode, scheduleNodeId, scheduleTooltip } from './nodes';
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
  /** Schedule rows by node id: a pinned schedule has a row in its group and one in the Pinned group. */
  private readonly scheduleNodes = new Map<string, ScheduleNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  private pinnedGroup: PinnedGroupNode | undefined;
  private arranged: { source: readonly Schedule[]; groupBy: string; groups: ScheduleGroup[] } | undefined;
  private readonly pageSizes = new Map<string, number>();
  /** The value of the `pyramid.filterActive` context key last set. */
  private filterActive: boolean | undefined;

  constructor(
    private readonly servers: Servers,
    private readonly monitor: RunMonitor,
    private readonly pins: PinStore,
    private readonly pinnedRuns: PinnedRuns,
    private readonly log: Log,
  ) {
    this.disposables.push(
      monitor.onDidChange((run) => this.renderScheduleNodes(run && [run.scheduleId])),
      // Pinned or unpinned: the Pinned group and the rows' menus change.
      pins.onDidChange((origin) => origin === this.shown?.data.server.origin && this.changeEmitter.fire(undefined)),
      // A check answered: both rows of each checked schedule, never the whole tree.
      pinnedRuns.onDidChange(({ origin, scheduleIds }) => origin === this.shown?.data.server.origin && this.pinsChecked(scheduleIds)),
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
      item.tooltip = scheduleTooltip(node.schedule, this.factsOf(node.schedule.scheduleId, node.inPinnedGroup));
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
      if (node instanceof PinnedGroupNode) {
        return this.pinnedRows();
      }
      if (node instanceof ScheduleNode) {
        return await this.executionChildren(node.schedule.scheduleId, node.inPinnedGroup);
      }
      if (node instanceof PinOnlyNode) {
        return await this.executionChildren(node.pin.scheduleId, true);
      }
      if (node instanceof ExecutionNode) {
        return await this.taskChildren(node);
      }
      if (node instanceof TaskNode) {
        return await this.outputChildren(node);
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
    this.pinnedGroup = this.pinsShown().length ? new PinnedGroupNode(this.pinsShown().length) : undefined;
    const pinnedGroup = this.pinnedGroup ? [this.pinnedGroup] : [];
    const groups = this.arrange(schedules);
    if (config.groupBy() === 'none') {
      return [...pinnedGroup, ...this.page(groups[0].key, groups[0].schedules)];
    }
    this.groupNodes.clear();
    return [
      ...pinnedGroup,
      ...groups.map((group) => {
        const node = new GroupNode(group);
        this.groupNodes.set(group.key, node);
        return node;
      }),
    ];
  }

  /** The configured server's pins. */
  private pinsShown() {
    const origin = this.shown?.data.server.origin;
    return origin === undefined ? [] : this.pins.pinsOf(origin);
  }

  /**
   * A row per pin: the schedule as the list knows it (even when `pyramid.scheduleTypes` hides it from
   * its group); what was last known of it when the filter hides it; "gone" when the server no longer lists it.
   */
  private pinnedRows(): PyramidNode[] {
    const data = this.shown?.data;
    if (!data) {
      return [];
    }
    const { schedules } = data;
    return this.pinsShown().map((pin) => {
      const schedule = schedules.known(pin.scheduleId);
      if (schedule) {
        return this.scheduleNode(schedule, true);
      }
      const gone = schedules.schedules !== undefined && schedules.filter === undefined;
      return new PinOnlyNode(pin, gone, this.pinnedRuns.latest(data.server.origin, pin.scheduleId), Date.now());
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

  /** A schedule changed (after suspend or resume): only its rows re-render, unless it moves to another group. */
  private scheduleChanged(schedule: Schedule): void {
    const nodes = this.nodesOf(schedule.scheduleId);
    if (config.groupBy() === 'status' || nodes.length === 0) {
      this.changeEmitter.fire(undefined);
      return;
    }
    for (const node of nodes) {
      node.update(schedule, this.factsOf(schedule.scheduleId, node.inPinnedGroup));
      this.changeEmitter.fire(node);
    }
  }

  /** Checks answered: the rows of those schedules; the whole Pinned group when one of them has no schedule row (hidden or gone). */
  private pinsChecked(scheduleIds: readonly string[]): void {
    if (this.pinnedGroup && scheduleIds.some((id) => !this.scheduleNodes.has(scheduleNodeId(id, true)))) {
      this.changeEmitter.fire(this.pinnedGroup);
    }
    this.renderScheduleNodes(scheduleIds);
  }

  /** The rows of a schedule: in its group, and in the Pinned group. */
  private nodesOf(scheduleId: string): ScheduleNode[] {
    return [false, true].map((pinned) => this.scheduleNodes.get(scheduleNodeId(scheduleId, pinned))).filter((node) => node !== undefined);
  }

  /** What a row of this schedule shows besides the schedule. */
  private factsOf(scheduleId: string, inPinnedGroup: boolean): ScheduleFacts {
    const origin = this.shown?.data.server.origin;
    const watched = this.monitor.watchedRunOf(scheduleId);
    return {
      watched,
      estimate: watched && this.monitor.estimateOf(watched),
      estimateLabel: watched?.state === 'watching' ? this.monitor.estimateLabelOf(watched) : undefined,
      lastRun: this.lastRunOf(scheduleId),
      pinned: origin !== undefined && this.pins.isPinned(origin, scheduleId),
      latest: inPinnedGroup && origin !== undefined ? this.pinnedRuns.latest(origin, scheduleId) : undefined,
      now: Date.now(),
    };
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

  private scheduleNode(schedule: Schedule, inPinnedGroup = false): ScheduleNode {
    const facts = this.factsOf(schedule.scheduleId, inPinnedGroup);
    const id = scheduleNodeId(schedule.scheduleId, inPinnedGroup);
    let node = this.scheduleNodes.get(id);
    if (node) {
      node.update(schedule, facts);
    } else {
      node = new ScheduleNode(schedule, facts, inPinnedGroup);
      this.scheduleNodes.set(id, node);
    }
    return node;
  }

  private lastRunOf(scheduleId: string): Run | undefined {
    return this.monitor.recent.find((run) => run.scheduleId === scheduleId);
  }

  /**
   * After runs start, change or end, or pins were checked: re-render the rows of those schedules (or,
   * when unnamed, every row) whose look changed; never the whole tree.
   */
  private renderScheduleNodes(scheduleIds: readonly string[] | undefined): void {
    const nodes = scheduleIds ? scheduleIds.flatMap((id) => this.nodesOf(id)) : [...this.scheduleNodes.values()];
    for (const node of nodes) {
      const before = `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`;
      node.update(node.schedule, this.factsOf(node.schedule.scheduleId, node.inPinnedGroup));
      if (before !== `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`) {
        this.changeEmitter.fire(node);
      }
    }
  }

  private async executionChildren(scheduleId: string, inPinnedGroup: boolean): Promise<PyramidNode[]> {
    const history = this.shown?.data.history;
    const prefix = inPinnedGroup ? 'pinned:' : '';
    const executions = history ? (await history.executions(scheduleId)).slice(0, config.recentExecutions()) : [];
    if (executions.length === 0) {
      return [new MessageNode(`${prefix}no-runs:${scheduleId}`, 'No runs yet', { icon: 'info' })];
    }
    return executions.map((execution) => new ExecutionNode(scheduleId, execution, prefix));
  }

  private async taskChildren(node: ExecutionNode): Promise<PyramidNode[]> {
    const history = this.shown?.data.history;
    const tasks = history ? await history.tasks(node.execution) : node.execution.tasks;
    const scheduleName = this.shown?.data.schedules.known(node.scheduleId)?.name ?? node.scheduleId;
    const place = { scheduleId: node.scheduleId, scheduleName, executionId: node.execution.id };
    return tasks.map((task) => new TaskNode(task, place, node.idPrefix));
  }

  private async outputChildren(node: TaskNode): Promise<PyramidNode[]> {
    const outputs = (await this.shown?.data.history.outputs(node.task.id)) ?? [];
    if (outputs.length === 0) {
      return [new MessageNode(`${node.idPrefix}no-outputs:${node.task.id}`, 'No outputs', { icon: 'info' })];
    }
    return outputs.map((output) => new OutputNode(output, node.task, node.idPrefix));
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
