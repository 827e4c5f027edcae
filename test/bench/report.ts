// The shape of the benchmark report: sections of markdown and the targets each one checks.

export interface TargetCheck {
  /** What is measured, e.g. 'Bundle size'. */
  name: string;
  /** The target as the issue states it, e.g. '< 100 KB'. */
  target: string;
  measured: string;
  /** undefined when the measurement could not be taken. */
  met: boolean | undefined;
  /** By how much a target is missed, why, and what would close it. */
  note?: string;
}

export interface Section {
  title: string;
  lines: string[];
  checks: TargetCheck[];
}

export function table(headers: string[], rows: (string | number)[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : '**missed**';
}

/** A section that could not be measured, with the reason instead of figures. */
export function notMeasured(title: string, reason: string, checks: Omit<TargetCheck, 'measured' | 'met'>[] = []): Section {
  return {
    title,
    lines: [`Not measured: ${reason}`],
    checks: checks.map((check) => ({ ...check, measured: 'n/a', met: undefined })),
  };
}

export function checksTable(checks: TargetCheck[]): string[] {
  return table(
    ['Measure', 'Target', 'Measured', 'Result'],
    checks.map((check) => [check.name, check.target, check.measured, verdict(check.met)]),
  );
}
