// Era "2016-10": NkMEDIA master of October 2016.
//   nkservice@79bf10d (2016-10-03, the "luerl" branch that nkmedia master builds against:
//     nkmedia@4394517:rebar.config deps -> nkservice branch luerl, whose head on 2016-10-12 is 79bf10d)
//   nkmedia@4394517 (2016-10-12), with its sample service nkmedia_test_api.
//
// Written from those sources only. Each behaviour cites repo@commit:path:line. The class is
// extended by nkcollab-2016.ts (same nkservice framing line, later commits).
import { listen, runSteps, sleep, uuid4, type EraId, type EraServer, type EraServerOptions, type ExpectedOutcome, type Json, type Listener, type PlumbConnection, type ServerConnInfo } from './base';

/** An NkSERVICE event as nkservice_events carries it (2016: #reg_id{} plus a body). */
export interface Event2016 {
  class: string;
  subclass: string;
  type: string;
  obj_id: string;
  body: Json;
}

/** One step of a script: publishes an event (then `event` is set) or changes the live model. */
export type Step = (() => void) & { event?: Event2016 };

/** A reason term: an atom, or a tuple written as an array (e.g. ['unknown_command', 'ping']). */
export type Reason = string | [string, ...unknown[]];

/** Outcome of a command, like nkservice's {ok, Reply, State} | {ack, State} | {error, Error, State}. */
export type CmdResult = { ok: Json | Json[] } | { ack: true; later?: () => Json | Json[] } | { error: Reason };

/** Field syntax of nklib_config:parse_config as used by the API syntax functions. */
export interface Syntax {
  fields: Record<string, 'binary' | 'any' | 'map' | 'service' | 'integer'>;
  defaults?: Record<string, unknown>;
  mandatory?: string[];
}

export interface Conn2016 extends ServerConnInfo {
  user: string;
  sessionId: string;
  tid: number;
  trans: Map<number, NodeJS.Timeout>;
  queue: Promise<void>;
  retryMs: number;
  pingTimer?: NodeJS.Timeout;
}

interface Reg {
  conn: Conn2016;
  objId: string;
  body: Json;
  /** The subscription as registered (for get_subscriptions). */
  sub: { class: string; subclass: string; type: string; obj_id: string; service: string };
}

/** The internal service id, as get_subscriptions shows it (an atom made by nkservice_util:make_id). */
export const SERVICE_ID = 'a9w0ct2';

export class Server2016Oct implements EraServer {
  readonly era: EraId = '2016-10';
  readonly conns: Conn2016[] = [];
  scriptDone!: Promise<void>;
  expected!: ExpectedOutcome;
  protected listener!: Listener;
  protected opts: Required<Omit<EraServerOptions, 'subscribeAllow' | 'login'>> & Pick<EraServerOptions, 'subscribeAllow' | 'login'>;
  /** nkservice_events registries, one per (class, subclass, type) with '*' wildcards. */
  protected registries = new Map<string, Reg[]>();
  protected sessionIds = new Set<string>();
  protected stopped = false;
  private scriptStarted = false;
  private scriptTimer: NodeJS.Timeout | undefined;
  private resolveScript!: () => void;

  /** Live objects, for the snapshot commands. */
  protected live = {
    sessions: new Map<string, Json>(),
    rooms: new Map<string, Json>(),
    calls: new Map<string, Json>(),
  };

  constructor(options: EraServerOptions = {}) {
    this.opts = {
      // nkservice_util: api_server_timeout default 30 s -> nkpacket idle_timeout
      // (nkservice@79bf10d:src/nkservice_util.erl:32,96-100).
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      // The sample login callback calls start_ping(self(), 60) (nkmedia@4394517:src/samples/nkmedia_test_api.erl:254-256).
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
      // ?OP_TIME 5 s for every server request (nkservice@79bf10d:src/nkservice_api_server.erl:46).
      opTimeoutMs: options.opTimeoutMs ?? 5_000,
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
    // Self-check: the stated event count is the script's.
    if (this.scriptedEventCount() !== this.expected.events) {
      throw new Error(`${this.era}: expected.events ${this.expected.events} but the script has ${this.scriptedEventCount()} media/collab events`);
    }
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

  /**
   * nkservice_util:error_code(SrvId, Reason): the service's error_code callback chain (the
   * plugins first, then nkservice), with {Code, Fmt, Args} formatted
   * (nkservice@79bf10d:src/nkservice_util.erl:165-178).
   */
  errorCode(reason: Reason): [number, string] {
    return this.pluginErrorCode(reason) ?? this.nkserviceErrorCode(reason);
  }

  /** nkmedia's own tables (2016-10). */
  protected pluginErrorCode(reason: Reason): [number, string] | undefined {
    const name = typeof reason === 'string' ? reason : reason[0];
    // nkmedia core 300XXX (nkmedia@4394517:src/nkmedia_callbacks.erl:86-106)
    const core: Record<string, [number, string]> = {
      no_mediaserver: [300001, 'No mediaserver available'],
      session_failed: [300003, 'Session has failed'],
      call_stopped: [300005, 'Call stopped'],
      bridge_stop: [300020, 'Bridge stop'],
      peer_stopped: [300021, 'Peer session stopped'],
    };
    // room 304XXX (nkmedia@4394517:src/plugins/nkmedia_room_callbacks.erl:72-79)
    const room: Record<string, [number, string]> = {
      room_not_found: [304001, 'Room not found'],
      room_already_exists: [304002, 'Room already exists'],
      room_destroyed: [304003, 'Room destroyed'],
      no_room_members: [304004, 'No remaining room members'],
      invalid_publisher: [304005, 'Invalid publisher'],
      publisher_stop: [304006, 'Publisher stopped'],
    };
    // call 305XXX (nkmedia@4394517:src/plugins/nkmedia_call_callbacks.erl:78-90)
    const call: Record<string, [number, string]> = {
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
    };
    if (name === 'api_hangup') {
      return typeof reason === 'string' ? [305011, 'API hangup'] : [305011, `API hangup: ${String(reason[1])}`];
    }
    return core[name] ?? room[name] ?? call[name];
  }

  /** nkservice 100XXX table (nkservice@79bf10d:src/nkservice_callbacks.erl:164-205). */
  protected nkserviceErrorCode(reason: Reason): [number, string] {
    if (Array.isArray(reason)) {
      const [name, arg] = reason;
      switch (name) {
        case 'internal_error':
          return [100003, `Internal error: ${String(arg)}`];
        case 'exit':
          return [100007, 'Internal error'];
        case 'unknown_command':
          return [100042, `Unknown command '${String(arg)}'`];
        case 'invalid_action':
          return [100043, `Invalid action '${String(arg)}'`];
        case 'syntax_error':
          return [100044, `Syntax error: ${String(arg)}`];
        case 'missing_field':
          return [100045, `Missing field: ${String(arg)}`];
        case 'invalid_value':
          return [100046, `Invalid value: ${String(arg)}`];
        default:
          // {Code, Txt} passes through (:201-202); anything else is "unknown" (:204-205)
          if (typeof name === 'number' && typeof arg === 'string') return [name, arg];
          return [100999, JSON.stringify(reason)];
      }
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
      user_stop: [100011, 'User stop received'],
      api_stop: [100012, 'API stop received'],
      service_not_found: [100020, 'Service not found'],
      unauthorized: [100030, 'Unauthorized'],
      not_authenticated: [100031, 'Not authenticated'],
      already_authenticated: [100032, 'Already authenticated'],
      user_not_found: [100033, 'User not found'],
      duplicated_session_id: [100034, 'Duplicated session id'],
      invalid_session_id: [100035, 'Invalid session id'],
      invalid_operation: [100040, 'Invalid operation'],
      invalid_parameters: [100041, 'Invalid parameters'],
      session_timeout: [100060, 'Session timeout'],
      session_stop: [100061, 'Session stop'],
      session_not_found: [100062, 'Session not found'],
      invalid_uri: [100070, 'Invalid Uri'],
    };
    // error_code(Other) -> {100999, nklib_util:to_binary(Other)} (nkservice@79bf10d:src/nkservice_callbacks.erl:204-205)
    return table[reason] ?? [100999, reason];
  }

  // ------------------------------------------------------------------------------------------
  // Connections

  protected accept(plumb: PlumbConnection): void {
    const conn: Conn2016 = {
      plumb,
      eventsSent: 0,
      pingsSent: 0,
      loggedIn: false,
      user: '',
      sessionId: '',
      // #state{tid = 1}: server tids start at 1 on every connection (nkservice@79bf10d:src/nkservice_api_server.erl state record)
      tid: 1,
      trans: new Map(),
      queue: Promise.resolve(),
      // #state{retry_time = 100}, doubled after each failed login (nkservice@79bf10d:src/nkservice_api_server.erl:255,561-564)
      retryMs: 100,
    };
    this.conns.push(conn);
    // The connection process handles one message at a time (a gen_server): frames are
    // processed in order, and a login that sleeps delays everything after it.
    plumb.onFrame((frame) => this.enqueue(conn, () => this.onFrame(conn, frame)));
    plumb.onClose(() => this.dropConn(conn));
  }

  protected enqueue(conn: Conn2016, work: () => void | Promise<void>): void {
    conn.queue = conn.queue.then(work).catch(() => undefined);
  }

  protected dropConn(conn: Conn2016): void {
    for (const timer of conn.trans.values()) clearTimeout(timer);
    conn.trans.clear();
    if (conn.pingTimer) clearTimeout(conn.pingTimer);
    conn.pingTimer = undefined;
    // The connection's registrations die with it (nkservice_events monitors the pid: DOWN -> do_unreg,
    // nkservice@79bf10d:src/nkservice_events.erl handle_info DOWN).
    for (const [key, regs] of this.registries) this.registries.set(key, regs.filter((r) => r.conn !== conn));
    if (conn.sessionId) this.sessionIds.delete(conn.sessionId);
  }

  /** conn_parse({text, _}) (nkservice@79bf10d:src/nkservice_api_server.erl:267-318). */
  protected async onFrame(conn: Conn2016, msg: Json): Promise<void> {
    if (!conn.plumb.open) return;
    if ('class' in msg && 'cmd' in msg && 'tid' in msg) {
      // A request; a missing subclass is "core" (:279).
      const sub = msg.subclass ?? 'core';
      const data = (msg.data ?? {}) as Json;
      await this.processClientReq(conn, msg.class, sub, msg.cmd, data, msg.tid);
      return;
    }
    if ('result' in msg && 'tid' in msg) {
      // The answer to one of our requests: its op timer is cancelled (extract_op, :291-304).
      // The reply itself is swallowed (events and pings are sent with From=undefined).
      const timer = conn.trans.get(msg.tid);
      if (timer) clearTimeout(timer);
      conn.trans.delete(msg.tid);
      return;
    }
    if ('ack' in msg) {
      // {ack: TId}: the op timer is restarted with ?ACK_TIME 180 s (:305-314, extend_op; :47).
      const timer = conn.trans.get(msg.ack);
      if (timer) {
        clearTimeout(timer);
        conn.trans.set(msg.ack, setTimeout(() => this.opTimeout(conn, msg.ack), 180_000));
      }
      return;
    }
    // Neither request, reply nor ack: "received unrecognized msg", {stop, normal} (:315-317).
    conn.plumb.stop('unrecognized-frame');
  }

  /** process_client_req/6 (nkservice@79bf10d:src/nkservice_api_server.erl:547-601). */
  protected async processClientReq(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): Promise<void> {
    if (cls === 'core' && sub === 'user' && cmd === 'login') {
      if (!conn.loggedIn) await this.login(conn, data, tid);
      else this.replyError(conn, tid, 'already_authenticated'); // :567-568
      return;
    }
    if (!conn.loggedIn) {
      this.replyError(conn, tid, 'not_authenticated'); // :570-571
      return;
    }
    if (cls === 'core' && sub === 'core' && cmd === 'event') {
      // A client-sent event: ok at once, then api_server_event (default: nothing) (:573-590).
      this.replyOk(conn, tid, {});
      return;
    }
    // handle(api_server_cmd, [Req]) (:592-601)
    const result = this.apiServerCmd(conn, cls, sub, cmd, data, tid);
    this.sendResult(conn, tid, result);
  }

  protected sendResult(conn: Conn2016, tid: unknown, result: CmdResult): void {
    if ('ok' in result) this.replyOk(conn, tid, result.ok);
    else if ('error' in result) this.replyError(conn, tid, result.error);
    else {
      // {ack, State}: {ack: TId} now, the reply later (insert_ack + send_ack, :596-598).
      this.sendAck(conn, tid);
      if (result.later) {
        const later = result.later;
        setImmediate(() => this.enqueue(conn, () => this.replyOk(conn, tid, later())));
      }
    }
  }

  /**
   * The login (nkservice@79bf10d:src/nkservice_api_server.erl:547-565, process_login :616-645):
   * {ack: TId} first, session id from the data or a new UUID, then api_server_login(Data, SessId).
   */
  protected async login(conn: Conn2016, data: Json, tid: unknown): Promise<void> {
    this.sendAck(conn, tid);
    conn.loginData = data;
    const sessId = this.loginSessionId(data); // :551-554
    const user = this.loginCallback(data);
    if (user === undefined) {
      // {false, Error}: sleep retry_time, double it, reply the error; the connection stays (:560-564).
      await sleep(conn.retryMs);
      conn.retryMs *= 2;
      this.replyError(conn, tid, 'unauthorized');
      return;
    }
    if (typeof sessId !== 'string' || sessId === '') {
      // process_login/5 second clause: stop(self()) then the error reply (:643-645).
      this.replyError(conn, tid, 'invalid_session_id');
      conn.plumb.stop('login-session-id');
      return;
    }
    if (this.sessionIds.has(sessId)) {
      // nklib_proc:reg fails for a session id in use: stop and duplicated_session_id (:638-640).
      this.replyError(conn, tid, 'duplicated_session_id');
      conn.plumb.stop('login-session-id');
      return;
    }
    this.sessionIds.add(sessId);
    conn.loggedIn = true;
    conn.user = user;
    conn.sessionId = sessId;
    // Automatic registrations: core/user_event/<user> and core/session_event/<session id>
    // (:625-636, with #reg_id defaults '*' for type, nkservice@79bf10d:include/nkservice.hrl).
    this.register(conn, { class: 'core', subclass: 'user_event', type: '*', obj_id: user }, {});
    this.register(conn, { class: 'core', subclass: 'session_event', type: '*', obj_id: sessId }, {});
    this.replyOk(conn, tid, { session_id: sessId }); // :637
    this.startPing(conn);
  }

  /** The client may choose its session id (nkservice@79bf10d:src/nkservice_api_server.erl:551-554, since nkservice@665dcff). */
  protected loginSessionId(data: Json): unknown {
    return 'session_id' in data ? data.session_id : uuid4();
  }

  /**
   * The sample service's api_server_login: any data with a "user" key logs in, and it calls
   * start_ping(self(), 60) (nkmedia@4394517:src/samples/nkmedia_test_api.erl:254-259). The
   * password is not read. Without "user" it returns continue, and nkservice's default is
   * {false, unauthorized} (nkservice@79bf10d:src/nkservice_callbacks.erl api_server_login).
   */
  protected loginCallback(data: Json): string | undefined {
    if (this.opts.login) return this.opts.login(data);
    return typeof data.user === 'string' ? data.user : undefined;
  }

  /**
   * start_ping: the cast is handled after the login, so the first core/ping goes out right
   * after the login reply, then every Secs seconds (nkservice@79bf10d:src/nkservice_api_server.erl
   * conn_handle_cast nkservice_start_ping -> self() ! nkservice_send_ping; conn_handle_info
   * nkservice_send_ping -> send_after(1000*Time) and a core/ping request {time: Time}).
   */
  protected startPing(conn: Conn2016): void {
    if (this.opts.pingIntervalMs === false) return;
    const interval = this.opts.pingIntervalMs;
    const ping = () => {
      if (!conn.plumb.open) return;
      conn.pingTimer = setTimeout(() => this.enqueue(conn, ping), interval);
      conn.pingTimer.unref?.();
      conn.pingsSent++;
      this.sendRequest(conn, 'core', 'core', 'ping', { time: Math.round(interval / 1000) });
    };
    setImmediate(() => this.enqueue(conn, ping));
  }

  // ------------------------------------------------------------------------------------------
  // Framing

  /**
   * send_request: class, cmd, tid; subclass only when not "core"; data only when a non-empty
   * map; an op timer of ?OP_TIME (nkservice@79bf10d:src/nkservice_api_server.erl send_request,
   * insert_op; :46).
   */
  protected sendRequest(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json): number {
    const tid = conn.tid++;
    const frame: Json = { class: cls, cmd, tid };
    if (sub !== 'core') frame.subclass = sub;
    if (Object.keys(data).length > 0) frame.data = data;
    conn.trans.set(tid, setTimeout(() => this.opTimeout(conn, tid), this.opts.opTimeoutMs));
    conn.plumb.send(frame);
    return tid;
  }

  /** {timeout, _, {nkservice_op_timeout, TId}}: "operation timeout!", {stop, normal} (conn_handle_info, :489-494 of b780fbf, same here). */
  protected opTimeout(conn: Conn2016, tid: number): void {
    if (!conn.trans.has(tid)) return;
    conn.trans.delete(tid);
    conn.plumb.stop('op-timeout');
  }

  /** send_reply_ok: no data for an empty map; a list always has data (the empty-list clause is commented out) (nkservice@79bf10d:src/nkservice_api_server.erl:773-784). */
  protected replyOk(conn: Conn2016, tid: unknown, data: Json | Json[]): void {
    const frame: Json = { result: 'ok', tid };
    if (Array.isArray(data) || Object.keys(data).length > 0) frame.data = data;
    conn.plumb.send(frame);
  }

  /** send_reply_error: {result:error, tid, data:{code, error}} from error_code (nkservice@79bf10d:src/nkservice_api_server.erl:791-801). */
  protected replyError(conn: Conn2016, tid: unknown, reason: Reason): void {
    const [code, error] = this.errorCode(reason);
    conn.plumb.send({ result: 'error', tid, data: { code, error } });
  }

  protected sendAck(conn: Conn2016, tid: unknown): void {
    conn.plumb.send({ ack: tid });
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  /**
   * The api_server_cmd chain: class core -> nkservice_api:launch (nkservice@79bf10d:src/nkservice_callbacks.erl:240-241);
   * class media -> launch too (nkmedia@4394517:src/nkmedia_callbacks.erl:293-294); any other
   * class -> {error, not_implemented} (nkservice@79bf10d:src/nkservice_callbacks.erl:243-244).
   */
  protected apiServerCmd(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): CmdResult {
    if (cls === 'core' || this.launchedClasses().includes(cls)) return this.launch(conn, cls, sub, cmd, data, tid);
    return { error: 'not_implemented' };
  }

  protected launchedClasses(): string[] {
    return ['media'];
  }

  /**
   * nkservice_api:launch: parse the data with the command's syntax, then api_allow (the sample
   * allows all: nkmedia@4394517:src/samples/nkmedia_test_api.erl:263-264), then api_cmd. Unknown
   * keys do not fail the command; when it succeeds a core/session_event unrecognized_fields event
   * is sent (nkservice@79bf10d:src/nkservice_api.erl:54-101).
   */
  protected launch(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): CmdResult {
    const syntax = this.syntax(cls, sub, cmd);
    const parsed = parseConfig(data, syntax);
    if ('error' in parsed) return parsed;
    const result = this.apiCmd(conn, cls, sub, cmd, parsed.parsed, tid);
    if ('ok' in result && parsed.other.length > 0 && this.reportsUnrecognizedFields) {
      // send_unrecognized_fields: class core, subclass session_event, type unrecognized_fields,
      // obj_id = the connection's session id (:89-101). It is published after the command ran.
      const body = { class: cls, subclass: sub, cmd, fields: parsed.other };
      queueMicrotask(() => this.publish({ class: 'core', subclass: 'session_event', type: 'unrecognized_fields', obj_id: conn.sessionId, body }));
    }
    return result;
  }

  /** api_syntax chain for the commands modelled here. */
  protected syntax(cls: string, sub: string, cmd: string): Syntax {
    if (cls === 'core' && sub === 'event' && (cmd === 'subscribe' || cmd === 'unsubscribe')) {
      // syntax_events: class mandatory; subclass/type/obj_id default "*"; service parsed to a
      // service id; body only for subscribe (nkservice@79bf10d:src/nkservice_api_syntax.erl:36-41,106-122).
      const fields: Syntax['fields'] = { class: 'binary', subclass: 'binary', type: 'binary', obj_id: 'binary', service: 'service' };
      if (cmd === 'subscribe') fields.body = 'any';
      return { fields, defaults: { subclass: '*', type: '*', obj_id: '*' }, mandatory: ['class'] };
    }
    if (cls === 'media' && sub === 'session' && cmd === 'get_info') {
      return { fields: { session_id: 'binary' }, mandatory: ['session_id'] }; // nkmedia@4394517:src/nkmedia_api_syntax.erl:227-232
    }
    if (cls === 'media' && sub === 'room' && cmd === 'get_info') {
      return { fields: { room_id: 'binary' }, mandatory: ['room_id'] }; // nkmedia@4394517:src/plugins/nkmedia_room_api_syntax.erl:62-67
    }
    if (cls === 'media' && sub === 'room' && cmd === 'get_list') {
      return { fields: { service: 'service' } }; // nkmedia@4394517:src/plugins/nkmedia_room_api_syntax.erl:55-60
    }
    return { fields: {} };
  }

  /** api_cmd chain. */
  protected apiCmd(conn: Conn2016, cls: string, sub: string, cmd: string, data: Json, tid: unknown): CmdResult {
    if (cls === 'core') return this.coreCmd(conn, sub, cmd, data, tid);
    if (cls === 'media') return this.mediaCmd(conn, sub, cmd, data);
    return { error: 'not_implemented' };
  }

  /** nkservice_api:cmd (nkservice@79bf10d:src/nkservice_api.erl:117-238). */
  protected coreCmd(conn: Conn2016, sub: string, cmd: string, data: Json, _tid: unknown): CmdResult {
    if (sub === 'event' && cmd === 'subscribe') {
      // api_subscribe_allow (the sample allows all, nkmedia@4394517:src/samples/nkmedia_test_api.erl:268-269;
      // nkservice's default refuses) -> unauthorized (:133-145).
      const allow = this.opts.subscribeAllow?.({ class: data.class, subclass: data.subclass, type: data.type }) ?? true;
      if (!allow) return { error: 'unauthorized' };
      this.register(conn, { class: data.class, subclass: data.subclass, type: data.type, obj_id: data.obj_id }, (data.body ?? {}) as Json);
      this.scheduleScript();
      return { ok: {} };
    }
    if (sub === 'event' && cmd === 'unsubscribe') {
      this.unregister(conn, { class: data.class, subclass: data.subclass, type: data.type, obj_id: data.obj_id }); // :147-152
      return { ok: {} };
    }
    if (sub === 'event' && cmd === 'get_subscriptions') {
      // ack now, then a list of {class, subclass, type, obj_id, service} (:155-157 and get_subscriptions
      // in nkservice@79bf10d:src/nkservice_api_server.erl:686-693, nkservice_get_regs :348-364).
      return { ack: true, later: () => this.regsOf(conn) };
    }
    // cmd(_Sub, Cmd, _Data, State) -> {error, {unknown_command, Cmd}} (:238)
    return { error: this.unknownCommand(cmd) };
  }

  /** The reason for an unknown command: {unknown_command, Cmd} on this line (nkservice@79bf10d:src/nkservice_api.erl:238). */
  protected unknownCommand(cmd: string): Reason {
    return ['unknown_command', cmd];
  }

  /** 79bf10d reports unknown keys of a successful command with an unrecognized_fields event (nkservice_api.erl:69-73). */
  protected reportsUnrecognizedFields = true;

  /**
   * Class media: the plugin chain ends in nkmedia_api:cmd, which answers
   * {unknown_command, Cmd} for anything it does not know (nkmedia@4394517:src/nkmedia_api.erl:164-165);
   * the room plugin handles subclass room first and continues otherwise
   * (nkmedia@4394517:src/plugins/nkmedia_room_callbacks.erl:174-178, nkmedia_room_api.erl:63-64).
   */
  protected mediaCmd(_conn: Conn2016, sub: string, cmd: string, data: Json): CmdResult {
    if (sub === 'session' && cmd === 'get_list') {
      // [#{session_id}] (nkmedia@4394517:src/nkmedia_api.erl:159-161)
      return { ok: [...this.live.sessions.keys()].map((id) => ({ session_id: id })) };
    }
    if (sub === 'session' && cmd === 'get_info') {
      // the session restricted to session_fields (nkmedia@4394517:src/nkmedia_api.erl:148-157;
      // nkmedia_api_syntax.erl:35-68); unknown id: session_not_found (nkmedia_session.erl:1096)
      const session = this.live.sessions.get(data.session_id);
      return session ? { ok: { ...session } } : { error: 'session_not_found' };
    }
    if (sub === 'room' && cmd === 'get_list') {
      // [#{room_id, class}] (nkmedia@4394517:src/plugins/nkmedia_room_api.erl:51-53)
      return { ok: [...this.live.rooms.entries()].map(([id, room]) => ({ room_id: id, class: room.class })) };
    }
    if (sub === 'room' && cmd === 'get_info') {
      // class, backend, members, audio_codec, video_codec, bitrate (nkmedia@4394517:src/plugins/nkmedia_room.erl:148-162);
      // unknown room: room_not_found (:471)
      const room = this.live.rooms.get(data.room_id);
      return room ? { ok: pick(room, ['class', 'backend', 'members', 'audio_codec', 'video_codec', 'bitrate']) } : { error: 'room_not_found' };
    }
    return { error: this.unknownCommand(cmd) };
  }

  // ------------------------------------------------------------------------------------------
  // Events

  protected regKey(cls: string, sub: string, type: string): string {
    return `${cls}\u0000${sub}\u0000${type}`;
  }

  /**
   * nkservice_events:reg: "*" becomes the wildcard (check_wildcard), the registration goes to
   * the server of (class, subclass, type) under the key {SrvId, ObjId}; one entry per pid and
   * key (lists:keystore replaces the body) (nkservice@79bf10d:src/nkservice_events.erl reg/3,
   * do_reg, check_wildcard; same code as nkservice@cbdd973:src/nkservice_events.erl:129-136,331-332,401-416).
   */
  protected register(conn: Conn2016, sub: { class: string; subclass: string; type: string; obj_id: string }, body: Json): void {
    const key = this.regKey(sub.class, sub.subclass, sub.type);
    const regs = (this.registries.get(key) ?? []).filter((r) => !(r.conn === conn && r.objId === sub.obj_id));
    regs.push({ conn, objId: sub.obj_id, body, sub: { ...sub, service: SERVICE_ID } });
    this.registries.set(key, regs);
  }

  protected unregister(conn: Conn2016, sub: { class: string; subclass: string; type: string; obj_id: string }): void {
    const key = this.regKey(sub.class, sub.subclass, sub.type);
    this.registries.set(key, (this.registries.get(key) ?? []).filter((r) => !(r.conn === conn && r.objId === sub.obj_id)));
  }

  protected regsOf(conn: Conn2016): Json[] {
    const out: Json[] = [];
    for (const regs of this.registries.values()) for (const r of regs) if (r.conn === conn) out.push({ ...r.sub });
    return out;
  }

  /**
   * nkservice_events:send: the event goes to three registries, (class, subclass, type),
   * (class, subclass, '*') and (class, '*', '*'); inside each, the pids registered for the exact
   * obj_id, then those for '*' not already served (dedup by {Pid, Body}). Nothing dedups across
   * the three, so overlapping subscriptions deliver twice. A registration with a wildcard
   * subclass but a concrete type lives in (class, '*', type), which no send looks at.
   * The subscription body is merged under the event body (event keys win).
   * (nkservice@cbdd973:src/nkservice_events.erl:99-106,251-271,452-460; renamed send/2 at
   * nkservice@6da9c39; same at 79bf10d.)
   */
  publish(ev: Event2016): number {
    let delivered = 0;
    for (const key of [this.regKey(ev.class, ev.subclass, ev.type), this.regKey(ev.class, ev.subclass, '*'), this.regKey(ev.class, '*', '*')]) {
      const regs = this.registries.get(key) ?? [];
      const exact = regs.filter((r) => r.objId === ev.obj_id);
      const any = regs.filter((r) => r.objId === '*' && !exact.some((e) => e.conn === r.conn && sameJson(e.body, r.body)));
      for (const r of [...exact, ...any]) {
        this.deliver(r.conn, ev, { ...r.body, ...ev.body });
        delivered++;
      }
    }
    return delivered;
  }

  /**
   * The connection forwards the event as a core/event request: data {class, subclass, type,
   * obj_id, service (only another service's), body (only when not empty)}
   * (nkservice@79bf10d:src/nkservice_api_server.erl:408-436 of b780fbf; same clause here).
   */
  protected deliver(conn: Conn2016, ev: Event2016, body: Json): void {
    this.enqueue(conn, () => {
      if (!conn.plumb.open) return;
      const data: Json = { class: ev.class };
      if (ev.subclass !== '*') data.subclass = ev.subclass;
      if (ev.type !== '*') data.type = ev.type;
      if (ev.obj_id !== '*') data.obj_id = ev.obj_id;
      if (Object.keys(body).length > 0) data.body = body;
      conn.eventsSent++;
      this.sendRequest(conn, 'core', 'core', 'event', data);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Script

  /** The script starts once, a little after the last subscribe of the first client. */
  protected scheduleScript(): void {
    if (!this.opts.script || this.scriptStarted) return;
    if (this.scriptTimer) clearTimeout(this.scriptTimer);
    this.scriptTimer = setTimeout(() => {
      this.scriptStarted = true;
      void runSteps(this.scriptSteps(), this.opts.scriptGapMs, () => this.stopped).then(() => this.resolveScript());
    }, this.opts.scriptDelayMs);
  }

  /** A scripted event (marked, so that the expected outcome can count them). */
  protected ev(cls: string, subclass: string, type: string, objId: string, body: Json = {}): Step {
    const step: Step = () => void this.publish({ class: cls, subclass, type, obj_id: objId, body });
    step.event = { class: cls, subclass, type, obj_id: objId, body };
    return step;
  }

  /** How many scripted events a client subscribed to classes media and collab receives. */
  protected scriptedEventCount(): number {
    return this.scriptSteps().filter((s) => s.event && (s.event.class === 'media' || s.event.class === 'collab')).length;
  }

  protected act(fn: () => void): Step {
    return fn;
  }

  /** Object ids of the script (fixed, UUID-like but not RFC 4122, like the documented samples). */
  protected ids = {
    s1: '1016a0a1-0001-0000-0000-000000000001',
    s2: '1016a0a1-0002-0000-0000-000000000002',
    room: '1016b0b1-0000-0000-0000-0000000000r1',
    pub: '1016a0a1-0003-0000-0000-000000000003',
    lis: '1016a0a1-0004-0000-0000-000000000004',
    call1: '1016c0c1-0001-0000-0000-0000000000c1',
    call2: '1016c0c1-0002-0000-0000-0000000000c2',
    ca1: '1016a0a1-0005-0000-0000-000000000005',
    cb1: '1016a0a1-0006-0000-0000-000000000006',
    ca2: '1016a0a1-0007-0000-0000-000000000007',
    cb2: '1016a0a1-0008-0000-0000-000000000008',
    cc1: '1016a0a1-0009-0000-0000-000000000009',
  };

  /**
   * Answer bodies: {answer: A} with A the Janus answer {sdp, trickle_ice:false, sdp_type,
   * backend} (nkmedia@4394517:src/nkmedia_api_events.erl:42-43; nkmedia@4394517:src/janus_backend/nkmedia_janus_op.erl:1482-1488).
   */
  protected answer(): Json {
    return { answer: { sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n', trickle_ice: false, sdp_type: 'webrtc', backend: 'nkmedia_janus' } };
  }

  /** {code, reason} of a stop, via error_code (nkmedia@4394517:src/nkmedia_api_events.erl:58-60). */
  protected stopBody(reason: Reason): Json {
    const [code, text] = this.errorCode(reason);
    return { code, reason: text };
  }

  protected scriptSteps(): Step[] {
    const { s1, s2, room, pub, lis, call1, call2, ca1, cb1, ca2, cb2, cc1 } = this.ids;
    const S = (type: string, id: string, body?: Json) => this.ev('media', 'session', type, id, body);
    const R = (type: string, body?: Json) => this.ev('media', 'room', type, room, body);
    const C = (type: string, id: string, body?: Json) => this.ev('media', 'call', type, id, body);
    const addSession = (id: string, info: Json) => this.act(() => this.live.sessions.set(id, { session_id: id, backend: 'nkmedia_janus', ...info }));
    const dropSession = (id: string) => this.act(() => this.live.sessions.delete(id));
    const internalRef = '7f2a9c1e';
    return [
      // S1: a session that ends normally. Event types answer, candidate, candidate_end
      // (empty body: no body key), destroyed (nkmedia@4394517:src/nkmedia_api_events.erl:42-60).
      addSession(s1, { type: 'echo', type_ext: {}, user_id: 'alice' }),
      S('answer', s1, this.answer()),
      S('candidate', s1, { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host' }),
      S('candidate_end', s1),
      // Destroying a session through the API uses reason user_stop (nkmedia@4394517:src/nkmedia_api.erl:78-81,
      // nkmedia_session.erl:197-198) -> 100011 "User stop received".
      S('destroyed', s1, this.stopBody('user_stop')),
      dropSession(s1),
      // S2: a session whose process crashed: terminate with another reason than normal stops it
      // with {internal_error, Ref} (nkmedia@4394517:src/nkmedia_session.erl:646-656) -> 100003.
      addSession(s2, { type: 'echo', type_ext: {}, user_id: 'alice' }),
      S('answer', s2, this.answer()),
      S('destroyed', s2, this.stopBody(['internal_error', internalRef])),
      dropSession(s2),
      // An SFU room. created: only the keys the room has of audio_codec, video_codec, bitrate,
      // class, backend (nkmedia@4394517:src/plugins/nkmedia_room_api_events.erl:39-41).
      this.act(() => this.live.rooms.set(room, { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, members: {} })),
      R('created', { class: 'sfu', backend: 'nkmedia_janus', audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000 }),
      // The publisher session: its type event is `type` with the type extras (type_ext
      // room_id) plus type (nkmedia@4394517:src/nkmedia_api_events.erl:45-46), then the answer.
      addSession(pub, { type: 'publish', type_ext: { room_id: room }, user_id: 'alice', room_id: room }),
      S('type', pub, { type: 'publish', room_id: room }),
      S('answer', pub, this.answer()),
      // started_member: member info {role, user_id} plus session_id; a publisher has no peer_id
      // (nkmedia@4394517:src/plugins/nkmedia_room_api_events.erl:47-48; nkmedia_janus_session.erl:556-558).
      this.act(() => (this.live.rooms.get(room)!.members[pub] = { role: 'publisher', user_id: 'alice' })),
      R('started_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      // The listener: type_ext {room_id, publisher_id}; member info has peer_id = the publisher's
      // session id (nkmedia@4394517:src/janus_backend/nkmedia_janus_session.erl:224-229,568-570).
      addSession(lis, { type: 'listen', type_ext: { room_id: room, publisher_id: pub }, user_id: 'bob', room_id: room, publisher_id: pub }),
      S('type', lis, { type: 'listen', room_id: room, publisher_id: pub }),
      this.act(() => (this.live.rooms.get(room)!.members[lis] = { role: 'listener', user_id: 'bob', peer_id: pub })),
      R('started_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      S('answer', lis, this.answer()),
      // The listener leaves (user_stop), then the room reports stopped_member with the info
      // stored at join time (nkmedia@4394517:src/plugins/nkmedia_room.erl:401-417).
      S('destroyed', lis, this.stopBody('user_stop')),
      dropSession(lis),
      this.act(() => delete this.live.rooms.get(room)!.members[lis]),
      R('stopped_member', { role: 'listener', user_id: 'bob', peer_id: pub, session_id: lis }),
      // The publisher leaves; no listener of it is left, so nobody gets publisher_stop (:421-431).
      S('destroyed', pub, this.stopBody('user_stop')),
      dropSession(pub),
      this.act(() => delete this.live.rooms.get(room)!.members[pub]),
      R('stopped_member', { role: 'publisher', user_id: 'alice', session_id: pub }),
      // Destroying the room through the API: reason api_stop (nkmedia@4394517:src/plugins/nkmedia_room_api.erl:43-44)
      // -> destroyed {code, reason} (nkmedia_room_api_events.erl:43-45) = 100012 "API stop received".
      R('destroyed', this.stopBody('api_stop')),
      this.act(() => this.live.rooms.delete(room)),
      // Call 1, answered. media/call events: ringing {callee}, accepted {callee}, hangup {code, reason}
      // (the callee is the map the callee's client gave: nkmedia@4394517:src/plugins/nkmedia_call_api.erl:71,87)
      // (nkmedia@4394517:src/plugins/nkmedia_call_api_events.erl:41-49); answer/candidate go only to one pid (:60-67).
      addSession(ca1, { type: 'call', user_id: 'alice' }),
      C('ringing', call1, { callee: { user_id: 'bob' } }),
      addSession(cb1, { type: 'call', user_id: 'bob' }),
      // Call 1 rang two devices; bob accepts on the first: do_accepted cancels every other invite
      // (cancel_all_but, nkmedia@4394517:src/plugins/nkmedia_call.erl:688-694,751-762), and
      // do_cancelled stops the cancelled invite's session with originator_cancel (:773-777).
      C('accepted', call1, { callee: { user_id: 'bob' } }),
      S('destroyed', cc1, this.stopBody('originator_cancel')),
      S('answer', ca1, this.answer()),
      S('answer', cb1, this.answer()),
      // Hangup through the API without reason: api_hangup (nkmedia@4394517:src/plugins/nkmedia_call_api.erl:137-143);
      // do_hangup stops the caller and callee sessions with the same reason, then sends hangup
      // (nkmedia@4394517:src/plugins/nkmedia_call.erl:784-790).
      S('destroyed', ca1, this.stopBody('api_hangup')),
      S('destroyed', cb1, this.stopBody('api_hangup')),
      dropSession(ca1),
      dropSession(cb1),
      C('hangup', call1, this.stopBody('api_hangup')),
      // Call 2, rejected by its only callee: the invite's session stops with call_rejected, and
      // with no invite left the call hangs up with no_answer (nkmedia@4394517:src/plugins/nkmedia_call.erl:427,728-735),
      // which also stops the caller session with no_answer (:784-787).
      addSession(ca2, { type: 'call', user_id: 'alice' }),
      C('ringing', call2, { callee: { user_id: 'carol' } }),
      S('destroyed', cb2, this.stopBody('call_rejected')),
      S('destroyed', ca2, this.stopBody('no_answer')),
      dropSession(ca2),
      C('hangup', call2, this.stopBody('no_answer')),
    ];
  }

  protected expectedOutcome(): ExpectedOutcome {
    const { s1, s2, room, pub, lis, call1, call2, ca1, cb1, ca2, cb2, cc1 } = this.ids;
    const sess = (id: string) => `media/session/${id}`;
    const userStop = this.stopBody('user_stop');
    return {
      era: this.era,
      // 4 (S1) + 2 (S2) + 1 created + 3 (pub) + 3 (lis) + 2 + 2 + 1 destroyed + 8 (call 1) + 4 (call 2)
      events: 30,
      counts: { session: 9, room: 1, call: 2, other: 0 },
      objects: [
        { key: sess(s1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'API destroy = user_stop, 100011 "User stop received" (nkmedia@4394517:src/nkmedia_api.erl:78-81; nkservice@79bf10d:src/nkservice_callbacks.erl:174): a normal end with a non-zero code' },
        { key: sess(s2), kind: 'session', ended: true, state: 'stopped', verdict: 'fault', ...this.stopBody(['internal_error', '7f2a9c1e']), why: 'a crashed session process stops with {internal_error, Ref}, 100003 (nkmedia@4394517:src/nkmedia_session.erl:653-656)' },
        { key: sess(pub), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'the publisher left with user_stop' },
        { key: sess(lis), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...userStop, why: 'the listener left with user_stop before its publisher' },
        { key: `media/room/${room}`, kind: 'room', ended: true, state: 'destroyed', verdict: 'normal', ...this.stopBody('api_stop'), why: 'destroyed through the API: api_stop, 100012 "API stop received" (nkmedia@4394517:src/plugins/nkmedia_room_api.erl:43-44)' },
        { key: `media/call/${call1}`, kind: 'call', ended: true, state: 'hungup', verdict: 'normal', ...this.stopBody('api_hangup'), why: 'accepted, then hung up through the API: api_hangup 305011 (nkmedia@4394517:src/plugins/nkmedia_call_api.erl:137-143)' },
        { key: sess(ca1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...this.stopBody('api_hangup'), why: 'caller session stopped with the call hangup reason (nkmedia@4394517:src/plugins/nkmedia_call.erl:784-787)' },
        { key: sess(cb1), kind: 'session', ended: true, state: 'stopped', verdict: 'normal', ...this.stopBody('api_hangup'), why: 'callee session stopped with the call hangup reason' },
        { key: sess(cc1), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('originator_cancel'), why: 'the other invite of call 1, cancelled when bob accepted: originator_cancel 305008 (nkmedia@4394517:src/plugins/nkmedia_call.erl:694,773-777)' },
        { key: `media/call/${call2}`, kind: 'call', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('no_answer'), why: 'its only invite was rejected: hangup no_answer 305006 (nkmedia@4394517:src/plugins/nkmedia_call.erl:728-735)' },
        { key: sess(cb2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('call_rejected'), why: 'the rejected invite session stops with call_rejected 305003 (nkmedia@4394517:src/plugins/nkmedia_call.erl:427,731)' },
        { key: sess(ca2), kind: 'session', ended: true, state: 'declined', verdict: 'declined', ...this.stopBody('no_answer'), why: 'the caller session of the unanswered call stops with no_answer 305006 (:784-786)' },
      ],
      rooms: [
        { key: `media/room/${room}`, publishers: [pub], listeners: { [lis]: pub }, why: 'started_member {role, user_id, peer_id (listeners only) = publisher session id} (nkmedia@4394517:src/janus_backend/nkmedia_janus_session.erl:556-576)' },
      ],
    };
  }
}

// --------------------------------------------------------------------------------------------
// Helpers modelled on nklib_config:parse_config (as the API uses it: defaults, mandatory fields,
// unknown keys returned apart as "Other").

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
    if (type === 'map' && (typeof value !== 'object' || value === null || Array.isArray(value))) return { error: ['syntax_error', key] };
    if (type === 'integer' && !Number.isInteger(value)) return { error: ['syntax_error', key] };
    if (type === 'service') {
      // parse_service: only a known service name (nkservice@79bf10d:src/nkservice_api.erl parse_service)
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

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function startServer(options: EraServerOptions = {}): Promise<Server2016Oct> {
  return new Server2016Oct(options).start();
}
