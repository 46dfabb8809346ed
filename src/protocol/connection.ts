// One open WebSocket to an NkSERVICE server: answers the server's requests, delivers events,
// tracks the client's own requests, watches liveness, and reports once when it is gone.
// Reconnection, login and state live in NkServiceClient; a new ServerConnection is made for
// every socket.
import WebSocket, { type RawData } from 'ws';
import { eventDataSchema, errorResponse, excerpt, issueSummary, type EventData, type RequestFrame, type ResponseFrame } from './frames';
import { AnswerBatcher, flushOnNextTick, type FlushScheduler } from './answerBatcher';
import { writeFrames } from './textFrames';
import { PendingRequests } from './pendingRequests';
import { Liveness } from './liveness';
import { Keepalive } from './keepalive';
import { RateLimitedWarnings } from './rateLimitedWarnings';
import { decodeFrame, rawByteLength } from './incomingFrame';
import type { OversizeFrame } from './oversizeFrame';
import { answerServerRequest, requestName, usableTid } from './serverRequests';
import { echoTid } from './rawTid';
import { describeClose, describeSocketError } from './connectErrors';
import type { ClientStats, InvalidEventInfo, InvalidFrameInfo, ReceivedEvent } from './clientEvents';
import type { LivenessOptions } from './clientOptions';
import type { HealthMeter } from './healthMeter';
import type { Scrub } from './secretScrubber';
import type { Logger } from '../shared/logger';

export interface ConnectionConfig {
  redactedUrl: string;
  maxFrameBytes: number;
  /** The ws maxPayload the socket was opened with (for the message when ws cuts a frame). */
  maxPayloadBytes: number;
  requestTimeoutMs: number;
  liveness: Required<LivenessOptions> | false;
  answerScheduler?: FlushScheduler | 'unbatched';
  now: () => number;
  logger: Logger;
  scrub: Scrub;
  /** Shared with the client so counts survive reconnections. */
  stats: ClientStats;
  /** Answer latency, ping cadence, events: shared with the client too (healthMeter.ts). */
  health: HealthMeter;
  /** Unique, increasing tids across all connections of a client. */
  nextTid: () => number;
  /** Idle time after which a `core/ping` is sent (keepalive.ts); read at each check. */
  keepaliveMs: () => number | false;
}

export interface ConnectionHandlers {
  event(e: ReceivedEvent): void;
  invalidFrame(info: InvalidFrameInfo): void;
  invalidEvent(info: InvalidEventInfo): void;
  /** Called exactly once, when the socket is closed for whatever reason. */
  closed(reason: string): void;
  /** How an event came: a core/event request (2016) or a {class:"event"} message (develop). */
  eventFrame(shape: 'request' | 'message', data: EventData): void;
  /** The code of every error reply to our requests. */
  errorCode(code: number | string): void;
}

/** How long a polite close may take before the socket is cut. */
const CLOSE_GRACE_MS = 2000;

export class ServerConnection {
  private readonly pending: PendingRequests;
  private readonly batcher: AnswerBatcher;
  /** When the frame being handled was read (the health meter's clock): its answer's start. */
  private frameReadAt = 0;
  private readonly liveness: Liveness | undefined;
  private readonly keepalive: Keepalive;
  private readonly invalidFrameWarnings: RateLimitedWarnings;
  private readonly invalidEventWarnings: RateLimitedWarnings;
  private readonly unknownRequestWarnings: RateLimitedWarnings;
  private readonly notUtf8Warnings: RateLimitedWarnings;
  private readonly oversizeWarnings: RateLimitedWarnings;
  /** Set when we decide to end the link (user close, dead link); wins over the close code. */
  private ourReason: string | undefined;
  /** Set by a socket error; the close event that follows reports it. */
  private errorReason: string | undefined;
  private isClosed = false;
  private closedResolve!: (reason: string) => void;
  /** Resolves with the reason once the socket is closed. */
  readonly closed: Promise<string> = new Promise((resolve) => (this.closedResolve = resolve));

  constructor(
    private readonly ws: WebSocket,
    private readonly config: ConnectionConfig,
    private readonly handlers: ConnectionHandlers,
  ) {
    const { logger } = config;
    this.pending = new PendingRequests(config.requestTimeoutMs, config.scrub, (code) => handlers.errorCode(code));
    this.keepalive = new Keepalive(() => this.ping(), config.keepaliveMs, config.now);
    this.batcher = new AnswerBatcher(
      // close() flushes the answers before ws writes the close frame.
      {
        write: (frames) => {
          this.keepalive.noteSent();
          const written = writeFrames(ws, frames);
          config.health.answersWritten();
          return written;
        },
      },
      config.answerScheduler ?? flushOnNextTick,
    );
    this.invalidFrameWarnings = new RateLimitedWarnings(logger, 'invalid frames');
    this.invalidEventWarnings = new RateLimitedWarnings(logger, 'invalid events');
    this.unknownRequestWarnings = new RateLimitedWarnings(logger, 'unimplemented server requests');
    this.notUtf8Warnings = new RateLimitedWarnings(logger, 'frames that are not UTF-8');
    this.oversizeWarnings = new RateLimitedWarnings(logger, 'frames over the size limit');
    if (config.liveness) {
      this.liveness = new Liveness(
        () => ws.ping(),
        (reason) => this.terminate(reason),
        config.liveness.pingIntervalMs,
        config.liveness.pongTimeoutMs,
      );
    }

    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => this.liveness?.heardFromPeer());
    ws.on('error', (error) => {
      this.errorReason ??= config.scrub(describeSocketError(error as Error & { code?: string }, config.maxPayloadBytes));
      logger.warn(`${config.redactedUrl}: ${this.errorReason}`);
    });
    ws.on('close', (code, reason) => this.onClose(code, reason));
    this.liveness?.start();
    this.keepalive.start();
  }

  get isOpen(): boolean {
    return !this.isClosed && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a request; resolves with the ok response, rejects on error, timeout or drop.
   * `onAck` runs if the server acks it first.
   */
  request(cls: string, subclass: string | undefined, cmd: string, data?: object, onAck?: () => void): Promise<ResponseFrame> {
    const label = requestName({ class: cls, subclass, cmd });
    if (!this.isOpen) return Promise.reject(new Error(`cannot send ${label}: not connected to ${this.config.redactedUrl}`));
    const tid = this.config.nextTid();
    const frame: Record<string, unknown> = { class: cls };
    if (subclass !== undefined) frame.subclass = subclass;
    frame.cmd = cmd;
    if (data !== undefined) frame.data = data;
    frame.tid = tid;
    const response = this.pending.add(tid, label, onAck);
    this.keepalive.noteSent();
    this.ws.send(JSON.stringify(frame));
    return response;
  }

  /**
   * An application-level `core/ping`: keeps the server's idle timer from closing a quiet link,
   * and its error reply's code tells the era (keepalive.ts). Resolves once answered, whatever
   * the answer; never rejects.
   */
  ping(): Promise<void> {
    return this.request('core', undefined, 'ping').then(
      () => undefined,
      (error: Error) => this.config.logger.debug(`${this.config.redactedUrl}: keepalive core/ping: ${this.config.scrub(error.message)}`),
    );
  }

  /** Closes politely (close frame), cutting the socket if the server does not finish in time. */
  async close(reason: string): Promise<void> {
    if (this.isClosed) return;
    this.ourReason ??= reason;
    this.batcher.flush();
    const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    try {
      this.ws.close(1000);
    } catch {
      this.ws.terminate();
    }
    await this.closed;
    clearTimeout(timer);
  }

  /** Cuts the socket at once (dead link, protocol trouble). */
  terminate(reason: string): void {
    if (this.isClosed) return;
    this.ourReason ??= reason;
    this.ws.terminate();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // Nothing may escape a socket handler: a throw here would go to ws and kill the link.
    try {
      this.frameReadAt = this.config.health.now();
      this.liveness?.heardFromPeer();
      const byteLength = rawByteLength(data);
      this.config.stats.bytesReceived += byteLength;
      const { frame, text, bytes, notUtf8 } = decodeFrame(data, isBinary, byteLength, this.config.maxFrameBytes);
      if (notUtf8) {
        this.notUtf8Warnings.warn(`${this.config.redactedUrl}: frame with bytes that are not UTF-8 (shown as U+FFFD): ${this.config.scrub(excerpt(text ?? ''))}`);
      }
      switch (frame.kind) {
        case 'request':
          this.onServerRequest(frame.frame, frame.raw, frame.eventDataValid === true, text as string, bytes);
          return;
        case 'event':
          // develop's events have no tid and want no answer (nkservice@ee00943:src/nkservice_api_server.erl:886-922).
          this.config.stats.eventMessages++;
          this.deliverEvent('message', frame.raw.data, frame.eventDataValid, text as string, bytes);
          return;
        case 'response':
          if (!this.pending.settle(frame.frame)) {
            this.config.logger.debug(`${this.config.redactedUrl}: response to unknown or expired request tid ${String(frame.frame.tid)}`);
          }
          return;
        case 'ack':
          if (!this.pending.ack(frame.frame.ack)) {
            this.config.logger.debug(`${this.config.redactedUrl}: ack for unknown request tid ${String(frame.frame.ack)}`);
          }
          return;
        case 'invalid':
          this.onInvalidFrame(frame.reason, frame.excerpt, frame.value, text);
          return;
        case 'oversize':
          this.onOversizeFrame(frame.reason, frame.excerpt, frame.byteLength, frame.found);
          return;
      }
    } catch (error) {
      this.config.logger.error(`${this.config.redactedUrl}: internal error while handling a frame: ${this.config.scrub((error as Error).message)}`);
    }
  }

  private onServerRequest(frame: RequestFrame, raw: Record<string, unknown>, eventDataValid: boolean, text: string, bytes: Buffer | undefined): void {
    // Answer first: the server's 5-second deadline must not depend on how long listeners take.
    const { kind, answer } = answerServerRequest(frame, text);
    this.sendAnswer(answer);
    if (kind === 'event') {
      this.deliverEvent('request', raw.data, eventDataValid, text, bytes);
    } else if (kind === 'ping') {
      this.config.health.serverPing(this.frameReadAt);
    } else if (kind === 'unknown') {
      this.config.stats.unknownRequests++;
      this.unknownRequestWarnings.warn(`${this.config.redactedUrl}: server request ${requestName(frame)} is not implemented by the inspector; answered with an error`);
    }
  }

  private deliverEvent(shape: 'request' | 'message', data: unknown, alreadyValid: boolean, text: string, bytes: Buffer | undefined): void {
    const checked = alreadyValid ? undefined : eventDataSchema.safeParse(data);
    if (checked !== undefined && !checked.success) {
      this.config.stats.invalidEvents++;
      const reason = data === undefined ? 'event without data' : `invalid event data: ${issueSummary(checked.error)}`;
      const info = { reason, excerpt: this.config.scrub(excerpt(text)), ts: this.config.now(), frame: this.config.scrub(text) };
      this.invalidEventWarnings.warn(`${this.config.redactedUrl}: ${info.reason} (answered ok; kept in the trace as an invalid event): ${info.excerpt}`);
      this.handlers.invalidEvent(info);
      return;
    }
    this.config.stats.events++;
    this.config.health.event();
    this.handlers.eventFrame(shape, data as EventData);
    // The original object, not zod's output: zod strips the fields it does not know.
    this.handlers.event({ ts: this.config.now(), data: data as EventData, raw: text, bytes });
  }

  private onInvalidFrame(reason: string, frameExcerpt: string, value: unknown, text: string | undefined): void {
    this.config.stats.invalidFrames++;
    // A request that failed validation but carries a tid still gets an answer, so that the
    // server does not close the connection for an unanswered request.
    const tid = usableTid(value);
    const looksLikeRequest = tid !== undefined && typeof value === 'object' && value !== null && 'cmd' in value;
    if (looksLikeRequest) this.sendAnswer(errorResponse(echoTid(tid, text), `invalid request refused by NkMEDIA Inspector: ${reason}`));
    const info = { reason, excerpt: this.config.scrub(frameExcerpt) };
    this.invalidFrameWarnings.warn(`${this.config.redactedUrl}: invalid frame ignored: ${info.reason}: ${info.excerpt}`);
    this.handlers.invalidFrame(info);
  }

  /**
   * A frame over maxFrameBytes, never parsed; its ends say what it was (oversizeFrame.ts).
   * Whatever it was, no request is left unanswered: the server would close the link 5 s later.
   */
  private onOversizeFrame(reason: string, frameExcerpt: string, byteLength: number, found: OversizeFrame): void {
    const { redactedUrl, maxFrameBytes, stats } = this.config;
    stats.invalidFrames++;
    stats.oversizeFrames++;
    const info = { reason, excerpt: this.config.scrub(frameExcerpt) };
    const over = `of ${byteLength} bytes is over the inspector's ${maxFrameBytes}-byte limit`;
    const tid = found.tid === undefined ? '?' : this.config.scrub(excerpt(typeof found.tid === 'string' ? JSON.stringify(found.tid) : String(found.tid), 40));
    if (found.kind === 'request' && found.answerTid !== undefined) {
      this.sendAnswer(errorResponse(found.answerTid, `request refused by NkMEDIA Inspector: its frame ${over}`));
      this.oversizeWarnings.warn(`${redactedUrl}: server request ${found.name ?? '(unnamed)'} (tid ${tid}) ${over}: answered with an error, not read: ${info.excerpt}`);
    } else if (found.kind === 'event') {
      this.oversizeWarnings.warn(`${redactedUrl}: event message ${over}: dropped, not read (develop's events want no answer): ${info.excerpt}`);
    } else if (found.kind === 'response') {
      const failed =
        found.tid !== undefined && this.pending.fail(found.tid, (label) => new Error(`request ${label} failed: its response ${over} (maxFrameBytes)`));
      const outcome = failed ? 'the request failed' : found.tid === undefined ? 'no readable tid, ignored' : 'no such request waiting, ignored';
      this.oversizeWarnings.warn(`${redactedUrl}: response (tid ${tid}) ${over}: ${outcome}: ${info.excerpt}`);
    } else {
      // Perhaps a request, whose tid cannot be read cheaply: better a new connection now than
      // the server's close 5 s from now, with events lost in between and no reason given.
      const closeReason = `frame of ${byteLength} bytes${found.name ? ` (${found.name})` : ''} over the ${maxFrameBytes}-byte limit without a readable tid: reconnecting so that the server does not wait on an unanswered request`;
      this.oversizeWarnings.warn(`${redactedUrl}: ${closeReason}: ${info.excerpt}`);
      this.handlers.invalidFrame(info);
      this.terminate(closeReason);
      return;
    }
    this.handlers.invalidFrame(info);
  }

  private sendAnswer(text: string): void {
    this.batcher.send(text);
    this.config.health.answerQueued(this.frameReadAt);
    this.config.stats.answered++;
  }

  private onClose(code: number, reasonBuffer: Buffer): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.config.health.dropQueued();
    const serverReason = this.config.scrub(excerpt(reasonBuffer.toString('utf8'), 80));
    const reason = this.ourReason ?? this.errorReason ?? describeClose(code, serverReason);
    this.liveness?.stop();
    this.keepalive.stop();
    this.invalidFrameWarnings.dispose();
    this.notUtf8Warnings.dispose();
    this.oversizeWarnings.dispose();
    this.invalidEventWarnings.dispose();
    this.unknownRequestWarnings.dispose();
    this.pending.rejectAll(new Error(`connection to ${this.config.redactedUrl} closed before the answer: ${reason}`));
    this.closedResolve(reason);
    this.handlers.closed(reason);
  }
}
