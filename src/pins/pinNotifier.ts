/**
 * Tells the user about new failures of pinned schedules: one notification per round of checks (what
 * failed while VS Code was closed comes as one), and a line per failure in the output channel. Quiet
 * with `pyramid.pinnedRuns: none` (nothing is claimed then) or `pyramid.notifyOn: none`.
 */
import * as vscode from 'vscode';
import * as config from '../config';
import { agoText, executionOutcome, outcomeLabel, taskProblem } from '../present/look';
import { Log } from '../ui/log';
import { showMessage } from '../ui/messages';
import { ownArgument } from '../ui/provenance';
import { formatDateTime } from '../util/format';
import { PinnedFailure, PinnedRuns } from './pinnedRuns';

/** At most this many schedules are named in a summary. */
const NAMED = 3;

export class PinNotifier implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    runs: PinnedRuns,
    private readonly serverUrl: (origin: string) => string | undefined,
    private readonly log: Log,
  ) {
    const subscription = runs.onDidFindFailures((failures) => void this.announce(failures));
    this.subscription = new vscode.Disposable(() => subscription.dispose());
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async announce(failures: PinnedFailure[]): Promise<void> {
    for (const { pin, execution } of failures) {
      const started = execution.startDate ? formatDateTime(execution.startDate) : 'an unknown time';
      this.log.warn(`Pinned "${pin.name}": the run started ${started} ${outcomeLabel(executionOutcome(execution)).toLowerCase()}${execution.error ? `: ${execution.error}` : ''}`);
    }
    if (config.notifyOn() === 'none') {
      return;
    }
    const whileClosed = failures.every((failure) => failure.whileClosed) ? ' while VS Code was closed' : '';
    const schedules = [...new Map(failures.map((failure) => [failure.pin.scheduleId, failure])).values()];
    if (failures.length === 1) {
      const [{ pin, execution, origin }] = failures;
      const ended = execution.endDate ?? execution.startDate;
      const when = ended && agoText(ended, Date.now());
      const detail = execution.error ?? execution.tasks.map(taskProblem).find(Boolean);
      const text = `Pinned schedule "${pin.name}" ${outcomeLabel(executionOutcome(execution)).toLowerCase()}${whileClosed}${when ? ` (${when})` : ''}${detail ? `: ${detail}` : '.'}`;
      const choice = await showMessage('error', text, 'Show Output', 'Run Again', 'Show Details');
      const serverUrl = this.serverUrl(origin);
      if (choice === 'Show Output') {
        this.log.show();
      } else if (choice === 'Run Again') {
        await vscode.commands.executeCommand('pyramid.runSchedule', ownArgument({ scheduleId: pin.scheduleId, scheduleName: pin.name, serverUrl }));
      } else if (choice === 'Show Details') {
        await vscode.commands.executeCommand('pyramid.showDetails', ownArgument({ scheduleId: pin.scheduleId, scheduleName: pin.name, serverUrl }));
      }
      return;
    }
    const names = schedules.slice(0, NAMED).map((failure) => `"${failure.pin.name}"`);
    const more = schedules.length > NAMED ? ` and ${schedules.length - NAMED} more` : '';
    const subject = schedules.length === 1 ? `Pinned schedule ${names[0]} had ${failures.length} failed runs` : `${schedules.length} pinned schedules failed`;
    const text = `${subject}${whileClosed}${schedules.length === 1 ? '.' : `: ${names.join(', ')}${more}.`}`;
    const single = schedules.length === 1 ? schedules[0] : undefined;
    const choice = await showMessage('error', text, 'Show Output', ...(single ? (['Show Details'] as const) : []));
    if (choice === 'Show Output') {
      this.log.show();
    } else if (choice === 'Show Details' && single) {
      const { pin, origin } = single;
      await vscode.commands.executeCommand('pyramid.showDetails', ownArgument({ scheduleId: pin.scheduleId, scheduleName: pin.name, serverUrl: this.serverUrl(origin) }));
    }
  }
}
