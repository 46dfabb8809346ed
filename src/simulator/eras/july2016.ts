// NkMEDIA of July 2016 (nkmedia@bb1dc51 on nkservice@cbdd973): rooms live in the Janus
// backend and name their members `publisher` / `listener`; every room event is also copied to
// the member sessions as a session event of type `room`.
import { DIALECTS } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { SimRoom, SimSession, Step, World } from '../world';
import { answerOf2016, endOf, event, idIn, typeBody, writeMediaCall2016, type CommandReply, type EraWriter } from './shared';

const dialect = DIALECTS['2016-07'];

/**
 * A room event, and its copy to each member session as the room's state had them when it was
 * sent (the state before the change): nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:462-476
 * with src/nkmedia_session.erl:782-791. Stopped sessions get nothing.
 */
function roomEvent(out: EventData[], room: SimRoom, type: string, body: Record<string, unknown>, members: readonly SimSession[]): void {
  out.push(event('media', 'room', type, room.id, body));
  for (const member of members) {
    if (!member.stopped) out.push(event('media', 'session', 'room', member.id, { ...body, type, room: room.id }));
  }
}

export const JULY_2016_WRITER: EraWriter = {
  dialect,
  features: { mediaCalls: true, collabCalls: false, collabRooms: false, candidates: false, sessionStatus: false, roomInfo: false },

  write(step: Step, out: EventData[]): void {
    if (writeMediaCall2016(dialect, step, out)) return;
    switch (step.kind) {
      // nkmedia@bb1dc51:src/nkmedia_session.erl:758-771
      case 'session.answered':
        out.push(event('media', 'session', 'answer', step.session.id, { answer: answerOf2016(step.session) }));
        return;
      case 'session.type':
        out.push(event('media', 'session', 'updated_type', step.session.id, typeBody(step.session)));
        return;
      case 'session.info':
        out.push(event('media', 'session', 'info', step.session.id, { info: step.info }));
        return;
      case 'session.ended':
        out.push(event('media', 'session', 'stop', step.session.id, { ...endOf(dialect, step.end) }));
        return;
      // nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:212 (created {config}), :334 (destroyed, empty body)
      case 'room.created': {
        const config = { room_audio_codec: step.room.audioCodec, room_video_codec: step.room.videoCodec, room_bitrate: step.room.bitrate };
        roomEvent(out, step.room, 'created', { config }, []);
        return;
      }
      case 'room.destroyed':
        roomEvent(out, step.room, 'destroyed', {}, []);
        return;
      // nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:367,379,387,395
      case 'room.joined':
        if (step.session.role === 'publisher') roomEvent(out, step.room, 'started_publisher', { publisher: step.session.id }, step.before);
        else roomEvent(out, step.room, 'started_listener', { listener: step.session.id, publisher: step.session.publisherId }, step.before);
        return;
      case 'room.left':
        if (step.session.role === 'publisher') roomEvent(out, step.room, 'stopped_publisher', { publisher: step.session.id }, step.before);
        else roomEvent(out, step.room, 'stopped_listener', { listener: step.session.id }, step.before);
        return;
      case 'unknown':
        out.push(step.event);
        return;
      default:
        // created sessions, candidates, status, collab objects: nothing in July
        return;
    }
  },

  /** nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_api.erl:61-75: room list {ids}, info {id}. */
  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
    if (cls !== 'media' || subclass !== 'room') return undefined;
    const rooms = [...world.rooms.values()].filter((r) => !r.collab);
    if (cmd === 'list') return { ok: { ids: rooms.map((r) => r.id) } };
    if (cmd !== 'info') return undefined;
    const room = world.rooms.get(idIn(data, 'id') ?? '');
    if (!room || room.collab) return { error: 'room_not_found' };
    const listen: Record<string, string> = {};
    for (const [id, listener] of room.listeners) listen[id] = listener.publisherId ?? '';
    return { ok: { room_audio_codec: room.audioCodec, room_video_codec: room.videoCodec, room_bitrate: room.bitrate, publish: [...room.publishers.keys()], listen } };
  },
};
