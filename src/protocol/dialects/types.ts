// What differs between the NkSERVICE / NkMEDIA servers of each era (docs/protocol.md), as
// data: one `Dialect` per era. The client reads its login, frame and keepalive rules; the
// event store reads its vocabulary (which maps each era's class/subclass/type and body
// fields onto one canonical model) and its end codes. Nothing outside this folder branches
// on an era's event names.

/** The server generations the inspector knows, by the date their sources are from. */
export type EraId = '2016-07' | '2016-08' | '2016-10' | '2017';
/** An era, or nkcollab (calls and rooms of class `collab`) on top of the era it ran on. */
export type DialectId = EraId | 'nkcollab-2016' | 'nkcollab-2017';
/** What a user may set: a dialect, or `auto` (detected from the login and the first frames). */
export type DialectSetting = 'auto' | DialectId;

export const DIALECT_IDS: readonly DialectId[] = ['2016-07', '2016-08', '2016-10', '2017', 'nkcollab-2016', 'nkcollab-2017'];
export const DIALECT_SETTINGS: readonly DialectSetting[] = ['auto', ...DIALECT_IDS];

/** The object kinds the inspector derives state for. */
export type TrackedKind = 'session' | 'room' | 'call';

/** How an object ended: only faults are anomalies. */
export type EndVerdict = 'normal' | 'declined' | 'fault';

export type Body = Record<string, unknown> | undefined;

/** Attributes an event tells about its object. */
export interface ObjectAttributes {
  /** Session: its type (`publish`, `listen`, `echo`, `park`…). */
  sessionType?: string;
  /** Room: its class (`sfu`). */
  roomClass?: string;
  /** Room: its backend (`nkmedia_janus`). */
  backend?: string;
  user?: string;
}

export type MemberRole = 'publisher' | 'listener';

/** A member of a room, as a room event names it. */
export interface MemberRef {
  /** Key of the member in the room: the session id, or (nkcollab 2016) the member id. */
  memberId: string;
  /** The media session of the member, when the event names one. */
  sessionId?: string;
  role?: MemberRole;
  user?: string;
  /** Listener: the session id of the publisher it watches. */
  peer?: string;
}

/** What a room snapshot (`get_info` / `info` reply) says. */
export interface RoomSnapshot extends ObjectAttributes {
  members: MemberRef[];
}

/**
 * The canonical meaning of one event type. The store derives state from these, never from
 * the type names; body readers turn an era's fields into canonical ones.
 */
export type EventMeaning =
  /** The object exists (sessions and calls of later eras, rooms in every era). */
  | { readonly effect: 'created'; readonly attributes?: (body: Body) => ObjectAttributes }
  /** The object changed type or attributes (session `updated_type` / `type`). */
  | { readonly effect: 'updated'; readonly attributes: (body: Body) => ObjectAttributes }
  | { readonly effect: 'ringing' }
  /** A session got its answer, a call was answered or accepted. */
  | { readonly effect: 'answered' }
  /** The object's terminal event; its body carries `code` and `reason`. */
  | { readonly effect: 'ended' }
  | { readonly effect: 'memberJoined'; readonly member: (body: Body) => MemberRef | undefined }
  | { readonly effect: 'memberLeft'; readonly member: (body: Body) => MemberRef | undefined }
  /** The inspector's own record of a `get_info` reply (see snapshot.ts). */
  | { readonly effect: 'snapshot' }
  /** Known, and changes nothing the inspector derives (candidates, info, status…). */
  | { readonly effect: 'none' };

/** One (class, subclass): the kind of its objects and the meaning of each type. */
export interface SubclassVocabulary {
  readonly kind: TrackedKind | 'other';
  readonly types: Readonly<Record<string, EventMeaning>>;
}

/** class -> subclass -> vocabulary. */
export type VocabularyTable = Readonly<Record<string, Readonly<Record<string, SubclassVocabulary>>>>;

/** One entry of an era's error-code table: `error_code(Atom) -> {Code, Text}`. */
export interface CodeEntry {
  readonly atom: string;
  readonly code: number;
  /** As the server formats it; `~s` / `~p` stand for an inserted value. */
  readonly text: string;
}

/** The snapshot commands of an era: which `subclass/cmd` lists objects and reads one. */
export interface SnapshotCommands {
  readonly class: 'media' | 'collab';
  readonly subclass: 'session' | 'room' | 'call';
  readonly list: string;
  readonly info: string;
  /** The `info` request's id field (`session_id`, `room_id`, `call_id`, or `id` in July 2016). */
  readonly idField: string;
}

export interface Dialect {
  readonly id: DialectId;
  readonly era: EraId;
  /** e.g. `NkMEDIA Oct 2016 (master)`. */
  readonly label: string;
  /** The sources the tables were read from (repo@commit). */
  readonly sources: readonly string[];
  readonly login: {
    /** 2016 servers send `{ack}` before the login reply; develop does not. */
    readonly acksFirst: boolean;
  };
  /** Which event frame shapes the era's servers send. */
  readonly frames: {
    /** `{class:"core", cmd:"event", data, tid}`: must be answered within `answerTimeoutMs`. */
    readonly eventRequests: boolean;
    /** `{class:"event", data}`: no tid, no answer. */
    readonly eventMessages: boolean;
  };
  readonly keepalive: {
    /** The server closes a connection that neither sent nor received a frame for this long. */
    readonly idleTimeoutMs: number;
    /** A server request (event, ping) unanswered for this long closes the connection. */
    readonly answerTimeoutMs: number;
    /** Seconds between the server's own `core/ping` requests, when it sends them unprompted. */
    readonly serverPingSeconds?: number;
  };
  /** `true`: error replies carry the error atom as a string code (develop, from 2017-01-26). */
  readonly stringErrorCodes: boolean;
  /** Error codes shared by replies and event bodies (`destroyed`, `hangup`). */
  readonly codes: readonly CodeEntry[];
  /** Codes the era gives to many reasons at once: only the reason text can tell them apart. */
  readonly ambiguousCodes: readonly number[];
  readonly vocabulary: VocabularyTable;
  /** Snapshot commands, tried in order (an era may have none for a subclass). */
  readonly snapshots: readonly SnapshotCommands[];
  /** nkcollab's calls and rooms (class `collab`) are expected. */
  readonly collab: boolean;
}
