/**
 * Typed access to the `pyramid.*` settings. The defaults and bounds live in package.json; their copy
 * in configDefaults.ts is held equal to it by a unit test.
 */
import * as vscode from 'vscode';
import { ScheduleType, scheduleTypes } from './api';
import { autoRefreshSeconds, bounded, GROUP_BY, GroupBy, NOTIFY_ON, NotifyOn, NUMBER_SETTINGS, oneOf, OTHER_DEFAULTS, PINNED_RUNS, PinnedRuns } from './configDefaults';

export type { GroupBy, NotifyOn, PinnedRuns } from './configDefaults';
export { MIN_AUTO_REFRESH_SECONDS } from './configDefaults';

export interface PollSettings {
  baseIntervalMs: number;
  maxIntervalMs: number;
}

const SECTION = 'pyramid';

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** A numeric setting, within its bounds. */
function numberSetting(key: keyof typeof NUMBER_SETTINGS): number {
  return bounded(settings().get<unknown>(key), NUMBER_SETTINGS[key]);
}

/**
 * The configured server as a normalised base URL (no trailing slash, no pasted `/API3` suffix), or
 * undefined when unset or not an http(s) URL. In an untrusted workspace VS Code hides a workspace
 * value of this setting (it is listed in `restrictedConfigurations`), so this reads the user's own.
 */
export function serverUrl(): string | undefined {
  return normaliseServerUrl(settings().get<string>('serverUrl', OTHER_DEFAULTS.serverUrl));
}

export function normaliseServerUrl(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    return undefined;
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api3$/i, '');
  return `${url.origin}${path}`;
}

/** Paths of PEM files with extra trusted root certificates (user or machine settings only). */
export function caCertificatePaths(): string[] {
  const paths = settings().get<unknown>('caCertificates', OTHER_DEFAULTS.caCertificates);
  return Array.isArray(paths) ? paths.filter((p) => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];
}

export function requestTimeoutMs(): number {
  return numberSetting('requestTimeoutSeconds') * 1000;
}

export function pollSettings(): PollSettings {
  const base = numberSetting('pollIntervalSeconds');
  const max = Math.max(base, numberSetting('maxPollIntervalSeconds'));
  return { baseIntervalMs: base * 1000, maxIntervalMs: max * 1000 };
}

/** The schedule types to list; undefined means all. */
export function listedScheduleTypes(): Set<ScheduleType> | undefined {
  const names = settings().get<unknown>('scheduleTypes', OTHER_DEFAULTS.scheduleTypes);
  if (!Array.isArray(names) || names.length === 0) {
    return undefined;
  }
  const codes = names.map((name) => scheduleTypes.parse(name).code).filter((code): code is ScheduleType => code !== undefined);
  return codes.length ? new Set(codes) : undefined;
}

export function groupBy(): GroupBy {
  return oneOf(settings().get<unknown>('groupBy'), GROUP_BY);
}

/** 0 (off), or at least MIN_AUTO_REFRESH_SECONDS. A workspace cannot set it (restrictedConfigurations). */
export function autoRefreshMs(): number {
  return autoRefreshSeconds(settings().get<unknown>('autoRefreshSeconds')) * 1000;
}

export function notifyOn(): NotifyOn {
  return oneOf(settings().get<unknown>('notifyOn'), NOTIFY_ON);
}

/** Whether a run taking clearly longer than usual shows a notification. */
export function notifyLongerThanUsual(): boolean {
  const value = settings().get<unknown>('notifyLongerThanUsual');
  return typeof value === 'boolean' ? value : OTHER_DEFAULTS.notifyLongerThanUsual;
}

/** What happens to the runs the server starts for pinned schedules. */
export function pinnedRuns(): PinnedRuns {
  return oneOf(settings().get<unknown>('pinnedRuns'), PINNED_RUNS);
}

/** How often each pinned schedule is checked while the window is focused. A workspace cannot set it (restrictedConfigurations). */
export function pinnedCheckMs(): number {
  return numberSetting('pinnedCheckSeconds') * 1000;
}

export function recentExecutions(): number {
  return numberSetting('recentExecutions');
}

/** How many runs a schedule's details chart and table show. */
export function detailsRuns(): number {
  return Math.round(numberSetting('detailsRuns'));
}

/** True when the change touches a `pyramid.<key>` setting. */
export function affects(event: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
