// Runs inside the real extension host (VS Code calls run(), as it does for a test suite). The runner
// copies this bundle into the staged extension's folder, so that its `vscode` API is the extension's
// own and the dialog stubs answer the extension's sign-in.
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PyramidSchedulesTestApi as PyramidSchedulesApi } from '../../../src/testApi';
import { DEMO_USER } from '../../simulator/server';
import { Dialogs, EXTENSION_ID, extensionApi, pickLabel, withSettings } from '../../suite/helpers';
import { collectGarbage, heapUsed, retainedHeap } from '../heap';
import { BenchServer, InHostResult, MonitorChangeCost, RESULT_FILE_ENV, RunToStatus, SERVERS_ENV, TreeInHost, TreeRepetition } from './protocol';

const COLD_REPETITIONS = 3;
const WARM_REPETITIONS = 5;
const BUNDLE_COPIES = 3;
const RUNS_PER_SIZE = 4;
const STATUS_TIMEOUT_MS = 15_000;

type Node = vscode.TreeItem & { group?: { key: string; label: string; schedules: unknown[] }; schedule?: { name: string } };

export async function run(): Promise<void> {
  const result = await measure().catch(failed);
  fs.writeFileSync(process.env[RESULT_FILE_ENV]!, JSON.stringify(result));
}

function failed(error: unknown): InHostResult {
  const idle = { monitorHasTimer: false, watchedRuns: 0 };
  const message = (error as Error).stack ?? String(error);
  return { vscodeVersion: vscode.version, idle, bundleEvaluationMs: [], trees: [], runs: [], monitorChanges: [], error: message };
}

async function measure(): Promise<InHostResult> {
  const servers = JSON.parse(process.env[SERVERS_ENV] ?? '[]') as BenchServer[];
  const api = await extensionApi();
  const idle = { monitorHasTimer: api.monitor.hasTimer, watchedRuns: api.monitor.watched.length };
  const bundleEvaluationMs = timeBundleEvaluation();
  const dialogs = new Dialogs();
  const progress = recordProgressEnds();
  dialogs.install();
  const trees: TreeInHost[] = [];
  let runs: RunToStatus[] = [];
  const monitorChanges: MonitorChangeCost[] = [];
  const runChangeMs: number[] = [];
  try {
    for (const server of servers) {
      const restore = await signIn(dialogs, server.url);
      trees.push(await measureTree(api, server.size, progress));
      runChangeMs.length = 0;
      runs = [...runs, ...(await measureRuns(api, server.size, runChangeMs))];
      monitorChanges.push({ size: server.size, runMs: [...runChangeMs], allMs: timeMonitorChanges(api) });
      await vscode.commands.executeCommand('pyramid.signOut');
      await restore();
    }
  } finally {
    progress.restore();
    dialogs.restore();
  }
  return { vscodeVersion: vscode.version, idle, bundleEvaluationMs, trees, runs, monitorChanges };
}

/** Requires fresh copies of the bundle (each a little different, so no compile cache helps). */
function timeBundleEvaluation(): number[] {
  const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const bundle = path.join(extensionPath, 'dist', 'extension.js');
  const source = fs.readFileSync(bundle, 'utf8');
  const load = createRequire(__filename);
  const times: number[] = [];
  for (let i = 0; i < BUNDLE_COPIES; i++) {
    const copy = path.join(extensionPath, 'dist', `extension.bench-${i}.js`);
    fs.writeFileSync(copy, `${source}\n// copy ${i}\n`);
    const started = performance.now();
    load(copy);
    times.push(performance.now() - started);
    fs.rmSync(copy);
  }
  return times;
}

/** Notes when each withProgress task ends: the tree loads its list inside one. */
function recordProgressEnds() {
  const window = vscode.window as unknown as { withProgress: typeof vscode.window.withProgress };
  const original = window.withProgress;
  const marks = { lastEnd: 0 };
  window.withProgress = (options, task) =>
    original(options, async (reporter, token) => {
      try {
        return await task(reporter, token);
      } finally {
        marks.lastEnd = performance.now();
      }
    });
  return { marks, restore: () => (window.withProgress = original) };
}

async function signIn(dialogs: Dialogs, serverUrl: string): Promise<() => Promise<void>> {
  const restore = await withSettings({ serverUrl, groupBy: 'type' });
  dialogs.picks.push(pickLabel('username and password'));
  dialogs.inputs.push(DEMO_USER.userName, DEMO_USER.password);
  await vscode.commands.executeCommand('pyramid.signIn');
  return restore;
}

async function measureTree(api: PyramidSchedulesApi, size: number, progress: ReturnType<typeof recordProgressEnds>): Promise<TreeInHost> {
  const before = retainedHeap();
  const repetitions: TreeRepetition[] = [];
  let roots: Node[] = [];
  let firstPage: Node[] = [];
  for (let i = 0; i < COLD_REPETITIONS; i++) {
    api.tree.refresh();
    collectGarbage();
    const base = heapUsed();
    const started = performance.now();
    roots = (await api.tree.getChildren()) as Node[];
    const rootReady = performance.now();
    firstPage = (await api.tree.getChildren(roots[0] as never)) as Node[];
    const pageReady = performance.now();
    // VS Code asks for the first page of every group that starts expanded before it shows the tree.
    for (const group of roots.slice(1).filter(isExpanded)) {
      await api.tree.getChildren(group as never);
    }
    const allPagesReady = performance.now();
    repetitions.push({
      coldRootMs: rootReady - started,
      listedToRootMs: rootReady - progress.marks.lastEnd,
      firstPageMs: pageReady - rootReady,
      expandedGroupsMs: allPagesReady - rootReady,
      peakExtraHeap: heapUsed() - base,
    });
  }
  const warmRootMs: number[] = [];
  for (let i = 0; i < WARM_REPETITIONS; i++) {
    const started = performance.now();
    await api.tree.getChildren();
    warmRootMs.push(performance.now() - started);
  }
  return {
    size,
    repetitions,
    rootItems: roots.map((node) => `${node.label} (${node.description ?? ''})`),
    firstPageItems: firstPage.length,
    expandedGroupItems: await countGroupItems(api, roots),
    largestGroup: await pageThroughLargestGroup(api, roots),
    warmRootMs,
    retainedHeap: retainedHeap() - before,
  };
}

const isExpanded = (node: Node) => node.collapsibleState === vscode.TreeItemCollapsibleState.Expanded;

async function countGroupItems(api: PyramidSchedulesApi, roots: Node[]): Promise<number> {
  let count = 0;
  for (const group of roots.filter(isExpanded)) {
    count += (await api.tree.getChildren(group as never)).length;
  }
  return count;
}

/**
 * The biggest group's first page; then, if it has more, "Show more", timed for what the provider asks
 * VS Code to refresh: the group's children, or (when it refreshes the whole tree) the root and every group.
 */
async function pageThroughLargestGroup(api: PyramidSchedulesApi, roots: Node[]) {
  const largest = roots.filter((node) => node.group).reduce((a, b) => (b.group!.schedules.length > a.group!.schedules.length ? b : a));
  const group = largest.group!;
  let started = performance.now();
  const first = (await api.tree.getChildren(largest as never)) as Node[];
  const firstPageMs = performance.now() - started;
  const summary = { label: group.label, schedules: group.schedules.length, firstPageItems: first.length, firstPageMs };
  if (!String(first.at(-1)?.id).includes(':more:')) {
    return summary;
  }
  const refreshed: unknown[] = [];
  const subscription = api.tree.onDidChangeTreeData((node) => refreshed.push(node));
  api.tree.showMore(group.key);
  subscription.dispose();
  const wholeTree = refreshed.includes(undefined);
  started = performance.now();
  const second = wholeTree ? await refreshWholeTree(api, largest) : ((await api.tree.getChildren(largest as never)) as Node[]);
  const secondPageMs = performance.now() - started;
  return { ...summary, secondPageItems: second.length, secondPageMs, showMoreRefreshes: wholeTree ? 'tree' : 'group' } as const;
}

/** What VS Code asks for after a whole-tree change: the root, then every expanded group; returns `group`'s items. */
async function refreshWholeTree(api: PyramidSchedulesApi, group: Node): Promise<Node[]> {
  let items: Node[] = [];
  for (const node of ((await api.tree.getChildren()) as Node[]).filter(isExpanded)) {
    const page = (await api.tree.getChildren(node as never)) as Node[];
    items = node.id === group.id ? page : items;
  }
  return items;
}

/**
 * Runs schedules of the first group through the Run command and times the status bar's first status.
 * Measured after the tree has built its items, as when a user runs a schedule from the view.
 */
async function measureRuns(api: PyramidSchedulesApi, size: number, runChangeMs: number[]): Promise<RunToStatus[]> {
  const roots = (await api.tree.getChildren()) as Node[];
  const schedules = ((await api.tree.getChildren(roots[0] as never)) as Node[]).filter((node) => node.schedule).slice(0, RUNS_PER_SIZE);
  const samples: RunToStatus[] = [];
  for (const node of schedules) {
    const shown = firstStatusShown(api, node.schedule!.name);
    const started = performance.now();
    await vscode.commands.executeCommand('pyramid.runSchedule', node);
    const commandMs = performance.now() - started;
    const { at, text } = await shown;
    samples.push({ size, schedule: node.schedule!.name, commandMs, statusShownMs: at - started, statusText: text });
    for (const run of api.monitor.watched) {
      // Stopping sends one change naming the run, as a status change does: timed with every listener.
      const stopping = performance.now();
      api.monitor.stopWatching(run.executionId);
      runChangeMs.push(performance.now() - stopping);
    }
  }
  return samples;
}

/**
 * Times the monitor's change notification for every run at once, which the tree answers by looking at
 * each schedule item it has built. Clearing the recent list sends one.
 */
function timeMonitorChanges(api: PyramidSchedulesApi): number[] {
  const times: number[] = [];
  for (let i = 0; i < WARM_REPETITIONS; i++) {
    const started = performance.now();
    api.monitor.clearRecent();
    times.push(performance.now() - started);
  }
  return times;
}

/** Resolves when the status bar shows a status of this schedule's run other than "Starting". */
function firstStatusShown(api: PyramidSchedulesApi, name: string): Promise<{ at: number; text: string }> {
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the status bar did not show a status of "${name}" within ${STATUS_TIMEOUT_MS / 1000} s`));
    }, STATUS_TIMEOUT_MS);
    // Registered after the status bar's own listener, so the item is already updated when this runs.
    const subscription = api.monitor.onDidChange(() => {
      const text = api.statusBar.shownText ?? '';
      if (text.includes(`${name}: `) && !text.endsWith(': Starting')) {
        clearTimeout(timeout);
        subscription.dispose();
        resolve({ at: performance.now(), text });
      }
    });
  });
}
