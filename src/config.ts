/** Typed access to the `pyramid.*` settings. The defaults and bounds live in package.json. */
import * as vscode from 'vscode';
import { ScheduleType, scheduleTypes } from './api';

export type GroupBy = 'type' | 'status' | 'none';
export type NotifyOn = 'failures' | 'all' | 'none';

export interface PollSettings {
  baseIntervalMs: number;
  maxIntervalMs: number;
}

const SECTION = 'pyramid';

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function bounded(key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = settings().get<number>(key, fallback);
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/**
 * The configured server as a normalised base URL (no trailing slash, no pasted `/API3` suffix), or
 * undefined when unset or not an http(s) URL. In an untrusted workspace VS Code hides a workspace
 * value of this setting (it is listed in `restrictedConfigurations`), so this reads the user's own.
 */
export function serverUrl(): string | undefined {
  return normaliseServerUrl(settings().get<string>('serverUrl', ''));
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
  const paths = settings().get<string[]>('caCertificates', []);
  return Array.isArray(paths) ? paths.filter((p) => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];
}

export function requestTimeoutMs(): number {
  return bounded('requestTimeoutSeconds', 30, 1, 600) * 1000;
}

export function pollSettings(): PollSettings {
  const base = bounded('pollIntervalSeconds', 3, 1, 3600);
  const max = Math.max(base, bounded('maxPollIntervalSeconds', 15, 1, 3600));
  return { baseIntervalMs: base * 1000, maxIntervalMs: max * 1000 };
}

/** The schedule types to list; undefined means all. */
export function listedScheduleTypes(): Set<ScheduleType> | undefined {
  const names = settings().get<string[]>('scheduleTypes', []);
  if (!Array.isArray(names) || names.length === 0) {
    return undefined;
  }
  const codes = names.map((name) => scheduleTypes.parse(name).code).filter((code): code is ScheduleType => code !== undefined);
  return codes.length ? new Set(codes) : undefined;
}

export function groupBy(): GroupBy {
  const value = settings().get<string>('groupBy', 'type');
  return value === 'status' || value === 'none' ? value : 'type';
}

/** The shortest auto-refresh: a whole list every few milliseconds would be a load test of the server. */
export const MIN_AUTO_REFRESH_SECONDS = 10;

/** 0 (off), or at least MIN_AUTO_REFRESH_SECONDS. A workspace cannot set it (restrictedConfigurations). */
export function autoRefreshMs(): number {
  const seconds = bounded('autoRefreshSeconds', 0, 0, 86_400);
  return seconds === 0 ? 0 : Math.max(MIN_AUTO_REFRESH_SECONDS, seconds) * 1000;
}

export function notifyOn(): NotifyOn {
  const value = settings().get<string>('notifyOn', 'failures');
  return value === 'all' || value === 'none' ? value : 'failures';
}

export function recentExecutions(): number {
  return bounded('recentExecutions', 10, 1, 100);
}

/** True when the change touches a `pyramid.<key>` setting. */
export function affects(event: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
