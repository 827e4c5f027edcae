import { CodeTable, nameOf } from './codes';

export interface WireModes {
  /** Enum fields as numeric codes (the documented wire form) or as S20 name strings. */
  enums: 'number' | 'name';
  /** Date fields as epoch milliseconds or ISO-8601 strings. */
  dates: 'epoch' | 'iso';
  /** runSchedule's execution id as a JSON-quoted string or as raw text/plain. */
  runId: 'json' | 'raw';
}

export const DEFAULT_WIRE: WireModes = { enums: 'number', dates: 'epoch', runId: 'json' };

/** Renders enum and date values the way the current wire modes say. */
export class WireFormat {
  constructor(private readonly modes: WireModes) {}

  code(table: CodeTable, code: number): number | string {
    return this.modes.enums === 'name' ? nameOf(table, code) : code;
  }

  date(ms: number | null): number | string | null {
    if (ms === null) {
      return null;
    }
    return this.modes.dates === 'iso' ? new Date(ms).toISOString() : ms;
  }
}
