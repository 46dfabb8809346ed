// `record --watch EXPR`: the recorder tests each event it stores against the user's watch
// expressions (#14, the same ones `stats --watch` and the editor take) and says where they hit:
// a line on stderr for the first hits, a "watch" annotation line in the trace after the event,
// and a count in the summary. With --stop-on-watch the first hit ends the recording.
//
// The watches run on an EventStore, like the editor's: the store derives each object's state
// and first time (for `duration>5s`) and StoreWatcher compiles each watch once. The recorder
// needs only the events not yet tested, so the store is small; what `duration` reads
// (the object's first time) is derived state, kept when the object's old events are evicted.
import { EventStore } from '../core';
import type { ReceivedEvent } from '../protocol';
import { vocabularyFor, type DialectSetting } from '../protocol/dialects';
import { parseWatch } from '../inspector/watchExpression';
import { StoreWatcher, type WatchHits, type WatchSpec } from '../inspector/storeWatcher';
import { terminalSafe } from '../shared/terminalText';
import type { TraceAnnotationLine } from '../trace/traceFileFormat';

/**
 * Events the watch store keeps. Each is tested right after it is stored, so one would do; a
 * chunk of the store's columns (16,384 events, some 18 MB of typical 1.1 KB events) is what
 * it frees at a time anyway, and memory stays bounded whatever the length of the recording.
 */
export const WATCH_STORE_EVENTS = 16_384;
/** Hits printed on stderr per watch; later ones are counted (a watch on a busy type would flood the terminal). */
export const PRINTED_HITS_PER_WATCH = 20;
/** Watch annotation lines written per watch; later hits are counted in the summary, not marked. */
export const MARKED_HITS_PER_WATCH = 10_000;

/** Checks the --watch values before anything connects: the usage error of the first bad one, with its column. */
export function checkWatchOptions(texts: readonly string[]): { ok: true } | { ok: false; message: string } {
  for (const text of texts) {
    const parsed = parseWatch(text);
    // The same words as `stats --watch`: the expression, what is wrong, and its column.
    if (!parsed.ok) return { ok: false, message: `--watch "${text}": ${parsed.error}` };
  }
  return { ok: true };
}

export interface RecordWatchesOptions {
  /** The server's era as set (`auto` reads every era's end codes and event names). */
  dialect: DialectSetting;
  /** A progress line for stderr (the caller drops it under --quiet). */
  say(line: string): void;
  /** Writes a line into the trace, after the event that hit. */
  annotate(line: TraceAnnotationLine): void;
  /** Every hit, after it was printed and marked: --stop-on-watch stops on the first. */
  onHit(expression: string): void;
}

interface WatchTally {
  readonly expression: string;
  count: number;
  printed: number;
  marked: number;
}

export class RecordWatches {
  private readonly store: EventStore;
  private readonly watcher: StoreWatcher;
  private readonly tallies = new Map<string, WatchTally>();
  /** The trace's seq minus the store's for the event being tested (0 while every stored event is appended). */
  private seqOffset = 0;
  /** The event being tested: each run tests this one event alone. */
  private current: ReceivedEvent | undefined;

  constructor(
    expressions: readonly string[],
    private readonly options: RecordWatchesOptions,
  ) {
    this.store = new EventStore({ maxEvents: WATCH_STORE_EVENTS, vocabulary: vocabularyFor(options.dialect) });
    this.watcher = new StoreWatcher(this.store, (hits) => this.onHits(hits));
    // A watch given twice is one watch: one line per hit, one count.
    const unique = [...new Set(expressions)];
    const specs: WatchSpec[] = unique.map((expression, i) => ({ id: `w${i + 1}`, expression, action: 'marker', enabled: true }));
    for (const spec of specs) this.tallies.set(spec.id, { expression: spec.expression, count: 0, printed: 0, marked: 0 });
    this.watcher.setWatches(specs);
  }

  /** Tests one event, just written to the trace as `traceSeq`; hits are reported before this returns. */
  observe(traceSeq: number, event: ReceivedEvent): void {
    const storeSeq = this.store.append({ conn: '', ts: event.ts, data: event.data, raw: event.raw, bytes: event.bytes, rawField: 'data' });
    this.seqOffset = traceSeq - storeSeq;
    this.current = event;
    try {
      this.watcher.runTo();
    } finally {
      this.current = undefined;
    }
  }

  /** One line per watch for the final summary: its hits, and how many of them the trace marks. */
  summaryLines(): string[] {
    return [...this.tallies.values()].map((t) => {
      const unmarked = t.count > t.marked ? ` (the first ${t.marked} marked in the trace)` : '';
      return terminalSafe(`watch "${t.expression}": ${t.count} hit${t.count === 1 ? '' : 's'}${unmarked}`);
    });
  }

  dispose(): void {
    this.watcher.dispose();
    this.store.dispose();
  }

  private onHits(report: WatchHits): void {
    const tally = this.tallies.get(report.watch.id);
    if (!tally) return;
    // `report.hits` lists at most 100 of a run; a run here tests one event, so it has them all.
    for (const hit of report.hits) {
      const seq = hit.seq + this.seqOffset;
      // The event's own type (`hangup`): the object key beside it names the class and subclass.
      const type = this.current?.data.type ?? hit.type;
      if (tally.printed < PRINTED_HITS_PER_WATCH) {
        tally.printed++;
        this.options.say(terminalSafe(`watch "${tally.expression}" hit: ${type} on ${hit.objectKey} at ${isoTime(hit.ts)} (#${seq})`));
      } else if (tally.printed === PRINTED_HITS_PER_WATCH) {
        // Said at the first hit not shown, so that it never announces hits that do not come.
        tally.printed++;
        this.options.say(terminalSafe(`watch "${tally.expression}": more than ${PRINTED_HITS_PER_WATCH} hits; further hits are counted only (marked in the trace, totalled in the summary)`));
      }
      if (tally.marked < MARKED_HITS_PER_WATCH) {
        tally.marked++;
        // No `conn`: a recording has one connection, and its event lines leave it out too.
        this.options.annotate({ line: 'watch', ts: hit.ts, watch: tally.expression, object: hit.objectKey, seq, type });
      }
    }
    tally.count += report.count;
    this.options.onHit(tally.expression);
  }
}

function isoTime(ts: number): string {
  return Math.abs(ts) < 8.64e15 ? new Date(ts).toISOString() : String(ts);
}
