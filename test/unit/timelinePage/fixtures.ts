// Lanes, chunks and feed messages for the timeline page's Node tests.
import type { Lane, MarkChunk, SourceInfo, TimelineEventType, ToWebview } from '../../../src/shared/timelineProtocol';

export function lane(id: number, kind: Lane['kind'], startTs: number, extra: Partial<Lane> = {}): Lane {
  return { id, key: `media/${kind}/${id}`, kind, objId: `obj${id}`, what: kind, state: 'started', detail: '', startTs, lastTs: startTs + 10, failed: false, anomalies: [], members: [], eventCount: 1, ...extra };
}

/** Marks at the given times, one per [laneId, ts, typeIndex], seqs from firstSeq on. */
export function chunk(firstSeq: number, marks: ReadonlyArray<readonly [number, number, number?]>): MarkChunk {
  return {
    count: marks.length,
    firstSeq,
    ts: Float64Array.from(marks.map((m) => m[1])),
    lane: Uint32Array.from(marks.map((m) => m[0])),
    type: Uint16Array.from(marks.map((m) => m[2] ?? 0)),
  };
}

export const TYPES: TimelineEventType[] = [
  { index: 0, name: 'media/session/started', subclass: 'session', type: 'started', known: true, effect: 'created' },
  { index: 1, name: 'media/session/answer', subclass: 'session', type: 'answer', known: true, effect: 'answered' },
  { index: 2, name: 'media/session/stop', subclass: 'session', type: 'stop', known: true, effect: 'ended' },
];

export function source(now: number, growing: boolean, dataEndTs = now): SourceInfo {
  return { id: 'demo', name: 'demo', live: growing, status: growing ? 'connected' : 'loaded', now, dataEndTs, growing };
}

export function init(lanes: Lane[], lastSeq: number, src: SourceInfo, generation = 0): Extract<ToWebview, { type: 'init' }> {
  return { type: 'init', source: src, lanes, types: TYPES, connection: [],
    health: [], filter: {}, fromSeq: 1, lastSeq, generation };
}
