/**
 * Wiring only. activate() creates objects and registers listeners: no request, no timer. Watched runs
 * saved by a previous window are read here and polled from the next tick on.
 */
import * as vscode from 'vscode';
import { AuthPrompt } from './auth/authPrompt';
import { Session } from './auth/session';
import { createChatTools, registerChatTools } from './chat/tools';
import { registerAuthCommands } from './commands/authCommands';
import { registerDetailsCommands } from './commands/detailsCommands';
import { registerPinCommands } from './commands/pinCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerScheduleCommands } from './commands/scheduleCommands';
import { registerTaskCommands } from './commands/taskCommands';
import { registerViewCommands } from './commands/viewCommands';
import * as config from './config';
import { DetailsPanels } from './details/detailsPanels';
import { Estimate } from './monitor/estimates';
import { RunMonitor, systemClock } from './monitor/runMonitor';
import { SavedRuns } from './monitor/runs';
import { RunNotifier } from './notifier';
import { PinNotifier } from './pins/pinNotifier';
import { PinnedSchedules } from './pins/pinnedSchedules';
import { logRuns } from './runLog';
import { Servers } from './schedules/servers';
import { Services } from './services';
import { RunStatusBar, createRunsItem } from './statusBar';
import { registerScheduleTasks } from './tasks/taskProvider';
import { PyramidSchedulesTestApi, TaskTerminals, testApi } from './testApi';
import { createLog } from './ui/log';
import { withViewProgress } from './ui/messages';
import { ScheduleTreeProvider } from './views/scheduleTreeProvider';

const RUNS_KEY = 'pyramid.runs';
const SCHEDULES_VIEW = 'pyramid.schedules';

/**
 * Other extensions get nothing from activate(): no path to the session, the client, SecretStorage or
 * the token. The in-host tests get a read-mostly facade, and only in ExtensionMode.Test.
 */
export function activate(context: vscode.ExtensionContext): PyramidSchedulesTestApi | undefined {
  const started = performance.now();
  const log = createLog('Pyramid');
  const session = new Session(context.secrets, log);
  const authPrompt = new AuthPrompt(log);
  const monitor: RunMonitor = new RunMonitor({
    clock: systemClock,
    intervals: config.pollSettings,
    isFocused: () => vscode.window.state.focused,
    clientFor: (serverUrl) => session.clientFor(serverUrl),
    store: {
      load: () => context.workspaceState.get<SavedRuns>(RUNS_KEY),
      save: (runs) => context.workspaceState.update(RUNS_KEY, runs),
    },
    log,
    // Read when a run is watched, after activation: `servers` exists by then.
    estimate: (run): Promise<Estimate | undefined> => servers.get(run.serverUrl).history.estimate(run.scheduleId),
  });
  const servers = new Servers({
    session,
    monitor,
    state: context.workspaceState,
    log,
    authPrompt,
    whileLoading: (load) => withViewProgress(SCHEDULES_VIEW, load),
  });
  const pins = new PinnedSchedules({ context, session, servers, monitor, authPrompt, log });
  const tree = new ScheduleTreeProvider(servers, monitor, pins.store, pins.runs, log);
  const view = vscode.window.createTreeView(SCHEDULES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  pins.attach(view);
  const runsItem = createRunsItem();
  const statusBar = new RunStatusBar(monitor, runsItem);
  const services: Services = { context, session, monitor, servers, pins, tree, statusBar, authPrompt, log };
  const chatTools = createChatTools(services);
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const taskTerminals = new TaskTerminals();
  const details = new DetailsPanels({ extensionUri: context.extensionUri, servers, monitor, pins: pins.store, log });

  const updateSignInState = async () => {
    await vscode.commands.executeCommand('setContext', 'pyramid.serverConfigured', session.serverUrl !== undefined);
    await vscode.commands.executeCommand('setContext', 'pyramid.signedIn', await session.isSignedIn());
  };

  context.subscriptions.push(
    log,
    session,
    { dispose: () => monitor.dispose() },
    servers,
    pins,
    tree,
    view,
    runsItem,
    statusBar,
    new RunNotifier(monitor, authPrompt, log),
    new PinNotifier(pins.runs, (origin) => pins.serverUrlOf(origin), log),
    logRuns(monitor, log),
    ...registerAuthCommands(services),
    ...registerScheduleCommands(services),
    ...registerTaskCommands(services),
    ...registerViewCommands(services),
    ...registerRunCommands(services),
    ...registerPinCommands(services),
    details,
    ...registerDetailsCommands(services, details),
    ...registerChatTools(chatTools),
    registerScheduleTasks(services, testMode ? taskTerminals.record : undefined),
    session.onDidChange(() => void updateSignInState()),
    session.onDidSignIn((origin) => {
      // Signed in here or in another window: the next expiry is worth saying, and paused runs continue.
      authPrompt.signedIn(origin);
      monitor.resumeOrigin(origin);
    }),
    vscode.window.onDidChangeWindowState(() => monitor.focusChanged()),
  );

  void updateSignInState();
  monitor.restore();
  pins.start();
  log.info(`Pyramid Schedules ${context.extension.packageJSON.version} activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return testMode ? testApi({ context, servers, tree, view, monitor, runsItem, pins, details, chatTools, taskTerminals }) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
