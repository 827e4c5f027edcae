/**
 * The pinned schedules of every server, and what this machine has seen of their runs.
 *
 * - Pins live in global state under one key that Settings Sync carries to the user's other machines:
 *   per server origin, the schedule id and what was last known of it (so a pin the filter hides, or the
 *   server no longer lists, still has a name).
 * - Seen marks live in global state under a key that is not synced: per pin, the newest run this
 *   machine no longer needs to announce. "New" means new to this machine.
 *
 * Both are read from global state on every call, so a pin made in another window shows here at the
 * next read. No `vscode` import.
 */
import { Schedule } from '../api';
import { Emitter, Event } from '../util/events';

/** A pinned schedule, as kept. */
export interface Pin {
  scheduleId: string;
  /** What was last known of the schedule, for when the list no longer shows it. */
  name: string;
  itemName?: string;
  typeLabel?: string;
  /** When it was pinned (ms since epoch). */
  pinnedAt: number;
}

/** The newest run of a pin that this machine has dealt with: runs after it are new. */
export interface SeenMark {
  /** The run's start on the server's clock (ms since epoch); 0 when there was no run yet. */
  startedAt: number;
  executionId?: string;
  /** Recent runs at or before the mark that were still going: they are not over, so not yet dealt with. */
  pending?: string[];
}

/** Where pins and marks are kept: global state in VS Code, a map in tests. */
export interface PinState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const PINS_KEY = 'pyramid.pins';
export const SEEN_KEY = 'pyramid.pinsSeen';

interface SavedPins {
  version: 1;
  byOrigin: Record<string, Pin[]>;
}

type SavedMarks = Record<string, Record<string, SeenMark>>;

/** A pin list no one could want more of: the tree and the checks stay bounded whatever is synced in. */
export const MAX_PINS_PER_SERVER = 200;

export class PinStore {
  private readonly changeEmitter = new Emitter<string>();
  /** The pins of this origin changed (here, or in another window once noticed by `reread`). */
  readonly onDidChange: Event<string> = this.changeEmitter.event;
  private lastRead = '';

  constructor(
    private readonly state: PinState,
    private readonly now: () => number = Date.now,
  ) {
    this.lastRead = JSON.stringify(this.saved());
  }

  /** The pins of a server, in the order they were pinned. */
  pinsOf(origin: string): readonly Pin[] {
    return this.saved().byOrigin[origin] ?? [];
  }

  isPinned(origin: string, scheduleId: string): boolean {
    return this.pinsOf(origin).some((pin) => pin.scheduleId === scheduleId);
  }

  /** Pins a schedule; `mark` is the newest run it already has, so its past is not announced. */
  async pin(origin: string, schedule: Schedule, mark: SeenMark): Promise<boolean> {
    if (this.isPinned(origin, schedule.scheduleId) || this.pinsOf(origin).length >= MAX_PINS_PER_SERVER) {
      return false;
    }
    await this.setMark(origin, schedule.scheduleId, mark);
    await this.save(origin, [...this.pinsOf(origin), { ...snapshot(schedule), pinnedAt: this.now() }]);
    return true;
  }

  async unpin(origin: string, scheduleId: string): Promise<void> {
    const pins = this.pinsOf(origin);
    if (pins.some((pin) => pin.scheduleId === scheduleId)) {
      await this.save(origin, pins.filter((pin) => pin.scheduleId !== scheduleId));
    }
    const marks = this.marks();
    if (marks[origin]?.[scheduleId]) {
      delete marks[origin][scheduleId];
      await this.state.update(SEEN_KEY, marks);
    }
  }

  /** Keeps what is known of pinned schedules up to date (a renamed schedule keeps its pin under the new name). */
  async remember(origin: string, schedules: readonly Schedule[]): Promise<void> {
    const byId = new Map(schedules.map((schedule) => [schedule.scheduleId, schedule]));
    const pins = this.pinsOf(origin);
    let changed = false;
    const updated = pins.map((pin) => {
      const schedule = byId.get(pin.scheduleId);
      const known = schedule && snapshot(schedule);
      if (!known || (known.name === pin.name && known.itemName === pin.itemName && known.typeLabel === pin.typeLabel)) {
        return pin;
      }
      changed = true;
      return { ...known, pinnedAt: pin.pinnedAt };
    });
    if (changed) {
      await this.save(origin, updated);
    }
  }

  markOf(origin: string, scheduleId: string): SeenMark | undefined {
    return this.marks()[origin]?.[scheduleId];
  }

  async setMark(origin: string, scheduleId: string, mark: SeenMark): Promise<void> {
    const marks = this.marks();
    const current = marks[origin]?.[scheduleId];
    if (current && JSON.stringify(current) === JSON.stringify(mark)) {
      return;
    }
    marks[origin] = { ...marks[origin], [scheduleId]: mark };
    await this.state.update(SEEN_KEY, marks);
  }

  /** Fires a change for every origin whose pins another window or Settings Sync changed since the last read. */
  reread(): void {
    const before = JSON.parse(this.lastRead) as SavedPins;
    const now = this.saved();
    const text = JSON.stringify(now);
    if (text === this.lastRead) {
      return;
    }
    this.lastRead = text;
    for (const origin of new Set([...Object.keys(before.byOrigin), ...Object.keys(now.byOrigin)])) {
      if (JSON.stringify(before.byOrigin[origin]) !== JSON.stringify(now.byOrigin[origin])) {
        this.changeEmitter.fire(origin);
      }
    }
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private async save(origin: string, pins: Pin[]): Promise<void> {
    const saved = this.saved();
    const byOrigin = { ...saved.byOrigin, [origin]: pins };
    if (pins.length === 0) {
      delete byOrigin[origin];
    }
    const next: SavedPins = { version: 1, byOrigin };
    await this.state.update(PINS_KEY, next);
    // Only this origin is announced here: another window's changes to the others are still for `reread`.
    const known = JSON.parse(this.lastRead) as SavedPins;
    known.byOrigin[origin] = pins;
    if (pins.length === 0) {
      delete known.byOrigin[origin];
    }
    this.lastRead = JSON.stringify(known);
    this.changeEmitter.fire(origin);
  }

  /** The saved pins, with anything malformed (a hand-edited or future state) left out rather than trusted. */
  private saved(): SavedPins {
    const raw = this.state.get<unknown>(PINS_KEY);
    const byOrigin: Record<string, Pin[]> = {};
    if (isObject(raw) && raw.version === 1 && isObject(raw.byOrigin)) {
      for (const [origin, pins] of Object.entries(raw.byOrigin)) {
        if (Array.isArray(pins)) {
          const valid = pins.filter(isPin).slice(0, MAX_PINS_PER_SERVER);
          const unique = valid.filter((pin, index) => valid.findIndex((other) => other.scheduleId === pin.scheduleId) === index);
          if (unique.length) {
            byOrigin[origin] = unique;
          }
        }
      }
    }
    return { version: 1, byOrigin };
  }

  private marks(): SavedMarks {
    const raw = this.state.get<unknown>(SEEN_KEY);
    const marks: SavedMarks = {};
    if (isObject(raw)) {
      for (const [origin, byId] of Object.entries(raw)) {
        if (isObject(byId)) {
          marks[origin] = Object.fromEntries(Object.entries(byId).filter(([, mark]) => isMark(mark))) as Record<string, SeenMark>;
        }
      }
    }
    return marks;
  }
}

function snapshot(schedule: Schedule): Omit<Pin, 'pinnedAt'> {
  return {
    scheduleId: schedule.scheduleId,
    name: schedule.name,
    ...(schedule.scheduleItemName !== undefined && { itemName: schedule.scheduleItemName }),
    ...(schedule.type.raw !== undefined && { typeLabel: schedule.type.label }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPin(value: unknown): value is Pin {
  return isObject(value) && typeof value.scheduleId === 'string' && value.scheduleId !== '' && typeof value.name === 'string' && typeof value.pinnedAt === 'number';
}

function isMark(value: unknown): value is SeenMark {
  return (
    isObject(value) &&
    typeof value.startedAt === 'number' &&
    Number.isFinite(value.startedAt) &&
    (value.executionId === undefined || typeof value.executionId === 'string') &&
    (value.pending === undefined || (Array.isArray(value.pending) && value.pending.every((id) => typeof id === 'string')))
  );
}
