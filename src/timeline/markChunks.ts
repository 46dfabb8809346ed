// Reads marks out of the store's columns into the compact chunk the webview draws from.
import type { EventStore, EventVisitor } from '../core';
import type { MarkChunk } from '../shared/timelineProtocol';
import type { MarkPredicate } from './markFilter';

export interface MarkRead {
  readonly chunk: MarkChunk;
  /** The last sequence number looked at (the next read starts after it). */
  readonly cursor: number;
}

/**
 * Marks of events after `afterSeq` that pass `predicate`: at most `maxMarks` of them, and at
 * most `maxScanned` events looked at (a selective filter must not make one reply scan the
 * whole store).
 */
export function readMarks(store: EventStore, afterSeq: number, predicate: MarkPredicate, maxMarks: number, maxScanned = maxMarks * 4): MarkRead {
  const from = Math.max(afterSeq + 1, store.firstSeq);
  const last = store.lastSeq;
  const available = Math.max(0, last - from + 1);
  if (available === 0) return { chunk: emptyChunk(from), cursor: Math.max(afterSeq, last) };
  if (predicate.all) {
    const count = Math.min(available, maxMarks);
    const ts = new Float64Array(count);
    const lane = new Uint32Array(count);
    const type = new Uint16Array(count);
    let i = 0;
    const stopAt = from + count - 1;
    visitRange(store, from, stopAt, (_seq, t, _conn, objectIndex, typeIndex) => {
      ts[i] = t;
      lane[i] = objectIndex;
      type[i] = typeIndex;
      i++;
    });
    return { chunk: { count, firstSeq: from, ts, lane, type }, cursor: stopAt };
  }
  const scanLimit = Math.min(available, maxScanned);
  const stopAt = from + scanLimit - 1;
  const cap = Math.min(maxMarks, scanLimit);
  const ts = new Float64Array(cap);
  const lane = new Uint32Array(cap);
  const type = new Uint16Array(cap);
  const seqs = new Float64Array(cap);
  let count = 0;
  let cursor = from - 1;
  visitRange(store, from, stopAt, (seq, t, _conn, objectIndex, typeIndex) => {
    if (count === cap) throw STOP;
    cursor = seq;
    if (!predicate.matches(seq, objectIndex, typeIndex)) return;
    ts[count] = t;
    lane[count] = objectIndex;
    type[count] = typeIndex;
    seqs[count] = seq;
    count++;
  });
  // slice, not subarray: posting a view clones its whole buffer.
  return {
    chunk: { count, firstSeq: count > 0 ? seqs[0] : from, ts: ts.slice(0, count), lane: lane.slice(0, count), type: type.slice(0, count), seq: seqs.slice(0, count) },
    cursor,
  };
}

const STOP = Symbol('stop');

/**
 * `forEachEvent` over from..to only. The store's visitor has no upper bound, so we leave it
 * with a sentinel throw once past `to` (nothing in the store is mid-update during a visit).
 */
function visitRange(store: EventStore, from: number, to: number, visit: EventVisitor): void {
  try {
    store.forEachEvent((seq, ts, conn, objectIndex, typeIndex) => {
      if (seq > to) throw STOP;
      visit(seq, ts, conn, objectIndex, typeIndex);
    }, from);
  } catch (error) {
    if (error !== STOP) throw error;
  }
}

function emptyChunk(firstSeq: number): MarkChunk {
  return { count: 0, firstSeq, ts: new Float64Array(0), lane: new Uint32Array(0), type: new Uint16Array(0) };
}
