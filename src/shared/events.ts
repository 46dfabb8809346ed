// A minimal event emitter with the shape of vscode's `Event<T>` / `EventEmitter<T>`, so core
// code can emit events that plug straight into VS Code APIs without importing `vscode`.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (
  listener: (e: T) => unknown,
  thisArgs?: unknown,
  disposables?: Disposable[],
) => Disposable;

/**
 * Where errors thrown by listeners go. They are reported, never rethrown: a faulty listener
 * must not stop the other listeners, nor crash the extension host or the command line.
 */
let unexpectedErrorHandler: (error: unknown) => void = (error) => console.error('[nkmedia] listener failed:', error);

export function setUnexpectedErrorHandler(handler: (error: unknown) => void): void {
  unexpectedErrorHandler = handler;
}

export class Emitter<T> {
  private listeners: Array<(e: T) => unknown> = [];
  /**
   * A copy of `listeners` for `fire`, made again only after a change: fire runs once per event
   * at ingest and must not copy the array each time, yet it behaves as if it had taken a
   * snapshot (listeners added or removed during a fire take effect on the next one).
   */
  private snapshot: ReadonlyArray<(e: T) => unknown> | undefined;
  private disposed = false;

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : listener.bind(thisArgs);
    if (this.disposed) return { dispose() {} };
    this.listeners.push(bound);
    this.snapshot = undefined;
    const subscription: Disposable = {
      dispose: () => {
        const index = this.listeners.indexOf(bound);
        if (index >= 0) {
          this.listeners.splice(index, 1);
          this.snapshot = undefined;
        }
      },
    };
    disposables?.push(subscription);
    return subscription;
  };

  /** Calls every listener; one that throws does not stop the others (the error is reported). */
  fire(e: T): void {
    const listeners = (this.snapshot ??= this.listeners.slice());
    for (let i = 0; i < listeners.length; i++) {
      const listener = listeners[i];
      try {
        listener(e);
      } catch (error) {
        unexpectedErrorHandler(error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
    this.snapshot = undefined;
  }
}

/** Resolves with the next value an event fires (optionally the next one that matches). */
export function nextEvent<T>(event: Event<T>, predicate: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = event((e) => {
      if (!predicate(e)) return;
      subscription.dispose();
      resolve(e);
    });
  });
}

/** Collects disposables and disposes them together, newest first. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];

  add<T extends Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  dispose(): void {
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch {
        // one failing cleanup must not stop the rest
      }
    }
  }
}
