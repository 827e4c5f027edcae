/**
 * The defaults and bounds of the `pyramid.*` settings as package.json declares them, and the pure rules
 * config.ts applies to what it reads. Constants rather than a read of the manifest: activation parses
 * no JSON and the bundle holds no copy of it (importing package.json would add about 8.6 KB to it).
 * test/unit/config.test.ts fails when these and package.json differ. Free of `vscode`, so it runs in
 * plain Node.
 */

/** A numeric setting: what VS Code enforces in its settings editor, and we again on every read. */
export interface NumberSetting {
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
}

export const NUMBER_SETTINGS = {
  pollIntervalSeconds: { default: 3, minimum: 1, maximum: 3600 },
  maxPollIntervalSeconds: { default: 15, minimum: 1, maximum: 3600 },
  requestTimeoutSeconds: { default: 30, minimum: 1, maximum: 600 },
  autoRefreshSeconds: { default: 0, minimum: 0, maximum: 86_400 },
  recentExecutions: { default: 10, minimum: 1, maximum: 100 },
  pinnedCheckSeconds: { default: 300, minimum: 15, maximum: 3600 },
  detailsRuns: { default: 30, minimum: 1, maximum: 200 },
} as const satisfies Record<string, NumberSetting>;

/** The allowed values of the enum settings, the default first. */
export const GROUP_BY = ['type', 'status', 'none'] as const;
export const NOTIFY_ON = ['failures', 'all', 'none'] as const;
export const PINNED_RUNS = ['failures', 'all', 'none'] as const;

export type GroupBy = (typeof GROUP_BY)[number];
export type NotifyOn = (typeof NOTIFY_ON)[number];
export type PinnedRuns = (typeof PINNED_RUNS)[number];

/** The defaults of the settings that are not numbers. */
export const OTHER_DEFAULTS = {
  serverUrl: '',
  scheduleTypes: [] as readonly string[],
  groupBy: GROUP_BY[0] as GroupBy,
  notifyOn: NOTIFY_ON[0] as NotifyOn,
  notifyLongerThanUsual: true,
  pinnedRuns: PINNED_RUNS[0] as PinnedRuns,
  caCertificates: [] as readonly string[],
};

/** A finite number within the setting's bounds; its default for anything else (a string typed into settings.json). */
export function bounded(value: unknown, setting: NumberSetting): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(setting.maximum, Math.max(setting.minimum, value)) : setting.default;
}

/** The value when it is one of `allowed`, else the first (the default). */
export function oneOf<T extends string>(value: unknown, allowed: readonly [T, ...T[]]): T {
  return allowed.includes(value as T) ? (value as T) : allowed[0];
}

/** The shortest auto-refresh: a whole list every few milliseconds would be a load test of the server. */
export const MIN_AUTO_REFRESH_SECONDS = 10;

/** 0 (off), or at least MIN_AUTO_REFRESH_SECONDS. */
export function autoRefreshSeconds(value: unknown): number {
  const seconds = bounded(value, NUMBER_SETTINGS.autoRefreshSeconds);
  return seconds === 0 ? 0 : Math.max(MIN_AUTO_REFRESH_SECONDS, seconds);
}
