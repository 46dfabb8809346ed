// One client connected to the simulated NkSERVICE server: its login state, subscriptions,
// the requests we sent it and their deadlines, and a write queue flushed once per tick. It
// speaks one era's dialect (eras/serverRules.ts): the login, the event frames, the codes of
// error replies, the idle timeout and the subscription wildcard follow that era's servers.
// Everything the client sends is untrusted: no handler here may throw.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ackFrame, okResponse, parseFrame, type EventData, type RequestFrame, type Subscription, type Tid } from '../protocol/frames';
import { TextFrameWriter, writeFrames } from '../protocol/textFrames';
import type { Logger } from '../shared/logger';
import { DeadlineTracker } from './deadlineTracker';
import { errorData, type CommandReply, type ServerRules } from './eras';
import { SubscriptionList, type Delivery } from './subscriptionList';

/** Close code used when a request of ours got no answer in time (4000-4999: application codes). */
export const CLOSE_ANSWER_TIMEOUT = 4000;
/** Close code used when the client reads so slowly that its send buffer passes the hard limit. */
export const CLOSE_TOO_SLOW = 4001;
/**
 * Close code used when no frame went either way for the idle timeout. (A real server's
 * transport just stops the connection, nkpacket@d25a6be:src/nkpacket_connection.erl:538-549;
 * the code and reason are the simulator's, to say why.)
 */
export const CLOSE_IDLE_TIMEOUT = 4002;
/** Close code used after a login whose session id was refused (duplicated or invalid). */
export const CLOSE_SESSION_REFUSED = 4003;
export const CLOSE_SERVER_STOPPING = 1001;

/** The internal service id get_subscriptions reports (an atom on a real server). */
export const SIMULATOR_SERVICE_ID = 'nkmedia_sim';

/** Past this much unsent data the client is not keeping up: warn once. */
const SLOW_CLIENT_WARN_BYTES = 64 * 1024 * 1024;
/** Past this much, close it: an unbounded buffer would eventually take the whole process down. */
const SLOW_CLIENT_CLOSE_BYTES = 256 * 1024 * 1024;
/** How long a client gets to answer our close frame before its socket is dropped. */
const CLOSE_HANDSHAKE_GRACE_MS = 2000;
/** A misbehaving client could flood the log; after this many bad frames we stop reporting them. */
const MAX_LOGGED_INVALID_FRAMES = 10;

export interface ConnectionSettings {
  rules: ServerRules;
  /** When set, a login must give it as `password` or `pass`; any user may log in. */
  password: string | undefined;
  /** Seconds between pings once the client is logged in; 0: none. */
  pingSeconds: number;
  answerTimeoutMs: number;
  ackExtensionMs: number;
  /** No frame either way for this long closes the connection; 0: never. */
  idleTimeoutMs: number;
  logger: Logger;
}

export interface ConnectionHooks {
  onLogin(connection: ClientConnection): void;
  onClose(connection: ClientConnection, code: number, reason: string): void;
  /** Takes a session id the client chose; false when another connection has it. */
  claimSessionId(connection: ClientConnection, sessionId: string): boolean;
  /** A snapshot command (`media/session/get_list`…), or undefined when the era has none. */
  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>): CommandReply | undefined;
}

/** Frames are written to the socket in pieces of about this size (see flush). */
const WRITE_CHUNK_BYTES = 64 * 1024;
/** 2016: an event is a core/event request (nkservice@79bf10d:src/nkservice_api_server.erl:408-436). */
const EVENT_REQUEST_PREFIX = '{"class":"core","cmd":"event","data":';
/** develop: an event is a message with no tid (nkservice@ee00943:src/nkservice_api_server.erl:886-922). */
const EVENT_MESSAGE_PREFIX = '{"class":"event","data":';

export class ClientConnection {
  private loggedInAs: string | undefined;
  private sessionIdValue: string | undefined;
  /** develop picks the session id when the connection opens (nkservice@ee00943:src/nkservice_api_server.erl:362). */
  private readonly openSessionId = randomUUID();
  private readonly subscriptions: SubscriptionList;
  private readonly deadlines: DeadlineTracker;
  private queue: string[] = [];
  private readonly frameWriter = new TextFrameWriter(false, 2 * WRITE_CHUNK_BYTES);
  private flushScheduled = false;
  private closing = false;
  private closeReason: string | undefined;
  private closeAfterFlush: { code: number; reason: string } | undefined;
  private slowWarned = false;
  private invalidFrames = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private pingTimer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  /** Frames that arrived while a failed login was "sleeping": handled after it, in order. */
  private readonly inbox: string[] = [];
  private loginFailures = 0;
  private readonly checkEveryMs: number;
  private lastCheckAt: number;
  private lastActivityAt: number;
  private skippedLastCheck = false;

  constructor(
    readonly id: number,
    readonly remoteAddress: string,
    private readonly ws: WebSocket,
    private readonly settings: ConnectionSettings,
    private readonly hooks: ConnectionHooks,
  ) {
    this.deadlines = new DeadlineTracker(settings);
    this.subscriptions = new SubscriptionList(settings.rules.wildcard);
    ws.on('message', (data, isBinary) => {
      // Inline rather than through `safely`: this runs once per answer, 50,000+ times a second.
      try {
        this.onMessage(data, isBinary);
      } catch (error) {
        this.reportInternalError(error);
      }
    });
    ws.on('error', (error) => settings.logger.warn(`client ${id}: socket error: ${error.message}`));
    ws.on('close', (code, reason) => this.safely(() => this.onClosed(code, reason.toString())));
    // Coarse on purpose: one look at the oldest request every interval, whatever the rate.
    const shortest = Math.min(settings.answerTimeoutMs, settings.idleTimeoutMs > 0 ? settings.idleTimeoutMs : Infinity);
    this.checkEveryMs = Math.min(250, Math.max(20, Math.floor(shortest / 4)));
    this.lastCheckAt = Date.now();
    this.lastActivityAt = this.lastCheckAt;
    this.timers.push(setInterval(() => this.safely(() => this.checkDeadlines()), this.checkEveryMs));
    for (const timer of this.timers) timer.unref();
  }

  get loggedIn(): boolean {
    return this.loggedInAs !== undefined;
  }

  get user(): string | undefined {
    return this.loggedInAs;
  }

  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  /** Logged in, open, and subscribed to something: events may be for it. */
  get wantsEvents(): boolean {
    return this.loggedInAs !== undefined && !this.closing && this.subscriptions.size > 0;
  }

  /** Bytes written but not yet handed to the OS: grows when the client reads slower than we send. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** Requests we sent that still wait for an answer (events only in 2016: develop events have no tid). */
  get outstandingRequests(): number {
    return this.deadlines.outstanding;
  }

  deliveryOf(event: EventData): Delivery {
    return this.subscriptions.deliveryOf(event);
  }

  /** Queues an event in the era's frame; `dataJson` is the serialized event `data`. */
  sendEvent(dataJson: string): void {
    if (this.closing) return;
    if (this.settings.rules.eventFrames === 'message') {
      this.enqueue(`${EVENT_MESSAGE_PREFIX}${dataJson}}`);
      return;
    }
    const tid = this.deadlines.register(Date.now());
    this.enqueue(`${EVENT_REQUEST_PREFIX}${dataJson},"tid":${tid}}`);
  }

  /** Closes with a reason the client and our log both see. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    this.queue = [];
    this.stopTimers();
    this.inbox.length = 0;
    try {
      this.ws.close(code, reason);
    } catch (error) {
      this.settings.logger.warn(`client ${this.id}: close failed (${(error as Error).message}); dropping it`);
      this.ws.terminate();
      return;
    }
    // A client that stopped answering may not answer our close frame either; ws would wait
    // 30 s for it, holding the socket and its send backlog. Drop it sooner.
    setTimeout(() => {
      if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    }, CLOSE_HANDSHAKE_GRACE_MS).unref();
  }

  /** Drops the socket at once (used when a polite close got no reply). */
  terminate(): void {
    this.closing = true;
    this.stopTimers();
    this.ws.terminate();
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    // Any frame the client sends resets the idle timer; WebSocket pings never get here (the
    // ws server answers them itself), as on the real transport (nkpacket@d25a6be:src/nkpacket_transport_ws.erl:330-349).
    this.lastActivityAt = Date.now();
    if (isBinary) {
      this.reportInvalid('binary frame (the protocol uses JSON text frames)', '');
      return;
    }
    const text = textOf(data);
    if (this.holdTimer !== undefined) {
      this.inbox.push(text);
      return;
    }
    this.onText(text);
  }

  private onText(text: string): void {
    const parsed = parseFrame(text);
    switch (parsed.kind) {
      case 'invalid':
        this.reportInvalid(parsed.reason, parsed.excerpt);
        return;
      case 'response':
        if (!this.deadlines.answered(parsed.frame.tid)) {
          this.settings.logger.debug(`client ${this.id}: response to unknown tid ${String(parsed.frame.tid)} ignored`);
        }
        return;
      case 'ack':
        if (!this.deadlines.ack(parsed.frame.ack, Date.now())) {
          this.settings.logger.debug(`client ${this.id}: ack of unknown tid ${String(parsed.frame.ack)} ignored`);
        }
        return;
      case 'event':
        // A client's own event ({class:"event"}): develop takes it without a reply.
        this.settings.logger.debug(`client ${this.id}: event message from the client ignored`);
        return;
      case 'request':
        this.onRequest(parsed.frame);
        return;
    }
  }

  private onRequest(request: RequestFrame): void {
    const { rules } = this.settings;
    const { tid } = request;
    const subclass = request.subclass ?? rules.defaultSubclass;
    const data = request.data ?? {};
    // nkservice@79bf10d:src/nkservice_api_server.erl:547 (2016), nkservice@ee00943:src/nkservice_api.erl:79 (develop):
    // the login is core/user/login; a missing subclass is "core" (2016) or empty (develop), which is no login.
    if (request.class === 'core' && subclass === 'user' && request.cmd === 'login') {
      this.login(request);
      return;
    }
    if (!this.loggedIn) {
      this.replyError(tid, rules.notLoggedIn);
      return;
    }
    if (request.class === 'core' && subclass === 'event') {
      switch (request.cmd) {
        case 'subscribe':
          this.subscribe(tid, data, true);
          return;
        case 'unsubscribe':
          this.subscribe(tid, data, false);
          return;
        case 'get_subscriptions':
          this.getSubscriptions(tid);
          return;
      }
    }
    // 2016: a client's own core/event request is answered ok (nkservice@79bf10d:src/nkservice_api_server.erl:572-590).
    if (rules.family === '2016' && request.class === 'core' && subclass === 'core' && request.cmd === 'event' && typeof data.class === 'string') {
      this.enqueue(okResponse(tid));
      return;
    }
    const hasPlugin = request.class === 'core' || request.class === 'media' || (request.class === 'collab' && rules.dialect.collab);
    if (!hasPlugin) {
      // No plugin takes the class: nkservice's default api_server_cmd (nkservice@79bf10d:src/nkservice_callbacks.erl:243-244).
      this.replyError(tid, 'not_implemented');
      return;
    }
    const reply = request.class === 'core' ? undefined : this.hooks.command(request.class, subclass, request.cmd, data);
    if (reply === undefined) {
      // {unknown_command, Cmd} from 29 Sep 2016 (nkservice@79bf10d:src/nkservice_api.erl:238), plain before (b780fbf:216).
      this.replyError(tid, 'unknown_command', request.cmd);
    } else if ('ok' in reply) {
      this.enqueue(okResponseOf(tid, reply.ok));
    } else {
      this.replyError(tid, reply.error, ...(reply.args ?? []));
    }
  }

  private login(request: RequestFrame): void {
    const { rules } = this.settings;
    const { tid } = request;
    if (rules.acksLogin) this.enqueue(ackFrame(tid));
    if (this.loggedIn && !rules.reloginAllowed) {
      this.replyError(tid, 'already_authenticated');
      return;
    }
    const data = request.data ?? {};
    const user = data.user;
    const password = this.settings.password;
    const accepted =
      typeof user === 'string' &&
      user !== '' &&
      (!rules.loginNeedsPass || 'pass' in data) &&
      (password === undefined || data.password === password || data.pass === password);
    if (!accepted) {
      this.loginFailures++;
      const delay = rules.loginFailureDelayMs(this.loginFailures);
      this.settings.logger.info(`client ${this.id}: failed login${typeof user === 'string' ? ` as "${user}"` : ''}; replying in ${delay} ms`);
      // The server process sleeps before it replies: nothing else is handled meanwhile.
      this.hold(delay, () => this.replyError(tid, 'unauthorized'));
      return;
    }
    let sessionId: string = rules.family === 'develop' ? this.openSessionId : randomUUID();
    if (rules.clientSessionId && 'session_id' in data) {
      const given = data.session_id;
      // nkservice@79bf10d:src/nkservice_api_server.erl:616-645: both refusals stop the connection.
      if (typeof given !== 'string' || given === '') {
        this.refuseSession(tid, 'invalid_session_id');
        return;
      }
      if (given !== this.sessionIdValue && !this.hooks.claimSessionId(this, given)) {
        this.refuseSession(tid, 'duplicated_session_id');
        return;
      }
      sessionId = given;
    }
    this.loggedInAs = user;
    this.sessionIdValue = sessionId;
    this.enqueue(okResponse(tid, { session_id: sessionId }));
    this.settings.logger.info(`client ${this.id}: logged in as "${user}"`);
    this.startPings();
    this.hooks.onLogin(this);
  }

  private refuseSession(tid: Tid, atom: string): void {
    this.replyError(tid, atom);
    this.closeAfterFlush = { code: CLOSE_SESSION_REFUSED, reason: atom.replace(/_/g, ' ') };
  }

  /** Subscribe or unsubscribe; bad fields get the era's syntax error, unknown ones are reported. */
  private subscribe(tid: Tid, data: Record<string, unknown>, subscribe: boolean): void {
    const { rules } = this.settings;
    if (data.class === undefined) {
      this.replyError(tid, 'missing_field', 'class');
      return;
    }
    const types = rules.typeLists && Array.isArray(data.type) ? data.type : [data.type];
    const bad = ['class', 'subclass', 'obj_id', ...(rules.wildcard === '*' ? ['service'] : [])].find((field) => data[field] !== undefined && typeof data[field] !== 'string');
    const badType = types.some((type) => type !== undefined && typeof type !== 'string') || (rules.typeLists && Array.isArray(data.type) && data.type.length === 0);
    const badBody = data.body !== undefined && (typeof data.body !== 'object' || data.body === null || Array.isArray(data.body));
    if (bad || badType || badBody) {
      this.replyError(tid, 'syntax_error', bad ?? (badType ? 'type' : 'body'));
      return;
    }
    for (const type of types as Array<string | undefined>) {
      const sub: Subscription = { class: data.class as string };
      for (const field of ['subclass', 'obj_id', 'service'] as const) if (typeof data[field] === 'string') sub[field] = data[field] as string;
      if (type !== undefined) sub.type = type;
      if (subscribe && data.body !== undefined) sub.body = data.body as Record<string, unknown>;
      // Removing nothing is not an error: the wanted end state (not subscribed) holds.
      if (subscribe) this.subscriptions.add(sub);
      else this.subscriptions.remove(sub);
    }
    this.enqueue(okResponse(tid));
    const known = subscribe ? rules.subscribeKeys : rules.subscribeKeys.filter((key) => key !== 'body' || rules.family === 'develop');
    const unknown = Object.keys(data).filter((key) => !known.includes(key));
    if (unknown.length > 0 && rules.reportsUnrecognizedFields) {
      // To the connection's own core/session_event subscription, made at login
      // (nkservice@79bf10d:src/nkservice_api.erl:89-101; nkservice@ee00943:src/nkservice_api_lib.erl:144-161).
      this.sendEvent(JSON.stringify({
        class: 'core',
        subclass: 'session_event',
        type: 'unrecognized_fields',
        obj_id: this.sessionIdValue,
        body: { class: 'core', subclass: 'event', cmd: subscribe ? 'subscribe' : 'unsubscribe', fields: unknown },
      }));
    }
  }

  /**
   * Acked first, then the list, newest first, with the two subscriptions every login makes
   * (core/user_event/<user>, core/session_event/<session id>): nkservice@79bf10d:src/nkservice_api.erl:155-157,
   * src/nkservice_api_server.erl:348-364,616-637; develop adds each one's body
   * (nkservice@ee00943:src/nkservice_api_server.erl:478-490,750-761).
   */
  private getSubscriptions(tid: Tid): void {
    const { rules } = this.settings;
    const develop = rules.family === 'develop';
    const entry = (cls: string, subclass: string | undefined, type: string | undefined, objId: string | undefined, body: Record<string, unknown> | undefined) => {
      const item: Record<string, unknown> = {
        class: cls,
        subclass: this.subscriptions.stored(subclass),
        type: this.subscriptions.stored(type),
        obj_id: this.subscriptions.stored(objId),
        service: SIMULATOR_SERVICE_ID,
      };
      if (develop) item.body = body ?? {};
      return item;
    };
    const list = this.subscriptions.list().map((sub) => entry(sub.class, sub.subclass, sub.type, sub.obj_id, sub.body));
    list.push(entry('core', 'session_event', undefined, this.sessionIdValue, undefined), entry('core', 'user_event', undefined, this.loggedInAs, undefined));
    this.enqueue(ackFrame(tid));
    this.enqueue(okResponse(tid, list));
  }

  private replyError(tid: Tid, atom: string, ...args: string[]): void {
    this.enqueue(JSON.stringify({ result: 'error', tid, data: errorData(this.settings.rules.dialect, atom, ...args) }));
  }

  /** Handles nothing for `ms`, then runs `then` and what arrived meanwhile. */
  private hold(ms: number, then: () => void): void {
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.safely(() => {
        if (this.closing) return;
        then();
        while (this.holdTimer === undefined && !this.closing && this.inbox.length > 0) this.onText(this.inbox.shift()!);
      });
    }, ms);
    this.holdTimer.unref();
  }

  /** Pings start at login, as the 2016 sample services and develop servers do it. */
  private startPings(): void {
    if (this.settings.pingSeconds <= 0 || this.pingTimer !== undefined || this.closing) return;
    this.pingTimer = setInterval(() => this.safely(() => this.sendPing()), this.settings.pingSeconds * 1000);
    this.pingTimer.unref();
  }

  private sendPing(): void {
    if (this.closing) return;
    const tid = this.deadlines.register(Date.now());
    this.enqueue(JSON.stringify({ class: 'core', cmd: 'ping', data: { time: this.settings.pingSeconds }, tid }));
  }

  private checkDeadlines(): void {
    if (this.closing) return;
    const now = Date.now();
    const stalled = now - this.lastCheckAt > 2 * this.checkEveryMs;
    this.lastCheckAt = now;
    // If this check itself runs late, our own process was stalled (GC, a busy machine) and
    // answers may be sitting unread in the socket: judge the client on the next check instead.
    // Only once in a row, so a process that is always late still enforces deadlines.
    if (stalled && !this.skippedLastCheck) {
      this.skippedLastCheck = true;
      return;
    }
    this.skippedLastCheck = false;
    const { idleTimeoutMs } = this.settings;
    if (idleTimeoutMs > 0 && now - this.lastActivityAt > idleTimeoutMs) {
      this.settings.logger.info(`client ${this.id}: no frame either way for ${Math.round(idleTimeoutMs / 1000)} s; closing the connection (idle timeout)`);
      this.close(CLOSE_IDLE_TIMEOUT, 'idle timeout');
      return;
    }
    const late = this.deadlines.expired(now);
    if (late === undefined) return;
    this.settings.logger.warn(`client ${this.id}: request ${late} got no answer in time; closing the connection (answer timeout)`);
    this.close(CLOSE_ANSWER_TIMEOUT, 'answer timeout');
  }

  private enqueue(frame: string): void {
    if (this.closing) return;
    this.queue.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.safely(() => this.flush()));
    }
  }

  /**
   * Writes everything queued this tick as frames packed into a few large socket writes
   * (each still its own WebSocket frame) instead of one ws.send each: ws would allocate a
   * header and a copy per frame.
   */
  private flush(): void {
    this.flushScheduled = false;
    const frames = this.queue;
    this.queue = [];
    if (frames.length === 0 || this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    // Frames the server sends reset its idle timer too (nkpacket@d25a6be:src/nkpacket_connection.erl:105-114).
    this.lastActivityAt = Date.now();
    for (const frame of frames) {
      this.frameWriter.appendText(frame);
      // Moderate writes: buffers this size reuse freed memory instead of mapping new pages.
      if (this.frameWriter.length >= WRITE_CHUNK_BYTES && !writeFrames(this.ws, this.frameWriter.take())) return;
    }
    if (this.frameWriter.length > 0) writeFrames(this.ws, this.frameWriter.take());
    this.watchBackpressure();
    const after = this.closeAfterFlush;
    if (after) this.close(after.code, after.reason);
  }

  /**
   * A client that reads slower than we write makes the send buffer grow. We warn once at
   * 64 MB and keep sending (its answers will likely be late and the answer timeout closes it
   * anyway), and close it at 256 MB so one slow reader cannot exhaust memory.
   */
  private watchBackpressure(): void {
    const buffered = this.ws.bufferedAmount;
    if (buffered > SLOW_CLIENT_CLOSE_BYTES) {
      this.settings.logger.warn(`client ${this.id}: ${mb(buffered)} waiting to be sent; closing it (client too slow)`);
      this.close(CLOSE_TOO_SLOW, 'client too slow');
    } else if (buffered > SLOW_CLIENT_WARN_BYTES && !this.slowWarned) {
      this.slowWarned = true;
      this.settings.logger.warn(`client ${this.id} is not keeping up: ${mb(buffered)} waiting to be sent`);
    }
  }

  private onClosed(code: number, peerReason: string): void {
    this.closing = true;
    this.queue = [];
    this.stopTimers();
    const reason = this.closeReason ?? (peerReason || `closed by client (code ${code})`);
    this.hooks.onClose(this, code, reason);
  }

  private reportInvalid(reason: string, excerptText: string): void {
    this.invalidFrames++;
    if (this.invalidFrames > MAX_LOGGED_INVALID_FRAMES) return;
    const suffix = this.invalidFrames === MAX_LOGGED_INVALID_FRAMES ? ' (further invalid frames from this client are not logged)' : '';
    this.settings.logger.warn(`client ${this.id}: invalid frame ignored: ${reason}${excerptText ? `: ${excerptText}` : ''}${suffix}`);
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  /** Socket callbacks must never throw: a bug here would otherwise crash the whole process. */
  private safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.reportInternalError(error);
    }
  }

  private reportInternalError(error: unknown): void {
    this.settings.logger.error(`client ${this.id}: internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** An ok reply with data; an empty map is sent with no data key, a list (even empty) with it (nkservice@79bf10d:src/nkservice_api_server.erl:773-784). */
function okResponseOf(tid: Tid, data: Record<string, unknown> | unknown[]): string {
  return !Array.isArray(data) && Object.keys(data).length === 0 ? okResponse(tid) : okResponse(tid, data);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
