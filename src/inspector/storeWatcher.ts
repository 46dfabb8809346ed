// Runs the user's watches (#14, "event breakpoints") over a store as events arrive: each
// watch compiles once per store (watchScan.compileWatch), then every new event is tested
// against the enabled ones. Hits are reported in batches, one call per watch per run, so a
// watch that matches 10,000 events a second costs one notification, not 10,000.
//
// Who calls `runTo`: the editor after each store change (every 100 ms), the recorder after
// each event it stores. Events evicted before a run reached them are counted as `missed`
// (only a store taking more than its capacity within one notification interval can do that).
// Conditions on fields are decided as each event is appended, while its parsed data is at hand
// (watchVerdicts.ts); the run then applies the filter and uses those verdicts. Dispose of the
// watcher when done with it, before or with its store.
import type { EventStore } from '../core';
import type { EventData } from '../protocol/frames';
import type { Disposable } from '../shared/events';
import { compileConditions, parseWatch } from './watchExpression';
import { compileWatch, EventReader, type WatchHit, type WatchMatcher } from './watchScan';
import { ConditionVerdicts, MAX_DECIDED_WATCHES } from './watchVerdicts';

/** What a hit does, besides being counted (docs: README "Watches"). */
export const WATCH_ACTIONS = ['notify', 'reveal', 'pause', 'marker'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];

export interface WatchSpec {
  readonly id: string;
  readonly expression: string;
  readonly action: WatchAction;
  readonly enabled: boolean;
}

export interface WatchHits {
  readonly watch: WatchSpec;
  /** This run's hits, oldest first (at most MAX_HITS_PER_REPORT; `count` has them all). */
  readonly hits: readonly WatchHit[];
  readonly count: number;
}

/** Hits listed per report and kept per watch: enough to act on and to show, bounded. */
export const MAX_HITS_PER_REPORT = 100;
export const RECENT_HITS_KEPT = 50;

interface CompiledWatch {
  spec: WatchSpec;
  matches: WatchMatcher;
  count: number;
  recent: WatchHit[];
}

/** A watch that reads fields, whose conditions are decided as each event is appended. */
interface DecidedWatch {
  bit: number;
  holds: (data: Record<string, unknown>, ageMs: number) => boolean;
}

export class StoreWatcher implements Disposable {
  private compiled: CompiledWatch[] = [];
  private nextSeq: number;
  private _missed = 0;
  /** Shared by the watches: an event that several watches read is parsed once. */
  private readonly reader: EventReader;
  private decidedWatches: DecidedWatch[] = [];
  /** Made with the first watch that reads fields (1 MB). */
  private verdicts: ConditionVerdicts | undefined;
  private readonly appending: Disposable;

  constructor(
    private readonly store: EventStore,
    private readonly onHits: (hits: WatchHits) => void,
  ) {
    this.nextSeq = store.lastSeq + 1;
    this.reader = new EventReader(store);
    this.appending = store.onAppend((seq, ts, objectIndex, data) => this.decide(seq, ts, objectIndex, data));
  }

  /** Stops deciding conditions as events are appended (the store lives on). */
  dispose(): void {
    this.appending.dispose();
  }

  /**
   * Replaces the watches. Counts and recent hits of watches kept (same id and expression)
   * carry over; expressions that do not parse are skipped (they were refused on input).
   */
  setWatches(specs: readonly WatchSpec[]): void {
    const previous = new Map(this.compiled.map((c) => [c.spec.id, c]));
    this.compiled = [];
    // The bits are given out again: verdicts of the old list would be read as the new one's.
    this.verdicts?.clear();
    this.decidedWatches = [];
    for (const spec of specs) {
      if (!spec.enabled) continue;
      const parsed = parseWatch(spec.expression);
      if (!parsed.ok) continue;
      const kept = previous.get(spec.id);
      const carried = kept && kept.spec.expression === spec.expression ? kept : undefined;
      let decided: ((seq: number) => boolean | undefined) | undefined;
      if (parsed.watch.conditions.some((c) => c.field !== 'duration') && this.decidedWatches.length < MAX_DECIDED_WATCHES) {
        const bit = this.decidedWatches.length;
        const verdicts = (this.verdicts ??= new ConditionVerdicts());
        this.decidedWatches.push({ bit, holds: compileConditions(parsed.watch) });
        decided = (seq) => verdicts.verdict(seq, bit);
      }
      this.compiled.push({ spec, matches: compileWatch(this.store, parsed.watch, this.reader, decided), count: carried?.count ?? 0, recent: carried?.recent ?? [] });
    }
  }

  /** At append: the conditions of the watches that read fields, on the data the caller parsed. */
  private decide(seq: number, ts: number, objectIndex: number, data: EventData): void {
    const watches = this.decidedWatches;
    if (watches.length === 0 || !this.verdicts) return;
    const object = this.store.objectAt(objectIndex);
    if (!object) return;
    const fields = data as unknown as Record<string, unknown>;
    const ageMs = ts - object.firstTs;
    let held = 0;
    for (let i = 0; i < watches.length; i++) if (watches[i].holds(fields, ageMs)) held |= 1 << watches[i].bit;
    this.verdicts.record(seq, watches.length === 32 ? 0xffffffff : (1 << watches.length) - 1, held);
  }

  /** Hits so far of a watch (0 when disabled or unknown). */
  count(id: string): number {
    return this.compiled.find((c) => c.spec.id === id)?.count ?? 0;
  }

  /** The latest RECENT_HITS_KEPT hits of a watch, oldest first. */
  recentHits(id: string): readonly WatchHit[] {
    return this.compiled.find((c) => c.spec.id === id)?.recent ?? [];
  }

  get missed(): number {
    return this._missed;
  }

  /** The store was cleared: its sequence numbers start again. */
  reset(): void {
    this.nextSeq = this.store.firstSeq;
    for (const c of this.compiled) {
      c.count = 0;
      c.recent = [];
    }
  }

  /** Tests every event not yet tested, up to `lastSeq` (default: the newest stored). */
  runTo(lastSeq = this.store.lastSeq): void {
    const store = this.store;
    if (this.nextSeq < store.firstSeq) {
      this._missed += store.firstSeq - this.nextSeq;
      this.nextSeq = store.firstSeq;
    }
    if (lastSeq < this.nextSeq) return;
    const from = this.nextSeq;
    this.nextSeq = lastSeq + 1;
    if (this.compiled.length === 0) return;
    // A batch only for a watch that hits: the recorder runs this for each event it stores.
    const batches: Array<{ hits: WatchHit[]; count: number } | undefined> = [];
    const compiled = this.compiled;
    // Up to lastSeq only: a run to an older seq must not walk the rest of a large store.
    store.forEachEvent((seq, ts, _conn, objectIndex, typeIndex) => {
      for (let i = 0; i < compiled.length; i++) {
        const objectKey = compiled[i].matches(seq, ts, objectIndex, typeIndex);
        if (objectKey === undefined) continue;
        const batch = (batches[i] ??= { hits: [], count: 0 });
        batch.count++;
        if (batch.hits.length < MAX_HITS_PER_REPORT) batch.hits.push({ seq, ts, objectKey, type: store.typeName(typeIndex) ?? '' });
      }
    }, from, lastSeq);
    for (let i = 0; i < compiled.length; i++) {
      const batch = batches[i];
      if (batch === undefined) continue;
      const watch = compiled[i];
      watch.count += batch.count;
      watch.recent = [...watch.recent, ...batch.hits].slice(-RECENT_HITS_KEPT);
      this.onHits({ watch: watch.spec, hits: batch.hits, count: batch.count });
    }
  }
}
