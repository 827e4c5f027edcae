import * as vscode from 'vscode';
import { Run, runDuration } from '../monitor/runs';
import { Services } from '../services';
import { resultIcon, stateLabel } from '../statusBar';
import { formatDuration } from '../util/format';
import { ScheduleNode } from '../views/nodes';

export function registerRunCommands(services: Services): vscode.Disposable[] {
  const { monitor, log, statusBar } = services;

  const pickWatched = async (): Promise<Run | undefined> => {
    const runs = monitor.watched;
    if (runs.length <= 1) {
      return runs[0];
    }
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: run.scheduleName, description: stateLabel(run), run })),
      { title: 'Stop Watching Run' },
    );
    return picked?.run;
  };

  return [
    vscode.commands.registerCommand('pyramid.showOutput', () => log.show()),
    vscode.commands.registerCommand('pyramid.stopWatching', async (target?: Run | ScheduleNode) => {
      const run = target instanceof ScheduleNode ? monitor.activeRunOf(target.schedule.scheduleId) : target?.executionId ? target : await pickWatched();
      if (run) {
        monitor.stopWatching(run.executionId);
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
        'Run Again',
        'Show Output',
      ];
      const action = await vscode.window.showQuickPick(actions, { title: run.scheduleName, placeHolder: stateLabel(run) });
      switch (action) {
        case 'Retry':
          monitor.retry(run.executionId);
          break;
        case 'Sign In':
          await vscode.commands.executeCommand('pyramid.signIn');
          break;
        case 'Stop Watching':
          monitor.stopWatching(run.executionId);
          break;
        case 'Run Again':
          await vscode.commands.executeCommand('pyramid.runSchedule', run);
          break;
        case 'Show Output':
          log.show();
          break;
      }
    }),
  ];
}

async function pickRun(watched: readonly Run[], recent: readonly Run[]): Promise<Run | undefined> {
  const items: (vscode.QuickPickItem & { run?: Run })[] = [
    { label: 'Watching', kind: vscode.QuickPickItemKind.Separator },
    ...watched.map((run) => ({
      label: `$(sync~spin) ${run.scheduleName}`,
      description: `${stateLabel(run)} · ${formatDuration(runDuration(run))}`,
      detail: run.problem,
      run,
    })),
    { label: 'Recent', kind: vscode.QuickPickItemKind.Separator },
    ...recent.map((run) => ({
      label: `${resultIcon(run)} ${run.scheduleName}`,
      description: `${run.status.label} · ${formatDuration(runDuration(run))}`,
      detail: run.taskErrors?.[0],
      run,
    })),
  ];
  if (!watched.length && !recent.length) {
    void vscode.window.showInformationMessage('No Pyramid runs watched yet. Run a schedule from the Schedules view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Pyramid Runs', placeHolder: 'Pick a run' });
  return picked?.run;
}
