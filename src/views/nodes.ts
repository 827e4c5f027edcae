/** The tree's node classes. Each is its own TreeItem; ids are stable so expansion survives refreshes. */
import * as vscode from 'vscode';
import { Execution, ItemId, Schedule, Task, taskOutcome } from '../api';
import { Estimate, estimateBasis } from '../monitor/estimates';
import { Run, WatchedRun } from '../monitor/runs';
import { PinLatest } from '../pins/pinnedRuns';
import { Pin } from '../pins/pinStore';
import {
  Look,
  executionDurationText,
  executionOutcome,
  latestRunSummary,
  outcomeLabel,
  outcomeLook,
  runLook,
  scheduleLook,
  stateLabel,
  statusLabel,
  taskProblem,
} from '../present/look';
import { inertMarkdown } from '../ui/tooltip';
import { formatDateTime } from '../util/format';
import { LIMITS, markdownText, plainText } from '../util/untrusted';
import { OUTPUT_CONTEXT_VALUE, ScheduleGroup, hasOutputs, pinOnlyContextValue, scheduleContextValue, scheduleDescription, scheduleStatusNote, taskContextValue } from './treeModel';

/** A look (src/present/) as the tree shows it. */
function themeIcon(look: Look): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

export class GroupNode extends vscode.TreeItem {
  constructor(readonly group: ScheduleGroup) {
    super(group.label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${group.key}`;
    this.description = String(group.schedules.length);
    this.contextValue = 'group';
  }
}

/** What a schedule row shows besides the schedule itself. */
export interface ScheduleFacts {
  watched?: WatchedRun;
  /** How long the watched run's schedule usually takes, and what that says now (`about 3 min left`). */
  estimate?: Estimate;
  estimateLabel?: string;
  /** How this session's last run of it ended. */
  lastRun?: Run;
  pinned: boolean;
  /** For a row of the Pinned group: what the last check found. */
  latest?: PinLatest;
  /** Wall clock, for "3h ago". */
  now: number;
}

/** The id of a schedule's row in its group, or in the Pinned group: the same schedule has both. */
export function scheduleNodeId(scheduleId: string, inPinnedGroup: boolean): string {
  return `${inPinnedGroup ? 'pinned' : 'schedule'}:${scheduleId}`;
}

export class ScheduleNode extends vscode.TreeItem {
  constructor(
    public schedule: Schedule,
    facts: ScheduleFacts,
    /** A row of the Pinned group: it describes the latest run rather than the content item. */
    readonly inPinnedGroup = false,
  ) {
    super(plainText(schedule.name), vscode.TreeItemCollapsibleState.Collapsed);
    this.id = scheduleNodeId(schedule.scheduleId, inPinnedGroup);
    // A click opens the details; the chevron alone expands the row.
    this.command = { command: 'pyramid.showDetails', title: 'Show Schedule Details', arguments: [this] };
    this.update(schedule, facts);
  }

  /** Re-renders in place, so the provider can refresh just this node. The tooltip waits for a hover. */
  update(schedule: Schedule, facts: ScheduleFacts): void {
    const { watched, lastRun, pinned } = facts;
    this.schedule = schedule;
    this.label = plainText(schedule.name);
    const running = watched && [stateLabel(watched), facts.estimateLabel].filter(Boolean).join(' · ');
    if (this.inPinnedGroup) {
      const latest = pinnedRowSummary(facts.latest, facts.now);
      const state = running || scheduleStatusNote(schedule);
      this.description = plainText([latest.text, state].filter(Boolean).join(' · '));
      this.iconPath = themeIcon(watched ? runLook(watched) : latest.look);
    } else {
      this.description = plainText(scheduleDescription(schedule, running));
      this.iconPath = themeIcon(scheduleLook(schedule, watched, lastRun));
    }
    this.contextValue = scheduleContextValue(schedule, watched !== undefined, pinned);
    this.tooltip = undefined;
  }
}

/** A pinned row's latest run, or why it has none to show. */
function pinnedRowSummary(latest: PinLatest | undefined, now: number): { text: string; look: Look } {
  if (!latest) {
    return { text: 'not checked yet', look: { icon: 'pinned' } };
  }
  if (latest.error !== undefined && latest.executions.length === 0) {
    return { text: 'check failed', look: { icon: 'warning', color: 'list.warningForeground' } };
  }
  const summary = latestRunSummary(latest.executions, now);
  return latest.error === undefined ? summary : { ...summary, text: `${summary.text} · last check failed` };
}

/**
 * A pin the schedule list does not show: hidden by the filter (its runs still expand), or gone from
 * the server (only Unpin is offered). It shows what was last known of the schedule.
 */
export class PinOnlyNode extends vscode.TreeItem {
  constructor(
    readonly pin: Pin,
    readonly gone: boolean,
    latest: PinLatest | undefined,
    now: number,
  ) {
    super(plainText(pin.name), gone ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = scheduleNodeId(pin.scheduleId, true);
    if (gone) {
      this.description = 'no longer on the server';
      this.iconPath = themeIcon({ icon: 'question', color: 'list.warningForeground' });
    } else {
      const summary = pinnedRowSummary(latest, now);
      this.description = plainText(`${summary.text} · hidden by the filter`);
      this.iconPath = themeIcon(summary.look);
      this.command = { command: 'pyramid.showDetails', title: 'Show Schedule Details', arguments: [this] };
    }
    this.contextValue = pinOnlyContextValue(gone);
    this.tooltip = inertMarkdown(
      [
        `**${markdownText(pin.name)}**`,
        gone ? 'The server no longer lists this pinned schedule. Unpin it to stop checking it.' : 'Pinned; the current filter does not list it.',
        latest && pinnedRunsMarkdown(latest),
        `Schedule ID: ${markdownText(pin.scheduleId)}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
}

export class PinnedGroupNode extends vscode.TreeItem {
  constructor(count: number) {
    super('Pinned', vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'group:pinned';
    this.description = String(count);
    this.iconPath = new vscode.ThemeIcon('pinned');
    this.contextValue = 'pinnedGroup';
  }
}

/** The last few runs a pin's check found, as a Markdown table for a tooltip. */
export function pinnedRunsMarkdown(latest: PinLatest): string {
  const rows = latest.executions.map((execution) => {
    const outcome = outcomeLabel(executionOutcome(execution)) || 'Unknown';
    const started = execution.startDate ? formatDateTime(execution.startDate) : 'not started';
    const error = execution.error ?? execution.tasks.map(taskProblem).find(Boolean) ?? '';
    return `| ${started} | ${markdownText(outcome)} | ${executionDurationText(execution) ?? ''} | ${markdownText(error)} |`;
  });
  const table = rows.length ? ['| Started | Outcome | Took | Error |', '|---|---|---|---|', ...rows].join('\n') : 'No runs yet.';
  const checked = `Checked ${formatDateTime(new Date(latest.checkedAt))}${latest.error === undefined ? '' : `; the last check failed: ${markdownText(latest.error)}`}`;
  return `**Latest runs**\n\n${table}\n\n${checked}`;
}

/** Every field the server gave, for the hover (built on demand: thousands of rows need none up front). */
export function scheduleTooltip(schedule: Schedule, { watched, lastRun, latest, estimate, estimateLabel }: ScheduleFacts): vscode.MarkdownString {
  const rows: [string, string | undefined][] = [
    ['Type', schedule.type.label],
    ['Status', schedule.status.label],
    ['Recurrence', schedule.recurrence.raw === undefined ? undefined : schedule.recurrence.label],
    ['Content item', schedule.scheduleItemName],
    ['Description', schedule.description],
    ['Created by', schedule.createdBy],
    ['Created', schedule.createdDate && formatDateTime(schedule.createdDate)],
    ['Starts', schedule.startDate && formatDateTime(schedule.startDate)],
    ['Ends', schedule.endDate && formatDateTime(schedule.endDate)],
    ['Watched run', watched && `${[stateLabel(watched), estimateLabel].filter(Boolean).join(' · ')} (started ${formatDateTime(new Date(watched.startedAt))})`],
    ['Usual duration', estimate && estimateBasis(estimate)],
    ['Last run here', !watched && lastRun ? `${statusLabel(lastRun)}, ${formatDateTime(new Date(lastRun.state === 'finished' ? lastRun.finishedAt : lastRun.startedAt))}` : undefined],
    ['Schedule ID', schedule.scheduleId],
    ['Content item ID', schedule.scheduleItemId],
    ['Tenant ID', schedule.tenantId],
  ];
  const markdown = inertMarkdown(`**${markdownText(schedule.name)}**\n\n| | |\n|---|---|\n`);
  for (const [name, value] of rows) {
    if (value) {
      markdown.appendMarkdown(`| ${name} | ${markdownText(value)} |\n`);
    }
  }
  if (latest) {
    markdown.appendMarkdown(`\n${pinnedRunsMarkdown(latest)}`);
  }
  return markdown;
}

export class ExecutionNode extends vscode.TreeItem {
  constructor(
    readonly scheduleId: string,
    readonly execution: Execution,
    /** Keeps ids unique when the same run shows under a schedule's row and its pinned row. */
    readonly idPrefix = '',
  ) {
    super(execution.startDate ? formatDateTime(execution.startDate) : 'Not started', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `${idPrefix}execution:${execution.id}`;
    const outcome = executionOutcome(execution);
    const { counts } = execution;
    const duration = executionDurationText(execution);
    const tally = [
      counts.success && `✓ ${counts.success}`,
      counts.partialSuccess && `◐ ${counts.partialSuccess}`,
      counts.failed && `✗ ${counts.failed}`,
      counts.running + counts.pending && `… ${counts.running + counts.pending}`,
    ].filter(Boolean);
    this.description = [outcomeLabel(outcome), duration, tally.join(' ')].filter(Boolean).join(' · ');
    this.iconPath = themeIcon(outcomeLook(outcome));
    this.contextValue = 'execution';
    this.tooltip = inertMarkdown(
      [`**Run ${markdownText(execution.id)}**`, execution.error && `Error: ${markdownText(execution.error)}`, this.description && markdownText(this.description)]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
}

/** Where a task row belongs: what Re-run Task needs to follow it as "Schedule · Task". */
export interface TaskPlace {
  scheduleId: string;
  scheduleName: string;
  executionId: string;
}

export class TaskNode extends vscode.TreeItem {
  readonly taskName: string;

  constructor(
    readonly task: Task,
    readonly place: TaskPlace,
    readonly idPrefix = '',
  ) {
    const name = task.description || `Task ${task.id}`;
    super(plainText(name), hasOutputs(task) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.taskName = name;
    this.id = `${idPrefix}task:${task.id}`;
    const problem = taskProblem(task);
    this.description = plainText(problem ? `${task.status.label}: ${problem}` : task.status.label);
    this.iconPath = themeIcon(outcomeLook(taskOutcome(task.status)));
    this.contextValue = taskContextValue(task);
    this.tooltip = inertMarkdown(
      [
        `**${markdownText(name)}**: ${markdownText(task.status.label)}`,
        problem && `Error: ${markdownText(problem)}`,
        task.startDate && `Started ${formatDateTime(task.startDate)}`,
        task.endDate && `Ended ${formatDateTime(task.endDate)}`,
        task.executorDescription && `On ${markdownText(task.executorDescription)}`,
        task.outputType.raw !== undefined && `Output: ${markdownText(task.outputType.label)}`,
        `Task ID: ${markdownText(task.id)}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
}

/** A file a publication's task produced; a click opens its download page in the browser. */
export class OutputNode extends vscode.TreeItem {
  constructor(
    readonly output: ItemId,
    readonly task: Task,
    idPrefix = '',
  ) {
    super(plainText(output.name || `Output ${output.id}`), vscode.TreeItemCollapsibleState.None);
    this.id = `${idPrefix}output:${task.id}:${output.id}`;
    this.description = task.outputType.raw === undefined ? undefined : plainText(task.outputType.label);
    this.iconPath = new vscode.ThemeIcon('file');
    this.contextValue = OUTPUT_CONTEXT_VALUE;
    this.command = { command: 'pyramid.openOutput', title: 'Open Output', arguments: [this] };
    this.tooltip = plainText(`${output.name || output.id}: opens the server's download page in the browser (output ID ${output.id})`, LIMITS.markdown);
  }
}

/** An error, an empty state, or "show more": a leaf with a message and, where useful, a command. */
export class MessageNode extends vscode.TreeItem {
  constructor(id: string, label: string, options: { description?: string; icon?: string; color?: string; command?: vscode.Command; tooltip?: string } = {}) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = `message:${id}`;
    // Descriptions and tooltips of message nodes carry error texts, which may quote the server.
    this.description = options.description === undefined ? undefined : plainText(options.description);
    const tooltip = options.tooltip ?? options.description;
    this.tooltip = tooltip === undefined ? undefined : plainText(tooltip, LIMITS.markdown);
    this.iconPath = options.icon ? themeIcon({ icon: options.icon, color: options.color }) : undefined;
    this.command = options.command;
    this.contextValue = 'message';
  }
}

export type PyramidNode = GroupNode | PinnedGroupNode | ScheduleNode | PinOnlyNode | ExecutionNode | TaskNode | OutputNode | MessageNode;
