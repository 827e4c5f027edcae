/** The tree's node classes. Each is its own TreeItem; ids are stable so expansion survives refreshes. */
import * as vscode from 'vscode';
import { Execution, Schedule, Task, taskOutcome } from '../api';
import { Run, WatchedRun } from '../monitor/runs';
import {
  Look,
  executionDurationText,
  executionOutcome,
  outcomeLabel,
  outcomeLook,
  scheduleLook,
  stateLabel,
  statusLabel,
  taskProblem,
} from '../present/look';
import { inertMarkdown } from '../ui/tooltip';
import { formatDateTime } from '../util/format';
import { LIMITS, markdownText, plainText } from '../util/untrusted';
import { ScheduleGroup, scheduleContextValue, scheduleDescription } from './treeModel';

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

export class ScheduleNode extends vscode.TreeItem {
  constructor(
    public schedule: Schedule,
    watched: WatchedRun | undefined,
    lastRun: Run | undefined,
  ) {
    super(plainText(schedule.name), vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `schedule:${schedule.scheduleId}`;
    this.update(schedule, watched, lastRun);
  }

  /** Re-renders in place, so the provider can refresh just this node. The tooltip waits for a hover. */
  update(schedule: Schedule, watched: WatchedRun | undefined, lastRun: Run | undefined): void {
    this.schedule = schedule;
    this.label = plainText(schedule.name);
    this.description = plainText(scheduleDescription(schedule, watched && stateLabel(watched)));
    this.iconPath = themeIcon(scheduleLook(schedule, watched, lastRun));
    this.contextValue = scheduleContextValue(schedule, watched !== undefined);
    this.tooltip = undefined;
  }
}

/** Every field the server gave, for the hover (built on demand: thousands of rows need none up front). */
export function scheduleTooltip(schedule: Schedule, watched: WatchedRun | undefined, lastRun: Run | undefined): vscode.MarkdownString {
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
    ['Watched run', watched && `${stateLabel(watched)} (started ${formatDateTime(new Date(watched.startedAt))})`],
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
  return markdown;
}

export class ExecutionNode extends vscode.TreeItem {
  constructor(
    readonly scheduleId: string,
    readonly execution: Execution,
  ) {
    super(execution.startDate ? formatDateTime(execution.startDate) : 'Not started', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `execution:${execution.id}`;
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

export class TaskNode extends vscode.TreeItem {
  constructor(readonly task: Task) {
    const name = task.description || `Task ${task.id}`;
    super(plainText(name), vscode.TreeItemCollapsibleState.None);
    this.id = `task:${task.id}`;
    const problem = taskProblem(task);
    this.description = plainText(problem ? `${task.status.label}: ${problem}` : task.status.label);
    this.iconPath = themeIcon(outcomeLook(taskOutcome(task.status)));
    this.contextValue = 'task';
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

export type PyramidNode = GroupNode | ScheduleNode | ExecutionNode | TaskNode | MessageNode;
