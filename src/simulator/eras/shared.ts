// What every era writer shares: the writer's interface, event construction, and how an end
// of the simulator's own kind becomes the era's `{code, reason}`.
import type { Dialect, EraId } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { End, EndKind, SimSession, Step, World } from '../world';
import { endBody, type EndBody } from './codes';

/** The reply to a snapshot command: its data, or the reason atom of an error. */
export type CommandReply = { readonly ok: Record<string, unknown> | unknown[] } | { readonly error: string; readonly args?: readonly string[] };

/** The objects an era's servers have, for the traffic generator. */
export interface EraFeatures {
  /** media/call (the nkmedia call plugin, Jul–Oct 2016; gone from nkmedia develop). */
  readonly mediaCalls: boolean;
  /** collab/call. */
  readonly collabCalls: boolean;
  /** collab/room: members of 2016 (member ids, presenter/viewer) or develop (media sessions). */
  readonly collabRooms: '2016' | '2017' | false;
  /** Session `candidate` / `candidate_end` events (from 29 Sep 2016). */
  readonly candidates: boolean;
  /** Session `updated_status` events (develop). */
  readonly sessionStatus: boolean;
  /** Room `info` events (develop; nkmedia@2448086 on master). */
  readonly roomInfo: boolean;
}

export interface EraWriter {
  readonly dialect: Dialect;
  readonly features: EraFeatures;
  /** Appends the era's events for one change of the world (none when the era is silent about it). */
  write(step: Step, out: EventData[]): void;
  /**
   * Answers a snapshot command (`media/session/get_list`…) from the live objects, or
   * undefined when the era has no such command (the server answers unknown_command).
   */
  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined;
}

/**
 * An event's data as nkservice sends it: body left out when empty, in both eras
 * (nkservice@79bf10d:src/nkservice_api_server.erl:429-432; nkservice@ee00943:src/nkservice_api_server.erl:915-918).
 */
export function event(cls: string, subclass: string, type: string, objId: string, body?: Record<string, unknown>): EventData {
  const data: EventData = { class: cls, subclass, type, obj_id: objId };
  if (body && Object.keys(body).length > 0) data.body = body;
  return data;
}

/** The session type event's body: the type's extra fields plus `type`. */
export function typeBody(session: SimSession): Record<string, unknown> {
  return { ...session.typeExt, type: session.type };
}

/**
 * The reason atoms each era names the simulator's ends with; a variant picks one. Every atom
 * is in that era's table (src/protocol/dialects/codeTables/).
 */
const END_ATOMS: Readonly<Record<EraId, Readonly<Record<EndKind, readonly string[]>>>> = {
  // nkmedia@bb1dc51: sessions stop by API with user_stop (src/nkmedia_api.erl:56-59 with
  // src/nkmedia_session.erl:182-183), listeners
  // of a leaving publisher with publisher_stopped (src/janus_backend/nkmedia_janus_room.erl:342-345);
  // calls by src/nkmedia_call.erl. Rooms end with an empty body in July: no reason on the wire.
  '2016-07': {
    normal: ['user_stop'],
    failure: ['janus_op_down', 'process_down', 'timeout', 'no_mediaserver'],
    publisherGone: ['publisher_stopped'],
    roomNormal: ['user_stop'],
    roomEmpty: ['user_stop'],
    callNormal: ['user_stop'],
    callRejected: ['call_rejected'],
    ringTimeout: ['no_answer'],
    noAnswer: ['no_answer'],
    originatorCancel: ['originator_cancel'],
    callFailure: ['internal_error'],
  },
  // nkmedia@3215f72: session stop by API user_stop (src/nkmedia_session.erl:178-179), listeners
  // publisher_stopped (src/nkmedia_room.erl:416-419), room destroy by API user_stop
  // (src/nkmedia_api.erl:246-247), emptied Janus room no_participants
  // (src/janus_backend/nkmedia_janus_room.erl:154); Aug has no ring_timeout reason: a ring
  // timeout drops the invite and the last one hangs up with no_answer (src/nkmedia_call.erl:347,491).
  '2016-08': {
    normal: ['user_stop'],
    failure: ['janus_session_down', 'process_down', 'timeout', 'no_mediaserver'],
    publisherGone: ['publisher_stopped'],
    roomNormal: ['user_stop'],
    roomEmpty: ['no_participants'],
    callNormal: ['user_stop'],
    callRejected: ['call_rejected'],
    ringTimeout: ['no_answer'],
    noAnswer: ['no_answer'],
    originatorCancel: ['originator_cancel'],
    callFailure: ['call_error'],
  },
  // nkmedia@4394517: session destroy user_stop (src/nkmedia_api.erl:78-81), listeners
  // publisher_stop (src/plugins/nkmedia_room.erl:426-427), room destroy api_stop
  // (src/plugins/nkmedia_room_api.erl:43-44), emptied Janus room no_room_members
  // (src/janus_backend/nkmedia_janus_room.erl:141), call hangup by API api_hangup
  // (src/plugins/nkmedia_call_api.erl:137-143); nkcollab@c0119d7:src/call/nkcollab_call.erl
  // for the call outcomes (call_rejected :437, ring_timeout :474, callee_stopped :496, no_answer :782).
  '2016-10': {
    normal: ['user_stop'],
    failure: ['janus_session_down', 'process_down', 'timeout', 'no_mediaserver'],
    publisherGone: ['publisher_stop'],
    roomNormal: ['api_stop'],
    roomEmpty: ['no_room_members'],
    callNormal: ['api_hangup', 'api_hangup', 'callee_stopped'],
    callRejected: ['call_rejected'],
    ringTimeout: ['ring_timeout'],
    noAnswer: ['no_answer'],
    originatorCancel: ['originator_cancel'],
    callFailure: ['call_error'],
  },
  // nkmedia@10eb4c3: session destroy user_stop (src/nkmedia_session_api.erl:69-72), room
  // destroy api_stop (src/nkmedia_room_api.erl:43-44), listeners publisher_stop (its table,
  // src/nkmedia_callbacks.erl:102); nkcollab@85db3e1 calls as on master.
  '2017': {
    normal: ['user_stop'],
    failure: ['janus_session_down', 'process_down', 'timeout', 'no_mediaserver'],
    publisherGone: ['publisher_stop'],
    roomNormal: ['api_stop'],
    roomEmpty: ['api_stop'],
    callNormal: ['api_hangup', 'api_hangup', 'callee_stopped'],
    callRejected: ['call_rejected'],
    ringTimeout: ['ring_timeout'],
    noAnswer: ['no_answer'],
    originatorCancel: ['originator_cancel'],
    callFailure: ['call_error'],
  },
};

/** The reason atom an era gives an end. */
export function endAtom(dialect: Dialect, end: End): string {
  const atoms = END_ATOMS[dialect.era][end.kind];
  return atoms[Math.min(atoms.length - 1, Math.floor(end.variant * atoms.length))];
}

/** `{code, reason}` of an end, from the era's table. */
export function endOf(dialect: Dialect, end: End): EndBody {
  return endBody(dialect, endAtom(dialect, end));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string id a `get_info` names, or undefined. */
export function idIn(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' ? value : undefined;
}

/** Sessions live and known to the world, in creation order. */
export function liveSessions(world: World): SimSession[] {
  return [...world.sessions.values()].filter((s) => !s.stopped);
}

/**
 * The answer body of 2016 nkmedia's Janus backend, `{sdp, sdp_type: webrtc}`:
 * nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_op.erl:1167 (July),
 * nkmedia@3215f72:src/janus_backend/nkmedia_janus_op.erl:1214 (August).
 */
export function answerOf2016(object: { sdp?: string }): Record<string, unknown> {
  return { sdp: object.sdp ?? '', sdp_type: 'webrtc' };
}

/**
 * nkmedia's own calls in July and August 2016, the same in both: ringing {}, answer {answer},
 * hangup {code, reason} (nkmedia@bb1dc51:src/nkmedia_call.erl:551-581,
 * nkmedia@3215f72:src/nkmedia_events.erl:90-110). False for a step that is not a call's.
 */
export function writeMediaCall2016(dialect: Dialect, step: Step, out: EventData[]): boolean {
  switch (step.kind) {
    case 'call.ringing':
      out.push(event('media', 'call', 'ringing', step.call.id));
      return true;
    case 'call.answered':
      out.push(event('media', 'call', 'answer', step.call.id, { answer: answerOf2016(step.call) }));
      return true;
    case 'call.ended':
      out.push(event('media', 'call', 'hangup', step.call.id, { ...endOf(dialect, step.end) }));
      return true;
    default:
      return false;
  }
}
