/**
 * The Schedules tree. Loads schedules with findSchedule (the filter is applied by the server), groups
 * them per settings, and loads executions and tasks when a node is expanded. Errors become nodes or the
 * view message: getChildren never throws. A failed refresh keeps the last good list.
 */
import * as vscode from 'vscode';
import { Schedule, SearchMatchType, isSignInNeeded, searchMatchTypes } from '../api';
import { AuthPrompt } from '../auth/authPrompt';
import { Session } from '../auth/session';
import * as config from '../config';
import { RunMonitor } from '../monitor/runMonitor';
import { Run } from '../monitor/runs';
import { ExecutionNode, GroupNode, MessageNode, PyramidNode, ScheduleNode, TaskNode, scheduleTooltip } from './nodes';
import { LIMITS, plainText } from '../util/untrusted';
import { Log } from '../ui/log';
import { ScheduleGroup, groupSchedules, selectSchedules, withoutDuplicates } from './treeModel';

export interface ScheduleFilter {
  text: string;
  matchType: SearchMatchType;
}

const FILTER_KEY = 'pyramid.filter';
/** Rows per group before a "Show more" node: keeps a group of thousands responsive. */
export const PAGE_SIZE = 500;

export class ScheduleTreeProvider implements vscode.TreeDataProvider<PyramidNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<PyramidNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private view: vscode.TreeView<PyramidNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  /** The last good answer of findSchedule, for the server and filter in `loadedFor`. */
  private schedules: Schedule[] | undefined;
  private loadedFor: string | undefined;
  private stale = true;
  private refreshError: string | undefined;
  private readonly scheduleNodes = new Map<string, ScheduleNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  /** The filtered, sorted, grouped list, kept until the list or the settings that shape it change. */
  private arranged: { source: Schedule[]; shape: string; schedules: Schedule[]; groups: ScheduleGroup[] } | undefined;
  private readonly pageSizes = new Map<string, number>();
  private autoRefreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly session: Session,
    private readonly monitor: RunMonitor,
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
    private readonly authPrompt: AuthPrompt,
  ) {
    this.disposables.push(
      monitor.onDidChange(() => this.renderScheduleNodes()),
      session.onDidChange(() => void this.sessionChanged()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'groupBy', 'scheduleTypes')) {
          this.changeEmitter.fire(undefined);
        }
        if (config.affects(event, 'recentExecutions')) {
          this.refresh();
        }
        if (config.affects(event, 'autoRefreshSeconds')) {
          this.planAutoRefresh();
        }
      }),
      vscode.window.onDidChangeWindowState(() => this.planAutoRefresh()),
    );
  }

  /** Connects the TreeView, whose message shows the filter and the last refresh error. */
  attach(view: vscode.TreeView<PyramidNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(() => this.planAutoRefresh()));
    this.updateMessage();
    void this.updateFilterContext();
  }

  get filter(): ScheduleFilter | undefined {
    return this.workspaceState.get<ScheduleFilter>(FILTER_KEY);
  }

  async setFilter(filter: ScheduleFilter | undefined): Promise<void> {
    await this.workspaceState.update(FILTER_KEY, filter);
    await this.updateFilterContext();
    this.refresh();
  }

  /** Reloads from the server on the next render (expanded nodes keep their state: ids are stable). */
  refresh(): void {
    this.stale = true;
    this.changeEmitter.fire(undefined);
  }

  /** The schedules for a quick pick: the loaded list, or a fresh load. Throws on failure. */
  async schedulesForPick(): Promise<Schedule[]> {
    if (!this.schedules || this.stale) {
      await this.load();
    }
    return this.arrange(this.schedules ?? []).schedules;
  }

  /** A schedule of the list already loaded, without asking the server; undefined when not there. */
  knownSchedule(scheduleId: string): Schedule | undefined {
    return this.schedules?.find((schedule) => schedule.scheduleId === scheduleId);
  }

  /** Takes a changed schedule (after suspend or resume) and re-renders only its node. */
  scheduleChanged(schedule: Schedule): void {
    if (this.schedules) {
      this.schedules = this.schedules.map((s) => (s.scheduleId === schedule.scheduleId ? schedule : s));
    }
    const node = this.scheduleNodes.get(schedule.scheduleId);
    if (config.groupBy() === 'status' || !node) {
      this.changeEmitter.fire(undefined); // it may move to another group
      return;
    }
    node.update(schedule, this.monitor.activeRunOf(schedule.scheduleId), this.lastRunOf(schedule.scheduleId));
    this.changeEmitter.fire(node);
  }

  /** Signed out: the list is forgotten, so it cannot stand in for another user's or server's. */
  private async sessionChanged(): Promise<void> {
    if (!(await this.session.isSignedIn())) {
      this.schedules = undefined;
      this.loadedFor = undefined;
      this.scheduleNodes.clear();
    }
    this.refresh();
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
      item.tooltip = scheduleTooltip(node.schedule, this.monitor.activeRunOf(id), this.lastRunOf(id));
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
    clearTimeout(this.autoRefreshTimer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async rootChildren(): Promise<PyramidNode[]> {
    if (!this.session.serverUrl || !(await this.session.isSignedIn())) {
      this.schedules = undefined;
      this.scheduleNodes.clear();
      return []; // The welcome view explains what to do.
    }
    if (this.stale || !this.schedules) {
      try {
        await this.load();
      } catch (error) {
        if (!this.schedules) {
          return [this.errorNode('root', error)];
        }
        // Keep the last good list; the view message says the refresh failed.
      }
    }
    const { schedules, groups } = this.arrange(this.schedules ?? []);
    if (schedules.length === 0) {
      return [new MessageNode('empty', this.filter ? 'No schedule matches the filter' : 'No schedules on this server', { icon: 'info' })];
    }
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

  /** Filters, sorts and groups, unless the same list was arranged the same way before. */
  private arrange(source: Schedule[]): { schedules: Schedule[]; groups: ScheduleGroup[] } {
    const types = config.listedScheduleTypes();
    const shape = `${config.groupBy()}|${types ? [...types].join(',') : 'all'}`;
    if (this.arranged?.source !== source || this.arranged.shape !== shape) {
      const schedules = selectSchedules(source, types);
      this.arranged = { source, shape, schedules, groups: groupSchedules(schedules, config.groupBy()) };
    }
    return this.arranged;
  }

  private async load(): Promise<void> {
    const client = await this.session.client();
    if (!client) {
      this.schedules = undefined;
      return;
    }
    const filter = this.filter;
    const query = `${client.origin}|${JSON.stringify(filter ?? null)}`;
    if (query !== this.loadedFor) {
      // Another server or filter: the last list no longer answers the question, even as a fallback.
      this.schedules = undefined;
      this.scheduleNodes.clear();
    }
    try {
      // eslint-disable-next-line no-restricted-syntax -- the view's progress bar: no title, no text
      const answer = await vscode.window.withProgress({ location: { viewId: 'pyramid.schedules' } }, () =>
        client.findSchedule({ searchValue: filter?.text ?? '', matchType: filter?.matchType ?? SearchMatchType.Contains }),
      );
      const schedules = this.unique(answer, (schedule) => schedule.scheduleId, 'schedule');
      this.schedules = schedules;
      this.loadedFor = query;
      this.stale = false;
      this.refreshError = undefined;
      this.scheduleNodes.clear();
      this.log.info(`Loaded ${schedules.length} schedule(s) from ${client.origin}.`);
    } catch (error) {
      this.stale = false;
      this.refreshError = (error as Error).message;
      this.log.error(`Could not load schedules from ${client.origin}: ${this.refreshError}`);
      if (isSignInNeeded(error)) {
        this.authPrompt.report(client.origin, (error as Error).message);
      }
      throw error;
    } finally {
      this.updateMessage();
      this.planAutoRefresh();
    }
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
    const watched = this.monitor.activeRunOf(schedule.scheduleId);
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

  /** After a run starts, changes or ends: re-render the nodes whose look changed, not the tree. */
  private renderScheduleNodes(): void {
    for (const node of this.scheduleNodes.values()) {
      const before = `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`;
      const id = node.schedule.scheduleId;
      node.update(node.schedule, this.monitor.activeRunOf(id), this.lastRunOf(id));
      if (before !== `${node.description}|${(node.iconPath as vscode.ThemeIcon).id}|${node.contextValue}`) {
        this.changeEmitter.fire(node);
      }
    }
  }

  private async executionChildren(node: ScheduleNode): Promise<PyramidNode[]> {
    const client = await this.session.client();
    if (!client) {
      return [];
    }
    const answer = await client.getExecutions(node.schedule.scheduleId);
    const executions = this.unique(answer, (execution) => execution.id, 'run').slice(0, config.recentExecutions());
    if (executions.length === 0) {
      return [new MessageNode(`no-runs:${node.schedule.scheduleId}`, 'No runs yet', { icon: 'info' })];
    }
    return executions.map((execution) => new ExecutionNode(node.schedule.scheduleId, execution));
  }

  private async taskChildren(node: ExecutionNode): Promise<PyramidNode[]> {
    let tasks = node.execution.tasks;
    if (tasks.length === 0) {
      const client = await this.session.client();
      tasks = client ? await client.getTasks(node.execution.id) : [];
    }
    return this.unique(tasks, (task) => task.id, 'task').map((task) => new TaskNode(task));
  }

  /** Drops repeated ids (the tree refuses them) and says so in the log. */
  private unique<T>(items: T[], idOf: (item: T) => string, what: string): T[] {
    const { unique, dropped } = withoutDuplicates(items, idOf);
    if (dropped > 0) {
      this.log.warn(`The server listed ${dropped} ${what}(s) twice under the same id; each is shown once.`);
    }
    return unique;
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

  /** What the view shows above the tree: the filter and a failed refresh. */
  get viewMessage(): string | undefined {
    return this.view?.message;
  }

  private updateMessage(): void {
    if (!this.view) {
      return;
    }
    const filter = this.filter;
    const parts = [
      filter && `Filter: name ${searchMatchTypes.label(filter.matchType).toLowerCase()} "${filter.text}"`,
      this.refreshError && this.schedules && `Refresh failed, showing the last list: ${this.refreshError}`,
    ].filter(Boolean);
    this.view.message = parts.length ? plainText(parts.join(' — '), LIMITS.message) : undefined;
  }

  private async updateFilterContext(): Promise<void> {
    this.updateMessage();
    await vscode.commands.executeCommand('setContext', 'pyramid.filterActive', this.filter !== undefined);
  }

  /** Auto-refresh runs only while it is on, the view is visible and the window focused. */
  private planAutoRefresh(): void {
    clearTimeout(this.autoRefreshTimer);
    this.autoRefreshTimer = undefined;
    const interval = config.autoRefreshMs();
    if (interval > 0 && this.view?.visible && vscode.window.state.focused) {
      this.autoRefreshTimer = setTimeout(() => this.refresh(), interval);
    }
  }
}
