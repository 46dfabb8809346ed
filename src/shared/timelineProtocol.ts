// The messages between the timeline webview and the extension host, in one module imported
// by both sides (no `vscode`, no DOM types here).
//
// Flow: the webview says `ready`; the host answers `init` (lanes, types, connection gaps,
// the range of sequence numbers to fetch); the webview pulls the event marks in chunks with
// `requestMarks` (one request in flight: that is the flow control); afterwards the host
// pushes a `delta` at most once per store notification, and the webview pulls the new marks
// the same way. Nothing sends the whole store per update. The user's notes travel with their
// lanes (`Lane.notes`) and the selected event's details; "Bookmark…" asks the host to add one.
//
// Marks travel as typed arrays: VS Code transfers ArrayBuffers to webviews as binary (for
// extensions whose engine is >= 1.57), and browsers structured-clone them, so a chunk of
// 250,000 marks costs a few copies of 3.5 MB instead of a JSON round trip (see the
// `encodings` figures of `npm run bench -- timeline`).
//
// The webview is untrusted: the host validates everything that comes back with the zod
// schema `fromWebviewSchema` before acting on it.
import { z } from 'zod';
import type { FilterFields } from './filterSyntax';

export type LaneKind = 'session' | 'room' | 'call' | 'other';
export const LANE_KINDS: readonly LaneKind[] = ['session', 'room', 'call', 'other'];

/** The same shape as the core's EventFilter (kept here so the webview needs no core import). */
export type TimelineFilter = FilterFields;

export interface LaneAnomaly {
  readonly kind: string;
  readonly ts: number;
  readonly message: string;
  readonly seq?: number;
}

/** A user's note on a lane's object or on one of its events (src/core/notes.ts): a flag at `ts`. */
export interface LaneNote {
  readonly ts: number;
  readonly text: string;
  /** On an event of this type; absent: on the object. */
  readonly eventType?: string;
}

/** A room's publisher or listener, as a sub-row of the room's lane. */
export interface LaneMember {
  /** The member's id in the room: its session id (nkcollab 2016: its member id). */
  readonly sessionId: string;
  /** Object key of the member's session (the lane to link to); absent when it is not a session. */
  readonly sessionKey?: string;
  readonly role: 'publisher' | 'listener';
  readonly user?: string;
  /** For a listener: the publisher session id it watches. */
  readonly peer?: string;
  readonly joinedTs?: number;
  readonly leftTs?: number;
}

/** One object's row on the timeline. */
export interface Lane {
  /** The store's object index: stable for the object's life, used by marks. */
  readonly id: number;
  readonly key: string;
  readonly kind: LaneKind;
  readonly objId: string;
  /** 'class/subclass' for 'other' objects, else the kind. */
  readonly what: string;
  readonly state: string;
  /** A short description: session type or room class, user. */
  readonly detail: string;
  readonly startTs: number;
  readonly lastTs: number;
  /** Set once the object ended (stop, destroyed, hangup); absent while it is alive. */
  readonly endTs?: number;
  /** The stop/hangup/destroyed code, as text. */
  readonly code?: string;
  readonly reason?: string;
  /** It ended with a fault (the era's end-code tables say so: endVerdict 'fault'). */
  readonly failed: boolean;
  /** How it ended: normal, declined (a call not taken) or a fault; absent while alive. */
  readonly endVerdict?: 'normal' | 'declined' | 'fault';
  readonly anomalies: readonly LaneAnomaly[];
  /** The user's notes on it, by time; absent when it has none. */
  readonly notes?: readonly LaneNote[];
  readonly members: readonly LaneMember[];
  /** Listener session: the object key of the publisher session it watches. */
  readonly peerKey?: string;
  readonly eventCount: number;
}

export interface TimelineEventType {
  readonly index: number;
  /** 'class/subclass/type'. */
  readonly name: string;
  readonly subclass: string;
  readonly type: string;
  readonly known: boolean;
  /**
   * What events of this type do to their object, in the server's era (src/protocol/dialects):
   * created, ended, answered, ringing, updated, memberJoined, memberLeft, snapshot, none;
   * absent for a type no era's tables list.
   */
  readonly effect?: string;
}

/** A stretch of time without a connection: a gap (ts..until) or a disconnect (open if `to` is absent). */
export interface ConnectionSpan {
  readonly from: number;
  readonly to?: number;
  readonly reason?: string;
}

/**
 * One window of connection health (a `health` sample, src/core/healthSummary.ts): the
 * strip under the time axis draws the answer latency's p99 against the server's 5 s rule.
 */
export interface HealthPoint {
  readonly from: number;
  readonly to: number;
  readonly p99Us?: number;
  readonly maxUs?: number;
  readonly eventsPerSecond: number;
  readonly pings: number;
}

/**
 * Marks in columnar form: event i has time ts[i], lane (object index) lane[i], type index
 * type[i]. Sequence numbers are firstSeq, firstSeq+1, … unless `seq` is given (a filter
 * left holes).
 */
export interface MarkChunk {
  readonly count: number;
  readonly firstSeq: number;
  readonly ts: Float64Array;
  readonly lane: Uint32Array;
  readonly type: Uint16Array;
  readonly seq?: Float64Array;
}

export interface SourceInfo {
  readonly id: string;
  readonly name: string;
  readonly live: boolean;
  /** 'connected', 'disconnected', 'loaded'… */
  readonly status: string;
  /** Host clock when the message was made, to extend live bars to "now". */
  readonly now: number;
  /** The latest time the data covers (last event or marker). */
  readonly dataEndTs: number;
  /** The connection is up: bars of live objects grow to now. */
  readonly growing: boolean;
}

export type ToWebview =
  | {
      readonly type: 'init';
      readonly source: SourceInfo;
      readonly lanes: readonly Lane[];
      readonly types: readonly TimelineEventType[];
      readonly connection: readonly ConnectionSpan[];
      readonly health: readonly HealthPoint[];
      readonly filter: TimelineFilter;
      /** Marks to fetch: sequence numbers after `fromSeq - 1` up to `lastSeq`. */
      readonly fromSeq: number;
      readonly lastSeq: number;
      /** Incremented by every init: replies to older requests are ignored. */
      readonly generation: number;
    }
  | {
      readonly type: 'marks';
      readonly generation: number;
      readonly chunk: MarkChunk;
      /** The last sequence number scanned: ask again after it. */
      readonly cursor: number;
      readonly lastSeq: number;
    }
  | {
      readonly type: 'delta';
      readonly generation: number;
      readonly source: SourceInfo;
      readonly lanes: readonly Lane[];
      readonly removedLanes: readonly number[];
      /** Types first seen since the last message. */
      readonly types: readonly TimelineEventType[];
      readonly connection?: readonly ConnectionSpan[];
      /** Every health window, when one was added since the last message. */
      readonly health?: readonly HealthPoint[];
      /** Oldest stored sequence number: marks before it were evicted. */
      readonly firstSeq: number;
      readonly lastSeq: number;
    }
  | {
      readonly type: 'eventDetails';
      readonly seq: number;
      readonly objectKey: string;
      readonly ts: number;
      readonly typeName: string;
      /** Pretty-printed JSON: shown as text, never as HTML. */
      readonly json: string;
      /** The user's notes on this event (as text); absent when it has none. */
      readonly notes?: readonly string[];
    }
  | { readonly type: 'eventMissing'; readonly seq: number; readonly message: string }
  | { readonly type: 'excerpt'; readonly seq: number; readonly text: string }
  | {
      readonly type: 'center';
      readonly laneId?: number;
      readonly seq?: number;
      readonly ts?: number;
      /** With `ts`: an object's life (ts..endTs), shown whole and centred rather than its start. */
      readonly endTs?: number;
    }
  | { readonly type: 'sourceGone'; readonly sourceId: string; readonly message: string }
  /**
   * Sent once, before `init` or `sourceGone`, to a panel the serializer restored: the view
   * state VS Code saved for it. The webview applies it unless it has a state of its own (after
   * a window reload both are the same; a panel restored by other means has only this one).
   */
  | { readonly type: 'restoreView'; readonly state: TimelineViewState };

// ---- from the webview (untrusted: validated on the host) ----

const MAX_TEXT = 500;
const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const shortText = z.string().max(MAX_TEXT);

export const timelineFilterSchema = z.object({
  text: shortText.optional(),
  types: z.array(shortText).max(200).optional(),
  subclasses: z.array(shortText).max(200).optional(),
  users: z.array(shortText).max(200).optional(),
  span: shortText.optional(),
});

/** The small view state the webview keeps with setState; the serializer reads `sourceId`. */
export const viewStateSchema = z.object({
  sourceId: z.string().max(MAX_TEXT),
  viewStart: z.number().optional(),
  viewEnd: z.number().optional(),
  scrollTop: z.number().optional(),
  follow: z.boolean().optional(),
  collapsed: z.array(z.string().max(MAX_TEXT)).max(20_000).optional(),
  relativeTo: z.string().max(MAX_TEXT).optional(),
  selectedSeq: seqSchema.optional(),
});
export type TimelineViewState = z.infer<typeof viewStateSchema>;

export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('requestMarks'), generation: z.number().int(), afterSeq: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER) }),
  // `reveal: false`: only show its details (a page reloaded after a tab switch brings back
  // its selection; it must not move the tree's selection again).
  z.object({ type: z.literal('selectEvent'), seq: seqSchema, reveal: z.boolean().optional() }),
  z.object({ type: z.literal('requestExcerpt'), seq: seqSchema }),
  z.object({ type: z.literal('setFilter'), filter: timelineFilterSchema }),
  // What the view shows, whenever it saves it with setState: the host can tell what a
  // timeline is looking at (the API's viewStateOf) without asking the webview.
  z.object({ type: z.literal('viewState'), state: viewStateSchema }),
  // "Bookmark…" in the details pane: the host asks for the note's text (never the page).
  z.object({ type: z.literal('bookmark'), seq: seqSchema }),
]);
export type FromWebview = z.infer<typeof fromWebviewSchema>;

/** Marks per `marks` reply: large enough for few round trips, small enough to keep frames smooth. */
export const MARKS_PER_CHUNK = 250_000;
