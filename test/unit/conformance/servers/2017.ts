// Era "2017": the develop line of February 2017.
//   nkservice@ee00943 (develop, 2017-02-03)
//   nkmedia@10eb4c3 (develop, 2017-02-22; rebar.config deps -> nkservice branch develop)
//
// nkmedia develop has no sample service (no src/samples at 10eb4c3), so the login callback
// modelled is the one of the develop sample that rides on the same nkservice,
// nkcollab@85db3e1:src/samples/nkcollab_test_api.erl:259-268 (any data with user; allow all).
// The class is extended by nkcollab-2017.ts.
import { listen, runSteps, sleep, type EraId, type EraServer, type EraServerOptions, type ExpectedOutcome, type Json, type Listener, type PlumbConnection, type ServerConnInfo } from './base';

/** An #event{} record (nkservice@ee00943:include/nkservice.hrl:28-37): empty binaries mean "any". */
export interface Event2017 {
  class: string;
  subclass: string;
  type: string;
  obj_id: string;
  body: Json;
}

export type Reason = string | [string, ...unknown[]];
export type CmdResult = { ok: Json | Json[] } | { ack: true; later?: () => Json | Json[] } | { error: Reason } | { login: { user: string; meta: Json } };
export type Step = (() => void) & { event?: Event2017 };

export interface Syntax {
  fields: Record<string, 'binary' | 'any' | 'map' | 'service' | 'binary-or-list'>;
  defaults?: Record<string, unknown>;
  mandatory?: string[];
}

export interface Conn2017 extends ServerConnInfo {
  user: string;
  sessionId: string;
  tid: number;
  trans: Map<number, NodeJS.Timeout>;
  /** #reg{index} entries: one per distinct subscription (nkservice@ee00943:src/nkservice_api_server.erl:571-584). */
  subs: Map<string, Event2017>;
  queue: Promise<void>;
  pingTimer?: NodeJS.Timeout;
}

interface Reg {
  conn: Conn2017;
  srvId: string;
  objId: string;
  body: Json;
}

export const SERVICE_ID = 'a9w0ct2';

/** Atoms that exist in a running node, for set_atoms (class, subclass and cmd become existing atoms). */
const KNOWN_ATOMS = new Set([
  '', 'core', 'user', 'event', 'session', 'media', 'room', 'call', 'collab', 'test',
  'login', 'ping', 'subscribe', 'unsubscribe', 'get_subscriptions', 'send', 'send_event', 'stop', 'cmd', 'log', 'async',
  'list', 'get', 'info', 'get_list', 'get_info', 'get_status', 'get_stats', 'create', 'destroy', 'update_status', 'add_timelog',
  'set_answer', 'set_candidate', 'set_candidate_end', 'update_media', 'set_type', 'recorder_action', 'player_action', 'room_action',
  'get_publishers', 'get_listeners', 'add_publish_session', 'add_listen_session', 'remove_session', 'remove_user_sessions',
  'remove_user_all_sessions', 'update_publisher', 'send_msg', 'get_msgs', 'update_meta', 'ringing', 'accepted', 'rejected', 'hangup',
  'start', 'status', 'answer', 'candidate',
]);

export class Server2017 implements EraServer {
  readonly era: EraId = '2017';
  readonly conns: Conn2017[] = [];
  scriptDone!: Promise<void>;
  expected!: ExpectedOutcome;
  protected listener!: Listener;
  protected opts: Required<Omit<EraServerOptions, 'subscribeAllow' | 'login'>> & Pick<EraServerOptions, 'subscribeAllow' | 'login'>;
  /** nkservice_events servers, one per (class, subclass, type), '' meaning any. */
  protected registries = new Map<string, Reg[]>();
  protected stopped = false;
  private scriptStarted = false;
  private scriptTimer: NodeJS.Timeout | undefined;
  private resolveScript!: () => void;
  protected live = { sessions: new Map<string, Json>(), rooms: new Map<string, Json>(), calls: new Map<string, Json>() };

  constructor(options: EraServerOptions = {}) {
    this.opts = {
      // The listener reads the misspelled key api_server_tiemout, default 180 s
      // (nkservice@ee00943:src/nkservice_util.erl:439-444; the declared option is api_server_timeout, nkservice_syntax.erl:62).
      idleTimeoutMs: options.idleTimeoutMs ?? 180_000,
      // api_ping_timeout, default 60 (nkservice@ee00943:src/nkservice_syntax.erl:36,46), started at login (:762).
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
      // api_cmd_timeout, default 10 (nkservice@ee00943:src/nkservice_syntax.erl:37,47; read at nkservice_api_server.erl:375).
      opTimeoutMs: options.opTimeoutMs ?? 10_000,
      script: options.script ?? true,
      scriptDelayMs: options.scriptDelayMs ?? 150,
      scriptGapMs: options.scriptGapMs ?? 2,
      subscribeAllow: options.subscribeAllow,
      login: options.login,
    };
    this.scriptDone = new Promise((resolve) => (this.resolveScript = resolve));
  }

  get url(): string {
    return this.listener.url;
  }

  async start(): Promise<this> {
    this.expected = this.expectedOutcome();
    const counted = this.scriptSteps().filter((s) => s.event && (s.event.class === 'media' || s.event.class === 'collab')).length;
    if (counted !== this.expected.events) throw new Error(`${this.era}: expected.events ${this.expected.events} but the script has ${counted}`);
    this.listener = await listen({ idleTimeoutMs: this.opts.idleTimeoutMs }, (plumb) => this.accept(plumb));
    return this;
  }

  /**
   * Test hook: fills the live model (what the snapshot commands answer) as it is in the middle
   * of the script, right before the `nth` event matching `marker`; no event is sent.
   */
  seedSnapshot(marker: { class: string; subclass: string; type: string; nth?: number }): void {
    let seen = 0;
    for (const step of this.scriptSteps()) {
      if (step.event) {
        const e = step.event;
        if (e.class === marker.class && e.subclass === marker.subclass && e.type === marker.type && ++seen >= (marker.nth ?? 1)) return;
        continue;
      }
      step();
    }
  }

  /** The object ids the script uses. */
  get scriptIds(): Record<string, string> {
    return this.ids;
  }

  eventsSent(): number {
    return this.conns.reduce((n, c) => n + c.eventsSent, 0);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.scriptTimer) clearTimeout(this.scriptTimer);
    for (const conn of this.conns) this.dropConn(conn);
    await this.listener.close();
    this.resolveScript();
  }

  // ------------------------------------------------------------------------------------------
  // Error codes

  /** nkservice_util:error_code: {Code, Text} or {Code, Fmt, Args} formatted (nkservice@ee00943:src/nkservice_util.erl:262-273). */
  errorCode(reason: Reason): [number, string] {
    return this.pluginErrorCode(reason) ?? this.nkserviceErrorCode(reason);
  }

  /** nkmedia develop: 300XXX core and 304XXX room entries (nkmedia@10eb4c3:src/nkmedia_callbacks.erl:77-104). */
  protected pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    const table: Record<string, [number, string]> = {
      session_failed: [300004, 'Session has failed'],
      incompatible_session: [300005, 'Incompatible session'],
      bridge_stop: [300020, 'Bridge stop'],
      peer_stopped: [300021, 'Peer session stopped'],
      room_not_found: [304001, 'Room not found'],
      room_already_exists: [304002, 'Room already exists'],
      room_destroyed: [304003, 'Room destroyed'],
      no_room_members: [304004, 'No remaining room members'],
      invalid_publisher: [304005, 'Invalid publisher'],
      publisher_stop: [304006, 'Publisher stopped'],
    };
    return table[name];
  }

  /** nkservice develop table (nkservice@ee00943:src/nkservice_callbacks.erl:169-225). */
  protected nkserviceErrorCode(reason: Reason): [number, string] {
    if (Array.isArray(reason)) {
      const [name, arg] = reason;
      const fmt: Record<string, [number, string]> = {
        internal_error: [100003, 'Internal error: ~s'],
        invalid_state: [100004, 'Invalid state: ~s'],
        user_not_found: [100033, "User not found: '~s'"],
        unknown_command: [100042, "Unknown command '~s'"],
        invalid_action: [100043, "Invalid action '~s'"],
        syntax_error: [100044, "Syntax error: '~s'"],
        missing_field: [100045, "Missing field: '~s'"],
        invalid_value: [100046, "Invalid value: '~s'"],
      };
      if (name === 'exit') return [100007, 'Internal error'];
      const entry = fmt[name];
      if (entry) return [entry[0], entry[1].replace('~s', String(arg))];
      return this.unlisted();
    }
    const table: Record<string, [number, string]> = {
      normal_termination: [100001, 'Normal termination'],
      internal_error: [100002, 'Internal error'],
      invalid_state: [100004, 'Invalid state'],
      timeout: [100005, 'Timeout'],
      not_implemented: [100006, 'Not implemented'],
      process_not_found: [100008, 'Process not found'],
      process_down: [100009, 'Process failed'],
      registered_down: [100010, 'Registered process stopped'],
      user_stop: [100011, 'User stop'],
      member_stop: [100012, 'Member stop'],
      api_stop: [100013, 'API stop received'],
      not_found: [100014, 'Not found'],
      service_not_found: [100020, 'Service not found'],
      unauthorized: [100030, 'Unauthorized'],
      not_authenticated: [100031, 'Not authenticated'],
      already_authenticated: [100032, 'Already authenticated'],
      user_not_found: [100033, 'User not found'],
      duplicated_session_id: [100034, 'Duplicated session'],
      invalid_session_id: [100035, 'Invalid session'],
      member_not_found: [100036, 'Member not found'],
      invalid_role: [100037, 'Invalid role'],
      invalid_password: [100038, 'Invalid password'],
      invalid_operation: [100040, 'Invalid operation'],
      invalid_parameters: [100041, 'Invalid parameters'],
      invalid_reply: [100047, 'Invalid reply'],
      session_timeout: [100060, 'Session timeout'],
      session_stop: [100061, 'Session stop'],
      session_not_found: [100062, 'Session not found'],
      invalid_uri: [100070, 'Invalid Uri'],
      unknown_peer: [100071, 'Unknown peer'],
      invalid_json: [100072, 'Invalid JSON'],
      data_not_available: [100073, 'Data is not available'],
      already_uploaded: [100074, 'Already uploaded'],
      file_read_error: [100075, 'File read error'],
    };
    return table[reason] ?? this.unlisted();
  }

  /** error_code(Other): {100003, "Internal error code: ~s", [Ref]} with a fresh uid (nkservice@ee00943:src/nkservice_callbacks.erl:222-225). */
  protected unlisted(): [number, string] {
    return [100003, `Internal error code: ${Math.random().toString(36).slice(2, 12)}`];
  }

  /**
   * nkservice_util:error_reason for replies (since nkservice@f9f688f, 2017-01-26): the code is
   * the error atom (or a tuple's first element) as a STRING, the text is the table's
   * (nkservice@ee00943:src/nkservice_util.erl:280-302; the default error_reason callback returns
   * continue, nkservice_callbacks.erl:233-234).
   */
  errorReason(reason: Reason): [string, string] {
    const code = typeof reason === 'string' ? reason : String(reason[0]);
    return [code, this.errorCode(reason)[1]];
  }

  // ------------------------------------------------------------------------------------------
  // Connections

  protected accept(plumb: PlumbConnection): void {
    const conn: Conn2017 = {
      plumb,
      eventsSent: 0,
      pingsSent: 0,
      loggedIn: false,
      user: '',
      // The session id is chosen by the server when the connection opens: nklib_util:luid()
      // (nkservice@ee00943:src/nkservice_api_server.erl:362).
      sessionId: luid(),
      tid: 1,
      trans: new Map(),
      subs: new Map(),
      queue: Promise.resolve(),
    };
    this.conns.push(conn);
    plumb.onFrame((frame) => this.enqueue(conn, () => this.onFrame(conn, frame)));
    plumb.onClose(() => this.dropConn(conn));
  }

  protected enqueue(conn: Conn2017, work: () => void | Promise<void>): void {
    conn.queue = conn.queue.then(work).catch(() => undefined);
  }

  protected dropConn(conn: Conn2017): void {
    for (const timer of conn.trans.values()) clearTimeout(timer);
    conn.trans.clear();
    if (conn.pingTimer) clearTimeout(conn.pingTimer);
    conn.pingTimer = undefined;
    for (const [key, regs] of this.registries) this.registries.set(key, regs.filter((r) => r.conn !== conn));
  }

  /** conn_parse({text, _}) (nkservice@ee00943:src/nkservice_api_server.erl:391-453). */
  protected async onFrame(conn: Conn2017, msg: Json): Promise<void> {
    if (!conn.plumb.open) return;
    if (msg.class === 'event' && 'data' in msg) {
      // A client event: processed, never answered (:400-410, process_client_event :719-727).
      return;
    }
    if ('class' in msg && 'cmd' in msg && 'tid' in msg) {
      // A request without subclass gets an EMPTY subclass, not "core" (:417).
      await this.processClientReq(conn, msg.class, msg.subclass ?? '', msg.cmd, msg.data ?? {}, msg.tid);
      return;
    }
    if ('result' in msg && 'tid' in msg) {
      const timer = conn.trans.get(msg.tid);
      if (timer) clearTimeout(timer);
      conn.trans.delete(msg.tid); // :425-439
      return;
    }
    if ('ack' in msg) {
      const timer = conn.trans.get(msg.ack);
      if (timer) {
        clearTimeout(timer);
        conn.trans.set(msg.ack, setTimeout(() => this.opTimeout(conn, msg.ack), 180_000)); // ?ACK_TIME (:63, :852-857)
      }
      return;
    }
    conn.plumb.stop('unrecognized-frame'); // "received unrecognized msg", {stop, normal} (:450-452)
  }

  /**
   * process_client_req -> nkservice_api_lib:process_req (nkservice@ee00943:src/nkservice_api_server.erl:697-715;
   * nkservice_api_lib.erl:66-100): set_atoms, syntax (unknown keys -> unrecognized_fields event),
   * api_server_allow, api_server_cmd. There is no "not authenticated" step: before the login,
   * requests run too, gated only by api_server_allow.
   */
  protected async processClientReq(conn: Conn2017, cls: unknown, sub: unknown, cmd: unknown, data: unknown, tid: unknown): Promise<void> {
    // set_atoms: class, subclass and cmd must be existing atoms, else not_implemented (nkservice_api_lib.erl:97-99,130-139)
    if (typeof cls !== 'string' || typeof sub !== 'string' || typeof cmd !== 'string' || !this.knownAtom(cls) || !this.knownAtom(sub) || !this.knownAtom(cmd)) {
      this.replyError(conn, tid, 'not_implemented');
      return;
    }
    const parsed = parseConfig(data as Json, this.syntax(cls, sub, cmd));
    if ('error' in parsed) {
      this.replyError(conn, tid, parsed.error);
      return;
    }
    if (parsed.other.length > 0) {
      // Unknown keys are dropped and reported as a core/session_event event of type
      // unrecognized_fields for the connection's session, BEFORE the command runs
      // (nkservice_api_lib.erl:77-83,144-161). During the login the connection is not yet
      // registered for its session events (process_login subscribes afterwards, through a cast,
      // nkservice_api_server.erl:750-761 and :219-220), so the login's own report reaches nobody.
      this.publish({ class: 'core', subclass: 'session_event', type: 'unrecognized_fields', obj_id: conn.sessionId, body: { class: cls, subclass: sub, cmd, fields: parsed.other } });
    }
    // api_server_allow: the sample allows all (nkcollab@85db3e1:src/samples/nkcollab_test_api.erl:267-268);
    // nkservice's default refuses (nkservice@ee00943:src/nkservice_callbacks.erl:272-273).
    if (cls === 'core' && sub === 'event' && cmd === 'subscribe' && this.opts.subscribeAllow) {
      const s = parsed.parsed;
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.every((type: string) => this.opts.subscribeAllow!({ class: s.class, subclass: s.subclass, type }))) {
        this.replyError(conn, tid, 'unauthorized');
        return;
      }
    }
    const result = await this.apiServerCmd(conn, cls, sub, cmd, parsed.parsed, tid);
    if ('login' in result) {
      if (conn.loggedIn) this.replyError(conn, tid, 'already_authenticated'); // :709-711
      else this.processLogin(conn, result.login.user, tid);
      return;
    }
    if ('ok' in result) this.replyOk(conn, tid, result.ok);
    else if ('error' in result) this.replyError(conn, tid, result.error);
    else {
      this.sendAck(conn, tid); // {ack, _}: insert_ack + send_ack (:702-705)
      if (result.later) {
        const later = result.later;
        setImmediate(() => this.enqueue(conn, () => this.replyOk(conn, tid, later())));
      }
    }
  }

  protected knownAtom(name: string): boolean {
    return KNOWN_ATOMS.has(name);
  }

  /**
   * process_login: registers core/user_event/<user> and core/session_event/<session id>,
   * start_ping(api_ping_timeout), then the reply with session_id (nkservice@ee00943:src/nkservice_api_server.erl:742-763).
   * No {ack} is sent for a login on develop.
   */
  protected processLogin(conn: Conn2017, user: string, tid: unknown): void {
    conn.loggedIn = true;
    conn.user = user;
    this.subscribe(conn, { class: 'core', subclass: 'user_event', type: '', obj_id: user, body: {} });
    this.subscribe(conn, { class: 'core', subclass: 'session_event', type: '', obj_id: conn.sessionId, body: {} });
    this.replyOk(conn, tid, { session_id: conn.sessionId });
    this.startPing(conn);
  }

  /**
   * start_ping is a cast: handled after the reply, it sends the first ping at once
   * (self() ! nkservice_send_ping) and then one every Time seconds
   * (nkservice@ee00943:src/nkservice_api_server.erl:561-566,626-632). So the first ping
   * arrives right after the login reply, not 60 s later.
   */
  protected startPing(conn: Conn2017): void {
    if (this.opts.pingIntervalMs === false) return;
    const interval = this.opts.pingIntervalMs;
    const ping = () => {
      if (!conn.plumb.open) return;
      conn.pingTimer = setTimeout(() => this.enqueue(conn, ping), interval);
      conn.pingTimer.unref?.();
      conn.pingsSent++;
      // #api_req{class=core, cmd=ping, data=#{time}}: subclass <<>> is left out (:631, send_request :861-882)
      this.sendRequest(conn, 'core', '', 'ping', { time: Math.round(interval / 1000) });
    };
    setImmediate(() => this.enqueue(conn, ping));
  }

  // ------------------------------------------------------------------------------------------
  // Framing

  /** send_request: class, cmd, tid, subclass unless empty, data unless an empty map; op timer api_cmd_timeout (:818-824,861-882). */
  protected sendRequest(conn: Conn2017, cls: string, sub: string, cmd: string, data: Json): number {
    const tid = conn.tid++;
    const frame: Json = { class: cls, cmd, tid };
    if (sub !== '') frame.subclass = sub;
    if (Object.keys(data).length > 0) frame.data = data;
    conn.trans.set(tid, setTimeout(() => this.opTimeout(conn, tid), this.opts.opTimeoutMs));
    conn.plumb.send(frame);
    return tid;
  }

  /** nkservice_op_timeout: {stop, normal} (:644-652). */
  protected opTimeout(conn: Conn2017, tid: number): void {
    if (!conn.trans.has(tid)) return;
    conn.trans.delete(tid);
    conn.plumb.stop('op-timeout');
  }

  /** send_reply_ok: an empty map has no data; a list always has (:929-939). */
  protected replyOk(conn: Conn2017, tid: unknown, data: Json | Json[]): void {
    const frame: Json = { result: 'ok', tid };
    if (Array.isArray(data) || Object.keys(data).length > 0) frame.data = data;
    conn.plumb.send(frame);
  }

  /** send_reply_error with error_reason: string code (:946-956). */
  protected replyError(conn: Conn2017, tid: unknown, reason: Reason): void {
    const [code, error] = this.errorReason(reason);
    conn.plumb.send({ result: 'error', tid, data: { code, error } });
  }

  protected sendAck(conn: Conn2017, tid: unknown): void {
    conn.plumb.send({ ack: tid });
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  /** api_server_syntax chain. */
  protected syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'core' && sub === 'user' && cmd === 'login') {
      // {user, password, meta}, nothing mandatory (nkservice@ee00943:src/nkservice_api_syntax.erl:33-42)
      return { fields: { user: 'binary', password: 'binary', meta: 'map' } };
    }
    if (cls === 'core' && sub === 'event' && (cmd === 'subscribe' || cmd === 'unsubscribe')) {
      // events/3: class mandatory, subclass/type/obj_id default <<>>; service is commented out;
      // type may be a list (nkservice@ee00943:src/nkservice_api_syntax.erl:47-53,133-149)
      const fields: Syntax['fields'] = { class: 'binary', subclass: 'binary', type: 'binary-or-list', obj_id: 'binary', body: 'map' };
      if (cmd === 'unsubscribe') delete fields.body;
      return { fields, defaults: { subclass: '', type: '', obj_id: '' }, mandatory: ['class'] };
    }
    if (cls === 'media' && sub === 'session' && cmd === 'get_info') return { fields: { session_id: 'binary' }, mandatory: ['session_id'] }; // nkmedia@10eb4c3:src/nkmedia_session_api_syntax.erl:221-226
    if (cls === 'media' && sub === 'room' && cmd === 'get_info') return { fields: { room_id: 'binary' }, mandatory: ['room_id'] }; // nkmedia@10eb4c3:src/nkmedia_room_api_syntax.erl:71-76
    if (cls === 'media' && sub === 'room' && cmd === 'get_list') return { fields: { service: 'service' } }; // :57-62
    return { fields: {} };
  }

  /**
   * api_server_cmd chain: core -> nkservice_api:cmd (nkservice@ee00943:src/nkservice_callbacks.erl:280-281);
   * media session/room -> nkmedia (nkmedia@10eb4c3:src/nkmedia_callbacks.erl:358-365); the end of
   * the chain is {error, not_implemented} (nkservice_callbacks.erl:283-284).
   */
  protected async apiServerCmd(conn: Conn2017, cls: string, sub: string, cmd: string, data: Json, tid: unknown): Promise<CmdResult> {
    if (cls === 'core') return this.coreCmd(conn, sub, cmd, data, tid);
    if (cls === 'media') return this.mediaCmd(conn, sub, cmd, data) ?? { error: 'not_implemented' };
    return { error: 'not_implemented' };
  }

  /** nkservice_api:cmd (nkservice@ee00943:src/nkservice_api.erl:79-250). */
  protected async coreCmd(conn: Conn2017, sub: string, cmd: string, data: Json, _tid: unknown): Promise<CmdResult> {
    if (sub === 'user' && cmd === 'login') {
      const user = this.loginCallback(data);
      if (user === undefined) {
        await sleep(1000); // {false, Error}: timer:sleep(1000), then the error (:79-87)
        return { error: 'unauthorized' };
      }
      return { login: { user, meta: {} } };
    }
    if (sub === 'event' && cmd === 'subscribe') {
      // Service: the connection's own (no service key any more) (:130-143)
      this.subscribe(conn, { class: data.class, subclass: data.subclass, type: data.type, obj_id: data.obj_id, body: (data.body ?? {}) as Json });
      this.scheduleScript();
      return { ok: {} };
    }
    if (sub === 'event' && cmd === 'unsubscribe') {
      this.unsubscribe(conn, { class: data.class, subclass: data.subclass, type: data.type, obj_id: data.obj_id, body: {} }); // :145-151
      return { ok: {} };
    }
    if (sub === 'event' && cmd === 'get_subscriptions') {
      // ack, then [{class, subclass, type, obj_id, service, body}] (:154-162; nkservice_api_server.erl:478-494)
      return { ack: true, later: () => [...conn.subs.values()].map((e) => ({ class: e.class, subclass: e.subclass, type: e.type, obj_id: e.obj_id, service: SERVICE_ID, body: e.body })) };
    }
    // cmd(_Sub, Cmd, _Data, State) -> {error, {unknown_command, Cmd}} (:249-250)
    return { error: ['unknown_command', cmd] };
  }

  /**
   * Sample login: #{user:=User} -> {true, User, #{}, State}; otherwise continue, ending in
   * nkservice's {false, unauthorized} (nkcollab@85db3e1:src/samples/nkcollab_test_api.erl:259-263;
   * nkservice@ee00943:src/nkservice_callbacks.erl:293-294). The password is not read.
   */
  protected loginCallback(data: Json): string | undefined {
    if (this.opts.login) return this.opts.login(data);
    return typeof data.user === 'string' ? data.user : undefined;
  }

  /** media session and room commands; undefined = continue down the chain. */
  protected mediaCmd(_conn: Conn2017, sub: string, cmd: string, data: Json): CmdResult | undefined {
    if (sub === 'session') {
      if (cmd === 'get_list') return { ok: [...this.live.sessions.keys()].map((id) => ({ session_id: id })) }; // nkmedia@10eb4c3:src/nkmedia_session_api.erl:186-188
      if (cmd === 'get_info') {
        // the get_info subset of the session (nkmedia_session_api.erl:139-147; nkmedia_session_api_syntax.erl:272-313)
        const s = this.live.sessions.get(data.session_id);
        return s ? { ok: { ...s } } : { error: 'session_not_found' }; // nkmedia_session.erl:1266
      }
      return { error: ['unknown_command', cmd] }; // nkmedia_session_api.erl:191-192
    }
    if (sub === 'room') {
      if (cmd === 'get_list') return { ok: [...this.live.rooms.entries()].map(([id, r]) => ({ room_id: id, class: r.class })) }; // nkmedia@10eb4c3:src/nkmedia_room_api.erl:51-53
      if (cmd === 'get_info') {
        const r = this.live.rooms.get(data.room_id);
        // get_info keys: audio_codec, video_codec, bitrate, class, backend, members, timeout, status (nkmedia_room_api_syntax.erl:88-90)
        return r ? { ok: pick(r, ['audio_codec', 'video_codec', 'bitrate', 'class', 'backend', 'members', 'timeout', 'status']) } : { error: 'room_not_found' };
      }
      // nkmedia_room_api:cmd(_, _, _) -> continue (nkmedia_room_api.erl:71-72): the chain ends in not_implemented.
      return undefined;
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Events

  protected regKey(cls: string, sub: string, type: string): string {
    return `${cls}\u0000${sub}\u0000${type}`;
  }

  /**
   * nkservice_api_server:subscribe: a list of types subscribes each type (:213-220); the
   * connection keeps one #reg per index and asks nkservice_events:reg, which stores
   * {Pid, Body} under {SrvId, ObjId} in the server of (class, subclass, type); missing or
   * empty means any, and "*" is NOT special: it is a literal value
   * (nkservice@ee00943:src/nkservice_api_server.erl:571-584; nkservice_events.erl:104-118,294-299,468-484).
   */
  protected subscribe(conn: Conn2017, ev: { class: string; subclass: string; type: string | string[]; obj_id: string; body: Json }): void {
    const types = Array.isArray(ev.type) ? ev.type : [ev.type];
    for (const type of types) {
      const one: Event2017 = { class: ev.class, subclass: ev.subclass, type, obj_id: ev.obj_id, body: ev.body };
      const index = JSON.stringify([one.class, one.subclass, one.type, one.obj_id]);
      if (!conn.subs.has(index)) conn.subs.set(index, one);
      const key = this.regKey(one.class, one.subclass, one.type);
      const regs = (this.registries.get(key) ?? []).filter((r) => !(r.conn === conn && r.objId === one.obj_id));
      regs.push({ conn, srvId: SERVICE_ID, objId: one.obj_id, body: one.body });
      this.registries.set(key, regs);
    }
  }

  protected unsubscribe(conn: Conn2017, ev: { class: string; subclass: string; type: string | string[]; obj_id: string; body: Json }): void {
    const types = Array.isArray(ev.type) ? ev.type : [ev.type];
    for (const type of types) {
      const index = JSON.stringify([ev.class, ev.subclass, type, ev.obj_id]);
      if (!conn.subs.delete(index)) continue;
      const key = this.regKey(ev.class, ev.subclass, type);
      this.registries.set(key, (this.registries.get(key) ?? []).filter((r) => !(r.conn === conn && r.objId === ev.obj_id)));
    }
  }

  /**
   * nkservice_events:send: the servers (class,'',''), (class,sub,'') and (class,sub,type)
   * (find_servers); in each, the pids of {SrvId, ObjId}, then {SrvId, <<>>} not yet served, then
   * {all, <<>>}; no dedup across servers, so overlapping subscriptions duplicate. The
   * registration body is merged under the event body
   * (nkservice@ee00943:src/nkservice_events.erl:74-78,281-292,418-433,519-531).
   */
  publish(ev: Event2017): number {
    let delivered = 0;
    const keys = [this.regKey(ev.class, '', '')];
    if (ev.subclass !== '') keys.push(this.regKey(ev.class, ev.subclass, ''));
    if (ev.subclass !== '' && ev.type !== '') keys.push(this.regKey(ev.class, ev.subclass, ev.type));
    for (const key of keys) {
      const regs = this.registries.get(key) ?? [];
      const exact = regs.filter((r) => r.objId === ev.obj_id);
      const any = regs.filter((r) => r.objId === '' && !exact.some((e) => e.conn === r.conn && sameJson(e.body, r.body)));
      for (const r of [...exact, ...any]) {
        this.deliver(r.conn, ev, { ...r.body, ...ev.body });
        delivered++;
      }
    }
    return delivered;
  }

  /**
   * send_event: {class:"event", data:{class, subclass, type, obj_id (each left out when empty),
   * service (another service only), body (left out when empty)}} with NO cmd and NO tid, so no
   * op timer (nkservice@ee00943:src/nkservice_api_server.erl:886-922; since nkservice@007f18c).
   */
  protected deliver(conn: Conn2017, ev: Event2017, body: Json): void {
    this.enqueue(conn, () => {
      if (!conn.plumb.open) return;
      const data: Json = { class: ev.class };
      if (ev.subclass !== '') data.subclass = ev.subclass;
      if (ev.type !== '') data.type = ev.type;
      if (ev.obj_id !== '') data.obj_id = ev.obj_id;
      if (Object.keys(body).length > 0) data.body = body;
      conn.eventsSent++;
      conn.plumb.send({ class: 'event', data });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Script

  protected scheduleScript(): void {
    if (!this.opts.script || this.scriptStarted) return;
    if (this.scriptTimer) clearTimeout(this.scriptTimer);
    this.scriptTimer = setTimeout(() => {
      this.scriptStarted = true;
      void runSteps(this.scriptSteps(), this.opts.scriptGapMs, () => this.stopped).then(() => this.resolveScript());
    }, this.opts.scriptDelayMs);
  }

  protected ev(cls: string, subclass: string, type: string, objId: string, body: Json = {}): Step {
    const step: Step = () => void this.publish({ class: cls, subclass, type, obj_id: objId, body });
    step.event = { class: cls, subclass, type, obj_id: objId, body };
    return step;
  }

  protected act(fn: () => void): Step {
    return fn;
  }

  protected ids = {
    s1: '2017a0a1-0001-0000-0000-000000000001',
    s2: '2017a0a1-0002-0000-0000-000000000002',
    room: '2017b0b1-0000-0000-0000-0000000000r1',
    pub: '2017a0a1-0003-0000-0000-000000000003',
    lis: '2017a0a1-0004-0000-0000-000000000004',
  };

  /** Janus answer {sdp, trickle_ice:false, sdp_type:"webrtc", backend:"nkmedia_janus"} (nkmedia@10eb4c3:src/janus_backend/nkmedia_janus_op.erl:1475-1491). */
  protected answer(): Json {
    return { answer: { sdp: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n', trickle_ice: false, sdp_type: 'webrtc', backend: 'nkmedia_janus' } };
  }

  protected stopBody(reason: Reason): Json {
    const [code, text] = this.errorCode(reason);
    return { code, reason: text };
  }

  /** The session's get_info subset sent by `created` (nkmedia@10eb4c3:src/nkmedia_session_api_events.erl:42-44; nkmedia_session_api_syntax.erl:272-313). */
  protected sessionInfo(id: string, extra: Json): Json {
    return { session_id: id, backend: 'nkmedia_janus', sdp_type: 'webrtc', user_id: 'alice', user_session: 'c0nn', start_time: 1487750400, ...extra };
  }

  protected scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis } = this.ids;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const R = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const add = (id: string, info: Json) => this.act(() => this.live.sessions.set(id, info));
    const drop = (id: string) => this.act(() => this.live.sessions.delete(id));
    // record: {info: the session get_info, timelog} sent from terminate, after destroyed, once
    // the delayed destroy fires (nkmedia@10eb4c3:src/nkmedia_session.erl:786-794,1188-1203;
    // nkmedia_session_api_events.erl:73-75).
    const record = (id: string, info: Json, reason: string) => S('record', id, { info, timelog: [{ msg: 'stopped', reason }] });
    const s1Info = this.sessionInfo(s1, { type: 'echo', type_ext: {} });
    const s2Info = this.sessionInfo(s2, { type: 'echo', type_ext: {} });
    const pubInfo = this.sessionInfo(pub, { type: 'publish', type_ext: { room_id: room }, room_id: room });
    const lisInfo = this.sessionInfo(lis, { type: 'listen', type_ext: { room_id: room, publisher_id: pub }, room_id: room, publisher_id: pub, user_id: 'bob' });
    const fault = this.stopBody(['terminate', 'crash']);
    return [
      // S1: created (init, nkmedia_session.erl:523), answer, destroyed, record.
      add(s1, s1Info),
      S('created', s1, s1Info),
      S('answer', s1, this.answer()),
      // Destroying through the API: stop(SessId) -> user_stop (nkmedia@10eb4c3:src/nkmedia_session_api.erl:69-72;
      // nkmedia_session.erl:252-253) -> 100011 "User stop".
      S('destroyed', s1, this.stopBody('user_stop')),
      drop(s1),
      record(s1, s1Info, 'User stop'),
      // S2: a crashed session: terminate without a stop reason -> do_stop({terminate, Reason})
      // (nkmedia_session.erl:786-789), which the table does not list -> 100003 "Internal error code: <ref>".
      add(s2, s2Info),
      S('created', s2, s2Info),
      S('answer', s2, this.answer()),
      S('destroyed', s2, fault),
      drop(s2),
      record(s2, s2Info, String(fault.reason)),
      // The room: created = get_info subset (nkmedia@10eb4c3:src/nkmedia_room_api_events.erl:39-41; nkmedia_room_api_syntax.erl:88-90).
      this.act(() => this.live.rooms.set(room, { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, members: {}, timeout: 60, status: {} })),
      R('created', { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, members: {}, timeout: 60, status: {} }),
      // The publisher: member info {role, user_id} (nkmedia@10eb4c3:src/janus_backend/nkmedia_janus_session.erl:530-538);
      // the type event is renamed updated_type (nkmedia_session_api_events.erl:49-50).
      add(pub, pubInfo),
      S('created', pub, pubInfo),
      this.act(() => (this.live.rooms.get(room)!.members[pub] = { role: 'publisher', user_id: 'alice' })),
      R('started_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      S('updated_type', pub, { type: 'publish', room_id: room }),
      S('answer', pub, this.answer()),
      // The listener: peer_id = the publisher's session id (nkmedia_janus_session.erl:243-247,542-550).
      add(lis, lisInfo),
      S('created', lis, lisInfo),
      S('updated_type', lis, { type: 'listen', room_id: room, publisher_id: pub }),
      this.act(() => (this.live.rooms.get(room)!.members[lis] = { role: 'listener', user_id: 'bob', peer_id: pub })),
      R('started_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      S('answer', lis, this.answer()),
      // Leaving: destroyed, stopped_member with the join-time info, then record.
      S('destroyed', lis, this.stopBody('user_stop')),
      drop(lis),
      this.act(() => delete this.live.rooms.get(room)!.members[lis]),
      R('stopped_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      record(lis, lisInfo, 'User stop'),
      S('destroyed', pub, this.stopBody('user_stop')),
      drop(pub),
      this.act(() => delete this.live.rooms.get(room)!.members[pub]),
      R('stopped_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      record(pub, pubInfo, 'User stop'),
      // API destroy: api_stop (nkmedia@10eb4c3:src/nkmedia_room_api.erl:43-44) -> 100013 "API stop received".
      R('destroyed', this.stopBody('api_stop')),
      this.act(() => this.live.rooms.delete(room)),
    ];
  }

  protected expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis } = this.ids;
    const userStop = this.stopBody('user_stop');
    return {
      era: this.era,
      // S1 4 + S2 4 + room created 1 + pub 4 + lis 4 + lis end 3 + pub end 3 + room destroyed 1
      events: 24,
      counts: { session: 4, room: 1, call: 0, other: 0 },
      objects: [
        { key: `media/session/${s1}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'API destroy = user_stop, 100011 "User stop" (nkservice@ee00943:src/nkservice_callbacks.erl:180); a later record event must not reopen it' },
        { key: `media/session/${s2}`, kind: 'session', ended: true, state: 'stopped', verdict: 'fault', code: 100003, why: 'crash: {terminate, Reason}, unlisted -> 100003 "Internal error code: <ref>" (nkservice@ee00943:src/nkservice_callbacks.erl:222-225)' },
        { key: `media/session/${pub}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'publisher left with user_stop' },
        { key: `media/session/${lis}`, kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'listener left with user_stop' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...this.stopBody('api_stop'), why: 'API destroy: api_stop 100013 "API stop received" (nkmedia@10eb4c3:src/nkmedia_room_api.erl:43-44)' },
      ],
      rooms: [{ key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'started_member peer_id = publisher session id (nkmedia@10eb4c3:src/nkmedia_room.erl:87-92; janus_session.erl:542-550)' }],
    };
  }
}

/** nklib_config:parse_config as the develop API uses it. */
export function parseConfig(data: Json, syntax: Syntax): { parsed: Json; other: string[] } | { error: Reason } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { error: ['syntax_error', 'data'] };
  const parsed: Json = {};
  const other: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const type = syntax.fields[key];
    if (type === undefined) {
      other.push(key);
      continue;
    }
    if (type === 'binary' && typeof value !== 'string' && typeof value !== 'number') return { error: ['syntax_error', key] };
    if (type === 'binary-or-list' && typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return { error: ['syntax_error', key] };
    if (type === 'map' && (typeof value !== 'object' || value === null || Array.isArray(value))) return { error: ['syntax_error', key] };
    if (type === 'service') {
      if (value !== SERVICE_ID && value !== 'sample') return { error: ['syntax_error', 'unknown service'] };
      parsed[key] = SERVICE_ID;
      continue;
    }
    parsed[key] = type === 'binary' ? String(value) : value;
  }
  for (const [key, value] of Object.entries(syntax.defaults ?? {})) if (!(key in parsed)) parsed[key] = value;
  for (const key of syntax.mandatory ?? []) if (!(key in parsed)) return { error: ['missing_field', key] };
  return { parsed, other };
}

export function pick(obj: Json, keys: string[]): Json {
  const out: Json = {};
  for (const key of keys) if (key in obj) out[key] = obj[key];
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** nklib_util:luid(): a short random base-62 id (not a UUID). */
function luid(): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: 20 }, () => chars[Math.floor(Math.random() * 62)]).join('');
}

export async function startServer(options: EraServerOptions = {}): Promise<Server2017> {
  return new Server2017(options).start();
}
