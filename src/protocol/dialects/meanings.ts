// The event meanings the era tables are built from, with the body readers behind them. Where
// two eras name a field differently (a listener's publisher is `publisher` in July 2016,
// `peer` on 19 Aug, `peer_id` from 25 Aug; a member's user is `user`, later `user_id`), the
// reader takes whichever is there: the same name never means two things across eras, so one
// reader serves every era that sends the type.
import type { Body, EventMeaning, MemberRef, MemberRole, ObjectAttributes } from './types';

/** A body field shown as text: strings as they are, numbers converted, anything else ignored. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The first of `fields` that the body has as text. */
function firstText(body: Body, fields: readonly string[]): string | undefined {
  if (body === undefined) return undefined;
  for (const field of fields) {
    const value = text(body[field]);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

const USER_FIELDS = ['user', 'user_id'] as const;

export const NONE: EventMeaning = { effect: 'none' };
export const ANSWERED: EventMeaning = { effect: 'answered' };
export const RINGING: EventMeaning = { effect: 'ringing' };
export const ENDED: EventMeaning = { effect: 'ended' };
export const SNAPSHOT: EventMeaning = { effect: 'snapshot' };
export const CREATED: EventMeaning = { effect: 'created' };

/** Session `created` (develop): its get_info, with type and user_id. */
export const SESSION_CREATED: EventMeaning = { effect: 'created', attributes: sessionAttributes };
/** Session `updated_type` / `type`: the body is the type's extra fields plus `type`. */
export const SESSION_TYPE: EventMeaning = { effect: 'updated', attributes: sessionAttributes };
/** Room creation: `started` {class, backend} (Aug–Sep 2016) or `created` (later). */
export const ROOM_CREATED: EventMeaning = { effect: 'created', attributes: roomAttributes };

export function sessionAttributes(body: Body): ObjectAttributes {
  return { sessionType: firstText(body, ['type']), user: firstText(body, USER_FIELDS) };
}

export function roomAttributes(body: Body): ObjectAttributes {
  return { roomClass: firstText(body, ['class']), backend: firstText(body, ['backend']) };
}

/**
 * A member event whose role is in its type name (`started_publisher`, `stopped_listener`).
 * The member is `session_id`, or in July 2016 `publisher` / `listener`; a listener's
 * publisher is `peer_id`, `peer`, `publisher_id` (nkcollab develop) or, in July, `publisher`.
 */
export function roleMember(role: MemberRole): (body: Body) => MemberRef | undefined {
  const selfFields = role === 'publisher' ? ['session_id', 'publisher'] : ['session_id', 'listener'];
  return (body) => {
    const sessionId = firstText(body, selfFields);
    if (sessionId === undefined) return undefined;
    const member: MemberRef = { memberId: sessionId, sessionId, role, user: firstText(body, USER_FIELDS) };
    if (role === 'listener') member.peer = firstText(body, ['peer_id', 'peer', 'publisher_id', 'publisher']);
    return member;
  };
}

/** `started_member` / `stopped_member` (from 28 Sep 2016): `{session_id, role, user_id, peer_id}`. */
export function roleInBodyMember(body: Body): MemberRef | undefined {
  const sessionId = firstText(body, ['session_id']);
  if (sessionId === undefined) return undefined;
  const member: MemberRef = { memberId: sessionId, sessionId, role: roleOf(firstText(body, ['role', 'type'])), user: firstText(body, USER_FIELDS) };
  const peer = firstText(body, ['peer_id', 'publisher_id']);
  if (peer !== undefined) member.peer = peer;
  return member;
}

/**
 * nkcollab 2016 rooms: members are users of the room (`member_id`, role presenter or viewer),
 * not media sessions, and their events name no session.
 */
export function collabMember(body: Body): MemberRef | undefined {
  const memberId = firstText(body, ['member_id']);
  if (memberId === undefined) return undefined;
  return { memberId, role: roleOf(firstText(body, ['role'])), user: firstText(body, USER_FIELDS) };
}

function roleOf(value: string | undefined): MemberRole | undefined {
  switch (value) {
    case 'publisher':
    case 'publish':
    case 'presenter':
      return 'publisher';
    case 'listener':
    case 'listen':
    case 'viewer':
      return 'listener';
    default:
      return undefined;
  }
}

export function joined(member: (body: Body) => MemberRef | undefined): EventMeaning {
  return { effect: 'memberJoined', member };
}

export function left(member: (body: Body) => MemberRef | undefined): EventMeaning {
  return { effect: 'memberLeft', member };
}

export const PUBLISHER_JOINED = joined(roleMember('publisher'));
export const PUBLISHER_LEFT = left(roleMember('publisher'));
export const LISTENER_JOINED = joined(roleMember('listener'));
export const LISTENER_LEFT = left(roleMember('listener'));
export const MEMBER_JOINED = joined(roleInBodyMember);
export const MEMBER_LEFT = left(roleInBodyMember);
