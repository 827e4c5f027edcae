// Shared by the in-host tests: the extension's API, answers for its dialogs, waiting, and the log.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { PyramidSchedulesTestApi as PyramidSchedulesApi } from '../../src/testApi';
import { DEMO_USER, PyramidSimulator, type SimulatorOptions } from '../simulator/server';

export const EXTENSION_ID = 'pyramid-community.pyramid-schedules';

export async function extensionApi(): Promise<PyramidSchedulesApi> {
  const extension = vscode.extensions.getExtension<PyramidSchedulesApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api, 'the extension exports its test API only in ExtensionMode.Test');
  return api;
}

/** A node of the Schedules tree as the tests read it. */
export type TreeNode = vscode.TreeItem & { schedule?: { scheduleId: string; name: string } };

/** The node of a schedule, looked up in every group of the tree. */
export async function findScheduleNode(api: PyramidSchedulesApi, name: string): Promise<TreeNode> {
  for (const group of await api.tree.getChildren()) {
    const found = ((await api.tree.getChildren(group)) as TreeNode[]).find((node) => node.label === name);
    if (found) {
      return found;
    }
  }
  assert.fail(`no schedule "${name}" in the tree`);
}

/** Polls until `check` returns a truthy value; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) {
        return value as NonNullable<T>;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
}

/** Quick picks get items or plain strings. */
type PickItem = vscode.QuickPickItem | string;
type Pick = (items: readonly PickItem[]) => PickItem | undefined;
const labelOf = (item: PickItem) => (typeof item === 'string' ? item : item.label);

/**
 * Replaces the dialogs of `vscode.window` with scripted answers, so commands run without a person:
 * input boxes take the queued strings, quick picks the queued choosers, and messages are recorded
 * and answered by `answer(text)` (no button by default).
 */
export class Dialogs {
  readonly inputs: (string | undefined)[] = [];
  readonly picks: Pick[] = [];
  readonly messages: ShownMessage[] = [];
  answer: (message: ShownMessage) => string | undefined = () => undefined;
  private readonly originals = new Map<string, unknown>();

  install(): void {
    const window = vscode.window as unknown as Record<string, unknown>;
    const replace = (name: string, stub: unknown) => {
      this.originals.set(name, window[name]);
      window[name] = stub;
    };
    replace('showInputBox', async () => this.inputs.shift());
    replace('showQuickPick', async (items: readonly PickItem[] | Thenable<readonly PickItem[]>) => {
      const list = await items;
      const pick = this.picks.shift();
      assert.ok(pick, `unexpected quick pick: ${list.map(labelOf).join(', ')}`);
      return pick(list);
    });
    for (const [name, severity] of [['showInformationMessage', 'info'], ['showWarningMessage', 'warning'], ['showErrorMessage', 'error']] as const) {
      replace(name, async (text: string, ...rest: unknown[]) => {
        const actions = rest.filter((item): item is string => typeof item === 'string');
        const message = { severity, text, actions };
        this.messages.push(message);
        return this.answer(message);
      });
    }
  }

  restore(): void {
    const window = vscode.window as unknown as Record<string, unknown>;
    for (const [name, original] of this.originals) {
      window[name] = original;
    }
    this.originals.clear();
  }
}

/** Chooses the quick pick item whose label contains `text`. */
export function pickLabel(text: string): Pick {
  return (items) => {
    const item = items.find((candidate) => labelOf(candidate).includes(text));
    assert.ok(item, `no quick pick item "${text}" among: ${items.map(labelOf).join(', ')}`);
    return item;
  };
}

/** Points the extension at a simulator and signs in with the demo user, through the real command. */
export async function signInTo(sim: PyramidSimulator, dialogs: Dialogs): Promise<void> {
  await vscode.workspace.getConfiguration('pyramid').update('serverUrl', sim.url, vscode.ConfigurationTarget.Global);
  dialogs.picks.push(pickLabel('username and password'));
  dialogs.inputs.push(DEMO_USER.userName, DEMO_USER.password);
  await vscode.commands.executeCommand('pyramid.signIn');
  assert.equal(dialogs.inputs.length, 0, 'sign-in did not ask for the user name and password');
}

/** The text of the Pyramid output channel so far (its log file). */
export function outputText(api: PyramidSchedulesApi): string {
  const file = vscode.Uri.joinPath(api.logUri, 'Pyramid.log').fsPath;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** Sets `pyramid.*` settings for a test; returns a function that puts the old values back. */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const configuration = vscode.workspace.getConfiguration('pyramid');
  const previous = Object.keys(values).map((key) => [key, configuration.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) {
    await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    for (const [key, value] of previous) {
      await vscode.workspace.getConfiguration('pyramid').update(key, value, vscode.ConfigurationTarget.Global);
    }
  };
}

export interface SuiteOptions {
  /** Options of the suite's own simulator. */
  simulator?: SimulatorOptions;
  /** `pyramid.*` settings for the suite; `serverUrl` defaults to the simulator. */
  settings?: Record<string, unknown>;
  /** Sign in to the simulator before the first test; default true. */
  signIn?: boolean;
}

/** What a suite's tests work with; `api` and `sim` are set by the suite's `before` hook. */
export interface SuiteContext {
  api: PyramidSchedulesApi;
  sim: PyramidSimulator;
  readonly dialogs: Dialogs;
}

/**
 * The in-host setup every suite shares, as mocha hooks: its own simulator, its settings, scripted
 * dialogs, and (by default) a sign-in; after each test no run is left watched, no fault injected and no
 * dialog answer queued; at the end it signs out and puts everything back.
 */
export function useSimulator(options: SuiteOptions = {}): SuiteContext {
  const suite = { dialogs: new Dialogs() } as SuiteContext;
  let restoreSettings: (() => Promise<void>) | undefined;
  before(async function () {
    this.timeout(30_000);
    suite.api = await extensionApi();
    suite.sim = await PyramidSimulator.start(options.simulator);
    restoreSettings = await withSettings({ serverUrl: suite.sim.url, ...options.settings });
    suite.dialogs.install();
    if (options.signIn ?? true) {
      await signInTo(suite.sim, suite.dialogs);
    }
  });
  afterEach(() => {
    // The monitor knows a followed task by `task:<id>`, a run by its execution id.
    suite.api.monitor.watched.forEach((run) => suite.api.monitor.stopWatching(run.kind === 'task' ? `task:${run.taskId}` : run.executionId));
    suite.sim.clearFaults();
    const { dialogs } = suite;
    dialogs.messages.length = 0;
    dialogs.inputs.length = 0;
    dialogs.picks.length = 0;
    dialogs.answer = () => undefined;
  });
  after(async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('pyramid.signOut');
    suite.dialogs.restore();
    await restoreSettings?.();
    await suite.sim?.stop();
  });
  return suite;
}
