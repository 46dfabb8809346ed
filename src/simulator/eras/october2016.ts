// NkMEDIA master of Oct 2016 (nkmedia@4394517 on nkservice@79bf10d): sessions end with
// `destroyed`, type changes are `type`, rooms report `started_member` / `stopped_member` with a
// role; six-digit codes; snapshots are get_list / get_info.
import { DIALECTS, type Dialect } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { SimRoom, SimSession, Step, World } from '../world';
import { endOf, event, idIn, typeBody, type CommandReply, type EraWriter } from './shared';

/**
 * Janus answers from 29 Sep 2016 (nkmedia@4394517:src/janus_backend/nkmedia_janus_op.erl:1482-1488,
 * same on develop at nkmedia@10eb4c3:src/janus_backend/nkmedia_janus_op.erl:1475-1491).
 */
export function janusAnswer(object: { sdp?: string }): Record<string, unknown> {
  return { sdp: object.sdp ?? '', trickle_ice: false, sdp_type: 'webrtc', backend: 'nkmedia_janus' };
}

/**
 * A member's info as the room stores it, plus session_id: role, user_id (empty when none) and
 * for listeners only peer_id, the publisher's session id (nkmedia@4394517:src/plugins/nkmedia_room_api_events.erl:47-51,
 * src/janus_backend/nkmedia_janus_session.erl:556-576; the same on develop).
 */
export function memberInfo(session: SimSession): Record<string, unknown> {
  const info: Record<string, unknown> = { role: session.role, user_id: session.user };
  if (session.role === 'listener') info.peer_id = session.publisherId;
  return info;
}

/** `members` of a room's get_info: session id → member info. */
export function membersOf(room: SimRoom): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const session of [...room.publishers.values(), ...room.listeners.values()]) members[session.id] = memberInfo(session);
  return members;
}

/** The media part shared by Oct 2016 master and nkcollab master. */
export function writeOctoberMedia(dialect: Dialect, step: Step, out: EventData[]): boolean {
  switch (step.kind) {
    // nkmedia@4394517:src/nkmedia_api_events.erl:42-60
    case 'session.answered':
      out.push(event('media', 'session', 'answer', step.session.id, { answer: janusAnswer(step.session) }));
      return true;
    case 'session.type':
      out.push(event('media', 'session', 'type', step.session.id, typeBody(step.session)));
      return true;
    case 'session.candidate':
      out.push(event('media', 'session', 'candidate', step.session.id, { sdpMid: step.mid, sdpMLineIndex: step.index, candidate: step.line }));
      return true;
    case 'session.candidateEnd':
      out.push(event('media', 'session', 'candidate_end', step.session.id));
      return true;
    case 'session.info':
      out.push(event('media', 'session', 'info', step.session.id, { info: step.info }));
      return true;
    case 'session.ended':
      out.push(event('media', 'session', 'destroyed', step.session.id, { ...endOf(dialect, step.end) }));
      return true;
    // nkmedia@4394517:src/plugins/nkmedia_room_api_events.erl:39-54
    case 'room.created': {
      if (step.room.collab) return false;
      const { room } = step;
      out.push(event('media', 'room', 'created', room.id, { audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, class: room.class, backend: room.backend }));
      return true;
    }
    case 'room.destroyed':
      if (step.room.collab) return false;
      out.push(event('media', 'room', 'destroyed', step.room.id, { ...endOf(dialect, step.end) }));
      return true;
    case 'room.joined':
    case 'room.left':
      if (step.room.collab) return false;
      out.push(event('media', 'room', step.kind === 'room.joined' ? 'started_member' : 'stopped_member', step.room.id, { ...memberInfo(step.session), session_id: step.session.id }));
      return true;
    // nkmedia@4394517:src/plugins/nkmedia_call_api_events.erl:41-52 (answer and candidate go to the linked connection only)
    case 'call.ringing':
      if (step.call.collab) return false;
      out.push(event('media', 'call', 'ringing', step.call.id, { callee: step.call.callee }));
      return true;
    case 'call.answered':
      if (step.call.collab) return false;
      out.push(event('media', 'call', 'accepted', step.call.id, { callee: step.call.callee }));
      return true;
    case 'call.ended':
      if (step.call.collab) return false;
      out.push(event('media', 'call', 'hangup', step.call.id, { ...endOf(dialect, step.end) }));
      return true;
    case 'unknown':
      out.push(step.event);
      return true;
    default:
      return false;
  }
}

/** media/session and media/room get_list / get_info, Oct 2016 and develop shapes. */
export function mediaSnapshot(
  subclass: string,
  cmd: string,
  data: Record<string, unknown>,
  world: World,
  sessionInfo: (session: SimSession) => Record<string, unknown>,
  roomInfo: (room: SimRoom) => Record<string, unknown>,
): CommandReply | undefined {
  if (subclass === 'session') {
    if (cmd === 'get_list') return { ok: [...world.sessions.values()].filter((s) => !s.stopped).map((s) => ({ session_id: s.id })) };
    if (cmd !== 'get_info') return undefined;
    const session = world.sessions.get(idIn(data, 'session_id') ?? '');
    if (!session || session.stopped) return { error: 'session_not_found' };
    return { ok: sessionInfo(session) };
  }
  if (subclass === 'room') {
    const rooms = [...world.rooms.values()].filter((r) => !r.collab);
    if (cmd === 'get_list') return { ok: rooms.map((r) => ({ room_id: r.id, class: r.class })) };
    if (cmd !== 'get_info') return undefined;
    const room = world.rooms.get(idIn(data, 'room_id') ?? '');
    if (!room || room.collab) return { error: 'room_not_found' };
    return { ok: roomInfo(room) };
  }
  return undefined;
}

/** The session restricted to session_fields, those set (nkmedia@4394517:src/nkmedia_api_syntax.erl:35-65). */
export function octoberSessionInfo(session: SimSession): Record<string, unknown> {
  const info: Record<string, unknown> = { session_id: session.id, sdp_type: 'webrtc', backend: 'nkmedia_janus', user_id: session.user, type: session.type, type_ext: session.typeExt };
  if (session.answered) info.answer = janusAnswer(session);
  if (session.roomId) info.room_id = session.roomId;
  if (session.publisherId) info.publisher_id = session.publisherId;
  return info;
}

/** class, backend, members, audio_codec, video_codec, bitrate (nkmedia@4394517:src/plugins/nkmedia_room.erl:148-162). */
function octoberRoomInfo(room: SimRoom): Record<string, unknown> {
  return { class: room.class, backend: room.backend, members: membersOf(room), audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate };
}

const dialect = DIALECTS['2016-10'];

export function octoberCommand(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
  // nkmedia@4394517:src/nkmedia_api.erl:148-161; src/plugins/nkmedia_room_api.erl:51-61
  if (cls !== 'media') return undefined;
  return mediaSnapshot(subclass, cmd, data, world, octoberSessionInfo, octoberRoomInfo);
}

export const OCTOBER_2016_WRITER: EraWriter = {
  dialect,
  features: { mediaCalls: true, collabCalls: false, collabRooms: false, candidates: true, sessionStatus: false, roomInfo: false },
  write(step: Step, out: EventData[]): void {
    writeOctoberMedia(dialect, step, out);
  },
  command: octoberCommand,
};
