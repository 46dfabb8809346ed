// NkMEDIA of Aug 2016, the seed reference (nkmedia@3215f72 on nkservice@b780fbf): sessions
// end with `stop`, rooms are `started` and report publishers and listeners in their own
// events (a listener names its publisher `peer`), codes of the 1000 and 2000 ranges.
import { DIALECTS } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { Step, World } from '../world';
import { answerOf2016, endOf, event, idIn, typeBody, writeMediaCall2016, type CommandReply, type EraWriter } from './shared';

const dialect = DIALECTS['2016-08'];

export const AUGUST_2016_WRITER: EraWriter = {
  dialect,
  features: { mediaCalls: true, collabCalls: false, collabRooms: false, candidates: false, sessionStatus: false, roomInfo: false },

  write(step: Step, out: EventData[]): void {
    if (writeMediaCall2016(dialect, step, out)) return;
    switch (step.kind) {
      // nkmedia@3215f72:src/nkmedia_events.erl:63-81
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
      // nkmedia@3215f72:src/nkmedia_events.erl:120-147
      case 'room.created': {
        const { room } = step;
        out.push(event('media', 'room', 'started', room.id, { audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, class: room.class, backend: room.backend }));
        return;
      }
      case 'room.destroyed':
        out.push(event('media', 'room', 'destroyed', step.room.id, { ...endOf(dialect, step.end) }));
        return;
      case 'room.joined': {
        const { session } = step;
        if (session.role === 'publisher') out.push(event('media', 'room', 'started_publisher', step.room.id, { session_id: session.id, user: session.user }));
        else out.push(event('media', 'room', 'started_listener', step.room.id, { session_id: session.id, peer: session.publisherId, user: session.user }));
        return;
      }
      case 'room.left': {
        const { session } = step;
        const type = session.role === 'publisher' ? 'stopped_publisher' : 'stopped_listener';
        out.push(event('media', 'room', type, step.room.id, { session_id: session.id, user: session.user }));
        return;
      }
      case 'unknown':
        out.push(step.event);
        return;
      default:
        return;
    }
  },

  /** nkmedia@3215f72:src/nkmedia_api.erl:127-141 (session list/info), :254-269 (room list/info). */
  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
    if (cls !== 'media') return undefined;
    if (subclass === 'session') {
      if (cmd === 'list') return { ok: [...world.sessions.values()].filter((s) => !s.stopped).map((s) => ({ session_id: s.id })) };
      if (cmd !== 'info') return undefined;
      const session = world.sessions.get(idIn(data, 'session_id') ?? '');
      if (!session || session.stopped) return { error: 'session_not_found' };
      // session_id, peer, wait_timeout, ready_timeout, backend, user_id, user_session, type, type_ext, master_peer, slave_peer: those set
      return { ok: { session_id: session.id, backend: 'nkmedia_janus', user_id: session.user, type: session.type, type_ext: session.typeExt } };
    }
    if (subclass === 'room') {
      const rooms = [...world.rooms.values()].filter((r) => !r.collab);
      if (cmd === 'list') return { ok: rooms.map((r) => ({ room_id: r.id, class: r.class })) };
      if (cmd !== 'info') return undefined;
      const room = world.rooms.get(idIn(data, 'room_id') ?? '');
      if (!room || room.collab) return { error: 'room_not_found' };
      // Members as the room keeps them: #{user} and, for listeners, peer (nkmedia@3215f72:src/nkmedia_room.erl:63-78,398-440)
      const publishers: Record<string, unknown> = {};
      for (const [id, p] of room.publishers) publishers[id] = { user: p.user };
      const listeners: Record<string, unknown> = {};
      for (const [id, l] of room.listeners) listeners[id] = { user: l.user, peer: l.publisherId };
      return { ok: { audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, class: room.class, backend: room.backend, publishers, listeners } };
    }
    return undefined;
  },
};
