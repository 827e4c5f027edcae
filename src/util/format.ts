/** Text helpers shared by the tree, the status bar and the output channel. */

/** `45s`, `1m 12s`, `2h 3m`: short enough for a status bar. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${seconds % 60}s`;
  }
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** The first block of an execution id, enough to tell runs apart in a log. */
export function shortId(id: string): string {
  return id.split('-')[0].slice(0, 8);
}

/** A local date and time without seconds, e.g. `2026-11-28 14:03`; `unknown` for an invalid date, never NaN. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    return 'unknown';
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
