// Derives an object's state, relationships and anomalies from one event, at ingest. The store
// calls `applyEvent` once per event of a session, room or call with the event's canonical
// meaning (from the vocabulary: src/protocol/dialects), never with an era's type names; it
// never re-reads old events, which is why the derived state survives eviction.
import type { Body, EventMeaning, MemberRef, ObjectAttributes, Vocabulary } from '../protocol/dialects';
import { text } from '../protocol/dialects/meanings';
import type { ObjectRecord } from './objectRecord';
import { readSnapshot } from './snapshot';
import type { Anomaly } from './types';

/** What derivation needs from the store: other objects, and a way to report changes. */
export interface DerivationContext {
  readonly vocabulary: Vocabulary;
  /** The session object with this id, created (with no events yet) if it does not exist. */
  session(sessionId: string, ts: number, conn: string): ObjectRecord;
  existingSession(sessionId: string): ObjectRecord | undefined;
  /** A room by key (`media/room/ID`, `collab/room/ID`). */
  existingObject(key: string): ObjectRecord | undefined;
  /** Flags an anomaly on an object (and reports the object changed). */
  flag(target: ObjectRecord, anomaly: Anomaly): void;
  /** Reports that an object other than the event's own changed. */
  touch(target: ObjectRecord): void;
}

export function applyEvent(ctx: DerivationContext, obj: ObjectRecord, meaning: EventMeaning, body: Body, ts: number, seq: number): void {
  switch (meaning.effect) {
    case 'created':
      if (meaning.attributes) setAttributes(obj, meaning.attributes(body));
      break;
    case 'updated':
      setAttributes(obj, meaning.attributes(body));
      break;
    case 'ringing':
      obj.rang = true;
      if (!obj.ended && obj.state === 'created') obj.state = 'ringing';
      break;
    case 'answered':
      obj.answered = true;
      if (!obj.ended) obj.state = 'answered';
      break;
    case 'ended':
      end(ctx, obj, body, ts, seq);
      break;
    case 'memberJoined': {
      const member = meaning.member(body);
      if (member) memberJoined(ctx, obj, member, ts);
      break;
    }
    case 'memberLeft': {
      const member = meaning.member(body);
      if (member) memberLeft(ctx, obj, member, ts, seq);
      break;
    }
    case 'snapshot':
      applySnapshot(ctx, obj, body, ts);
      break;
    case 'none':
      break;
  }
}

/** Fills in what an event says about its object; a session's type may change over its life. */
function setAttributes(obj: ObjectRecord, attributes: ObjectAttributes): void {
  if (attributes.sessionType !== undefined && obj.kind === 'session') obj.sessionType = attributes.sessionType;
  if (attributes.roomClass !== undefined) obj.roomClass = attributes.roomClass;
  if (attributes.backend !== undefined) obj.backend = attributes.backend;
  if (attributes.user !== undefined && obj.user === undefined) obj.user = attributes.user;
}

const ENDED_STATE = { session: 'stopped', room: 'destroyed', call: 'hungup' } as const;

/** A terminal event: records how it ended, judged by the era's end-code tables. */
function end(ctx: DerivationContext, obj: ObjectRecord, body: Body, ts: number, seq: number): void {
  if (obj.kind === 'other') return;
  const unanswered = obj.kind === 'call' && obj.rang && !obj.answered;
  const code = body?.code;
  if (typeof code === 'number' || typeof code === 'string') obj.code = code;
  obj.reason = text(body?.reason) ?? obj.reason;
  const judgement = ctx.vocabulary.judgeEnd(obj.code, obj.reason);
  obj.endVerdict = judgement.verdict;
  obj.state = judgement.verdict === 'declined' ? 'declined' : ENDED_STATE[obj.kind];
  obj.ended = true;
  obj.endTs = ts;
  // The data did end without this event before, but it has come now (live data resumed).
  obj.removeAnomalies('no-terminal-event');
  if (judgement.verdict === 'fault') {
    const what = `${obj.kind === 'session' ? 'session stopped' : obj.kind === 'room' ? 'room destroyed' : 'call hung up'}${unanswered ? ' before it was answered' : ''}`;
    ctx.flag(obj, { kind: unanswered ? 'hangup-before-answer' : 'fault-end', seq, ts, message: `${what} with a fault: ${endText(obj)}` });
    // A failed publisher strands the listeners still watching it, in every room it published in.
    if (obj.kind === 'session') {
      for (const roomKey of obj.roomKeys) {
        const room = ctx.existingObject(roomKey);
        if (room?.publishers.has(obj.objId)) reportStrandedListeners(ctx, room, obj.objId, ts, seq);
      }
    }
  }
}

function memberJoined(ctx: DerivationContext, room: ObjectRecord, member: MemberRef, ts: number): void {
  if (room.kind !== 'room') return;
  const role = member.role ?? 'publisher';
  const members = role === 'publisher' ? room.mutablePublishers() : room.mutableListeners();
  members.set(member.memberId, { sessionId: member.sessionId, user: member.user, peer: role === 'listener' ? member.peer : undefined, joinedTs: ts });
  if (member.sessionId === undefined) return;
  const session = ctx.session(member.sessionId, ts, room.conn);
  session.joinedRoom(room.key);
  session.role = role;
  if (member.user !== undefined) session.user = member.user;
  if (role === 'listener' && member.peer !== undefined) session.peer = member.peer;
  ctx.touch(session);
}

function memberLeft(ctx: DerivationContext, room: ObjectRecord, member: MemberRef, ts: number, seq: number): void {
  if (room.kind !== 'room') return;
  // `stopped_member` carries the role given at join time; without one, where it is listed says.
  const role = member.role ?? (room.listeners.has(member.memberId) ? 'listener' : 'publisher');
  const members = role === 'publisher' ? room.mutablePublishers() : room.mutableListeners();
  const known = members.get(member.memberId);
  if (known) {
    known.leftTs = ts;
    if (known.user === undefined) known.user = member.user;
  } else {
    // It joined before the data we have: list it anyway, with no join time.
    members.set(member.memberId, { sessionId: member.sessionId, user: member.user, peer: role === 'listener' ? member.peer : undefined, leftTs: ts });
  }
  if (member.sessionId === undefined) return;
  const session = ctx.session(member.sessionId, ts, room.conn);
  session.joinedRoom(room.key);
  if (session.role === undefined) session.role = role;
  if (member.user !== undefined && session.user === undefined) session.user = member.user;
  ctx.touch(session);
  // A publisher leaves the room after its session failed: its listeners were stranded first.
  if (role === 'publisher' && session.endVerdict === 'fault') reportStrandedListeners(ctx, room, member.sessionId, ts, seq);
}

/**
 * A `get_info` reply about an object that existed before we connected: fills in what the
 * events have not told yet (they are newer than the snapshot, or as new).
 */
function applySnapshot(ctx: DerivationContext, obj: ObjectRecord, body: Body, ts: number): void {
  if (obj.kind === 'other') return;
  const snapshot = readSnapshot(obj.kind, body);
  obj.fromSnapshot = true;
  if (obj.kind === 'session' && obj.sessionType === undefined) obj.sessionType = snapshot.sessionType;
  if (obj.roomClass === undefined) obj.roomClass = snapshot.roomClass;
  if (obj.backend === undefined) obj.backend = snapshot.backend;
  if (obj.user === undefined) obj.user = snapshot.user;
  if (snapshot.answered && !obj.ended && (obj.state === 'created' || obj.state === 'ringing')) {
    obj.answered = true;
    obj.state = 'answered';
  }
  for (const member of snapshot.members) {
    const listed = obj.publishers.has(member.memberId) || obj.listeners.has(member.memberId);
    if (!listed) memberJoined(ctx, obj, member, ts);
  }
}

/** Flags every listener of the room still watching `publisherId` (once per pair). */
function reportStrandedListeners(ctx: DerivationContext, room: ObjectRecord, publisherId: string, ts: number, seq: number): void {
  for (const [listenerId, member] of room.listeners) {
    if (member.peer !== publisherId || member.leftTs !== undefined) continue;
    const listener = ctx.existingSession(listenerId);
    if (listener?.ended) continue; // it had stopped already, so it was no longer listening
    if (!room.firstPeerStopReport(listenerId, publisherId)) continue;
    ctx.flag(listener ?? ctx.session(listenerId, ts, room.conn), {
      kind: 'peer-stopped-first',
      seq,
      ts,
      message: `its publisher ${publisherId} failed while it was still listening in room ${room.objId}`,
    });
  }
}

/** `code 100011: User stop received` */
export function endText(obj: { code?: number | string; reason?: string }): string {
  if (obj.code === undefined) return obj.reason ?? 'no code';
  return `code ${obj.code}${obj.reason ? `: ${obj.reason}` : ''}`;
}
