// The public shapes of the event store: what the tree, the timeline and the trace writer see.
// Everything here is read-only from the outside; the store keeps its own mutable internals.
import type { EventData } from '../protocol/frames';
import type { EndVerdict, Vocabulary } from '../protocol/dialects';

export type ObjectKind = 'session' | 'room' | 'call' | 'other';

/** A short word for an object's derived state; which words apply depends on the kind. */
export type ObjectStateWord =
  | 'created' | 'answered' | 'stopped' // session ('created' and 'answered' are shared with calls)
  | 'started' | 'destroyed' // room
  | 'ringing' | 'hungup' // call
  | 'declined' // any kind that ended as declined (a call rejected, not answered, cancelled)
  | 'active'; // other

export type AnomalyKind =
  /** Ended with a code or reason the era's tables call a fault. */
  | 'fault-end'
  | 'peer-stopped-first'
  /** A call that rang and ended with a fault before it was answered. */
  | 'hangup-before-answer'
  | 'no-terminal-event'
  | 'unknown-type';

export interface Anomaly {
  readonly kind: AnomalyKind;
  /** The event that revealed it; absent for anomalies found by `markEnd`. */
  readonly seq?: number;
  readonly ts: number;
  readonly message: string;
}

/** A session's membership in a room, as told by the room's publisher/listener events. */
export interface RoomMember {
  /** The member's media session; absent for nkcollab 2016 members, who are users of the room. */
  readonly sessionId?: string;
  readonly user?: string;
  /** For a listener: the publisher session it watches. */
  readonly peer?: string;
  /** Absent when the member joined before the data we have (we only saw it leave). */
  readonly joinedTs?: number;
  /** Set once the member left; members who left stay listed. */
  readonly leftTs?: number;
}

/**
 * One object (session, room, call, or anything else that sends events), with the state
 * derived from its events at ingest. The store hands out live views: the fields reflect
 * later events too, so hold on to the key rather than to a copy when you need a snapshot.
 */
export interface ObjectState {
  /** `class/subclass/obj_id`, with '' for a missing part. */
  readonly key: string;
  /** Stable position of the object for columnar access (`EventStore.objectAt`). */
  readonly index: number;
  readonly kind: ObjectKind;
  readonly class: string;
  readonly subclass: string;
  readonly objId: string;
  /** The connection of the event that created the object. */
  readonly conn: string;
  readonly firstTs: number;
  readonly lastTs: number;
  /** Measured spans in ms, -1 when not measured (src/core/durations.ts): setup or time to answer… */
  readonly openingMs: number;
  /** …and length (a room: lifetime). */
  readonly lengthMs: number;
  /** Events of this object still stored (evicted ones are not counted). */
  readonly eventCount: number;
  readonly state: ObjectStateWord;
  readonly ended: boolean;
  readonly endTs?: number;
  /** From its terminal event's body (stop, destroyed, hangup), as received (a number, sometimes a string). */
  readonly code?: number | string;
  readonly reason?: string;
  /** How it ended, judged by the era's end-code tables; absent while it has not ended. */
  readonly endVerdict?: EndVerdict;
  /** Some of what is known about it comes from a snapshot taken on connect (`get_info`). */
  readonly fromSnapshot: boolean;
  /** Session: its type from the latest type change (`updated_type`, or `type` in Oct 2016), or its snapshot. */
  readonly sessionType?: string;
  /** Session: the user named by the room events about it. */
  readonly user?: string;
  /** Room: its class from its creation event (`started` / `created`). */
  readonly roomClass?: string;
  /** Room: its backend from its creation event. */
  readonly backend?: string;
  /** Room: publisher session id -> membership. Empty for other kinds. */
  readonly publishers: ReadonlyMap<string, RoomMember>;
  /** Room: listener session id -> membership. Empty for other kinds. */
  readonly listeners: ReadonlyMap<string, RoomMember>;
  /** Session: keys of the rooms it joined (`media/room/ID`, `collab/room/ID`), oldest first. */
  readonly roomKeys: readonly string[];
  /** Session: its role in the room it joined last. */
  readonly role?: 'publisher' | 'listener';
  /** Listener session: the publisher session it watches. */
  readonly peer?: string;
  readonly anomalies: readonly Anomaly[];
}

export interface StoredEvent {
  readonly seq: number;
  readonly ts: number;
  readonly conn: string;
  /** Exactly as received, unknown fields included (parsed from the stored JSON on demand). */
  readonly data: EventData;
  readonly objectKey: string;
}

/**
 * Where the event sits inside the stored JSON text: 'data' for a live `core/event` frame,
 * 'event' for a trace-file line, 'self' when the text is the event itself.
 */
export type RawField = 'data' | 'event' | 'self';

export interface AppendInput {
  conn: string;
  /** Milliseconds since the epoch, when the event was received. */
  ts: number;
  /** The parsed, validated event. It is not kept: the store keeps `raw` and parses it again on demand. */
  data: EventData;
  /** The JSON text the event came in (ignored when `bytes` is given). */
  raw: string;
  /**
   * The same JSON as UTF-8 bytes (a live frame's Buffer): copied as is, which is cheaper
   * than encoding `raw`. Not kept: the store copies it before `append` returns.
   */
  bytes?: Uint8Array;
  /** Where the event is inside `raw`; omitted means `raw` is the event itself. */
  rawField?: 'data' | 'event';
}

/** `invalid`: the server sent something that is not a valid event (kept with `frame` as evidence). */
export type MarkerKind = 'connect' | 'disconnect' | 'gap' | 'invalid';

/**
 * What the inspector adds beside the server's events (a watch's hit, a note, a health
 * sample): saved with the trace as an annotation line `{"line":kind,…}` (docs/trace-format.md)
 * and read back from it. `ts` places it among the events when it is saved.
 */
export interface Annotation {
  readonly line: string;
  readonly ts?: number;
  readonly [field: string]: unknown;
}

export interface Marker {
  readonly kind: MarkerKind;
  readonly ts: number;
  readonly conn: string;
  /** For a gap: when the connection came back (the gap spans ts..until). */
  readonly until?: number;
  readonly reason?: string;
  /** For an invalid event: the frame as received (secrets scrubbed), maybe shortened. */
  readonly frame?: string;
}

/** A batch of changes, fired at most once per `notifyIntervalMs`. */
export interface StoreChange {
  /** Sequence numbers appended in this batch (absent when nothing was appended). */
  readonly firstNewSeq?: number;
  readonly lastNewSeq?: number;
  /** Objects (still present) whose state, events or anomalies changed; includes added ones. */
  readonly changedObjects: ReadonlySet<string>;
  readonly addedObjects: ReadonlySet<string>;
  /**
   * Objects removed by eviction (all their events gone, and they had ended or are of no known
   * kind: "other"). A key can be in both `removedObjects` and `addedObjects` when the object
   * was removed and then created anew by a later event: apply removals first.
   */
  readonly removedObjects: ReadonlySet<string>;
  /** How many of the oldest events were evicted in this batch to stay within `maxEvents`. */
  readonly evicted: number;
  readonly markersChanged: boolean;
  /** An annotation was added, edited or removed by the user (a note): views that list them redraw. */
  readonly annotationsChanged?: boolean;
  /** `clear()` ran: drop everything you knew; what follows in this change is new data. */
  readonly cleared: boolean;
}

export interface EventStoreOptions {
  /** How events are understood (default: every era's tables, src/protocol/dialects). */
  vocabulary?: Vocabulary;
  /** Events kept before the oldest are evicted (default 1,000,000). */
  maxEvents?: number;
  /** Shortest time between two change notifications (default 100 ms). */
  notifyIntervalMs?: number;
}

export interface ObjectCounts {
  session: number;
  room: number;
  call: number;
  other: number;
}

/** An interned event type: `class/subclass/type` with '' for missing parts. */
export interface EventTypeInfo {
  readonly index: number;
  readonly name: string;
  readonly class: string;
  readonly subclass: string;
  readonly type: string;
  /** Listed in the store's vocabulary (src/protocol/dialects): its era's tables, or any era's. */
  readonly known: boolean;
}
