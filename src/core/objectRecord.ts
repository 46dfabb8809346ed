// The store's mutable record of one object. It satisfies the read-only `ObjectState` the
// outside sees. Containers that only some kinds need (room members, anomalies, rooms) are
// created on first use: with 10,000 objects, empty Maps per object add up.
import type { EndVerdict } from '../protocol/dialects';
import type { SpanPhase } from './durations';
import type { Anomaly, ObjectKind, ObjectState, ObjectStateWord, RoomMember } from './types';

export interface MutableRoomMember {
  /** Absent when the member is not a media session (nkcollab 2016 members). */
  sessionId?: string;
  user?: string;
  peer?: string;
  joinedTs?: number;
  leftTs?: number;
}

const NO_MEMBERS: ReadonlyMap<string, RoomMember> = new Map();
const NO_STRINGS: readonly string[] = Object.freeze([]);
const NO_ANOMALIES: readonly Anomaly[] = Object.freeze([]);

export function objectKey(cls: string, subclass: string, objId: string): string {
  return `${cls}/${subclass}/${objId}`;
}

export function sessionKey(sessionId: string): string {
  return objectKey('media', 'session', sessionId);
}

export function roomKey(roomId: string): string {
  return objectKey('media', 'room', roomId);
}

/** A room member that is not a session (nkcollab 2016): a key no object has, ending in the member id. */
export function memberKey(roomKey: string, memberId: string): string {
  return `${roomKey}#member/${memberId}`;
}

export class ObjectRecord implements ObjectState {
  lastTs: number;
  eventCount = 0;
  state: ObjectStateWord;
  ended = false;
  endTs: number | undefined = undefined;
  code: number | string | undefined = undefined;
  reason: string | undefined = undefined;
  endVerdict: EndVerdict | undefined = undefined;
  fromSnapshot = false;
  sessionType: string | undefined = undefined;
  user: string | undefined = undefined;
  roomClass: string | undefined = undefined;
  backend: string | undefined = undefined;
  role: 'publisher' | 'listener' | undefined = undefined;
  peer: string | undefined = undefined;
  /**
   * Call: its `ringing` and its `answer` were seen (for 'hangup-before-answer', which needs
   * the call's start in the data: a trace that starts mid-call cannot tell).
   */
  rang = false;
  answered = false;
  /**
   * The span being measured (durations.ts): what began it and when. Two numbers rather than
   * a timestamp per milestone, and 0 (a small integer) until a span opens, so an object that
   * is never measured allocates nothing for it.
   */
  spanPhase: SpanPhase = 0;
  spanStartTs = 0;
  /**
   * What durations.ts measured of it, in ms, -1 until then: `openingMs` is a session's setup
   * or a call's time to answer, `lengthMs` a session's or call's length or a room's lifetime.
   * What a histogram bar's filter (`span:`) compares.
   */
  openingMs = -1;
  lengthMs = -1;
  /**
   * Oldest and newest stored event of this object (meaningless while eventCount is 0). The
   * events in between are chained through the store's `next` column: no per-object array,
   * because allocating one per object (typed arrays especially) dominated ingest time.
   */
  headSeq = 0;
  tailSeq = 0;
  /** The change batch this object was last reported in (see EventStore.touch). */
  notedInBatch = -1;
  private publisherMap: Map<string, MutableRoomMember> | undefined;
  private listenerMap: Map<string, MutableRoomMember> | undefined;
  private roomList: string[] | undefined;
  private anomalyList: Anomaly[] | undefined;
  /** Room: listener + '\n' + publisher pairs already flagged 'peer-stopped-first'. */
  private reportedPeerStops: Set<string> | undefined;

  constructor(
    readonly key: string,
    readonly index: number,
    readonly kind: ObjectKind,
    readonly cls: string,
    readonly subclass: string,
    readonly objId: string,
    readonly conn: string,
    readonly firstTs: number,
  ) {
    this.lastTs = firstTs;
    this.state = initialState(kind);
  }

  get class(): string {
    return this.cls;
  }

  get publishers(): ReadonlyMap<string, RoomMember> {
    return this.publisherMap ?? NO_MEMBERS;
  }

  get listeners(): ReadonlyMap<string, RoomMember> {
    return this.listenerMap ?? NO_MEMBERS;
  }

  get roomKeys(): readonly string[] {
    return this.roomList ?? NO_STRINGS;
  }

  get anomalies(): readonly Anomaly[] {
    return this.anomalyList ?? NO_ANOMALIES;
  }

  mutablePublishers(): Map<string, MutableRoomMember> {
    return (this.publisherMap ??= new Map());
  }

  mutableListeners(): Map<string, MutableRoomMember> {
    return (this.listenerMap ??= new Map());
  }

  joinedRoom(roomKey: string): void {
    const rooms = (this.roomList ??= []);
    if (!rooms.includes(roomKey)) rooms.push(roomKey);
  }

  addAnomaly(anomaly: Anomaly): void {
    (this.anomalyList ??= []).push(anomaly);
  }

  hasAnomaly(kind: Anomaly['kind']): boolean {
    return this.anomalyList !== undefined && this.anomalyList.some((a) => a.kind === kind);
  }

  /** Removes every anomaly of a kind; true if there was one. */
  removeAnomalies(kind: Anomaly['kind']): boolean {
    if (!this.anomalyList) return false;
    const kept = this.anomalyList.filter((a) => a.kind !== kind);
    if (kept.length === this.anomalyList.length) return false;
    this.anomalyList = kept;
    return true;
  }

  /** True the first time a listener/publisher pair is reported for this room. */
  firstPeerStopReport(listenerId: string, publisherId: string): boolean {
    const pair = `${listenerId}\n${publisherId}`;
    const reported = (this.reportedPeerStops ??= new Set());
    if (reported.has(pair)) return false;
    reported.add(pair);
    return true;
  }
}

function initialState(kind: ObjectKind): ObjectStateWord {
  switch (kind) {
    case 'session':
      return 'created';
    case 'room':
      return 'started';
    case 'call':
      return 'created';
    default:
      return 'active';
  }
}
