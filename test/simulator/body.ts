import { ApiError } from './http';

/** Reads a request body the way Pyramid expects it, with lenient fallbacks that are reported as warnings. */
export class RequestBody {
  constructor(
    private readonly text: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** An object parameter such as ScheduleSearchCriteria. */
  object(): Record<string, unknown> {
    let value: unknown;
    try {
      value = JSON.parse(this.text);
    } catch {
      throw new ApiError(400, 'Invalid JSON body');
    }
    if (!isRecord(value)) {
      throw new ApiError(400, 'Invalid JSON body: expected a JSON object');
    }
    return value;
  }

  /**
   * A single id parameter. Pyramid wants a JSON string ("3f2a…"); raw text and the API2-style
   * {"<paramName>": "…"} object are accepted too, with a warning.
   */
  id(paramName: string): string {
    const text = this.text.trim();
    if (text === '') {
      throw new ApiError(400, `Missing request body: send the ${paramName} as a JSON string`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.warn(`body is raw text, not a JSON string; send the ${paramName} as "…"`);
      return text;
    }
    if (typeof value === 'string' && value.trim() !== '') {
      return value.trim();
    }
    if (isRecord(value)) {
      const wrapped = Object.values(value).find((field) => typeof field === 'string');
      if (Object.keys(value).length === 1 && typeof wrapped === 'string') {
        this.warn(`body is an object; send the ${paramName} as a bare JSON string`);
        return wrapped.trim();
      }
    }
    throw new ApiError(400, `Invalid JSON body: expected the ${paramName} as a JSON string`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field looked up by name in any letter case, as for userName/username. */
export function fieldIgnoringCase(record: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}
