// Collects store changes and fires them as one `StoreChange` at most once per interval.
// At 100,000 events/s a notification per event would swamp the UI; one per 100 ms is what a
// tree or timeline can redraw. The timer is started by the first change after a quiet period
// and unref'd so a forgotten store never keeps a process alive.
import type { Emitter } from '../shared/events';
import type { StoreChange } from './types';

export class ChangeBatcher {
  /** Bumped after each fire; lets callers mark an object once per batch without a Set lookup. */
  batchId = 0;
  private firstNewSeq: number | undefined;
  private lastNewSeq: number | undefined;
  private changed = new Set<string>();
  private added = new Set<string>();
  private removed = new Set<string>();
  private evicted = 0;
  private markersChanged = false;
  private annotationsChanged = false;
  private cleared = false;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emitter: Emitter<StoreChange>,
    private readonly intervalMs: number,
  ) {}

  newSeq(seq: number): void {
    if (this.firstNewSeq === undefined) this.firstNewSeq = seq;
    this.lastNewSeq = seq;
    if (!this.pending) this.schedule();
  }

  changedObject(key: string): void {
    this.changed.add(key);
    if (!this.pending) this.schedule();
  }

  addedObject(key: string): void {
    this.added.add(key);
    this.changed.add(key);
    if (!this.pending) this.schedule();
  }

  /** An object that came and went within one batch is simply not mentioned. */
  removedObject(key: string): void {
    this.changed.delete(key);
    if (!this.added.delete(key)) this.removed.add(key);
    if (!this.pending) this.schedule();
  }

  evictedEvents(count: number): void {
    this.evicted += count;
    if (!this.pending) this.schedule();
  }

  markers(): void {
    this.markersChanged = true;
    if (!this.pending) this.schedule();
  }

  annotations(): void {
    this.annotationsChanged = true;
    if (!this.pending) this.schedule();
  }

  /** Whatever was pending is about data that no longer exists: start over from 'cleared'. */
  clearedAll(): void {
    this.reset();
    this.cleared = true;
    this.schedule();
  }

  /** Fires the pending change now, if there is one. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pending) return;
    const change: StoreChange = {
      firstNewSeq: this.firstNewSeq,
      lastNewSeq: this.lastNewSeq,
      changedObjects: this.changed,
      addedObjects: this.added,
      removedObjects: this.removed,
      evicted: this.evicted,
      markersChanged: this.markersChanged,
      ...(this.annotationsChanged ? { annotationsChanged: true } : {}),
      cleared: this.cleared,
    };
    this.reset();
    this.emitter.fire(change);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.reset();
  }

  private schedule(): void {
    this.pending = true;
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private reset(): void {
    this.firstNewSeq = undefined;
    this.lastNewSeq = undefined;
    // Fresh sets: the fired change keeps its own.
    this.changed = new Set();
    this.added = new Set();
    this.removed = new Set();
    this.evicted = 0;
    this.markersChanged = false;
    this.annotationsChanged = false;
    this.cleared = false;
    this.pending = false;
    this.batchId++;
  }
}
