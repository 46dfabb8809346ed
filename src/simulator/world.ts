// The simulated server's live objects, in one canonical model shared by every era: the
// lifecycle scripts change them, the era writers turn each change into that era's events, and
// the snapshot commands (`list`/`get_list`, `info`/`get_info`) read them.
import type { EventData } from '../protocol/frames';

export type SessionRole = 'publisher' | 'listener';

export interface SimSession {
  readonly id: string;
  readonly user: string;
  /** The SDP of its answer, once answered. */
  sdp?: string;
  answered: boolean;
  stopped: boolean;
  /**
   * On its way out of its room: a publisher that new listeners must not pick, a listener that
   * is leaving (by itself, or stopped by the room because its publisher failed).
   */
  leaving: boolean;
  /** Session type (`park`, `echo`, `publish`, `listen`…) and its extra fields. */
  type: string;
  typeExt: Record<string, unknown>;
  /** Set while the session is a member of a room. */
  roomId?: string;
  role?: SessionRole;
  /** A listener: the publisher session it watches. */
  publisherId?: string;
  /** A member of an nkcollab develop room: the connection that added it. */
  connId?: string;
  /** nkcollab develop rooms: when it joined and left, in µs (nklib_util:l_timestamp), on the simulator's clock. */
  startedTime?: number;
  stoppedTime?: number;
}

export interface SimRoom {
  readonly id: string;
  readonly class: 'sfu';
  readonly backend: 'nkmedia_janus';
  readonly audioCodec: string;
  readonly videoCodec: string;
  readonly bitrate: number;
  readonly publishers: Map<string, SimSession>;
  /** Listener session id → the listener (its publisherId names the publisher it watches). */
  readonly listeners: Map<string, SimSession>;
  /** Member scripts still running. */
  members: number;
  /** nkcollab: a collab room (class collab), not a media room. */
  readonly collab: boolean;
}

export interface CollabMember {
  /** nkcollab 2016 numbers members 1, 2, 3… per room (nkcollab@c0119d7:src/room/nkcollab_room.erl:67). */
  readonly memberId: number;
  readonly user: string;
  readonly role: 'presenter' | 'viewer';
}

export interface SimCollabRoom2016 {
  readonly id: string;
  readonly audioCodec: string;
  readonly videoCodec: string;
  readonly bitrate: number;
  readonly members: Map<number, CollabMember>;
  nextMemberId: number;
  running: number;
}

export interface SimCall {
  readonly id: string;
  readonly caller: string;
  readonly callee: string;
  readonly collab: boolean;
  answered: boolean;
  sdp?: string;
}

/** Why an object ended, in the simulator's own words; each era names it with its own atom. */
export type EndKind =
  /** A session stopped through the API (user_stop in every era). */
  | 'normal'
  /** A session that failed (backend down, timeout…): a fault. */
  | 'failure'
  /** A listener stopped by its room because its publisher left. */
  | 'publisherGone'
  /** A room destroyed through the API. */
  | 'roomNormal'
  /** A room stopped by its backend because nobody was left in it. */
  | 'roomEmpty'
  /** A call hung up after its answer. */
  | 'callNormal'
  | 'callRejected'
  | 'ringTimeout'
  | 'noAnswer'
  | 'originatorCancel'
  /** A call that failed before its answer: a fault. */
  | 'callFailure';

export interface End {
  readonly kind: EndKind;
  /** Picks among the era's atoms for the kind (e.g. which failure); 0 ≤ variant < 1. */
  readonly variant: number;
}

/**
 * One change of the world, as the scripts report it. `before` on room changes: the sessions in
 * the room just before the change (July 2016 copies each room event to them).
 */
export type Step =
  | { readonly kind: 'session.created'; readonly session: SimSession }
  | { readonly kind: 'session.answered'; readonly session: SimSession }
  | { readonly kind: 'session.type'; readonly session: SimSession }
  | { readonly kind: 'session.candidate'; readonly session: SimSession; readonly mid: string; readonly index: number; readonly line: string }
  | { readonly kind: 'session.candidateEnd'; readonly session: SimSession }
  | { readonly kind: 'session.info'; readonly session: SimSession; readonly info: string }
  | { readonly kind: 'session.status'; readonly session: SimSession; readonly status: Record<string, unknown> }
  | { readonly kind: 'session.ended'; readonly session: SimSession; readonly end: End }
  | { readonly kind: 'room.created'; readonly room: SimRoom }
  | { readonly kind: 'room.joined'; readonly room: SimRoom; readonly session: SimSession; readonly before: readonly SimSession[] }
  | { readonly kind: 'room.left'; readonly room: SimRoom; readonly session: SimSession; readonly before: readonly SimSession[] }
  | { readonly kind: 'room.info'; readonly room: SimRoom; readonly info: string }
  | { readonly kind: 'room.destroyed'; readonly room: SimRoom; readonly end: End }
  | { readonly kind: 'collabRoom.created'; readonly room: SimCollabRoom2016 }
  | { readonly kind: 'collabRoom.joined'; readonly room: SimCollabRoom2016; readonly member: CollabMember }
  | { readonly kind: 'collabRoom.left'; readonly room: SimCollabRoom2016; readonly member: CollabMember }
  | { readonly kind: 'collabRoom.destroyed'; readonly room: SimCollabRoom2016; readonly end: End }
  | { readonly kind: 'call.created'; readonly call: SimCall }
  | { readonly kind: 'call.ringing'; readonly call: SimCall }
  | { readonly kind: 'call.answered'; readonly call: SimCall }
  | { readonly kind: 'call.ended'; readonly call: SimCall; readonly end: End }
  /** An event no era sends, passed on as it is (option `unknownTypes`). */
  | { readonly kind: 'unknown'; readonly event: EventData };

/** The live objects, for the snapshot commands. */
export class World {
  readonly sessions = new Map<string, SimSession>();
  /** Media rooms and nkcollab develop rooms (`collab` tells them apart). */
  readonly rooms = new Map<string, SimRoom>();
  readonly collabRooms2016 = new Map<string, SimCollabRoom2016>();
  readonly calls = new Map<string, SimCall>();
}
