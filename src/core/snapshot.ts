// Reads a snapshot: the `get_info` (or, before Oct 2016, `info`) reply the client fetched on
// connect about an object that already existed, stored as an `inspector:snapshot` event whose
// body is the reply's data as received. The shapes differ by era; the readers take whichever
// fields are there (docs/protocol.md, "Snapshots"):
//   session  Aug 2016: {type, user_id, peer…}; Oct 2016 / develop: {type, user_id, answer…}
//   room     July 2016: {publish: [ids], listen: {listener: publisher}}
//            Aug 2016: {class, backend, publishers: {id: opts}, listeners: {id: {peer…}}}
//            Oct 2016 / develop: {class, backend, members: {id: {role, user_id, peer_id}}}
import type { Body, MemberRef, MemberRole, RoomSnapshot } from '../protocol/dialects';
import { text } from '../protocol/dialects/meanings';

export interface SnapshotReading extends RoomSnapshot {
  sessionType?: string;
  /** The session (or call) had its answer when the snapshot was taken. */
  answered: boolean;
}

export function readSnapshot(kind: 'session' | 'room' | 'call', body: Body): SnapshotReading {
  const reading: SnapshotReading = { members: [], answered: false };
  if (body === undefined) return reading;
  reading.user = text(body.user_id) ?? text(body.user);
  if (kind === 'session') {
    reading.sessionType = text(body.type);
    reading.answered = isObject(body.answer) && Object.keys(body.answer).length > 0;
    return reading;
  }
  if (kind === 'call') {
    reading.answered = text(body.status) === 'accepted' || isObject(body.answer);
    return reading;
  }
  reading.roomClass = text(body.class);
  reading.backend = text(body.backend);
  if (isObject(body.members)) {
    for (const [id, info] of Object.entries(body.members)) reading.members.push(memberOf(id, isObject(info) ? info : {}, undefined));
  }
  if (isObject(body.publishers)) for (const [id, info] of Object.entries(body.publishers)) reading.members.push(memberOf(id, isObject(info) ? info : {}, 'publisher'));
  if (isObject(body.listeners)) for (const [id, info] of Object.entries(body.listeners)) reading.members.push(memberOf(id, isObject(info) ? info : {}, 'listener'));
  if (Array.isArray(body.publish)) for (const id of body.publish) if (typeof id === 'string') reading.members.push({ memberId: id, sessionId: id, role: 'publisher' });
  if (isObject(body.listen)) {
    for (const [id, publisher] of Object.entries(body.listen)) reading.members.push({ memberId: id, sessionId: id, role: 'listener', peer: text(publisher) });
  }
  return reading;
}

function memberOf(id: string, info: Record<string, unknown>, listedAs: MemberRole | undefined): MemberRef {
  const declared = text(info.role);
  const role: MemberRole = listedAs ?? (declared === 'listener' || declared === 'listen' ? 'listener' : 'publisher');
  const member: MemberRef = { memberId: id, sessionId: id, role, user: text(info.user_id) ?? text(info.user) };
  if (role === 'listener') member.peer = text(info.peer_id) ?? text(info.peer) ?? text(info.publisher_id);
  return member;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
