/**
 * The runs themselves: those being watched and the last ones that finished, saved on every change so
 * they survive a window reload, and one change event that names the run that changed.
 */
import { Emitter, Event, ListenerErrorHandler } from '../util/events';
import { FinishedRun, Run, RunStore, SavedRuns, WatchedRun, runId } from './runs';
import { readSavedRuns } from './savedRuns';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** How many finished runs are kept for the status bar. */
export const RECENT_LIMIT = 20;

export class RunBook {
  private readonly watchedRuns = new Map<string, WatchedRun>();
  private recentRuns: FinishedRun[] = [];
  private readonly changeEmitter: Emitter<Run | undefined>;

  /** Anything the status bar or the tree shows changed: the run that did, or undefined when several did. */
  readonly onDidChange: Event<Run | undefined>;

  constructor(
    private readonly store: RunStore,
    private readonly log: Logger,
    onListenerError: ListenerErrorHandler,
  ) {
    this.changeEmitter = new Emitter<Run | undefined>(onListenerError);
    this.onDidChange = this.changeEmitter.event;
  }

  get watched(): readonly WatchedRun[] {
    return [...this.watchedRuns.values()];
  }

  get recent(): readonly FinishedRun[] {
    return this.recentRuns;
  }

  get(id: string): WatchedRun | undefined {
    return this.watchedRuns.get(id);
  }

  /** A watched run of this schedule, if any. */
  watchedRunOf(scheduleId: string): WatchedRun | undefined {
    for (const run of this.watchedRuns.values()) {
      if (run.scheduleId === scheduleId) {
        return run;
      }
    }
    return undefined;
  }

  /**
   * Reads the saved runs (see savedRuns.ts) and returns the watched ones, set to be watched again.
   * Announces them without saving: nothing changed yet.
   */
  restore(): readonly WatchedRun[] {
    const { watched, recent } = readSavedRuns(this.store.load(), (message) => this.log.warn(message));
    this.recentRuns = recent.slice(0, RECENT_LIMIT);
    for (const run of watched) {
      this.watchedRuns.set(runId(run), { ...run, state: 'watching', problem: undefined });
    }
    this.changeEmitter.fire(undefined); // the status bar shows the restored runs before their status changes
    return this.watched;
  }

  // The changes below are silent: the monitor calls `changed` once it has told its own listeners.

  add(run: WatchedRun): void {
    this.watchedRuns.set(runId(run), run);
  }

  /** Stops listing a watched run; it is not kept as a result. */
  remove(run: WatchedRun): void {
    this.watchedRuns.delete(runId(run));
  }

  /**
   * Moves a run from the watched list to the front of the recent one. Returns what the change event
   * should name: the run, or undefined when an older run fell off the list (its schedule changes too).
   */
  finish(run: FinishedRun): Run | undefined {
    const id = runId(run);
    this.watchedRuns.delete(id);
    const others = this.recentRuns.filter((recent) => runId(recent) !== id);
    this.recentRuns = [run, ...others].slice(0, RECENT_LIMIT);
    return others.length >= RECENT_LIMIT ? undefined : run;
  }

  clearRecent(): void {
    this.recentRuns = [];
  }

  /** Saves every run and tells the listeners: `run` is the one that changed, undefined means several. */
  changed(run: Run | undefined): void {
    const saved: SavedRuns = { version: 2, watched: [...this.watchedRuns.values()], recent: this.recentRuns };
    const reportSaveError = (error: unknown) => this.log.error(`Could not save the watched runs: ${error instanceof Error ? error.message : String(error)}`);
    try {
      void Promise.resolve(this.store.save(saved)).then(undefined, reportSaveError);
    } catch (error) {
      reportSaveError(error); // A store that throws at once must not stop the event below or the caller.
    }
    this.changeEmitter.fire(run);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
