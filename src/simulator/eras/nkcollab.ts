// nkcollab: calls and rooms of class `collab` on top of NkMEDIA. Its master branch
// (nkcollab@c0119d7) rode on Oct 2016 master, its develop branch (nkcollab@85db3e1) on develop.
// Collab rooms keep a media room behind them (nkcollab@c0119d7:src/room/nkcollab_room.erl:178,
// nkcollab@85db3e1 :193) whose own media/room events the simulator does not send.
import { DIALECTS } from '../../protocol/dialects';
import type { EventData } from '../../protocol/frames';
import type { SimCall, SimCollabRoom2016, SimRoom, SimSession, Step, World } from '../world';
import { developCommand, writeDevelopMedia } from './develop2017';
import { octoberCommand, writeOctoberMedia } from './october2016';
import { endOf, event, idIn, type CommandReply, type EraWriter } from './shared';

/** get_call_info: call_id, type, …, backend, user_id, user_session, caller, callee (nkcollab@c0119d7:src/call/nkcollab_call_api_syntax.erl:137-150, the same at 85db3e1:147-160). */
function callInfo(call: SimCall): Record<string, unknown> {
  return { call_id: call.id, type: 'user', backend: 'nkmedia_janus', caller: { user: call.caller }, callee: call.callee };
}

/** collab/call get_list [{call_id}], get_info {call_id} (nkcollab@c0119d7:src/call/nkcollab_call_api.erl:155-167; 85db3e1:145-157). */
function callCommand(cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
  const calls = [...world.calls.values()].filter((c) => c.collab);
  if (cmd === 'get_list') return { ok: calls.map((c) => ({ call_id: c.id })) };
  if (cmd !== 'get_info') return undefined;
  const call = world.calls.get(idIn(data, 'call_id') ?? '');
  if (!call || !call.collab) return { error: 'call_not_found' };
  return { ok: callInfo(call) };
}

const MASTER = DIALECTS['nkcollab-2016'];

/** get_room_info: audio_codec, video_codec, bitrate, class, backend, meta, status (nkcollab@c0119d7:src/room/nkcollab_room_api_syntax.erl:232-234). */
function masterRoomInfo(room: SimCollabRoom2016): Record<string, unknown> {
  return { audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, class: 'sfu', backend: 'nkmedia_janus', meta: {}, status: {} };
}

export const NKCOLLAB_MASTER_2016_WRITER: EraWriter = {
  dialect: MASTER,
  features: { mediaCalls: true, collabCalls: true, collabRooms: '2016', candidates: true, sessionStatus: false, roomInfo: false },

  write(step: Step, out: EventData[]): void {
    switch (step.kind) {
      // nkcollab@c0119d7:src/call/nkcollab_call_api_events.erl:41-52
      case 'call.ringing':
        if (step.call.collab) out.push(event('collab', 'call', 'ringing', step.call.id, { callee: step.call.callee }));
        break;
      case 'call.answered':
        if (step.call.collab) out.push(event('collab', 'call', 'accepted', step.call.id, { callee: step.call.callee }));
        break;
      case 'call.ended':
        if (step.call.collab) out.push(event('collab', 'call', 'hangup', step.call.id, { ...endOf(MASTER, step.end) }));
        break;
      // nkcollab@c0119d7:src/room/nkcollab_room_api_events.erl:39-53: members are users of the
      // room (member_id, role presenter|viewer, user_id: get_member_info, src/room/nkcollab_room_api_syntax.erl:237-239)
      case 'collabRoom.created':
        out.push(event('collab', 'room', 'created', step.room.id, masterRoomInfo(step.room)));
        return;
      case 'collabRoom.joined':
      case 'collabRoom.left': {
        const { member } = step;
        const type = step.kind === 'collabRoom.joined' ? 'started_member' : 'stopped_member';
        out.push(event('collab', 'room', type, step.room.id, { user_id: member.user, role: member.role, member_id: member.memberId }));
        return;
      }
      case 'collabRoom.destroyed':
        out.push(event('collab', 'room', 'destroyed', step.room.id, { ...endOf(MASTER, step.end) }));
        return;
    }
    writeOctoberMedia(MASTER, step, out);
  },

  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
    if (cls !== 'collab') return octoberCommand(cls, subclass, cmd, data, world);
    if (subclass === 'call') return callCommand(cmd, data, world);
    if (subclass !== 'room') return undefined;
    // nkcollab@c0119d7:src/room/nkcollab_room_api.erl:53-63
    if (cmd === 'get_list') return { ok: [...world.collabRooms2016.values()].map((r) => ({ room_id: r.id, meta: {} })) };
    if (cmd !== 'get_info') return undefined;
    const room = world.collabRooms2016.get(idIn(data, 'room_id') ?? '');
    return room ? { ok: masterRoomInfo(room) } : { error: 'room_not_found' };
  },
};

const DEVELOP = DIALECTS['nkcollab-2017'];

/**
 * A member session as the develop collab room keeps it: session_id, type publish|listen,
 * user_id, conn_id, started_time (stopped_time once stopped), status, publisher_id for
 * listeners (nkcollab@85db3e1:src/room/nkcollab_room.erl:137-150,804-866,1134-1142).
 */
function sessionData(session: SimSession): Record<string, unknown> {
  const data: Record<string, unknown> = {
    session_id: session.id,
    type: session.role === 'publisher' ? 'publish' : 'listen',
    user_id: session.user,
    conn_id: session.connId,
    started_time: session.startedTime,
    status: {},
  };
  if (session.stoppedTime !== undefined) data.stopped_time = session.stoppedTime;
  if (session.role === 'listener') data.publisher_id = session.publisherId;
  return data;
}

/** get_info: room_id, class, backend, audio_codec, video_codec, bitrate, room_meta, status… (nkcollab@85db3e1:src/room/nkcollab_room_api_syntax.erl:146-164). */
function developRoomInfo(room: SimRoom): Record<string, unknown> {
  return { room_id: room.id, class: room.class, backend: room.backend, audio_codec: room.audioCodec, video_codec: room.videoCodec, bitrate: room.bitrate, room_meta: {}, status: {} };
}

export const NKCOLLAB_DEVELOP_2017_WRITER: EraWriter = {
  dialect: DEVELOP,
  features: { mediaCalls: false, collabCalls: true, collabRooms: '2017', candidates: true, sessionStatus: true, roomInfo: true },

  write(step: Step, out: EventData[]): void {
    switch (step.kind) {
      // nkcollab@85db3e1:src/call/nkcollab_call_api_events.erl:41-56: created (empty body), ringing, accepted, hangup
      case 'call.created':
        if (step.call.collab) out.push(event('collab', 'call', 'created', step.call.id));
        return;
      case 'call.ringing':
        if (step.call.collab) out.push(event('collab', 'call', 'ringing', step.call.id, { callee: step.call.callee }));
        return;
      case 'call.answered':
        if (step.call.collab) out.push(event('collab', 'call', 'accepted', step.call.id, { callee: step.call.callee }));
        return;
      case 'call.ended':
        if (step.call.collab) out.push(event('collab', 'call', 'hangup', step.call.id, { ...endOf(DEVELOP, step.end) }));
        return;
      // nkcollab@85db3e1:src/room/nkcollab_room_api_events.erl:39-70
      case 'room.created':
        if (step.room.collab) {
          out.push(event('collab', 'room', 'created', step.room.id, developRoomInfo(step.room)));
          return;
        }
        break;
      case 'room.joined':
      case 'room.left':
        if (step.room.collab) {
          const role = step.session.role === 'publisher' ? 'publisher' : 'listener';
          out.push(event('collab', 'room', `${step.kind === 'room.joined' ? 'started' : 'stopped'}_${role}`, step.room.id, sessionData(step.session)));
          return;
        }
        break;
      case 'room.info':
        if (step.room.collab) {
          out.push(event('collab', 'room', 'room_info', step.room.id, { info: step.info }));
          return;
        }
        break;
      case 'room.destroyed':
        if (step.room.collab) {
          out.push(event('collab', 'room', 'destroyed', step.room.id, { ...endOf(DEVELOP, step.end) }));
          return;
        }
        break;
    }
    writeDevelopMedia(DEVELOP, step, out);
  },

  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>, world: World): CommandReply | undefined {
    if (cls !== 'collab') return developCommand(cls, subclass, cmd, data, world);
    if (subclass === 'call') return callCommand(cmd, data, world);
    if (subclass !== 'room') return undefined;
    // nkcollab@85db3e1:src/room/nkcollab_room_api.erl:53-63
    const rooms = [...world.rooms.values()].filter((r) => r.collab);
    if (cmd === 'get_list') return { ok: rooms.map((r) => ({ room_id: r.id, meta: {} })) };
    if (cmd !== 'get_info') return undefined;
    const room = world.rooms.get(idIn(data, 'room_id') ?? '');
    return room && room.collab ? { ok: developRoomInfo(room) } : { error: 'room_not_found' };
  },
};
