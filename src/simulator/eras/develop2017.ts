// NkMEDIA develop of early 2017 (nkmedia@10eb4c3 on nkservice@ee00943): sessions and rooms
// announce themselves with `created` (their get_info), type changes are `updated_type`, and the
// call plugin has moved out to nkcollab: no media/call.
import { DIALECTS, type Dialect } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { SimRoom, SimSession, Step, World } from '../world';
import { janusAnswer, mediaSnapshot, memberInfo, membersOf } from './october2016';
import { endOf, event, typeBody, type CommandReply, type EraWriter } from './shared';

/**
 * A session's get_info, those keys set (nkmedia@10eb4c3:src/nkmedia_session_api_syntax.erl:272-313):
 * session_id, type, type_ext, offer/answer, sdp_type, backend, room_id, publisher_id, user_id, user_session…
 */
export function developSessionInfo(session: SimSession): Record<string, unknown> {
  const info: Record<string, unknown> = { session_id: session.id, type: session.type, type_ext: session.typeExt, sdp_type: 'webrtc', backend: 'nkmedia_janus', user_id: session.user };
  if (session.answered) info.answer = janusAnswer(session);
  if (session.roomId) info.room_id = session.roomId;
  if (session.publisherId) info.publisher_id = session.publisherId;
  if (session.connId) info.user_session = session.connId;
  return info;
}

/** audio_codec, video_codec, bitrate, class, backend, members, timeout, status (nkmedia@10eb4c3:src/nkmedia_room_api_syntax.erl:88-90). */
function developRoomInfo(room: SimRoom): Record<string, unknown> {
  return { audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, class: room.class, backend: room.backend, members: membersOf(room), status: {} };
}

/** The media part shared by develop and nkcollab develop. */
export function writeDevelopMedia(dialect: Dialect, step: Step, out: EventData[]): boolean {
  switch (step.kind) {
    // nkmedia@10eb4c3:src/nkmedia_session_api_events.erl:42-78
    case 'session.created':
      out.push(event('media', 'session', 'created', step.session.id, developSessionInfo(step.session)));
      return true;
    case 'session.answered':
      out.push(event('media', 'session', 'answer', step.session.id, { answer: janusAnswer(step.session) }));
      return true;
    case 'session.type':
      out.push(event('media', 'session', 'updated_type', step.session.id, typeBody(step.session)));
      return true;
    case 'session.candidate':
      out.push(event('media', 'session', 'candidate', step.session.id, { sdpMid: step.mid, sdpMLineIndex: step.index, candidate: step.line }));
      return true;
    case 'session.candidateEnd':
      out.push(event('media', 'session', 'candidate_end', step.session.id));
      return true;
    case 'session.status':
      out.push(event('media', 'session', 'updated_status', step.session.id, step.status));
      return true;
    case 'session.info':
      // Meta#{info=>Info}: no meta here
      out.push(event('media', 'session', 'info', step.session.id, { info: step.info }));
      return true;
    case 'session.ended':
      out.push(event('media', 'session', 'destroyed', step.session.id, { ...endOf(dialect, step.end) }));
      return true;
    // nkmedia@10eb4c3:src/nkmedia_room_api_events.erl:39-58
    case 'room.created':
      if (step.room.collab) return false;
      out.push(event('media', 'room', 'created', step.room.id, developRoomInfo(step.room)));
      return true;
    case 'room.joined':
    case 'room.left':
      if (step.room.collab) return false;
      out.push(event('media', 'room', step.kind === 'room.joined' ? 'started_member' : 'stopped_member', step.room.id, { ...memberInfo(step.session), session_id: step.session.id }));
      return true;
    case 'room.info':
      if (step.room.collab) return false;
      out.push(event('media', 'room', 'info', step.room.id, { info: step.info }));
      return true;
    case 'room.destroyed':
      if (step.room.collab) return false;
      out.push(event('media', 'room', 'destroyed', step.room.id, { ...endOf(dialect, step.end) }));
      return true;
    case 'unknown':
      out.push(step.event);
      return true;
    default:
      return false;
  }
}

export function developCommand(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
  // nkmedia@10eb4c3:src/nkmedia_session_api.erl:139-147,186-188; src/nkmedia_room_api.erl:51-69
  if (cls !== 'media') return undefined;
  return mediaSnapshot(subclass, cmd, data, world, developSessionInfo, developRoomInfo);
}

const dialect = DIALECTS['2017'];

export const DEVELOP_2017_WRITER: EraWriter = {
  dialect,
  features: { mediaCalls: false, collabCalls: false, collabRooms: false, candidates: true, sessionStatus: true, roomInfo: true },
  write(step: Step, out: EventData[]): void {
    writeDevelopMedia(dialect, step, out);
  },
  command: developCommand,
};
