import * as vscode from 'vscode';
import { FinishedRun, Run, WatchedRun } from '../monitor/runs';
import { resultCodicon, runDurationText, runLook, runName, stateLabel } from '../present/look';
import { Services } from '../services';
import { showInfo } from '../ui/messages';
import { isOwnArgument, ownArgument } from '../ui/provenance';
import { quickPickText } from '../util/untrusted';
import { ScheduleNode } from '../views/nodes';

export function registerRunCommands(services: Services): vscode.Disposable[] {
  const { monitor, log, statusBar } = services;

  const pickWatched = async (): Promise<WatchedRun | undefined> => {
    const runs = monitor.watched;
    if (runs.length <= 1) {
      return runs[0];
    }
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: quickPickText(runName(run)), description: quickPickText(stateLabel(run)), run })),
      { title: 'Stop Watching Run' },
    );
    return picked?.run;
  };

  return [
    vscode.commands.registerCommand('pyramid.showOutput', () => log.show()),
    vscode.commands.registerCommand('pyramid.stopWatching', async (target?: Run | ScheduleNode) => {
      // A run passed from outside is not taken at its word: stopping would silently drop a watched run.
      const run = target instanceof ScheduleNode ? monitor.watchedRunOf(target.schedule.scheduleId) : isOwnArgument(target) ? target : await pickWatched();
      if (run) {
        monitor.stopWatching(run);
      }
    }),
    vscode.commands.registerCommand('pyramid.showRuns', async () => {
      statusBar.acknowledge();
      const run = await pickRun(monitor.watched, monitor.recent);
      if (!run) {
        return;
      }
      const actions = [
        ...(run.state === 'stalled' ? ['Retry'] : []),
        ...(run.state === 'paused' ? ['Sign In'] : []),
        ...(run.state !== 'finished' ? ['Stop Watching'] : []),
        run.kind === 'task' ? 'Re-run Task' : 'Run Again',
        'Show Output',
      ];
      const action = await vscode.window.showQuickPick(actions, { title: quickPickText(runName(run)), placeHolder: quickPickText(stateLabel(run)) });
      switch (action) {
        case 'Retry':
          monitor.retry(run);
          break;
        case 'Sign In':
          await vscode.commands.executeCommand('pyramid.signIn');
          break;
        case 'Stop Watching':
          monitor.stopWatching(run);
          break;
        case 'Run Again':
          await vscode.commands.executeCommand('pyramid.runSchedule', ownArgument(run));
          break;
        case 'Re-run Task':
          if (run.kind === 'task') {
            const { taskId, taskName, scheduleId, scheduleName, executionId, serverUrl } = run;
            await vscode.commands.executeCommand('pyramid.rerunTask', ownArgument({ taskId, taskName, scheduleId, scheduleName, executionId, serverUrl }));
          }
          break;
        case 'Show Output':
          log.show();
          break;
      }
    }),
  ];
}

async function pickRun(watched: readonly WatchedRun[], recent: readonly FinishedRun[]): Promise<Run | undefined> {
  const items: (vscode.QuickPickItem & { run?: Run })[] = [
    { label: 'Watching', kind: vscode.QuickPickItemKind.Separator },
    ...watched.map((run) => ({
      label: `$(${runLook(run).icon}) ${quickPickText(runName(run))}`,
      description: `${quickPickText(stateLabel(run))} · ${runDurationText(run)}`,
      detail: run.problem === undefined ? undefined : quickPickText(run.problem),
      run,
    })),
    { label: 'Recent', kind: vscode.QuickPickItemKind.Separator },
    ...recent.map((run) => ({
      label: `${resultCodicon(run)} ${quickPickText(runName(run))}`,
      description: `${quickPickText(run.status.label)} · ${runDurationText(run)}`,
      detail: run.taskErrors?.[0] === undefined ? undefined : quickPickText(run.taskErrors[0]),
      run,
    })),
  ];
  if (!watched.length && !recent.length) {
    void showInfo('No Pyramid runs watched yet. Run a schedule from the Schedules view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Pyramid Runs', placeHolder: 'Pick a run' });
  return picked?.run;
}
