// Runs a watch over what a store holds (a trace, or a live source's events so far): the
// events it hits, oldest first. The filter part uses the timeline's compiled predicate; an
// event is parsed only when it passed that and a condition needs its fields, and not even then
// when its raw JSON shows that the fields the conditions read are absent (see EventReader).
import { eventPredicate, type EventStore } from '../core';
import { conditionsHold, type WatchCondition, type WatchExpression } from './watchExpression';

export interface WatchHit {
  seq: number;
  ts: number;
  objectKey: string;
  type: string;
}

export interface WatchScan {
  expression: string;
  /** Every hit counted; the first `limit` listed. */
  count: number;
  hits: WatchHit[];
}

/** What a watch of only `duration` and filter words reads of an event: nothing. */
const NO_FIELDS: Record<string, unknown> = Object.freeze({});

/** Whether one stored event hits the watch: returns the object's key on a hit, else undefined. */
export type WatchMatcher = (seq: number, ts: number, objectIndex: number, typeIndex: number) => string | undefined;

/**
 * What watches read of a store's events, shared by the watches of one run: a run tests every
 * watch on an event before the next, so the last event's parse and scan are kept. Parsing an
 * event (~3 µs for a typical 1.1 KB) is what watches cost; with two watches on body fields and
 * no filter, parsing each event twice took the live ingest bench from 74,000 to 46,000 events/s.
 */
export class EventReader {
  private dataSeq = -1;
  private data: Record<string, unknown> | undefined;
  private escapeSeq = -1;
  private escapes = false;

  constructor(private readonly store: EventStore) {}

  /** The event's data, parsed (once per event however many watches ask). Sequence numbers are never reused. */
  dataOf(seq: number): Record<string, unknown> | undefined {
    if (seq !== this.dataSeq) {
      this.dataSeq = seq;
      this.data = this.store.getEvent(seq)?.data as Record<string, unknown> | undefined;
    }
    return this.data;
  }

  /**
   * True when the event's JSON certainly has no member named `key` (a quoted `"name"`, of word
   * characters): the name is not in its text, and the text has no `\u` escape, the only way a
   * word character can be written other than as itself. False when unsure (then parse).
   */
  lacks(seq: number, quotedKey: string): boolean {
    if (this.store.rawIncludes(seq, quotedKey, false)) return false;
    if (seq !== this.escapeSeq) {
      this.escapeSeq = seq;
      // A backslash first: most events have none (a byte search), and an SDP's many `\r\n`
      // make the two-byte search slow, so it runs only on events that have one.
      this.escapes = this.store.rawIncludes(seq, '\\', false) && this.store.rawIncludes(seq, '\\u', false);
    }
    return !this.escapes;
  }
}

/**
 * Compiles a watch against a store once: the filter's predicate, and whether fields are read.
 * Watches run together should share one `reader` (StoreWatcher does). `decided`, when given,
 * says whether the conditions held for an event, as worked out when it was appended
 * (watchVerdicts.ts), or undefined when it does not know (then the event is read).
 */
export function compileWatch(store: EventStore, watch: WatchExpression, reader = new EventReader(store), decided?: (seq: number) => boolean | undefined): WatchMatcher {
  const passesFilter = eventPredicate(store, watch.filter);
  const needsData = watch.conditions.some((c) => c.field !== 'duration');
  const absence = absenceCheck(watch.conditions);
  return (seq, ts, objectIndex, typeIndex) => {
    if (!passesFilter(seq, objectIndex, typeIndex)) return undefined;
    const object = store.objectAt(objectIndex);
    if (!object) return undefined;
    let data: Record<string, unknown> | undefined = NO_FIELDS;
    if (needsData) {
      const verdict = decided?.(seq);
      if (verdict !== undefined) return verdict ? object.key : undefined;
      const known = absence?.(reader, seq);
      if (known === false) return undefined;
      // Every field read is absent: the conditions see what they would in the parsed event.
      data = known === true ? NO_FIELDS : reader.dataOf(seq);
    }
    return data && conditionsHold(watch, data, ts - object.firstTs) ? object.key : undefined;
  };
}

/**
 * When every field a watch reads is a body field, a check on the raw text that can settle the
 * watch without parsing: `false` when some absent field fails its condition (an absent field
 * passes only `!=`), `true` when every one is absent (then the conditions hold as on no
 * fields), `undefined` when a field may be present. Undefined (no check) for other fields.
 */
function absenceCheck(conditions: readonly WatchCondition[]): ((reader: EventReader, seq: number) => boolean | undefined) | undefined {
  const read = conditions.filter((c) => c.field !== 'duration');
  if (read.length === 0 || !read.every((c) => c.field.startsWith('body.'))) return undefined;
  // The last part of the path: absent from the text, the field is absent whatever its parents.
  const keys = read.map((c) => ({ key: `"${c.field.slice(c.field.lastIndexOf('.') + 1)}"`, passesWhenAbsent: c.operator === '!=' }));
  return (reader, seq) => {
    let allAbsent = true;
    for (const { key, passesWhenAbsent } of keys) {
      if (!reader.lacks(seq, key)) allAbsent = false;
      else if (!passesWhenAbsent) return false;
    }
    return allAbsent ? true : undefined;
  };
}

export function scanWatch(store: EventStore, watch: WatchExpression, limit = 100): WatchScan {
  const hits = compileWatch(store, watch);
  const scan: WatchScan = { expression: watch.source, count: 0, hits: [] };
  store.forEachEvent((seq, ts, _conn, objectIndex, typeIndex) => {
    const objectKey = hits(seq, ts, objectIndex, typeIndex);
    if (objectKey === undefined) return;
    scan.count++;
    if (scan.hits.length < limit) scan.hits.push({ seq, ts, objectKey, type: store.typeName(typeIndex) ?? '' });
  });
  return scan;
}
