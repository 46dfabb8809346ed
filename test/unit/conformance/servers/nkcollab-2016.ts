// Era "nkcollab-2016": NkCOLLAB master at its last commit, on the Oct-2016 NkSERVICE framing.
//   nkcollab@c0119d7 (master, 2016-10-31; rebar.config deps -> nkmedia branch develop)
//   nkmedia@2448086 (master, 2016-10-31, which merged develop that day at nkmedia@819766a;
//     rebar.config deps -> nkservice branch luerl)
//   nkservice@968088a (2016-10-21, the luerl head on 2016-10-31)
//
// nkservice 968088a keeps the 2016 connection code of 79bf10d in every part the 2016-10 class
// models (core/event requests with a tid and a 5 s op timer, nkservice@968088a:src/nkservice_api_server.erl:46,475,807;
// login with {ack} and retry_time :611-625; idle timeout 30 s, nkservice_util.erl:32,96; the same
// "*" fan-out, nkservice_events.erl:60-75), but its error table changed on 2016-10-20
// (nkservice@e787fc0): user_stop "User stop", member_stop 100012, api_stop 100013, and
// unlisted reasons give 999999 (nkservice@968088a:src/nkservice_callbacks.erl:168-213).
// NkCOLLAB adds class collab (subclasses call and room); all its events are class collab.
import type { EraId, EraServerOptions, ExpectedOutcome, Json } from './base';
import { Server2016Oct, pick, type CmdResult, type Conn2016, type Reason, type Step, type Syntax } from './2016-10';

export class ServerNkcollab2016 extends Server2016Oct {
  override readonly era: EraId = 'nkcollab-2016';

  constructor(options: EraServerOptions = {}) {
    super(options);
  }

  // ------------------------------------------------------------------------------------------
  // Error codes

  protected override pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    // NkCOLLAB call 305XXX (nkcollab@c0119d7:src/call/nkcollab_call_callbacks.erl:77-89)
    if (name === 'api_hangup') return typeof reason === 'string' ? [305011, 'API hangup'] : [305011, `API hangup: ${String(reason[1])}`];
    const collab: Record<string, [number, string]> = {
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
      // NkCOLLAB room 401XXX (nkcollab@c0119d7:src/room/nkcollab_room_callbacks.erl:73-77)
      media_room_down: [401001, 'Media room failed'],
      presenter_not_found: [401002, 'Presenter not found'],
      already_listening: [401003, 'Already listening'],
      member_is_not_publisher: [401004, 'Member is not a publisher'],
      // nkmedia 304XXX room entries (nkmedia@2448086:src/plugins/nkmedia_room_callbacks.erl, unchanged from 4394517)
      room_not_found: [304001, 'Room not found'],
      room_already_exists: [304002, 'Room already exists'],
      room_destroyed: [304003, 'Room destroyed'],
      no_room_members: [304004, 'No remaining room members'],
      publisher_stop: [304006, 'Publisher stopped'],
      // nkmedia 300XXX (nkmedia@2448086:src/nkmedia_callbacks.erl: unknown_backend 300003 renumbers session_failed etc.)
      unknown_backend: [300003, 'Unknown backend'],
      session_failed: [300004, 'Session has failed'],
      peer_stopped: [300021, 'Peer session stopped'],
    };
    return collab[name];
  }

  /** nkservice@968088a:src/nkservice_callbacks.erl:168-213. */
  protected override nkserviceErrorCode(reason: Reason): [number, string] {
    if (Array.isArray(reason)) {
      const [code, text] = super.nkserviceErrorCode(reason);
      return code === 100999 ? [999999, text] : [code, text];
    }
    const changed: Record<string, [number, string]> = {
      user_stop: [100011, 'User stop'],
      member_stop: [100012, 'Member stop'],
      api_stop: [100013, 'API stop received'],
      member_not_found: [100036, 'Member not found'],
      invalid_role: [100037, 'Invalid role'],
      unknown_peer: [100071, 'Unknown peer'],
    };
    if (changed[reason]) return changed[reason];
    const [code, text] = super.nkserviceErrorCode(reason);
    return code === 100999 ? [999999, text] : [code, text]; // error_code(Other) -> {999999, ...} (:212-213)
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  /** class collab goes through nkservice_api:launch too (nkcollab@c0119d7:src/nkcollab_callbacks.erl:110-111). */
  protected override launchedClasses(): string[] {
    return ['media', 'collab'];
  }

  protected override syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'collab' && sub === 'room' && cmd === 'get_info') return { fields: { room_id: 'binary' }, mandatory: ['room_id'] }; // nkcollab@c0119d7:src/room/nkcollab_room_api_syntax.erl:64-69
    if (cls === 'collab' && sub === 'call' && cmd === 'get_info') return { fields: { call_id: 'binary' }, mandatory: ['call_id'] }; // nkcollab@c0119d7:src/call/nkcollab_call_api_syntax.erl:113-118
    if (cls === 'collab') return { fields: {} };
    return super.syntax(cls, sub, cmd);
  }

  protected override apiCmd(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): CmdResult {
    if (cls === 'collab') return this.collabCmd(sub, cmd, data);
    return super.apiCmd(conn, cls, sub, cmd, data, tid);
  }

  /**
   * collab/room (nkcollab@c0119d7:src/room/nkcollab_room_api.erl:53-63): get_list = [{room_id, meta}],
   * get_info = get_room_info (audio_codec, video_codec, bitrate, class, backend, meta, status;
   * nkcollab_room_api_syntax.erl:232-234); collab/call (nkcollab@c0119d7:src/call/nkcollab_call_api.erl:155-171):
   * get_list = [{call_id}], get_info = get_call_info (nkcollab_call_api_syntax.erl:137-151).
   * Anything else: {unknown_command, Cmd} (call api :170-171; room api continues to
   * nkcollab_api:cmd, nkcollab@c0119d7:src/nkcollab_api.erl:43-44).
   */
  protected collabCmd(sub: string, cmd: string, data: Json): CmdResult {
    if (sub === 'room' && cmd === 'get_list') return { ok: [...this.live.rooms.entries()].filter(([, r]) => r.collab).map(([id, r]) => ({ room_id: id, meta: r.meta ?? {} })) };
    if (sub === 'room' && cmd === 'get_info') {
      const r = this.live.rooms.get(data.room_id);
      return r?.collab ? { ok: pick(r, ['audio_codec', 'video_codec', 'bitrate', 'class', 'backend', 'meta', 'status']) } : { error: 'room_not_found' };
    }
    if (sub === 'call' && cmd === 'get_list') return { ok: [...this.live.calls.keys()].map((id) => ({ call_id: id })) };
    if (sub === 'call' && cmd === 'get_info') {
      const c = this.live.calls.get(data.call_id);
      return c ? { ok: pick(c, ['call_id', 'type', 'backend', 'user_id', 'user_session', 'caller', 'callee']) } : { error: 'call_not_found' };
    }
    return { error: this.unknownCommand(cmd) };
  }

  /** Media commands of nkmedia@2448086: the same get_list/get_info, room get_info adds status (nkmedia@2448086:src/plugins/nkmedia_room_api_syntax.erl:80-82). */
  protected override mediaCmd(conn: Conn2016, sub: string, cmd: string, data: Json): CmdResult {
    // The media room under a collab room has the same id; the model keeps it under "media:<id>".
    if (sub === 'room' && cmd === 'get_list') return { ok: [...this.live.rooms.entries()].filter(([, r]) => !r.collab).map(([id, r]) => ({ room_id: id.replace(/^media:/, ''), class: r.class })) };
    if (sub === 'room' && cmd === 'get_info') {
      const r = this.live.rooms.get(`media:${data.room_id}`);
      return r ? { ok: pick(r, ['audio_codec', 'video_codec', 'bitrate', 'class', 'backend', 'members', 'status']) } : { error: 'room_not_found' };
    }
    return super.mediaCmd(conn, sub, cmd, data);
  }

  // ------------------------------------------------------------------------------------------
  // Script

  protected c16 = {
    s1: 'c016a0a1-0001-0000-0000-000000000001',
    s2: 'c016a0a1-0002-0000-0000-000000000002',
    room: 'c016b0b1-0000-0000-0000-0000000000r1',
    pub: 'c016a0a1-0003-0000-0000-000000000003',
    lis: 'c016a0a1-0004-0000-0000-000000000004',
    call1: 'c016c0c1-0001-0000-0000-0000000000c1',
    call2: 'c016c0c1-0002-0000-0000-0000000000c2',
    call3: 'c016c0c1-0003-0000-0000-0000000000c3',
    ca1: 'c016a0a1-0005-0000-0000-000000000005',
    cb1: 'c016a0a1-0006-0000-0000-000000000006',
    ca2: 'c016a0a1-0007-0000-0000-000000000007',
    cb2: 'c016a0a1-0008-0000-0000-000000000008',
    ca3: 'c016a0a1-0009-0000-0000-000000000009',
    cb3: 'c016a0a1-0010-0000-0000-000000000010',
  };

  /** created: the session's get_info subset (nkmedia@2448086:src/nkmedia_api_events.erl:43-45; nkmedia_api_syntax.erl:234-269). */
  protected sessionInfo(id: string, extra: Json): Json {
    return { session_id: id, backend: 'nkmedia_janus', sdp_type: 'webrtc', user_id: 'alice', user_session: 'f3b0c2d1-5a4e-4c6b-9d8e-7f6a5b4c3d2e', ...extra };
  }

  override get scriptIds(): Record<string, string> {
    return this.c16;
  }

  protected override scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis, call1, call2, call3, ca1, cb1, ca2, cb2, ca3, cb3 } = this.c16;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const MR = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const CR = (type: string, body?: Json) => this.ev('collab', 'room', type, room, body);
    const CC = (type: string, id: string, body?: Json) => this.ev('collab', 'call', type, id, body);
    const live = this.live;
    const session = (id: string, extra: Json) => {
      const info = this.sessionInfo(id, extra);
      return [this.act(() => live.sessions.set(id, info)), S('created', id, info)];
    };
    const destroyed = (id: string, reason: Reason) => [S('destroyed', id, this.stopBody(reason)), this.act(() => live.sessions.delete(id))];
    const mediaRoom = () => live.rooms.get(`media:${room}`)!;
    return [
      // Sessions of nkmedia 2448086: created (new on master at 2448086), answer, type, candidate,
      // status, info, destroyed (nkmedia@2448086:src/nkmedia_api_events.erl:43-66).
      ...session(s1, { type: 'echo', type_ext: {} }),
      S('answer', s1, this.answer()),
      ...destroyed(s1, 'user_stop'), // 100011 "User stop" at 968088a (nkservice_callbacks.erl:178)
      ...session(s2, { type: 'echo', type_ext: {} }),
      S('answer', s2, this.answer()),
      ...destroyed(s2, ['internal_error', '5d1c0a77']), // crash -> {internal_error, Ref} -> 100003
      // A collab room: nkcollab_room:start starts the media room (class sfu) with the same room id
      // first (nkcollab@c0119d7:src/room/nkcollab_room.erl:172-185), whose created body is the room
      // get_info subset (nkmedia@2448086:src/plugins/nkmedia_room_api_events.erl:39-41, nkmedia_room_api_syntax.erl:80-82);
      // then the collab room sends created = get_room_info (nkcollab@c0119d7:src/room/nkcollab_room_api_events.erl:39-41,
      // nkcollab_room_api_syntax.erl:232-234; init :449).
      this.act(() => live.rooms.set(`media:${room}`, { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, members: {} })),
      MR('created', { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, members: {} }),
      this.act(() => live.rooms.set(room, { collab: true, class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, meta: {} })),
      CR('created', { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000 }),
      // Member 1, a presenter: a publish session in the media room (add_session(publish), nkcollab_room.erl:842-858),
      // then started_member = get_member_info (user_id, role, meta) + member_id (nkcollab_room_api_events.erl:47-49;
      // nkcollab_room_api_syntax.erl:237-239); member ids are integers from member_pos (nkcollab_room.erl:459-478).
      ...session(pub, { type: 'publish', type_ext: { room_id: room }, room_id: room }),
      this.act(() => (mediaRoom().members[pub] = { role: 'publisher', user_id: 'alice' })),
      MR('started_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      S('type', pub, { type: 'publish', room_id: room }),
      S('answer', pub, this.answer()),
      CR('started_member', { user_id: 'alice', role: 'presenter', member_id: 1 }),
      // Member 2, a viewer of presenter 1: a listen session whose publisher_id is the presenter's
      // publish session (nkcollab_room.erl:860-882). The collab member event carries no presenter
      // or session id: only user_id, role, meta, member_id.
      ...session(lis, { type: 'listen', type_ext: { room_id: room, publisher_id: pub }, room_id: room, publisher_id: pub, user_id: 'bob' }),
      this.act(() => (mediaRoom().members[lis] = { role: 'listener', user_id: 'bob', peer_id: pub })),
      MR('started_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      S('type', lis, { type: 'listen', room_id: room, publisher_id: pub }),
      S('answer', lis, this.answer()),
      CR('started_member', { user_id: 'bob', role: 'viewer', member_id: 2 }),
      // destroy_member 2: its sessions are stopped with member_stop and stopped_session sent
      // (stop_sessions, nkcollab_room.erl:1095-1102), then stopped_member (:899-917).
      CR('stopped_session', { member_id: 2, session_id: lis }),
      ...destroyed(lis, 'member_stop'), // 100012 "Member stop" (nkservice@968088a:src/nkservice_callbacks.erl:179)
      this.act(() => delete mediaRoom().members[lis]),
      MR('stopped_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      CR('stopped_member', { user_id: 'bob', role: 'viewer', member_id: 2 }),
      // destroy_member 1 likewise.
      CR('stopped_session', { member_id: 1, session_id: pub }),
      ...destroyed(pub, 'member_stop'),
      this.act(() => delete mediaRoom().members[pub]),
      MR('stopped_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      CR('stopped_member', { user_id: 'alice', role: 'presenter', member_id: 1 }),
      // API destroy: nkcollab_room:stop(Id, api_stop) (nkcollab@c0119d7:src/room/nkcollab_room_api.erl:45-51); do_stop
      // stops the media room with the same reason (nkcollab_room.erl:978-980); terminate sends destroyed (:776-788).
      MR('destroyed', this.stopBody('api_stop')),
      this.act(() => live.rooms.delete(`media:${room}`)),
      CR('destroyed', this.stopBody('api_stop')),
      this.act(() => live.rooms.delete(room)),
      // Call 1, accepted, hung up through the API: collab/call ringing {callee}, accepted {callee},
      // hangup {code, reason} (nkcollab@c0119d7:src/call/nkcollab_call_api_events.erl:41-49). The callee
      // is the map the callee's client gave (nkcollab_call_api.erl:67-70,82-90). terminate stops the caller and
      // callee sessions with the stop reason, then sends hangup (nkcollab_call.erl:531-546); API hangup
      // without reason = api_hangup (nkcollab_call_api.erl:139-145).
      this.act(() => live.calls.set(call1, { call_id: call1, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'bob' })),
      ...session(ca1, { type: 'p2p', type_ext: {} }),
      ...session(cb1, { type: 'p2p', type_ext: {}, user_id: 'bob' }),
      CC('ringing', call1, { callee: { user_id: 'bob' } }),
      CC('accepted', call1, { callee: { user_id: 'bob' } }),
      S('answer', ca1, this.answer()),
      S('answer', cb1, this.answer()),
      ...destroyed(ca1, 'api_hangup'),
      ...destroyed(cb1, 'api_hangup'),
      CC('hangup', call1, this.stopBody('api_hangup')),
      this.act(() => live.calls.delete(call1)),
      // Call 2, rejected: remove_invite(Pos, call_rejected) stops the invite's session with
      // call_rejected, and with no invite left do_hangup(no_answer) (nkcollab_call.erl:434-440,775-782).
      this.act(() => live.calls.set(call2, { call_id: call2, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'carol' })),
      ...session(ca2, { type: 'p2p', type_ext: {} }),
      ...session(cb2, { type: 'p2p', type_ext: {}, user_id: 'carol' }),
      CC('ringing', call2, { callee: { user_id: 'carol' } }),
      ...destroyed(cb2, 'call_rejected'),
      ...destroyed(ca2, 'no_answer'),
      CC('hangup', call2, this.stopBody('no_answer')),
      this.act(() => live.calls.delete(call2)),
      // Call 3, never answered: the ring timer removes the invite with ring_timeout (:470-474),
      // then no_answer as above.
      this.act(() => live.calls.set(call3, { call_id: call3, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'dave' })),
      ...session(ca3, { type: 'p2p', type_ext: {} }),
      ...session(cb3, { type: 'p2p', type_ext: {}, user_id: 'dave' }),
      CC('ringing', call3, { callee: { user_id: 'dave' } }),
      ...destroyed(cb3, 'ring_timeout'),
      ...destroyed(ca3, 'no_answer'),
      CC('hangup', call3, this.stopBody('no_answer')),
      this.act(() => live.calls.delete(call3)),
    ];
  }

  protected override expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis, call1, call2, call3, ca1, cb1, ca2, cb2, ca3, cb3 } = this.c16;
    const sess = (id: string) => `media/session/${id}`;
    const memberStop = this.stopBody('member_stop');
    const apiHangup = this.stopBody('api_hangup');
    const noAnswer = this.stopBody('no_answer');
    return {
      era: this.era,
      // S1 3 + S2 3 + rooms created 2 + pub 5 + lis 5 + member 2 leaves 4 + member 1 leaves 4 + destroyed 2
      // + call 1 (2 created, ringing, accepted, 2 answers, 2 destroyed, hangup) 9 + call 2 (2 created, ringing, 2 destroyed, hangup) 6 + call 3 6
      events: 49,
      counts: { session: 10, room: 2, call: 3, other: 0 },
      objects: [
        { key: sess(s1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...this.stopBody('user_stop'), why: 'user_stop 100011 "User stop" (nkservice@968088a:src/nkservice_callbacks.erl:178)' },
        { key: sess(s2), kind: 'session', ended: true, state: 'stopped', verdict: 'fault', ...this.stopBody(['internal_error', '5d1c0a77']), why: 'crash: {internal_error, Ref} 100003' },
        { key: sess(pub), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...memberStop, why: 'the presenter member was removed: its session stops with member_stop 100012 "Member stop" (nkcollab@c0119d7:src/room/nkcollab_room.erl:1099)' },
        { key: sess(lis), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...memberStop, why: 'the viewer member was removed: member_stop' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...this.stopBody('api_stop'), why: 'stopped by its collab room with api_stop 100013 (nkcollab@c0119d7:src/room/nkcollab_room.erl:978-980)' },
        { key: `collab/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...this.stopBody('api_stop'), why: 'API destroy, api_stop 100013 "API stop received" (nkcollab@c0119d7:src/room/nkcollab_room_api.erl:45-51)' },
        { key: `collab/call/${call1}`, kind: 'call', ended: true, state: 'hungup', verdict: 'normal', ...apiHangup, why: 'accepted, then API hangup 305011 (nkcollab@c0119d7:src/call/nkcollab_call_api.erl:139-145)' },
        { key: sess(ca1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...apiHangup, why: 'caller session stopped with the call stop reason (nkcollab_call.erl:541)' },
        { key: sess(cb1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...apiHangup, why: 'callee session stopped with the call stop reason (nkcollab_call.erl:542)' },
        { key: `collab/call/${call2}`, kind: 'call', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'rejected by its only callee: no_answer 305006 (nkcollab_call.erl:775-782)' },
        { key: sess(cb2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('call_rejected'), why: 'rejected invite session: call_rejected 305003 (nkcollab_call.erl:437,778)' },
        { key: sess(ca2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'caller session of an unanswered call: no_answer 305006' },
        { key: `collab/call/${call3}`, kind: 'call', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'ring timeout of its only callee, then no_answer (nkcollab_call.erl:470-474,782)' },
        { key: sess(cb3), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('ring_timeout'), why: 'timed-out invite session: ring_timeout 305004' },
        { key: sess(ca3), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...noAnswer, why: 'caller session of an unanswered call: no_answer 305006' },
      ],
      rooms: [
        { key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'media room members by session id, peer_id = publisher session (nkmedia@2448086 same member info as 4394517)' },
        { key: `collab/room/${room}`, publishers: ['1'], listeners: { '2': undefined }, why: 'collab members by member id (integers, sent as numbers); role presenter/viewer; started_member carries no presenter id, so the events do not link the viewer to its presenter (nkcollab@c0119d7:src/room/nkcollab_room_api_syntax.erl:237-239)' },
      ],
    };
  }
}

export async function startServer(options: EraServerOptions = {}): Promise<ServerNkcollab2016> {
  return new ServerNkcollab2016(options).start();
}
