// Runs a watch over what a store holds (a trace, or a live source's events so far): the
// events it hits, oldest first. The filter part uses the timeline's compiled predicate; an
// event is parsed only when it passed that and a condition needs its fields.
import { eventPredicate, type EventStore } from '../core';
import { conditionsHold, type WatchExpression } from './watchExpression';

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

/** Compiles a watch against a store once: the filter's predicate, and whether fields are read. */
export function compileWatch(store: EventStore, watch: WatchExpression): WatchMatcher {
  const passesFilter = eventPredicate(store, watch.filter);
  const needsData = watch.conditions.some((c) => c.field !== 'duration');
  return (seq, ts, objectIndex, typeIndex) => {
    if (!passesFilter(seq, objectIndex, typeIndex)) return undefined;
    const object = store.objectAt(objectIndex);
    const data = needsData ? (store.getEvent(seq)?.data as Record<string, unknown> | undefined) : NO_FIELDS;
    return object && data && conditionsHold(watch, data, ts - object.firstTs) ? object.key : undefined;
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
