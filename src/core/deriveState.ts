// Derives an object's state, relationships and anomalies from one event, at ingest. The
// store calls `applyEvent` once per event of a session, room or call; it never re-reads old
// events, which is why the derived state survives eviction.
import type { ObjectRecord } from './objectRecord';
import type { Anomaly } from './types';

/** What derivation needs from the store: other objects, and a way to report changes. */
export interface DerivationContext {
  /** The session object with this id, created (with no events yet) if it does not exist. */
  session(sessionId: string, ts: number, conn: string): ObjectRecord;
  existingSession(sessionId: string): ObjectRecord | undefined;
  existingRoom(roomId: string): ObjectRecord | undefined;
  /** Flags an anomaly on an object (and reports the object changed). */
  flag(target: ObjectRecord, anomaly: Anomaly): void;
  /** Reports that an object other than the event's own changed. */
  touch(target: ObjectRecord): void;
}

type Body = Record<string, unknown> | undefined;

export function applyEvent(ctx: DerivationContext, obj: ObjectRecord, type: string, body: Body, ts: number, seq: number): void {
  switch (obj.kind) {
    case 'session':
      applySessionEvent(ctx, obj, type, body, ts, seq);
      break;
    case 'room':
      applyRoomEvent(ctx, obj, type, body, ts, seq);
      break;
    case 'call':
      applyCallEvent(ctx, obj, type, body, ts, seq);
      break;
    default:
      break;
  }
}

function applySessionEvent(ctx: DerivationContext, session: ObjectRecord, type: string, body: Body, ts: number, seq: number): void {
  switch (type) {
    case 'answer':
      if (!session.ended) session.state = 'answered';
      break;
    case 'updated_type': {
      const sessionType = text(body?.type);
      if (sessionType !== undefined) session.sessionType = sessionType;
      break;
    }
    case 'stop':
      end(ctx, session, 'stopped', body, ts, seq, 'session stopped');
      // Its listeners lose their stream: tell them, in every room it published in.
      for (const roomId of session.rooms) {
        const room = ctx.existingRoom(roomId);
        if (room?.publishers.has(session.objId)) reportStrandedListeners(ctx, room, session.objId, ts, seq);
      }
      break;
    default:
      break;
  }
}

function applyRoomEvent(ctx: DerivationContext, room: ObjectRecord, type: string, body: Body, ts: number, seq: number): void {
  switch (type) {
    case 'started':
      room.roomClass = text(body?.class) ?? room.roomClass;
      room.backend = text(body?.backend) ?? room.backend;
      break;
    case 'destroyed':
      end(ctx, room, 'destroyed', body, ts, seq, 'room destroyed');
      break;
    case 'started_publisher':
    case 'started_listener': {
      const sessionId = text(body?.session_id);
      if (sessionId === undefined) break;
      const role = type === 'started_publisher' ? 'publisher' : 'listener';
      const user = text(body?.user);
      const peer = role === 'listener' ? text(body?.peer) : undefined;
      const members = role === 'publisher' ? room.mutablePublishers() : room.mutableListeners();
      members.set(sessionId, { user, peer, joinedTs: ts });
      const session = ctx.session(sessionId, ts, room.conn);
      session.joinedRoom(room.objId);
      session.role = role;
      if (user !== undefined) session.user = user;
      if (peer !== undefined) session.peer = peer;
      ctx.touch(session);
      break;
    }
    case 'stopped_publisher':
    case 'stopped_listener': {
      const sessionId = text(body?.session_id);
      if (sessionId === undefined) break;
      const members = type === 'stopped_publisher' ? room.mutablePublishers() : room.mutableListeners();
      const member = members.get(sessionId);
      const user = text(body?.user);
      if (member) {
        member.leftTs = ts;
        if (member.user === undefined) member.user = user;
      } else {
        // It joined before the data we have: list it anyway, with no join time.
        members.set(sessionId, { user, leftTs: ts });
      }
      const session = ctx.session(sessionId, ts, room.conn);
      session.joinedRoom(room.objId);
      if (session.role === undefined) session.role = type === 'stopped_publisher' ? 'publisher' : 'listener';
      if (user !== undefined && session.user === undefined) session.user = user;
      ctx.touch(session);
      if (type === 'stopped_publisher') reportStrandedListeners(ctx, room, sessionId, ts, seq);
      break;
    }
    default:
      break;
  }
}

function applyCallEvent(ctx: DerivationContext, call: ObjectRecord, type: string, body: Body, ts: number, seq: number): void {
  switch (type) {
    case 'ringing':
      call.rang = true;
      break;
    case 'answer':
      call.answered = true;
      if (!call.ended) call.state = 'answered';
      break;
    case 'hangup': {
      const unanswered = call.rang && !call.answered;
      end(ctx, call, 'hungup', body, ts, seq, 'call hung up');
      if (unanswered) {
        ctx.flag(call, { kind: 'hangup-before-answer', seq, ts, message: `call hung up before it was answered${codeSuffix(call)}` });
      }
      break;
    }
    default:
      break;
  }
}

/** A terminal event: records how it ended and flags a non-zero code. */
function end(
  ctx: DerivationContext,
  obj: ObjectRecord,
  state: 'stopped' | 'destroyed' | 'hungup',
  body: Body,
  ts: number,
  seq: number,
  what: string,
): void {
  obj.state = state;
  obj.ended = true;
  obj.endTs = ts;
  const code = body?.code;
  if (typeof code === 'number' || typeof code === 'string') obj.code = code;
  obj.reason = text(body?.reason) ?? obj.reason;
  // The data did end without this event before, but it has come now (live data resumed).
  obj.removeAnomalies('no-terminal-event');
  if (obj.code !== undefined && !isZeroCode(obj.code)) {
    ctx.flag(obj, { kind: 'nonzero-code', seq, ts, message: `${what} with code ${obj.code}${obj.reason ? `: ${obj.reason}` : ''}` });
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
      message: `its publisher ${publisherId} stopped while it was still listening in room ${room.objId}`,
    });
  }
}

/** Servers send codes as numbers, and some as strings: "0" is a normal end too. */
export function isZeroCode(code: number | string): boolean {
  if (typeof code === 'number') return code === 0;
  const trimmed = code.trim();
  return trimmed !== '' && Number(trimmed) === 0;
}

function codeSuffix(obj: ObjectRecord): string {
  if (obj.code === undefined) return '';
  return ` (code ${obj.code}${obj.reason ? `: ${obj.reason}` : ''})`;
}

/** A body field shown as text: strings as they are, numbers converted, anything else ignored. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
