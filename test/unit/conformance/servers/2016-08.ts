// Era "2016-08": NkMEDIA of late August 2016.
//   nkservice@b780fbf (2016-08-11, head of the luerl branch until 2016-08-27, so what both
//     nkmedia commits below build against: their rebar.config deps -> nkservice branch luerl)
//   nkmedia@3215f72 (2016-08-19, listener field `peer`) or nkmedia@adf1bf4 (2016-08-25,
//     `peer_id`), chosen with the `nkmedia` option (default adf1bf4).
//
// The connection code of b780fbf is the same as 79bf10d's in every part modelled by the
// 2016-10 class this extends: login with {ack} first and the retry delay
// (nkservice@b780fbf:src/nkservice_api_server.erl:547-571), process_login (:615-645), request
// parsing with subclass default "core" (:275-290), server requests with a 5 s op timer
// (:46,489-494, send_request :749-765), events as core/event requests (:408-436), error replies
// (:791-801), the "*" registries of nkservice_events. What differs is overridden below:
// the 1000-range error table, empty lists replied without data, unknown_command as a bare atom,
// no unrecognized_fields report, and nkmedia's August commands and events.
import type { EraId, EraServerOptions, ExpectedOutcome, Json } from './base';
import { Server2016Oct, pick, type CmdResult, type Conn2016, type Reason, type Step, type Syntax } from './2016-10';

export interface Aug2016Options extends EraServerOptions {
  /** Which nkmedia commit: 3215f72 (19 Aug, `peer`) or adf1bf4 (25 Aug, `peer_id`). */
  nkmedia?: '3215f72' | 'adf1bf4';
}

export class Server2016Aug extends Server2016Oct {
  override readonly era: EraId = '2016-08';
  readonly nkmedia: '3215f72' | 'adf1bf4';
  protected override reportsUnrecognizedFields = false;

  constructor(options: Aug2016Options = {}) {
    super(options);
    this.nkmedia = options.nkmedia ?? 'adf1bf4';
  }

  /** The listener's publisher field in room events and room info. */
  get peerField(): 'peer' | 'peer_id' {
    // nkmedia@3215f72:src/nkmedia_events.erl:135-138 {session_id, peer, user};
    // nkmedia@adf1bf4:src/nkmedia_events.erl:135-138 {session_id, peer_id, user}
    return this.nkmedia === '3215f72' ? 'peer' : 'peer_id';
  }

  // ------------------------------------------------------------------------------------------
  // Error codes

  /** nkmedia 2XXX (nkmedia@3215f72:src/nkmedia_callbacks.erl:95-125; adf1bf4 renumbers 2002-2004, not used here). */
  protected override pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    const table: Record<string, [number, string]> = {
      no_mediaserver: [2001, 'No mediaserver available'],
      missing_offer: [2010, 'Missing offer'],
      call_not_found: [2020, 'Call not found'],
      call_rejected: [2021, 'Call rejected'],
      no_destination: [2022, 'No destination'],
      no_answer: [2023, 'No answer'],
      already_answered: [2024, 'Already answered'],
      originator_cancel: [2025, 'Originator cancel'],
      peer_hangup: [2026, 'Peer hangup'],
      room_not_found: [2030, 'Room not found'],
      room_already_exists: [2031, 'Room already exists'],
      room_destroyed: [2032, 'Room destroyed'],
      no_participants: [2033, 'No remaining participants'],
      unknown_publisher: [2034, 'Unknown publisher'],
      invalid_publisher: [2035, 'Invalid publisher'],
      publisher_stopped: [2036, 'Publisher stopped'],
      call_error: [2040, 'Call error'],
    };
    return table[name];
  }

  /** nkservice 1000-range table (nkservice@b780fbf:src/nkservice_callbacks.erl:145-185). */
  protected override nkserviceErrorCode(reason: Reason): [number, string] {
    if (Array.isArray(reason)) {
      const [name, arg] = reason;
      if (name === 'syntax_error') return [1046, `Syntax error: ${String(arg)}`];
      if (name === 'missing_field') return [1047, `Missing field: ${String(arg)}`];
      if (typeof name === 'number' && typeof arg === 'string') return [name, arg]; // :181-182
      return [9999, JSON.stringify(reason)];
    }
    const table: Record<string, [number, string]> = {
      internal_error: [1001, 'Internal error'],
      normal: [1002, 'Normal termination'],
      anormal_termination: [1003, 'Anormal termination'],
      invalid_state: [1004, 'Invalid state'],
      timeout: [1005, 'Timeout'],
      not_implemented: [1006, 'Not implemented'],
      process_not_found: [1010, 'Process not found'],
      process_down: [1011, 'Process failed'],
      registered_down: [1012, 'Registered process stopped'],
      user_stop: [1013, 'User stop'],
      service_not_found: [1020, 'Service not found'],
      unauthorized: [1030, 'Unauthorized'],
      not_authenticated: [1031, 'Not authenticated'],
      already_authenticated: [1032, 'Already authenticated'],
      user_not_found: [1033, 'User not found'],
      duplicated_session_id: [1034, 'Duplicated session id'],
      invalid_session_id: [1035, 'Invalid session id'],
      operation_error: [1040, 'Operation error'],
      unknown_command: [1041, 'Unknown command'],
      unknown_class: [1042, 'Unknown class'],
      incompatible_operation: [1043, 'Incompatible operation'],
      unknown_operation: [1044, 'Unknown operation'],
      invalid_operation: [1045, 'Invalid operation'],
      invalid_parameters: [1048, 'Invalid parameters'],
      missing_parameters: [1049, 'Missing parameters'],
      session_timeout: [1060, 'Session timeout'],
      session_stop: [1061, 'Session stop'],
      session_not_found: [1062, 'Session not found'],
    };
    // error_code(Other) -> {9999, nklib_util:to_binary(Other)} (:184-185)
    return table[reason] ?? [9999, reason];
  }

  // ------------------------------------------------------------------------------------------
  // Framing and commands

  /** send_reply_ok: an EMPTY list is sent without data, like an empty map (nkservice@b780fbf:src/nkservice_api_server.erl:778-783). */
  protected override replyOk(conn: Conn2016, tid: unknown, data: Json | Json[]): void {
    const frame: Json = { result: 'ok', tid };
    if (Array.isArray(data) ? data.length > 0 : Object.keys(data).length > 0) frame.data = data;
    conn.plumb.send(frame);
  }

  /** {error, unknown_command}, a bare atom (nkservice@b780fbf:src/nkservice_api.erl:215-216; nkmedia@3215f72:src/nkmedia_api.erl:268-269). */
  protected override unknownCommand(_cmd: string): Reason {
    return 'unknown_command';
  }

  protected override syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'media' && sub === 'session' && cmd === 'info') return { fields: { session_id: 'binary' }, mandatory: ['session_id'] }; // nkmedia@3215f72:src/nkmedia_api_syntax.erl:105-110
    if (cls === 'media' && sub === 'session' && cmd === 'list') return { fields: {} }; // :112-117
    if (cls === 'media' && sub === 'room' && cmd === 'list') return { fields: { service: 'service' } }; // :196-201
    if (cls === 'media' && sub === 'room' && cmd === 'info') return { fields: { room_id: 'binary' }, mandatory: ['room_id'] }; // :203-208
    if (cls === 'media') return { fields: {} };
    // core: syntax_events of b780fbf is the same as 79bf10d's (nkservice@b780fbf:src/nkservice_api.erl:228-233,299-301)
    return super.syntax(cls, sub, cmd);
  }

  /** nkmedia_api:cmd of August: session list/info, room list/info; anything else unknown_command (nkmedia@3215f72:src/nkmedia_api.erl:127-141,254-269). */
  protected override mediaCmd(_conn: Conn2016, sub: string, cmd: string, data: Json): CmdResult {
    if (sub === 'session' && cmd === 'list') return { ok: [...this.live.sessions.keys()].map((id) => ({ session_id: id })) };
    if (sub === 'session' && cmd === 'info') {
      const keys = ['session_id', this.nkmedia === '3215f72' ? 'peer' : 'peer_id', 'wait_timeout', 'ready_timeout', 'backend', 'user_id', 'user_session', 'type', 'type_ext', 'master_peer', 'slave_peer'];
      const s = this.live.sessions.get(data.session_id);
      // unknown session: session_not_found (nkmedia@3215f72:src/nkmedia_session.erl:800)
      return s ? { ok: pick(s, keys) } : { error: 'session_not_found' };
    }
    if (sub === 'room' && cmd === 'list') return { ok: [...this.live.rooms.entries()].map(([id, r]) => ({ room_id: id, class: r.class })) };
    if (sub === 'room' && cmd === 'info') {
      const r = this.live.rooms.get(data.room_id);
      return r ? { ok: pick(r, ['audio_codec', 'video_codec', 'bitrate', 'class', 'backend', 'publishers', 'listeners']) } : { error: 'room_not_found' };
    }
    return { error: 'unknown_command' };
  }

  // ------------------------------------------------------------------------------------------
  // Script

  protected aug = {
    s1: '1608a0a1-0001-0000-0000-000000000001',
    s2: '1608a0a1-0002-0000-0000-000000000002',
    room: '1608b0b1-0000-0000-0000-0000000000r1',
    pub: '1608a0a1-0003-0000-0000-000000000003',
    lis: '1608a0a1-0004-0000-0000-000000000004',
    call1: '1608c0c1-0001-0000-0000-0000000000c1',
    call2: '1608c0c1-0002-0000-0000-0000000000c2',
  };

  /** {answer: Answer} with the Janus answer map (nkmedia@3215f72:src/nkmedia_events.erl:65-66). */
  protected override answer(): Json {
    return { answer: { sdp: 'v=0\r\no=- 3 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' } };
  }

  override get scriptIds(): Record<string, string> {
    return this.aug;
  }

  protected override scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis, call1, call2 } = this.aug;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const R = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const C = (type: string, id: string, body?: Json) => this.ev('media', 'call', type, id, body);
    const add = (id: string, info: Json) => this.act(() => this.live.sessions.set(id, { session_id: id, backend: 'nkmedia_janus', ...info }));
    const drop = (id: string) => this.act(() => this.live.sessions.delete(id));
    const rm = () => this.live.rooms.get(room)!;
    const peer = this.peerField;
    return [
      // Session events of August: answer {answer}, info {info}, updated_type {type + extras},
      // stop {code, reason} (nkmedia@3215f72:src/nkmedia_events.erl:63-83). The end type is `stop`.
      add(s1, { type: 'echo', type_ext: {}, user_id: 'alice' }),
      S('answer', s1, this.answer()),
      // stop(SessId) = stop(SessId, user_stop) (nkmedia@3215f72:src/nkmedia_session.erl:179) -> 1013 "User stop"
      S('stop', s1, this.stopBody('user_stop')),
      drop(s1),
      // A crash: terminate with another reason stops it with anormal_termination (:561-564) -> 1003
      add(s2, { type: 'echo', type_ext: {}, user_id: 'alice' }),
      S('answer', s2, this.answer()),
      S('stop', s2, this.stopBody('anormal_termination')),
      drop(s2),
      // Room creation is type `started` with audio_codec, video_codec, bitrate, class, backend (nkmedia@3215f72:src/nkmedia_events.erl:123-125)
      this.act(() => this.live.rooms.set(room, { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, publishers: {}, listeners: {} })),
      R('started', { audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, class: 'sfu', backend: 'nkmedia_janus' }),
      // Publisher: type_ext {room_id} (nkmedia@3215f72:src/janus_backend/nkmedia_janus_session.erl:203-204);
      // started_publisher {session_id, user} (nkmedia_events.erl:129-131; room member opts nkmedia_room.erl:400-408)
      add(pub, { type: 'publish', type_ext: { room_id: room }, user_id: 'alice' }),
      S('updated_type', pub, { type: 'publish', room_id: room }),
      S('answer', pub, this.answer()),
      this.act(() => (rm().publishers[pub] = { user: 'alice' })),
      R('started_publisher', { session_id: pub, user: 'alice' }),
      // Listener: type_ext {room_id, publisher_id} (janus_session.erl:228-231); started_listener
      // {session_id, peer|peer_id, user} (nkmedia_events.erl:135-138; nkmedia_room.erl:423-433)
      add(lis, { type: 'listen', type_ext: { room_id: room, publisher_id: pub }, user_id: 'bob' }),
      S('updated_type', lis, { type: 'listen', room_id: room, publisher_id: pub }),
      this.act(() => (rm().listeners[lis] = { user: 'bob', [peer]: pub })),
      R('started_listener', { session_id: lis, [peer]: pub, user: 'bob' }),
      S('answer', lis, this.answer()),
      // The listener stops; the room sees it go and sends stopped_listener {session_id, user} (nkmedia_room.erl:296-303,435-441; nkmedia_events.erl:139-141)
      S('stop', lis, this.stopBody('user_stop')),
      drop(lis),
      this.act(() => delete rm().listeners[lis]),
      R('stopped_listener', { session_id: lis, user: 'bob' }),
      S('stop', pub, this.stopBody('user_stop')),
      drop(pub),
      this.act(() => delete rm().publishers[pub]),
      R('stopped_publisher', { session_id: pub, user: 'alice' }),
      // API destroy: nkmedia_room:stop(Id, user_stop) (nkmedia@3215f72:src/nkmedia_api.erl:246-252) -> destroyed {1013, "User stop"} (nkmedia_events.erl:126-128)
      R('destroyed', this.stopBody('user_stop')),
      this.act(() => this.live.rooms.delete(room)),
      // Calls: ringing {} or {answer}, answer {answer} or {}, hangup {code, reason} (nkmedia@3215f72:src/nkmedia_events.erl:91-113)
      C('ringing', call1),
      C('answer', call1, this.answer()),
      // API hangup without reason: Reason = <<"user_hangup">> (nkmedia@3215f72:src/nkmedia_api.erl:225-228), a binary that
      // no table lists -> {9999, <<"user_hangup">>} (nkservice@b780fbf:src/nkservice_callbacks.erl:184-185)
      C('hangup', call1, this.stopBody('user_hangup')),
      // Its only callee rejects: remove_invite of the last invite -> hangup no_answer (nkmedia@3215f72:src/nkmedia_call.erl:315-321,486-491) -> 2023
      C('ringing', call2),
      C('hangup', call2, this.stopBody('no_answer')),
    ];
  }

  protected override expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis, call1, call2 } = this.aug;
    const userStop = this.stopBody('user_stop');
    return {
      era: this.era,
      // S1 2 + S2 2 + started 1 + pub 3 + lis 3 + lis end 2 + pub end 2 + destroyed 1 + call1 3 + call2 2
      events: 21,
      counts: { session: 4, room: 1, call: 2, other: 0 },
      objects: [
        { key: `media/session/${s1}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'user_stop 1013 "User stop" (nkservice@b780fbf:src/nkservice_callbacks.erl:155): normal end, non-zero code; end type is stop' },
        { key: `media/session/${s2}`, kind: 'session', ended: true, state: 'stopped', verdict: 'fault', ...this.stopBody('anormal_termination'), why: 'crash: anormal_termination 1003 (nkmedia@3215f72:src/nkmedia_session.erl:564; nkservice@b780fbf:src/nkservice_callbacks.erl:147)' },
        { key: `media/session/${pub}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'publisher left with user_stop' },
        { key: `media/session/${lis}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'listener left with user_stop' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...userStop, why: 'API destroy uses user_stop in August (nkmedia@3215f72:src/nkmedia_api.erl:246-252)' },
        { key: `media/call/${call1}`, kind: 'call', ended: true, state: 'hungup', verdict: 'normal', code: 9999, reason: 'user_hangup', why: 'answered, then hung up through the API with the default reason "user_hangup", which falls to 9999 (nkmedia@3215f72:src/nkmedia_api.erl:227; nkservice@b780fbf:src/nkservice_callbacks.erl:184-185)' },
        { key: `media/call/${call2}`, kind: 'call', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('no_answer'), why: 'its only invite rejected: no_answer 2023 (nkmedia@3215f72:src/nkmedia_call.erl:486-491; nkmedia_callbacks.erl:109)' },
      ],
      rooms: [{ key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: `started_listener names the publisher in \`${this.peerField}\` (nkmedia@${this.nkmedia}:src/nkmedia_events.erl:135-138)` }],
    };
  }
}

export async function startServer(options: Aug2016Options = {}): Promise<Server2016Aug> {
  return new Server2016Aug(options).start();
}
