/**
 * The schedules of one server: the last good answer of findSchedule under the server-side filter, the
 * filter itself (saved per server), auto-refresh, and change events. The tree, the commands and their
 * quick picks all read it; none of them asks the server for the list on its own.
 * No `vscode` import: it unit-tests in plain Node, one store per server side by side.
 */
import { PyramidClient, Schedule, ScheduleType, SearchMatchType, isSignInNeeded, searchMatchTypes } from '../api';
import { Emitter, Event } from '../util/events';
import { withoutDuplicates } from '../util/unique';
import { selectSchedules } from './scheduleList';
import { PyramidServer } from './server';

export interface ScheduleFilter {
  text: string;
  matchType: SearchMatchType;
}

/** The part of the client the store uses. */
export type ScheduleApi = Pick<PyramidClient, 'findSchedule'>;

/** Where the filter is kept: workspace state in VS Code, a map in tests. */
export interface KeyValueState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ScheduleStoreOptions {
  server: PyramidServer;
  /** A client holding this server's token, or undefined while signed out there. */
  client: () => Promise<ScheduleApi | undefined>;
  state: KeyValueState;
  log: StoreLogger;
  /** 0 for off; read at each planning so a settings change applies at the next one. */
  autoRefreshMs: () => number;
  /** The listed schedule types; undefined for all. */
  listedTypes: () => ReadonlySet<ScheduleType> | undefined;
  /** The server asked for a new sign-in while loading. */
  onSignInNeeded: (origin: string, message: string) => void;
  /** Wraps each load, e.g. in the view's progress bar. */
  whileLoading?: <T>(load: () => Promise<T>) => Promise<T>;
}

/** What changed: one schedule (after suspend or resume), or the list as a whole. */
export interface ScheduleChange {
  schedule?: Schedule;
}

/** The workspace-wide key of earlier versions; read once as the filter of every server. */
const LEGACY_FILTER_KEY = 'pyramid.filter';

export class ScheduleStore {
  private loaded: Schedule[] | undefined;
  private loading: Promise<Schedule[]> | undefined;
  private stale = true;
  private lastError: string | undefined;
  private listedCache: { source: Schedule[]; types: string; schedules: Schedule[] } | undefined;
  private autoRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  private autoRefreshWanted = false;
  private readonly changeEmitter: Emitter<ScheduleChange>;

  readonly onDidChange: Event<ScheduleChange>;

  constructor(private readonly options: ScheduleStoreOptions) {
    this.changeEmitter = new Emitter<ScheduleChange>((error) => options.log.error(`A schedule list listener failed: ${(error as Error).stack ?? String(error)}`));
    this.onDidChange = this.changeEmitter.event;
  }

  get server(): PyramidServer {
    return this.options.server;
  }

  /** The last good list, unfiltered by type; undefined before the first load or after sign-out. */
  get schedules(): readonly Schedule[] | undefined {
    return this.loaded;
  }

  /** Why the last load failed, while an older list is still shown. */
  get refreshError(): string | undefined {
    return this.loaded ? this.lastError : undefined;
  }

  get filter(): ScheduleFilter | undefined {
    // null: cleared for this server, so an older workspace-wide filter no longer applies either.
    const own = this.options.state.get<ScheduleFilter | null>(this.filterKey);
    return own === undefined ? this.options.state.get<ScheduleFilter>(LEGACY_FILTER_KEY) : own ?? undefined;
  }

  /** Saves the filter and reloads: the server does the matching. */
  async setFilter(filter: ScheduleFilter | undefined): Promise<void> {
    await this.options.state.update(this.filterKey, filter ?? null);
    this.forget();
    this.invalidate();
  }

  /** The list, loading it first when there is none or it is stale. A failed reload keeps the last list. */
  async current(): Promise<readonly Schedule[]> {
    if (this.loaded && !this.stale) {
      return this.loaded;
    }
    try {
      return await this.load();
    } catch (error) {
      if (this.loaded) {
        return this.loaded; // the view message says the refresh failed
      }
      throw error;
    }
  }

  /** The listed types of the list, sorted by name (cached until the list or the types change). */
  listed(schedules: readonly Schedule[] = this.loaded ?? []): readonly Schedule[] {
    const types = this.options.listedTypes();
    const key = types ? [...types].join(',') : 'all';
    if (this.listedCache?.source !== schedules || this.listedCache.types !== key) {
      this.listedCache = { source: schedules as Schedule[], types: key, schedules: selectSchedules(schedules, types) };
    }
    return this.listedCache.schedules;
  }

  /** A schedule of the list already loaded, without asking the server. */
  known(scheduleId: string): Schedule | undefined {
    return this.loaded?.find((schedule) => schedule.scheduleId === scheduleId);
  }

  /** Takes a schedule the server changed (after suspend or resume) without reloading the list. */
  update(schedule: Schedule): void {
    if (!this.loaded) {
      return;
    }
    this.loaded = this.loaded.map((s) => (s.scheduleId === schedule.scheduleId ? schedule : s));
    this.changeEmitter.fire({ schedule });
  }

  /** The list is out of date: the next reader reloads it. */
  invalidate(): void {
    this.stale = true;
    this.changeEmitter.fire({});
  }

  /** Signed out, or another filter: the last list no longer answers the question, even as a fallback. */
  forget(): void {
    this.loaded = undefined;
    this.lastError = undefined;
    this.stale = true;
  }

  /** The text the view shows above the tree: the filter and a failed refresh. */
  get viewMessage(): string | undefined {
    const filter = this.filter;
    const parts = [
      filter && `Filter: name ${searchMatchTypes.label(filter.matchType).toLowerCase()} "${filter.text}"`,
      this.refreshError && `Refresh failed, showing the last list: ${this.refreshError}`,
    ].filter(Boolean);
    return parts.length ? parts.join(' — ') : undefined;
  }

  /** Auto-refresh runs only while someone looks: the view visible in a focused window. */
  setAutoRefresh(wanted: boolean): void {
    this.autoRefreshWanted = wanted;
    this.planAutoRefresh();
  }

  dispose(): void {
    clearTimeout(this.autoRefreshTimer);
    this.autoRefreshTimer = undefined;
    this.changeEmitter.dispose();
  }

  /** One findSchedule at a time: readers that arrive meanwhile share its answer. */
  private load(): Promise<Schedule[]> {
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
      this.planAutoRefresh();
    });
    return this.loading;
  }

  private async fetch(): Promise<Schedule[]> {
    const { server, log } = this.options;
    const client = await this.options.client();
    if (!client) {
      this.forget();
      return [];
    }
    const filter = this.filter;
    const query = { searchValue: filter?.text ?? '', matchType: filter?.matchType ?? SearchMatchType.Contains };
    try {
      const answer = await (this.options.whileLoading ?? ((load) => load()))(() => client.findSchedule(query));
      const unique = withoutDuplicates(answer, (schedule) => schedule.scheduleId, 'schedule', (message) => log.warn(message));
      this.loaded = unique;
      this.stale = false;
      this.lastError = undefined;
      log.info(`Loaded ${unique.length} schedule(s) from ${server.origin}.`);
      return unique;
    } catch (error) {
      this.stale = false;
      this.lastError = (error as Error).message;
      log.error(`Could not load schedules from ${server.origin}: ${this.lastError}`);
      if (isSignInNeeded(error)) {
        this.options.onSignInNeeded(server.origin, this.lastError);
      }
      throw error;
    }
  }

  private planAutoRefresh(): void {
    clearTimeout(this.autoRefreshTimer);
    this.autoRefreshTimer = undefined;
    const interval = this.options.autoRefreshMs();
    if (interval > 0 && this.autoRefreshWanted) {
      this.autoRefreshTimer = setTimeout(() => this.invalidate(), interval);
    }
  }

  private get filterKey(): string {
    return `pyramid.filter:${this.options.server.origin}`;
  }
}
