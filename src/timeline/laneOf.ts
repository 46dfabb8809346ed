// Turns one of the store's objects into the timeline's lane: plain data the webview can draw
// (lifetime, end code, anomalies, room members, the publisher a listener watches).
import { objectKey, type Note, type ObjectState, type RoomMember } from '../core';
import type { Lane, LaneMember } from '../shared/timelineProtocol';

/** `notes`: the object's notes (notesOfObject), drawn as flags on its lane. */
export function laneOf(object: ObjectState, notes: readonly Note[] = []): Lane {
  const code = object.code === undefined ? undefined : String(object.code);
  return {
    id: object.index,
    key: object.key,
    kind: object.kind,
    objId: object.objId,
    what: object.kind === 'other' ? `${object.class}/${object.subclass || '(none)'}` : object.kind,
    state: object.state,
    detail: detailOf(object),
    startTs: object.firstTs,
    lastTs: object.lastTs,
    endTs: object.ended ? (object.endTs ?? object.lastTs) : undefined,
    code,
    reason: object.reason,
    failed: object.endVerdict === 'fault',
    endVerdict: object.endVerdict,
    anomalies: object.anomalies.map((a) => ({ kind: a.kind, ts: a.ts, message: a.message, seq: a.seq })),
    ...(notes.length > 0 ? { notes: notes.map((n) => ({ ts: n.ts, text: n.text, ...(n.eventType !== undefined ? { eventType: n.eventType } : {}) })) } : {}),
    members: object.kind === 'room' ? membersOf(object) : [],
    peerKey: object.kind === 'session' && object.role === 'listener' && object.peer ? objectKey('media', 'session', object.peer) : undefined,
    eventCount: object.eventCount,
  };
}

function detailOf(object: ObjectState): string {
  const parts: string[] = [];
  if (object.kind === 'session') {
    if (object.sessionType) parts.push(object.sessionType);
    if (object.role) parts.push(object.role);
  }
  if (object.kind === 'room' && object.roomClass) parts.push(object.roomClass);
  if (object.user) parts.push(object.user);
  return parts.join(' · ');
}

/** Publishers first, then listeners, each in join order (members who only left go last). */
function membersOf(room: ObjectState): LaneMember[] {
  const members: LaneMember[] = [];
  const add = (role: LaneMember['role'], map: ReadonlyMap<string, RoomMember>) => {
    for (const [memberId, m] of map) {
      members.push({
        sessionId: memberId,
        sessionKey: m.sessionId === undefined ? undefined : objectKey('media', 'session', m.sessionId),
        role,
        user: m.user,
        peer: m.peer,
        joinedTs: m.joinedTs,
        leftTs: m.leftTs,
      });
    }
  };
  add('publisher', room.publishers);
  add('listener', room.listeners);
  const order = (m: LaneMember) => (m.role === 'publisher' ? 0 : 1);
  return members.sort((a, b) => order(a) - order(b) || (a.joinedTs ?? a.leftTs ?? 0) - (b.joinedTs ?? b.leftTs ?? 0));
}
