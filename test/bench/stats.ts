// Small statistics and formatting helpers for the benchmark report.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function ms(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

export function seconds(valueMs: number, digits = 1): string {
  return Number.isFinite(valueMs) ? `${(valueMs / 1000).toFixed(digits)} s` : 'n/a';
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "4.2x": how many times `baseline` is `value`. */
export function ratio(baseline: number, value: number): string {
  if (!(value > 0)) {
    return 'n/a';
  }
  const times = baseline / value;
  return `${times.toFixed(times >= 100 ? 0 : 1)}x`;
}

/** "45 s" below a minute, "29.8 min" above. */
export function duration(valueMs: number): string {
  return valueMs < 60_000 ? seconds(valueMs, 0) : `${(valueMs / 60_000).toFixed(valueMs % 60_000 ? 1 : 0)} min`;
}

/** "12.3 ms (range 10.1–15.0, n=5)". */
export function spread(values: readonly number[], format: (value: number) => string = ms): string {
  if (values.length === 0) {
    return 'n/a';
  }
  const low = Math.min(...values);
  const high = Math.max(...values);
  return `${format(median(values))} (range ${format(low)} – ${format(high)}, n=${values.length})`;
}

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

/** A deterministic pseudo-random generator (mulberry32): the same seed gives the same scenario. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
