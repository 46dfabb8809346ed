// Era "nkcollab-2017": NkCOLLAB develop on the develop NkSERVICE framing.
//   nkcollab@85db3e1 (develop, 2017-02-22; adapted to the new nkservice API at nkcollab@5cde104,
//     the same day as nkservice@007f18c) with its sample nkcollab_test_api
//   nkmedia@10eb4c3, nkservice@ee00943 (the 2017 era, extended here)
//
// All NkCOLLAB events are class collab (nkcollab@85db3e1:src/nkcollab_api_events.erl:61-71;
// room: src/room/nkcollab_room_api_events.erl:93-104), framed like every develop event.
import type { EraId, EraServerOptions, ExpectedOutcome, Json } from './base';
import { Server2017, pick, type CmdResult, type Conn2017, type Reason, type Step, type Syntax } from './2017';

export class ServerNkcollab2017 extends Server2017 {
  override readonly era: EraId = 'nkcollab-2017';

  constructor(options: EraServerOptions = {}) {
    super(options);
  }

  protected override pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    // NkCOLLAB call 305XXX, kept on develop (nkcollab@85db3e1:src/call/nkcollab_call_callbacks.erl:67-79)
    if (name === 'api_hangup') return typeof reason === 'string' ? [305011, 'API hangup'] : [305011, `API hangup: ${String(reason[1])}`];
    const table: Record<string, [number, string]> = {
      call_error: [305001, 'Call error'],
      call_not_found: [305002, 'Call not found'],
      call_rejected: [305003, 'Call rejected'],
      ring_timeout: [305004, 'Ring timeout'],
      no_destination: [305005, 'No destination'],
      no_answer: [305006, 'No answer'],
      already_answered: [305007, 'Already answered'],
      originator_cancel: [305008, 'Originator cancel'],
      caller_stopped: [305009, 'Caller stopped'],
      callee_stopped: [305010, 'Callee stopped'],
      // NkCOLLAB room 401XXX (nkcollab@85db3e1:src/room/nkcollab_room_callbacks.erl:64-68)
      media_room_down: [401001, 'Media room failed'],
      presenter_not_found: [401002, 'Presenter not found'],
      already_listening: [401003, 'Already listening'],
      member_is_not_publisher: [401004, 'Member is not a publisher'],
    };
    return table[name] ?? super.pluginErrorCode(reason);
  }

  protected override syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'collab' && sub === 'room' && cmd === 'get_info') return { fields: { room_id: 'binary' }, mandatory: ['room_id'] };
    if (cls === 'collab' && sub === 'call' && cmd === 'get_info') return { fields: { call_id: 'binary' }, mandatory: ['call_id'] };
    if (cls === 'collab') return { fields: {} };
    return super.syntax(cls, sub, cmd);
  }

  /**
   * class collab: call -> nkcollab_call_api:cmd, whose fallback is {unknown_command, Cmd}
   * (nkcollab@85db3e1:src/call/nkcollab_call_callbacks.erl:244-246; nkcollab_call_api.erl:171);
   * room -> nkcollab_room_api:cmd, which continues (nkcollab_room_callbacks.erl:168-170;
   * nkcollab_room_api.erl:198) to nkcollab_api:cmd, {unknown_command, Other}
   * (nkcollab_callbacks.erl:74-75; nkcollab_api.erl:43-44).
   */
  protected override async apiServerCmd(conn: Conn2017, cls: string, sub: string, cmd: string, data: Json, tid: unknown): Promise<CmdResult> {
    if (cls !== 'collab') return super.apiServerCmd(conn, cls, sub, cmd, data, tid);
    if (sub === 'room' && cmd === 'get_list') return { ok: [...this.live.rooms.entries()].filter(([, r]) => r.collab).map(([id, r]) => ({ room_id: id, meta: r.room_meta ?? {} })) }; // nkcollab_room_api.erl:53-55
    if (sub === 'room' && cmd === 'get_info') {
      const r = this.live.rooms.get(data.room_id);
      // get_info keys (nkcollab@85db3e1:src/room/nkcollab_room_api_syntax.erl:146-164)
      return r?.collab ? { ok: pick(r, ['room_id', 'srv_id', 'class', 'backend', 'audio_codec', 'video_codec', 'bitrate', 'room_meta', 'status', 'conns', 'publish', 'listen', 'dead', 'start_time', 'stop_time']) } : { error: 'room_not_found' };
    }
    if (sub === 'call' && cmd === 'get_list') return { ok: [...this.live.calls.keys()].map((id) => ({ call_id: id })) }; // nkcollab_call_api.erl:153-157
    if (sub === 'call' && cmd === 'get_info') {
      const c = this.live.calls.get(data.call_id);
      return c ? { ok: pick(c, ['call_id', 'type', 'backend', 'user_id', 'user_session', 'caller', 'callee']) } : { error: 'call_not_found' }; // :145-151
    }
    return { error: ['unknown_command', cmd] };
  }

  /** The media room under a collab room has the same id; the snapshot model keeps it apart. */
  protected override mediaCmd(conn: Conn2017, sub: string, cmd: string, data: Json): CmdResult | undefined {
    if (sub === 'room' && cmd === 'get_list') return { ok: [...this.live.rooms.entries()].filter(([, r]) => !r.collab).map(([id, r]) => ({ room_id: id.replace(/^media:/, ''), class: r.class })) };
    if (sub === 'room' && cmd === 'get_info') {
      const r = this.live.rooms.get(`media:${data.room_id}`);
      return r ? { ok: pick(r, ['audio_codec', 'video_codec', 'bitrate', 'class', 'backend', 'members', 'timeout', 'status']) } : { error: 'room_not_found' };
    }
    return super.mediaCmd(conn, sub, cmd, data);
  }

  // ------------------------------------------------------------------------------------------
  // Script

  protected c17 = {
    s1: 'c017a0a1-0001-0000-0000-000000000001',
    s2: 'c017a0a1-0002-0000-0000-000000000002',
    room: 'c017b0b1-0000-0000-0000-0000000000r1',
    pub: 'c017a0a1-0003-0000-0000-000000000003',
    lis: 'c017a0a1-0004-0000-0000-000000000004',
    call1: 'c017c0c1-0001-0000-0000-0000000000c1',
    call2: 'c017c0c1-0002-0000-0000-0000000000c2',
    ca1: 'c017a0a1-0005-0000-0000-000000000005',
    cb1: 'c017a0a1-0006-0000-0000-000000000006',
    ca2: 'c017a0a1-0007-0000-0000-000000000007',
    cb2: 'c017a0a1-0008-0000-0000-000000000008',
  };

  override get scriptIds(): Record<string, string> {
    return this.c17;
  }

  protected override scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis, call1, call2, ca1, cb1, ca2, cb2 } = this.c17;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const MR = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const CR = (type: string, body?: Json) => this.ev('collab', 'room', type, room, body);
    const CC = (type: string, id: string, body?: Json) => this.ev('collab', 'call', type, id, body);
    const live = this.live;
    const infos = new Map<string, Json>();
    const session = (id: string, extra: Json) => {
      const info = this.sessionInfo(id, extra);
      infos.set(id, info);
      return [this.act(() => live.sessions.set(id, info)), S('created', id, info)];
    };
    // destroyed, then (after the delayed destroy) record {info, timelog} (nkmedia@10eb4c3:src/nkmedia_session.erl:786-794,1188-1203)
    const end = (id: string, reason: Reason) => {
      const body = this.stopBody(reason);
      return [S('destroyed', id, body), this.act(() => live.sessions.delete(id)), S('record', id, { info: infos.get(id), timelog: [{ msg: 'stopped', reason: body.reason }] })];
    };
    const mediaRoom = () => live.rooms.get(`media:${room}`)!;
    const started = 1487750400000;
    // Member events carry the room's session data: session_id, type, started_time, user_id,
    // conn_id, status, and publisher_id for listeners (nkcollab@85db3e1:src/room/nkcollab_room.erl:804-837;
    // session_data_keys :1134-1142); on leaving also stopped_time (:858-866).
    const pubData = { session_id: pub, type: 'publish', started_time: started, user_id: 'alice', conn_id: 'Qm9hcmQx', status: {} };
    const lisData = { session_id: lis, type: 'listen', publisher_id: pub, started_time: started + 10, user_id: 'bob', conn_id: 'Qm9hcmQy', status: {} };
    return [
      ...session(s1, { type: 'echo', type_ext: {} }),
      S('answer', s1, this.answer()),
      ...end(s1, 'user_stop'),
      ...session(s2, { type: 'echo', type_ext: {} }),
      S('answer', s2, this.answer()),
      ...end(s2, ['terminate', 'crash']),
      // nkcollab_room:start starts a media room (class sfu) first (nkcollab@85db3e1:src/room/nkcollab_room.erl:193-195),
      // then the collab room sends created = get_info (nkcollab_room_api_events.erl:39-41; nkcollab_room_api_syntax.erl:146-164).
      this.act(() => live.rooms.set(`media:${room}`, { class: 'sfu', backend: 'nkmedia_janus', members: {}, status: {} })),
      MR('created', { class: 'sfu', backend: 'nkmedia_janus', members: {}, status: {} }),
      this.act(() => live.rooms.set(room, { collab: true, room_id: room, srv_id: 'sample', class: 'sfu', backend: 'nkmedia_janus', status: {}, conns: {}, publish: {}, listen: {}, start_time: 1487750400 })),
      CR('created', { room_id: room, srv_id: 'sample', class: 'sfu', backend: 'nkmedia_janus', status: {}, conns: {}, publish: {}, listen: {}, start_time: 1487750400 }),
      // A publish session in the room: the media events (2017 era) and started_publisher (nkcollab_room.erl:829-831)
      ...session(pub, { type: 'publish', type_ext: { room_id: room }, room_id: room }),
      this.act(() => (mediaRoom().members[pub] = { role: 'publisher', user_id: 'alice' })),
      MR('started_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      S('updated_type', pub, { type: 'publish', room_id: room }),
      S('answer', pub, this.answer()),
      CR('started_publisher', pubData),
      // A listen session of that publisher: started_listener with publisher_id (:829-832)
      ...session(lis, { type: 'listen', type_ext: { room_id: room, publisher_id: pub }, room_id: room, publisher_id: pub, user_id: 'bob' }),
      S('updated_type', lis, { type: 'listen', room_id: room, publisher_id: pub }),
      this.act(() => (mediaRoom().members[lis] = { role: 'listener', user_id: 'bob', peer_id: pub })),
      MR('started_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      S('answer', lis, this.answer()),
      CR('started_listener', lisData),
      // do_remove_session: stopped_listener first (with stopped_time), then the session is
      // stopped with user_stop (nkcollab_room.erl:858-867).
      CR('stopped_listener', { ...lisData, stopped_time: started + 5000 }),
      S('destroyed', lis, this.stopBody('user_stop')),
      this.act(() => live.sessions.delete(lis)),
      this.act(() => delete mediaRoom().members[lis]),
      MR('stopped_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      S('record', lis, { info: infos.get(lis), timelog: [{ msg: 'stopped', reason: 'User stop' }] }),
      CR('stopped_publisher', { ...pubData, stopped_time: started + 6000 }),
      S('destroyed', pub, this.stopBody('user_stop')),
      this.act(() => live.sessions.delete(pub)),
      this.act(() => delete mediaRoom().members[pub]),
      MR('stopped_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      S('record', pub, { info: infos.get(pub), timelog: [{ msg: 'stopped', reason: 'User stop' }] }),
      // API destroy with api_stop (nkcollab@85db3e1:src/room/nkcollab_room_api.erl:45-51): do_stop removes the
      // sessions, stops the media room with nkmedia_room:stop(Id) = user_stop (nkmedia@10eb4c3:src/nkmedia_room.erl:148-149),
      // sends destroyed {code, reason} (nkcollab_room.erl:909-927; nkcollab_room_api_events.erl:64-67), then record (:735-739).
      MR('destroyed', this.stopBody('user_stop')),
      this.act(() => live.rooms.delete(`media:${room}`)),
      CR('destroyed', this.stopBody('api_stop')),
      this.act(() => live.rooms.delete(room)),
      CR('record', { info: { room_id: room, class: 'sfu', backend: 'nkmedia_janus' }, timelog: [{ msg: 'stopped', reason: 'API stop received' }] }),
      // Call 1: created (empty body: no body key), ringing {callee}, accepted {callee}, and the
      // end is still named hangup {code, reason} (nkcollab@85db3e1:src/call/nkcollab_call_api_events.erl:41-53).
      // do_stop stops the caller and callee sessions with the reason, then sends it (nkcollab_call.erl:875-888).
      this.act(() => live.calls.set(call1, { call_id: call1, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'bob' })),
      CC('created', call1),
      ...session(ca1, { type: 'p2p', type_ext: {} }),
      ...session(cb1, { type: 'p2p', type_ext: {}, user_id: 'bob' }),
      CC('ringing', call1, { callee: { user_id: 'bob' } }),
      CC('accepted', call1, { callee: { user_id: 'bob' } }),
      S('answer', ca1, this.answer()),
      S('answer', cb1, this.answer()),
      ...end(ca1, 'api_hangup'), // API hangup without reason: api_hangup (nkcollab_call_api.erl:129-135)
      ...end(cb1, 'api_hangup'),
      CC('hangup', call1, this.stopBody('api_hangup')),
      this.act(() => live.calls.delete(call1)),
      // Call 2: rejected by its only callee (remove_invite call_rejected, then do_stop(no_answer), nkcollab_call.erl:461-464,817-824)
      this.act(() => live.calls.set(call2, { call_id: call2, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'carol' })),
      CC('created', call2),
      ...session(ca2, { type: 'p2p', type_ext: {} }),
      ...session(cb2, { type: 'p2p', type_ext: {}, user_id: 'carol' }),
      CC('ringing', call2, { callee: { user_id: 'carol' } }),
      ...end(cb2, 'call_rejected'),
      ...end(ca2, 'no_answer'),
      CC('hangup', call2, this.stopBody('no_answer')),
      this.act(() => live.calls.delete(call2)),
    ];
  }

  protected override expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis, call1, call2, ca1, cb1, ca2, cb2 } = this.c17;
    const sess = (id: string) => `media/session/${id}`;
    const userStop = this.stopBody('user_stop');
    const apiHangup = this.stopBody('api_hangup');
    const noAnswer = this.stopBody('no_answer');
    return {
      era: this.era,
      // S1 4 + S2 4 + rooms created 2 + pub 5 + lis 5 + lis leaves 4 + pub leaves 4 + room end 3
      // + call 1 (created, 2 sessions created, ringing, accepted, 2 answers, 2x(destroyed+record), hangup) 12 + call 2 (created, 2 created, ringing, 2x2, hangup) 9
      events: 52,
      counts: { session: 8, room: 2, call: 2, other: 0 },
      objects: [
        { key: sess(s1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'user_stop 100011 "User stop"; the record event after destroyed does not reopen it' },
        { key: sess(s2), kind: 'session', ended: true, state: 'stopped', verdict: 'fault', code: 100003, why: 'crash: {terminate, _} is unlisted -> 100003 "Internal error code: <ref>"' },
        { key: sess(pub), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'removed from the collab room: user_stop (nkcollab@85db3e1:src/room/nkcollab_room.erl:867)' },
        { key: sess(lis), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'removed from the collab room: user_stop' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...userStop, why: 'the collab room stops its media room with nkmedia_room:stop/1 = user_stop (nkmedia@10eb4c3:src/nkmedia_room.erl:148-149)' },
        { key: `collab/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...this.stopBody('api_stop'), why: 'API destroy: api_stop 100013 (nkcollab@85db3e1:src/room/nkcollab_room_api.erl:45-51)' },
        { key: `collab/call/${call1}`, kind: 'call', ended: true, state: 'hungup', verdict: 'normal', ...apiHangup, why: 'accepted, then API hangup 305011' },
        { key: sess(ca1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...apiHangup, why: 'caller session stopped with the call reason (nkcollab_call.erl:881)' },
        { key: sess(cb1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...apiHangup, why: 'callee session stopped with the call reason (nkcollab_call.erl:882)' },
        { key: `collab/call/${call2}`, kind: 'call', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'rejected by its only callee: no_answer 305006 (nkcollab_call.erl:817-824)' },
        { key: sess(cb2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('call_rejected'), why: 'rejected invite session: call_rejected 305003' },
        { key: sess(ca2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'caller session of an unanswered call: no_answer 305006' },
      ],
      rooms: [
        { key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'media room: started_member peer_id = publisher session id' },
        { key: `collab/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'collab room: started_publisher/started_listener name the session (session_id) and, for listeners, publisher_id = the publisher session (nkcollab@85db3e1:src/room/nkcollab_room.erl:137-149,819-827)' },
      ],
    };
  }
}

export async function startServer(options: EraServerOptions = {}): Promise<ServerNkcollab2017> {
  return new ServerNkcollab2017(options).start();
}
