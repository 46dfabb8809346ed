// One client connected to the simulated NkSERVICE server: its socket, the requests we sent it
// and their deadlines, the idle timeout, pings, and the writes (flushed once per tick). It
// speaks one era's dialect (eras/serverRules.ts): the event frames, the idle timeout and the
// deadlines follow that era's servers; what it answers to the client's requests (login,
// subscriptions, commands) is clientRequests.ts. Everything the client sends is untrusted: no
// handler here may throw.
import WebSocket from 'ws';
import { parseFrame, type EventData } from '../protocol/frames';
import type { Logger } from '../shared/logger';
import { CLOSE_ANSWER_TIMEOUT, CLOSE_IDLE_TIMEOUT, CLOSE_TOO_SLOW } from './closeCodes';
import { ClientRequests } from './clientRequests';
import { DeadlineTracker } from './deadlineTracker';
import type { CommandReply, ServerRules } from './eras';
import { OutboundQueue } from './outboundQueue';
import type { Delivery } from './subscriptionList';

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

/** 2016: an event is a core/event request (nkservice@79bf10d:src/nkservice_api_server.erl:408-436). */
const EVENT_REQUEST_PREFIX = '{"class":"core","cmd":"event","data":';
/** develop: an event is a message with no tid (nkservice@ee00943:src/nkservice_api_server.erl:886-922). */
const EVENT_MESSAGE_PREFIX = '{"class":"event","data":';

export class ClientConnection {
  private readonly requests: ClientRequests;
  private readonly deadlines: DeadlineTracker;
  private readonly outbound: OutboundQueue;
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
    this.outbound = new OutboundQueue(ws);
    this.requests = new ClientRequests(settings, {
      id,
      send: (frame) => this.enqueue(frame),
      sendEvent: (dataJson) => this.sendEvent(dataJson),
      hold: (ms, then) => this.hold(ms, then),
      closeAfterFlush: (code, reason) => {
        this.closeAfterFlush = { code, reason };
      },
      loggedIn: () => {
        this.startPings();
        this.hooks.onLogin(this);
      },
      claimSessionId: (sessionId) => this.hooks.claimSessionId(this, sessionId),
      command: (cls, subclass, cmd, data) => this.hooks.command(cls, subclass, cmd, data),
    });
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
    return this.requests.loggedIn;
  }

  get user(): string | undefined {
    return this.requests.user;
  }

  get sessionId(): string | undefined {
    return this.requests.sessionId;
  }

  /** Logged in, open, and subscribed to something: events may be for it. */
  get wantsEvents(): boolean {
    return this.requests.loggedIn && !this.closing && this.requests.subscriptionCount > 0;
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
    return this.requests.deliveryOf(event);
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
    this.outbound.clear();
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
        this.requests.handle(parsed.frame);
        return;
    }
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
    if (this.outbound.push(frame)) setImmediate(() => this.safely(() => this.flush()));
  }

  /** Writes everything queued this tick (outboundQueue.ts), then sees whether the client keeps up. */
  private flush(): void {
    const frames = this.outbound.take();
    if (frames.length === 0 || this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    // Frames the server sends reset its idle timer too (nkpacket@d25a6be:src/nkpacket_connection.erl:105-114).
    this.lastActivityAt = Date.now();
    if (!this.outbound.write(frames)) return;
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
    this.outbound.clear();
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

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
