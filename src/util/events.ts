/**
 * A minimal event emitter with the same listener shape as `vscode.Event`, for the modules that must
 * run without VS Code (the monitor is unit-tested in plain Node).
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

/** Where a listener's exception goes instead of into the code that fired the event. */
export type ListenerErrorHandler = (error: unknown) => void;

/**
 * Without a handler a listener's exception is thrown again on a later tick, as VS Code's own emitter
 * does: reported as uncaught, but after the other listeners ran and the firing code went on.
 */
const rethrowLater: ListenerErrorHandler = (error) => {
  setTimeout(() => {
    throw error;
  }, 0);
};

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: ListenerErrorHandler = rethrowLater) {}

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener, even after one threw: a broken listener must not starve the others or the firer. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.report(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }

  private report(error: unknown): void {
    try {
      this.onListenerError(error);
    } catch {
      rethrowLater(error); // The handler itself failed: the error must still surface somewhere.
    }
  }
}
