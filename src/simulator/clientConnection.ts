// One client connected to the simulated NkSERVICE server: its login state, subscriptions,
// the requests we sent it and their deadlines, and a write queue flushed once per tick.
// Everything the client sends is untrusted: no handler here may throw.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  errorResponse,
  okResponse,
  parseFrame,
  subscriptionSchema,
  issueSummary,
  type EventData,
  type RequestFrame,
} from '../protocol/frames';
import { TextFrameWriter, writeFrames } from '../protocol/textFrames';
import type { Logger } from '../shared/logger';
import { DeadlineTracker } from './deadlineTracker';
import { SubscriptionList, type Delivery } from './subscriptionList';

/** Error codes of this simulator's error responses (`data.code`). */
export const ErrorCodes = {
  unknownCommand: 1001,
  invalidLogin: 1002,
  notLoggedIn: 1003,
  invalidSubscription: 1004,
} as const;

/** Close code used when a request of ours got no answer in time (4000-4999: application codes). */
export const CLOSE_ANSWER_TIMEOUT = 4000;
/** Close code used when the client reads so slowly that its send buffer passes the hard limit. */
export const CLOSE_TOO_SLOW = 4001;
export const CLOSE_SERVER_STOPPING = 1001;

/** Past this much unsent data the client is not keeping up: warn once. */
const SLOW_CLIENT_WARN_BYTES = 64 * 1024 * 1024;
/** Past this much, close it: an unbounded buffer would eventually take the whole process down. */
const SLOW_CLIENT_CLOSE_BYTES = 256 * 1024 * 1024;
/** How long a client gets to answer our close frame before its socket is dropped. */
const CLOSE_HANDSHAKE_GRACE_MS = 2000;
/** A misbehaving client could flood the log; after this many bad frames we stop reporting them. */
const MAX_LOGGED_INVALID_FRAMES = 10;

export interface ConnectionSettings {
  user: string;
  password: string;
  pingSeconds: number;
  answerTimeoutMs: number;
  ackExtensionMs: number;
  logger: Logger;
}

export interface ConnectionHooks {
  onLogin(connection: ClientConnection): void;
  onClose(connection: ClientConnection, code: number, reason: string): void;
}

/** Frames are written to the socket in pieces of about this size (see flush). */
const WRITE_CHUNK_BYTES = 64 * 1024;
const EVENT_FRAME_PREFIX = '{"class":"core","cmd":"event","data":';

export class ClientConnection {
  private loggedInAs: string | undefined;
  private sessionIdValue: string | undefined;
  private readonly subscriptions = new SubscriptionList();
  private readonly deadlines: DeadlineTracker;
  private queue: string[] = [];
  private readonly frameWriter = new TextFrameWriter(false, 2 * WRITE_CHUNK_BYTES);
  private flushScheduled = false;
  private closing = false;
  private closeReason: string | undefined;
  private slowWarned = false;
  private invalidFrames = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly checkEveryMs: number;
  private lastCheckAt: number;
  private skippedLastCheck = false;

  constructor(
    readonly id: number,
    readonly remoteAddress: string,
    private readonly ws: WebSocket,
    private readonly settings: ConnectionSettings,
    private readonly hooks: ConnectionHooks,
  ) {
    this.deadlines = new DeadlineTracker(settings);
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
    if (settings.pingSeconds > 0) {
      this.timers.push(setInterval(() => this.safely(() => this.sendPing()), settings.pingSeconds * 1000));
    }
    // Coarse on purpose: one look at the oldest request every interval, whatever the rate.
    this.checkEveryMs = Math.min(250, Math.max(20, Math.floor(settings.answerTimeoutMs / 4)));
    this.lastCheckAt = Date.now();
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

  /** Requests we sent that still wait for an answer. */
  get outstandingRequests(): number {
    return this.deadlines.outstanding;
  }

  deliveryOf(event: EventData): Delivery {
    return this.subscriptions.deliveryOf(event);
  }

  /** Queues an event request; `dataJson` is the serialized event `data`. */
  sendEvent(dataJson: string): void {
    if (this.closing) return;
    const tid = this.deadlines.register(Date.now());
    this.enqueue(`${EVENT_FRAME_PREFIX}${dataJson},"tid":${tid}}`);
  }

  /** Closes with a reason the client and our log both see. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    this.queue = [];
    this.stopTimers();
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
    if (isBinary) {
      this.reportInvalid('binary frame (the protocol uses JSON text frames)', '');
      return;
    }
    const parsed = parseFrame(textOf(data));
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
      case 'request':
        this.onRequest(parsed.frame);
        return;
    }
  }

  private onRequest(request: RequestFrame): void {
    const { tid } = request;
    const command = [request.class, request.subclass, request.cmd].filter((part) => part !== undefined).join('/');
    const isLogin = request.class === 'core' && request.cmd === 'login' && (request.subclass === undefined || request.subclass === 'user');
    if (isLogin) {
      this.login(request);
      return;
    }
    if (!this.loggedIn) {
      this.enqueue(errorResponse(tid, `not logged in: log in (core/user/login) before ${command}`, ErrorCodes.notLoggedIn));
      return;
    }
    if (request.class === 'core' && request.subclass === 'event') {
      switch (request.cmd) {
        case 'subscribe':
          this.subscribe(request);
          return;
        case 'unsubscribe':
          this.unsubscribe(request);
          return;
        case 'get_subscriptions':
          this.enqueue(okResponse(tid, this.subscriptions.list()));
          return;
      }
    }
    this.enqueue(errorResponse(tid, `unknown command ${command}`, ErrorCodes.unknownCommand));
  }

  private login(request: RequestFrame): void {
    const user = request.data?.user;
    const password = request.data?.password;
    if (typeof user !== 'string' || typeof password !== 'string') {
      this.enqueue(errorResponse(request.tid, 'login needs data.user and data.password (strings)', ErrorCodes.invalidLogin));
      return;
    }
    if (user !== this.settings.user || password !== this.settings.password) {
      this.settings.logger.info(`client ${this.id}: failed login as "${user}"`);
      this.enqueue(errorResponse(request.tid, 'invalid user or password', ErrorCodes.invalidLogin));
      return;
    }
    this.loggedInAs = user;
    this.sessionIdValue ??= randomUUID();
    this.enqueue(okResponse(request.tid, { session_id: this.sessionIdValue }));
    this.settings.logger.info(`client ${this.id}: logged in as "${user}"`);
    this.hooks.onLogin(this);
  }

  private subscribe(request: RequestFrame): void {
    const parsed = subscriptionSchema.safeParse(request.data ?? {});
    if (!parsed.success) {
      this.enqueue(errorResponse(request.tid, `invalid subscription: ${issueSummary(parsed.error)}`, ErrorCodes.invalidSubscription));
      return;
    }
    this.subscriptions.add(parsed.data);
    this.enqueue(okResponse(request.tid));
  }

  private unsubscribe(request: RequestFrame): void {
    const parsed = subscriptionSchema.safeParse(request.data ?? {});
    if (!parsed.success) {
      this.enqueue(errorResponse(request.tid, `invalid subscription: ${issueSummary(parsed.error)}`, ErrorCodes.invalidSubscription));
      return;
    }
    // Removing nothing is not an error: the wanted end state (not subscribed) holds.
    this.subscriptions.remove(parsed.data);
    this.enqueue(okResponse(request.tid));
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
    for (const frame of frames) {
      this.frameWriter.appendText(frame);
      // Moderate writes: buffers this size reuse freed memory instead of mapping new pages.
      if (this.frameWriter.length >= WRITE_CHUNK_BYTES && !writeFrames(this.ws, this.frameWriter.take())) return;
    }
    if (this.frameWriter.length > 0) writeFrames(this.ws, this.frameWriter.take());
    this.watchBackpressure();
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
