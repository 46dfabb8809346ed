// NkServiceClient: the inspector's link to an NkSERVICE server (docs/protocol.md).
//
// It opens the WebSocket, logs in, subscribes, answers every server request at once, delivers
// events, and keeps the link alive: a drop after a successful first connection leads to
// reconnection with exponential backoff (and a new login and subscriptions), reported as a
// gap. A failing FIRST attempt or a refused login is final instead: the user must see the
// error rather than a silent retry loop.
//
// Each socket is a ServerConnection (connection.ts) and each attempt connectAttempt.ts; the
// events it fires are declared in clientEmitters.ts; this class owns the state machine.
import type WebSocket from 'ws';
import type { Disposable } from '../shared/events';
import type { Logger } from '../shared/logger';
import type { ResponseFrame, Subscription } from './frames';
import { backoffDelay } from './backoff';
import { ClientEventSource } from './clientEmitters';
import { describeState, type ClientState } from './clientState';
import { emptyStats, type ClientStats, type ClientWarning } from './clientEvents';
import { resolveClientOptions, type NkServiceClientOptions, type ResolvedClientOptions } from './clientOptions';
import { AttemptCancelled, establish, type AttemptHost, type Established } from './connectAttempt';
import { ServerConnection } from './connection';
import { LoginRefusedError } from './handshake';
import { DIALECTS, DialectDetector, meaningOfErrorCode, type DetectedDialect } from './dialects';
import { keepaliveIntervalFor } from './keepalive';
import { takeSnapshot } from './snapshot';
import { redactUrl } from './redactUrl';
import { scrubbingLogger, secretScrubber, type Scrub } from './secretScrubber';
import type { FlushScheduler } from './answerBatcher';
import { HealthMeter } from './healthMeter';
import { requestName } from './serverRequests';

// Re-exported so that callers need only this module.
export { redactUrl } from './redactUrl';
export type { ClientState } from './clientState';
export type { NkServiceClientOptions, NkServiceClientOptions as ClientOptions } from './clientOptions';
export type { ReceivedEvent, GapInfo, ConnectInfo, DisconnectInfo, InvalidFrameInfo, ClientWarning, ClientStats, LoginInfo, SnapshotInfo } from './clientEvents';
export type { SubscriptionRefusal } from './handshake';
export type { DetectedDialect } from './dialects';
export type { SnapshotEntry } from './snapshot';

/** A connection that lasted less than this does not reset the backoff (a flapping server). */
export const STABLE_CONNECTION_MS = 10_000;

const DISCONNECTED_BY_USER = 'disconnected by user';

export class NkServiceClient extends ClientEventSource implements Disposable {
  private readonly options: ResolvedClientOptions;
  private readonly logger: Logger;
  private readonly scrub: Scrub;
  /** The URL without credentials, for every message. */
  readonly displayUrl: string;
  private readonly counters: ClientStats = emptyStats();
  private currentState: ClientState = { kind: 'idle' };
  private lastTid = 0;

  /** Bumped by connect() and disconnect(): async steps of an older run give up. */
  private run = 0;
  private disposed = false;
  private connectPromise: Promise<void> | undefined;
  private openingSocket: WebSocket | undefined;
  private handshaking: ServerConnection | undefined;
  /** Logged in and subscribed. */
  private live: ServerConnection | undefined;
  private liveSince = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The retry number of the latest attempt; continues when a connection flaps. */
  private lastRetryAttempt = 0;
  private gapStart: { ts: number; reason: string } | undefined;
  /** Reads the era of the current connection (a new one each connection: a server may be upgraded). */
  private detector: DialectDetector;
  private readonly attemptHost: AttemptHost;

  constructor(
    options: NkServiceClientOptions,
    /** For measurements only: how answers are batched (default: one write per process.nextTick). */
    private readonly answerScheduler?: FlushScheduler | 'unbatched',
  ) {
    super();
    this.options = resolveClientOptions(options);
    this.scrub = secretScrubber([options.password]);
    this.logger = scrubbingLogger(this.options.logger, this.scrub);
    this.displayUrl = redactUrl(options.url);
    this.detector = this.newDetector();
    this.attemptHost = {
      options: this.options,
      displayUrl: this.displayUrl,
      logger: this.logger,
      isCurrent: (run) => run === this.run,
      trackOpening: (ws) => {
        this.openingSocket = ws;
      },
      trackHandshaking: (connection) => {
        this.handshaking = connection;
      },
      newConnection: (ws, maxPayloadBytes) => {
        this.detector = this.newDetector();
        return this.createConnection(ws, maxPayloadBytes);
      },
      detector: () => this.detector,
      loggedIn: (info) => this.loginEmitter.fire(info),
      warn: (warning) => this.warn(warning),
      meaningOf: (code, text) => meaningOfErrorCode(code, this.knownDialect(), text),
      messageOf: (error) => this.messageOf(error),
    };
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** What the client subscribes to on every connection. */
  get subscriptions(): readonly Subscription[] {
    return this.options.subscriptions;
  }

  /** The server's era: as set, or detected from the current connection (`label` says when not yet). */
  get detectedDialect(): DetectedDialect {
    return this.detector.result;
  }

  /** Answer latency, the server's ping cadence and events, per window: `health.sample()`. */
  readonly health = new HealthMeter();

  /** A snapshot of the counters (they survive reconnections). */
  get stats(): ClientStats {
    return { ...this.counters };
  }

  /**
   * Connects, logs in and subscribes. Rejects with a clear Error, and ends in 'disconnected',
   * if this first attempt fails. While connected or reconnecting it does nothing.
   */
  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('NkServiceClient was disposed'));
    if (this.connectPromise) return this.connectPromise;
    if (this.currentState.kind !== 'idle' && this.currentState.kind !== 'disconnected') return Promise.resolve();
    const run = ++this.run;
    this.lastRetryAttempt = 0;
    const promise: Promise<void> = this.firstConnect(run).finally(() => {
      if (this.connectPromise === promise) this.connectPromise = undefined;
    });
    this.connectPromise = promise;
    return promise;
  }

  /**
   * Closes the connection and stops reconnecting. The state becomes 'disconnected by user' at
   * once (so connect() may be called right after); the promise resolves when the socket is closed.
   */
  async disconnect(): Promise<void> {
    this.run++;
    this.connectPromise = undefined;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.openingSocket?.terminate();
    const live = this.live;
    this.live = undefined; // its close event must not look like a drop
    const closing = [live, this.handshaking].filter((c): c is ServerConnection => c !== undefined);
    if (live) this.disconnectEmitter.fire({ ts: this.options.now(), reason: DISCONNECTED_BY_USER });
    if (this.currentState.kind !== 'disconnected') this.setState({ kind: 'disconnected', reason: DISCONNECTED_BY_USER });
    await Promise.all(closing.map((connection) => connection.close(DISCONNECTED_BY_USER)));
  }

  /** Sends a request of the client's own; rejects if not connected, on error, timeout or drop. */
  request(cls: string, subclass: string | undefined, cmd: string, data?: object): Promise<ResponseFrame> {
    if (!this.live) {
      const label = requestName({ class: cls, subclass, cmd });
      return Promise.reject(new Error(`cannot send ${label}: not connected to ${this.displayUrl} (${this.scrub(describeState(this.currentState))})`));
    }
    return this.live.request(cls, subclass, cmd, data);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disconnect().catch(() => undefined);
    this.disposeEmitters();
  }

  private async firstConnect(run: number): Promise<void> {
    this.setState({ kind: 'connecting', attempt: 1 });
    this.logger.info(`connecting to ${this.displayUrl}`);
    let established: Established;
    try {
      established = await establish(this.attemptHost, run);
    } catch (error) {
      if (error instanceof AttemptCancelled || run !== this.run) {
        throw new Error(`connection to ${this.displayUrl} cancelled: ${DISCONNECTED_BY_USER}`);
      }
      const message = this.messageOf(error);
      this.logger.error(message);
      this.setState({ kind: 'disconnected', reason: message });
      throw error instanceof Error ? error : new Error(message);
    }
    this.becomeConnected(established);
  }


  private newDetector(): DialectDetector {
    return new DialectDetector(this.options.dialect, (detected) => {
      if (!this.disposed) this.dialectEmitter.fire(detected);
    });
  }

  /** The dialect whose tables apply: the one set, or the one detected so far. */
  private knownDialect() {
    const id = this.detector.result.id;
    return id === undefined ? undefined : DIALECTS[id];
  }

  /** A third of the server's idle timeout; 2016's 30 s until the era is known. */
  private keepaliveMs(): number | false {
    if (this.options.keepaliveMs !== undefined) return this.options.keepaliveMs;
    return keepaliveIntervalFor(this.knownDialect()?.keepalive.idleTimeoutMs ?? 30_000);
  }

  /** Lists and reads the objects that already exist; errors only lose the snapshot. */
  private async takeSnapshot(connection: ServerConnection): Promise<void> {
    const request = connection.request.bind(connection);
    try {
      const summary = await takeSnapshot(request, this.knownDialect(), (entry) => this.snapshotEmitter.fire({ ...entry, ts: this.options.now() }));
      const read = Object.entries(summary.read).map(([name, count]) => `${count} ${name}`).join(', ');
      this.logger.info(`${this.displayUrl}: snapshot on connect: ${read || 'nothing'}${summary.skipped ? `, ${summary.skipped} not read` : ''}${summary.unavailable.length ? ` (no snapshot of ${summary.unavailable.join(', ')})` : ''}`);
    } catch (error) {
      if (connection.isOpen) this.logger.warn(`${this.displayUrl}: snapshot on connect failed: ${this.messageOf(error)}`);
    }
  }

  private createConnection(ws: WebSocket, maxPayloadBytes: number): ServerConnection {
    const connection: ServerConnection = new ServerConnection(
      ws,
      {
        redactedUrl: this.displayUrl,
        maxFrameBytes: this.options.maxFrameBytes,
        maxPayloadBytes,
        requestTimeoutMs: this.options.requestTimeoutMs,
        liveness: this.options.liveness,
        answerScheduler: this.answerScheduler,
        now: this.options.now,
        logger: this.logger,
        scrub: this.scrub,
        stats: this.counters,
        health: this.health,
        nextTid: () => ++this.lastTid,
        keepaliveMs: () => this.keepaliveMs(),
      },
      {
        event: (e) => this.eventEmitter.fire(e),
        invalidFrame: (info) => this.invalidFrameEmitter.fire(info),
        invalidEvent: (info) => this.invalidEventEmitter.fire(info),
        closed: (reason) => this.onConnectionClosed(connection, reason),
        eventFrame: (shape, data) => {
          this.detector.eventFrame(shape);
          this.detector.event(data.class, data.subclass, data.type, data.body);
        },
        errorCode: (code) => this.detector.errorCode(code),
      },
    );
    return connection;
  }

  private becomeConnected(established: Established): void {
    this.live = established.connection;
    this.liveSince = established.ts;
    const { sessionId, ts, refusedSubscriptions } = established;
    this.setState({ kind: 'connected', sessionId, since: ts, refusedSubscriptions });
    const gap = this.gapStart;
    this.gapStart = undefined;
    if (gap) {
      this.counters.reconnects++;
      this.logger.info(`reconnected to ${this.displayUrl} after ${ts - gap.ts} ms without events`);
      this.gapEmitter.fire({ from: gap.ts, to: ts, reason: gap.reason });
    } else {
      this.logger.info(`connected to ${this.displayUrl} as ${this.options.user}`);
    }
    this.connectEmitter.fire({ ts, sessionId });
    if (this.options.snapshot) void this.takeSnapshot(established.connection);
  }

  private onConnectionClosed(connection: ServerConnection, reason: string): void {
    if (connection !== this.live) return; // a failed handshake is handled by its attempt
    this.live = undefined;
    const ts = this.options.now();
    this.disconnectEmitter.fire({ ts, reason });
    if (this.disposed) return;
    this.logger.warn(`lost connection to ${this.displayUrl}: ${reason}`);
    if (this.options.reconnect === false) {
      this.setState({ kind: 'disconnected', reason });
      return;
    }
    this.gapStart = { ts, reason };
    const stable = ts - this.liveSince >= STABLE_CONNECTION_MS;
    this.scheduleRetry(this.run, stable ? 1 : this.lastRetryAttempt + 1, reason);
  }

  private scheduleRetry(run: number, attempt: number, reason: string): void {
    if (this.options.reconnect === false) return;
    const delayMs = backoffDelay(attempt, this.options.reconnect, this.options.random);
    this.setState({ kind: 'reconnecting', attempt, delayMs, reason });
    this.logger.info(`reconnecting to ${this.displayUrl} in ${delayMs} ms (attempt ${attempt})`);
    // Not unref'd: a command-line recorder must stay alive while it waits to reconnect.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retry(run, attempt);
    }, delayMs);
  }

  private async retry(run: number, attempt: number): Promise<void> {
    if (run !== this.run) return;
    this.lastRetryAttempt = attempt;
    this.setState({ kind: 'connecting', attempt });
    let established: Established;
    try {
      established = await establish(this.attemptHost, run);
    } catch (error) {
      if (error instanceof AttemptCancelled || run !== this.run) return;
      const message = this.messageOf(error);
      if (error instanceof LoginRefusedError) {
        this.logger.error(`${this.displayUrl}: ${message}; not retrying`);
        this.setState({ kind: 'disconnected', reason: message });
        return;
      }
      this.logger.warn(`reconnect attempt ${attempt} to ${this.displayUrl} failed: ${message}`);
      this.scheduleRetry(run, attempt + 1, message);
      return;
    }
    this.becomeConnected(established);
  }

  private warn(warning: ClientWarning): void {
    const scrubbed = { ...warning, message: this.scrub(warning.message) };
    this.logger.warn(`${this.displayUrl}: ${scrubbed.message}`);
    this.warnEmitter.fire(scrubbed);
  }

  private messageOf(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    // Belt and braces: our messages never contain the password; scrub anything that might.
    const scrubbed = this.scrub(message);
    if (error instanceof Error && scrubbed !== message) error.message = scrubbed;
    return scrubbed;
  }

  private setState(state: ClientState): void {
    this.currentState = 'reason' in state ? { ...state, reason: this.scrub(state.reason) } : state;
    this.stateEmitter.fire(this.currentState);
  }
}
