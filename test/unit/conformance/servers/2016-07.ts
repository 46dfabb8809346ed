// Era "2016-07": NkMEDIA of July 2016.
//   nkservice@cbdd973 (2016-07-15, luerl branch; nkmedia@bb1dc51:rebar.config deps -> nkservice
//     branch luerl, whose head on 2016-07-22 is 6da9c39: same connection code, nkservice_events
//     send_all/2 renamed send/2 with the same fan-out)
//   nkmedia@bb1dc51 (2016-07-22), rooms in the Janus backend, with its sample nkmedia_test_api.
//
// Built on the 2016-10 class for the parts cbdd973 already has in the same form: server
// requests with tid and a 5 s op timer, ack extending to 180 s (nkservice@cbdd973:src/nkservice_api_server.erl:45-46,
// 468-476, 672-709, 713-729), events as core/event requests (:393-421), error replies (:749-759),
// the "*" registries of nkservice_events (nkservice@cbdd973:src/nkservice_events.erl). What
// differs is overridden: the login clause, the order of the checks, the all-1000 error table,
// empty lists without data, and nkmedia's July rooms, sessions and commands.
import type { EraId, EraServerOptions, ExpectedOutcome, Json } from './base';
import { sleep, uuid4 } from './base';
import { Server2016Oct, pick, type CmdResult, type Conn2016, type Reason, type Step, type Syntax } from './2016-10';

export class Server2016Jul extends Server2016Oct {
  override readonly era: EraId = '2016-07';
  protected override reportsUnrecognizedFields = false;

  constructor(options: EraServerOptions = {}) {
    super(options);
  }

  // ------------------------------------------------------------------------------------------
  // Error codes

  /** nkmedia July: nkmedia_util:error/1 entries get 2000 + 0 (nkmedia@bb1dc51:src/nkmedia_callbacks.erl:47,344-348; nkmedia_util.erl:55-82). */
  protected override pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    const texts: Record<string, string> = {
      no_mediaserver: 'No mediaserver available',
      unknown_session_type: 'Unknown session type',
      missing_offer: 'Missing offer',
      call_rejected: 'Call rejected',
      no_answer: 'No answer',
      no_destination: 'No destination',
      originator_cancel: 'Originator cancel',
      peer_hangup: 'Peer hangup',
      registered_down: 'Registered process stop',
      room_not_found: 'Room not found',
      room_already_exists: 'Room already exists',
      room_destroyed: 'Room destroyed',
      call_not_found: 'Call not found',
      already_answered: 'Already answered',
    };
    return texts[name] ? [2000, texts[name]] : undefined;
  }

  /** nkservice July: almost everything is 1000 (nkservice@cbdd973:src/nkservice_callbacks.erl:136-169). */
  protected override nkserviceErrorCode(reason: Reason): [number, string] {
    if (Array.isArray(reason)) {
      const [name, arg] = reason;
      if (name === 'syntax_error') return [1000, `Syntax error: ${String(arg)}`];
      if (name === 'missing_field') return [1000, `Missing field: ${String(arg)}`];
      if (typeof name === 'number' && typeof arg === 'string') return [name, arg]; // :165-166
      return [9999, `Unknown Error: ${JSON.stringify(reason)}`];
    }
    const texts: Record<string, string> = {
      normal: 'Normal termination',
      anormal: 'Anormal termination',
      not_implemented: 'Not implemented',
      unauthorized: 'Unauthorized',
      not_authenticated: 'Not authenticated',
      user_not_found: 'User not found',
      internal_error: 'Internal error',
      operation_error: 'Operation error',
      unknown_command: 'Unknown command',
      unknown_class: 'Unknown class',
      incompatible_operation: 'Incompatible operation',
      unknown_operation: 'Unknown operation',
      invalid_operation: 'Invalid operation',
      no_event_listener: 'No event listener',
      invalid_parameters: 'Invalid parameters',
      missing_parameters: 'Missing parameters',
      invalid_reply: 'Invalid reply',
      invalid_state: 'Invalid state',
      session_timeout: 'Session timeout',
      session_stop: 'Session stop',
      session_not_found: 'Session not found',
      service_not_found: 'Service not found',
      timeout: 'Timeout',
      noproc: 'No process',
      user_stop: 'User stop',
      process_down: 'Process failed',
    };
    // error_code(Other) -> {9999, <<"Unknown Error: ", ...>>} (:168-169)
    return texts[reason] ? [1000, texts[reason]] : [9999, `Unknown Error: ${reason}`];
  }

  // ------------------------------------------------------------------------------------------
  // Requests

  /**
   * process_client_req of July (nkservice@cbdd973:src/nkservice_api_server.erl:521-597): the
   * login clause matches whatever the state (there is no already_authenticated), a client
   * core/core/event is taken before the authentication check, then not_authenticated, then
   * api_server_cmd.
   */
  protected override async processClientReq(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): Promise<void> {
    if (cls === 'core' && sub === 'user' && cmd === 'login') {
      await this.login(conn, data, tid);
      return;
    }
    if (cls === 'core' && sub === 'core' && cmd === 'event') {
      this.replyOk(conn, tid, {}); // :564-583
      return;
    }
    if (!conn.loggedIn) {
      this.replyError(conn, tid, 'not_authenticated'); // :585-586
      return;
    }
    this.sendResult(conn, tid, this.apiServerCmd(conn, cls, sub, cmd, data, tid)); // :588-597
  }

  /**
   * The July login: {ack} first, always a new UUID (a session_id in the data is not used),
   * api_server_login(Data, SessId); failure sleeps retry_time (100 ms, doubling) before the error
   * (nkservice@cbdd973:src/nkservice_api_server.erl:521-562, retry_time :212).
   */
  protected override async login(conn: Conn2016, data: Json, tid: unknown): Promise<void> {
    this.sendAck(conn, tid);
    conn.loginData = data;
    const sessId = uuid4(); // :526
    const user = this.loginCallback(data);
    if (user === undefined) {
      await sleep(conn.retryMs);
      conn.retryMs *= 2;
      this.replyError(conn, tid, 'unauthorized'); // default api_server_login: {false, unauthorized} (nkservice@cbdd973:src/nkservice_callbacks.erl:195-196)
      return;
    }
    conn.loggedIn = true;
    conn.user = user;
    conn.sessionId = sessId;
    this.register(conn, { class: 'core', subclass: 'user_event', type: '*', obj_id: user }, {}); // :549-555
    this.register(conn, { class: 'core', subclass: 'session_event', type: '*', obj_id: sessId }, {}); // :556-560
    this.replyOk(conn, tid, { session_id: sessId }); // :561
    this.startPing(conn);
  }

  /**
   * The July sample requires both user AND pass (any value): api_server_login(#{<<"user">>,
   * <<"pass">>}) then start_ping(self(), 60); otherwise continue -> {false, unauthorized}
   * (nkmedia@bb1dc51:src/nkmedia_test_api.erl:205-210). A `password` key is not looked at.
   * (pass stopped being required at nkmedia@113a6a5, 2016-08-09.)
   */
  protected override loginCallback(data: Json): string | undefined {
    if (this.opts.login) return this.opts.login(data);
    return typeof data.user === 'string' && 'pass' in data ? data.user : undefined;
  }

  /** send_reply_ok: an empty list is sent without data (nkservice@cbdd973:src/nkservice_api_server.erl:739-744). */
  protected override replyOk(conn: Conn2016, tid: unknown, data: Json | Json[]): void {
    const frame: Json = { result: 'ok', tid };
    if (Array.isArray(data) ? data.length > 0 : Object.keys(data).length > 0) frame.data = data;
    conn.plumb.send(frame);
  }

  /** {error, unknown_command} (nkservice@cbdd973:src/nkservice_api.erl:220-221; nkmedia@bb1dc51:src/nkmedia_api.erl:139-140). */
  protected override unknownCommand(_cmd: string): Reason {
    return 'unknown_command';
  }

  protected override syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'media' && sub === 'room' && cmd === 'list') return { fields: { service: 'service' } }; // nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_api.erl:141-146
    if (cls === 'media' && sub === 'room' && cmd === 'info') return { fields: { id: 'binary' }, mandatory: ['id'] }; // :148-153
    if (cls === 'media') return { fields: {} };
    // syntax_events: same fields and "*" defaults (nkservice@cbdd973:src/nkservice_api.erl:228-233,286-301)
    return super.syntax(cls, sub, cmd);
  }

  /**
   * Class media: the Janus plugin answers room create/destroy/list/info and continues
   * otherwise (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_api.erl:45-78, dispatched by
   * nkmedia_janus_callbacks.erl:236-238); then nkmedia_api:cmd, unknown_command for the rest
   * (nkmedia@bb1dc51:src/nkmedia_api.erl:139-140). There is no session list/info in July.
   */
  protected override mediaCmd(_conn: Conn2016, sub: string, cmd: string, data: Json): CmdResult {
    if (sub === 'room' && cmd === 'list') return { ok: { ids: [...this.live.rooms.keys()] } }; // {ids: [...]} (:61-63)
    if (sub === 'room' && cmd === 'info') {
      const r = this.live.rooms.get(data.id);
      // room_audio_codec, room_video_codec, room_bitrate, publish, listen (:65-75); not found: room_not_found (nkmedia_janus_room.erl:429)
      return r ? { ok: pick(r, ['room_audio_codec', 'room_video_codec', 'room_bitrate', 'publish', 'listen']) } : { error: 'room_not_found' };
    }
    return { error: 'unknown_command' };
  }

  // ------------------------------------------------------------------------------------------
  // Script

  protected jul = {
    s1: '1607a0a1-0001-0000-0000-000000000001',
    s2: '1607a0a1-0002-0000-0000-000000000002',
    room: '1607b0b1-0000-0000-0000-0000000000r1',
    pub: '1607a0a1-0003-0000-0000-000000000003',
    lis: '1607a0a1-0004-0000-0000-000000000004',
  };

  protected override answer(): Json {
    return { answer: { sdp: 'v=0\r\no=- 4 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' } };
  }

  override get scriptIds(): Record<string, string> {
    return this.jul;
  }

  protected override scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis } = this.jul;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const R = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const rm = () => this.live.rooms.get(room)!;
    // send_event of the Janus room: the room event, then a copy to each member session of the
    // room AS IT WAS before the change (the State passed in, not State2) as a session event of
    // type `room`, body = room body + type (the room event type) + room (the room id)
    // (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:362-396,463-476; the copy is a
    // session ext event, nkmedia_session.erl:281-286,782-791). A copy to a session that already
    // stopped goes nowhere (do_cast to a missing process).
    const copy = (member: string, type: string, body: Json) => S('room', member, { ...body, type, room });
    return [
      // Session events of July: answer {answer}, info {info}, updated_type {type + extras},
      // stop {code, reason} (nkmedia@bb1dc51:src/nkmedia_session.erl:758-778).
      S('answer', s1, this.answer()),
      // stop(SessId) = stop(SessId, user_stop) (nkmedia_session.erl:182-183) -> {1000, "User stop"}
      S('stop', s1, this.stopBody('user_stop')),
      // A crash: terminate with another reason -> do_stop(anormal) (nkmedia_session.erl:548-555) -> {1000, "Anormal termination"}
      S('answer', s2, this.answer()),
      S('stop', s2, this.stopBody('anormal')),
      // The Janus room: created {config: room_audio_codec, room_video_codec, room_bitrate} (nkmedia_janus_room.erl:211-212)
      this.act(() => this.live.rooms.set(room, { room_audio_codec: 'opus', room_video_codec: 'vp8', room_bitrate: 500000, publish: [], listen: {} })),
      R('created', { config: { room_audio_codec: 'opus', room_video_codec: 'vp8', room_bitrate: 500000 } }),
      // Publisher: started_publisher {publisher} (:362-368); nobody to copy to yet. Its session:
      // answer, then updated_type {room, type} (type_ext {room}, nkmedia_janus_session.erl:190-191;
      // nkmedia_session.erl:656-685)
      this.act(() => rm().publish.push(pub)),
      R('started_publisher', { publisher: pub }),
      S('answer', pub, this.answer()),
      S('updated_type', pub, { room, type: 'publish' }),
      // Listener: started_listener {listener, publisher} (:382-388), copied to the publisher;
      // its session: updated_type {room, publisher, type} (nkmedia_janus_session.erl:215-218), then its answer
      this.act(() => (rm().listen[lis] = pub)),
      R('started_listener', { listener: lis, publisher: pub }),
      copy(pub, 'started_listener', { listener: lis, publisher: pub }),
      S('updated_type', lis, { room, publisher: pub, type: 'listen' }),
      S('answer', lis, this.answer()),
      // The listener stops (user_stop); the room gets its DOWN: stopped_listener {listener}
      // (:290-306,390-396), copied to the members before the change: the publisher (the listener is gone)
      S('stop', lis, this.stopBody('user_stop')),
      this.act(() => delete rm().listen[lis]),
      R('stopped_listener', { listener: lis }),
      copy(pub, 'stopped_listener', { listener: lis }),
      // The publisher stops: stopped_publisher {publisher} (:370-380); its only member was itself
      S('stop', pub, this.stopBody('user_stop')),
      this.act(() => (rm().publish = [])),
      R('stopped_publisher', { publisher: pub }),
      // No publisher left: the room timer stops the room (:274-279), terminate sends destroyed
      // with an EMPTY body, so no body key on the wire (:329-334)
      R('destroyed'),
      this.act(() => this.live.rooms.delete(room)),
    ];
  }

  protected override expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis } = this.jul;
    const userStop = this.stopBody('user_stop');
    return {
      era: this.era,
      // S1 2 + S2 2 + created 1 + pub 3 + lis 4 + lis end 3 + pub end 2 + destroyed 1
      events: 18,
      counts: { session: 4, room: 1, call: 0, other: 0 },
      objects: [
        { key: `media/session/${s1}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'user_stop is {1000, "User stop"} in July (nkservice@cbdd973:src/nkservice_callbacks.erl:162): every code is 1000, only the text tells' },
        { key: `media/session/${s2}`, kind: 'session', ended: true, state: 'stopped', verdict: 'fault', ...this.stopBody('anormal'), why: 'crash: anormal, {1000, "Anormal termination"} (nkmedia@bb1dc51:src/nkmedia_session.erl:553-555; nkservice@cbdd973:src/nkservice_callbacks.erl:137)' },
        { key: `media/session/${pub}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'publisher stopped by the user; its `room` copies do not end it' },
        { key: `media/session/${lis}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'listener stopped by the user' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', why: 'no publisher left: the room stops normally; destroyed has no body at all (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:274-279,334)' },
      ],
      rooms: [{ key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'July names the listener `listener` and its publisher `publisher` (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:367,387)' }],
    };
  }
}

export async function startServer(options: EraServerOptions = {}): Promise<Server2016Jul> {
  return new Server2016Jul(options).start();
}
