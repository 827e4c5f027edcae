// One UI window against a simulator (2. activation, 3. first rows, 5. Run to status bar): the
// extension activates on its own at startup; VS Code's Running Extensions editor gives the host's
// figure, the output channel's first line the extension's own. The simulator proves that nothing is
// sent until the user signs in and opens the view; Chromium then clicks through the workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PyramidSimulator } from '../simulator/server';
import { openSignIn, RUNS_ITEM, SCHEDULES_VIEW, signInWithPassword } from '../ui/pyramid';
import { Workbench } from '../ui/workbench';
import { armWait, PageTiming, readWait, statusBarShows, treeRowShown } from './pageTimer';
import { openBenchWindow } from './window';

const RUNS_PER_WINDOW = 3;
const ACTIVATION_TIMEOUT_MS = 60_000;

export interface WindowSample {
  size: number;
  /** activate() as the extension measures it (the output channel's first line). */
  activateMs: number;
  /** VS Code's "Activation" figure: loading the bundle plus calling activate(). */
  hostActivationMs: number;
  activationReason: string;
  requestsAfterActivation: number;
  listRequestsBeforeView: number;
  firstRow: PageTiming;
  firstScheduleRow: PageTiming;
  runs: RunSample[];
}

export interface RunSample extends PageTiming {
  size: number;
  schedule: string;
  /** Requests the simulator received from the click up to the first status check. */
  requestsBeforeStatus: string[];
  /** Requests after it, until the status was seen: the schedule's history, read once the first status is in. */
  requestsAfterStatus: string[];
}

export async function measureWindow(extensionDir: string, sim: PyramidSimulator, size: number): Promise<WindowSample> {
  const requestsBefore = sim.count();
  const listsBefore = sim.count('tasks/findSchedule');
  const window = await openBenchWindow({ extensionDir, userSettings: { 'pyramid.serverUrl': sim.url } });
  try {
    const activateMs = await activationLogged(window.server.userDataDir);
    const host = await hostActivation(window.workbench);
    const requestsAfterActivation = sim.count() - requestsBefore;
    await signIn(window.workbench, sim);
    const listRequestsBeforeView = sim.count('tasks/findSchedule') - listsBefore;
    const rows = await openTheView(window.workbench);
    const runs = await runFromRows(window.workbench, sim, size);
    return { size, activateMs, ...host, requestsAfterActivation, listRequestsBeforeView, ...rows, runs };
  } finally {
    await window.close();
  }
}

/** Waits for the output channel's first line, `… activated in 8.9 ms.`, in its log file. */
async function activationLogged(userDataDir: string): Promise<number> {
  const deadline = Date.now() + ACTIVATION_TIMEOUT_MS;
  for (;;) {
    const log = findFile(path.join(userDataDir, 'logs'), 'Pyramid.log');
    const match = log && /activated in ([\d.]+) ms/.exec(fs.readFileSync(log, 'utf8'));
    if (match) {
      return Number(match[1]);
    }
    if (Date.now() > deadline) {
      throw new Error(`the extension did not log its activation within ${ACTIVATION_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function findFile(dir: string, name: string): string | undefined {
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  const found = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((file) => path.basename(file) === name);
  return found && path.join(dir, found);
}

/** "Developer: Show Running Extensions": the activation time VS Code measured, and what triggered it. */
async function hostActivation(workbench: Workbench): Promise<{ hostActivationMs: number; activationReason: string }> {
  await workbench.runCommand('Developer: Show Running Extensions');
  const cell = workbench.page.locator('.monaco-list-row[aria-label="pyramid-schedules"] .activation-time');
  await cell.waitFor();
  const text = await cell.innerText();
  await cell.hover();
  const hover = workbench.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Activated' }).first();
  const activationReason = await hover.innerText({ timeout: 5_000 }).catch(() => 'unknown');
  await workbench.moveMouseAway();
  await workbench.runCommand('View: Close All Editors');
  const ms = /(\d+)\s*ms/.exec(text);
  if (!ms) {
    throw new Error(`unexpected activation time "${text}" in Running Extensions`);
  }
  return { hostActivationMs: Number(ms[1]), activationReason: activationReason.trim() };
}

/** Signs in through the palette while the view is closed; waits for the "Signed in" status message. */
async function signIn(workbench: Workbench, sim: PyramidSimulator): Promise<void> {
  await openSignIn(workbench, sim.url);
  await signInWithPassword(workbench, sim.url);
  await workbench.page.locator('.part.statusbar', { hasText: 'Signed in to' }).waitFor();
}

/** Clicks the Pyramid activity bar entry; times its group rows and its first schedule rows. */
async function openTheView(workbench: Workbench): Promise<{ firstRow: PageTiming; firstScheduleRow: PageTiming }> {
  await armWait(workbench.page, 'firstRow', treeRowShown(SCHEDULES_VIEW, 1));
  await armWait(workbench.page, 'firstScheduleRow', treeRowShown(SCHEDULES_VIEW, 2));
  await workbench.openViewContainer('Pyramid');
  return { firstRow: await readWait(workbench.page, 'firstRow'), firstScheduleRow: await readWait(workbench.page, 'firstScheduleRow') };
}

/** Clicks Run on the first schedules of the tree; times until the status bar shows each run's first status. */
async function runFromRows(workbench: Workbench, sim: PyramidSimulator, size: number): Promise<RunSample[]> {
  const names = await workbench.view(SCHEDULES_VIEW).locator('.monaco-list-row[aria-level="2"] .label-name').allInnerTexts();
  const samples: RunSample[] = [];
  for (const schedule of names.slice(0, RUNS_PER_WINDOW).map((name) => name.trim())) {
    const firstStatus = new RegExp(`^${escapeRegExp(schedule)}: (?!Starting$)\\S`);
    await armWait(workbench.page, schedule, statusBarShows(RUNS_ITEM, firstStatus));
    const requestsBefore = sim.requests.length;
    await workbench.clickRowAction(SCHEDULES_VIEW, schedule, 'Run Schedule');
    const timing = await readWait(workbench.page, schedule);
    const sent = sim.requests.slice(requestsBefore).map((request) => request.path);
    const firstCheck = sent.indexOf('tasks/getScheduleExecutionStatus') + 1 || sent.length;
    samples.push({ size, schedule, ...timing, requestsBeforeStatus: sent.slice(0, firstCheck), requestsAfterStatus: sent.slice(firstCheck) });
    await workbench.runCommand('Pyramid: Stop Watching Run');
    await workbench.page.waitForFunction(`!(${statusBarShows(RUNS_ITEM, new RegExp(escapeRegExp(schedule)))})`);
  }
  return samples;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
