// The protocol layer of the simulator: a WebSocket server speaking NkSERVICE's external API
// (docs/protocol.md) to any number of clients, in one era's dialect (option `dialect`, see
// eras/serverRules.ts). It knows nothing about where events come from: the traffic generator
// and the trace replayer both feed it through `publish`; snapshot commands are answered from
// the live objects it is given (none for a replay).
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import type { DialectId } from '../protocol/dialects';
import type { EventData } from '../protocol/frames';
import { Emitter, type Event } from '../shared/events';
import { nullLogger, type Logger } from '../shared/logger';
import { ClientConnection, type ConnectionSettings } from './clientConnection';
import { CLOSE_SERVER_STOPPING } from './closeCodes';
import { DEFAULT_SIMULATOR_DIALECT, eraWriter, serverRules, type EraWriter } from './eras';
import { logValue } from '../shared/terminalText';
import { originAllowed } from './browserOrigin';
import { World } from './world';

export interface NkServiceServerOptions {
  /** Interface to listen on; default 127.0.0.1 (local only). */
  host?: string;
  /** Default 9010 like the sample deployments; 0 picks a free port. */
  port?: number;
  /** The era the server speaks; default 2016-08 (the seed reference). */
  dialect?: DialectId;
  /** The user a demo tells people to log in as. Any user may log in, as on the sample servers. */
  user?: string;
  /** When set, a login must give it, as `password` or `pass`; when absent, any login with a user works. */
  password?: string;
  /** Seconds between pings to each client once logged in; 0 disables them. Default 5 (2016) or 60 (develop). */
  pingSeconds?: number;
  /** A request we send must be answered (or acked) within this; default the era's (5 s in 2016, 10 s on develop). */
  answerTimeoutMs?: number;
  /** How much an ack extends a request's deadline; default 3 minutes. */
  ackExtensionMs?: number;
  /** No frame either way for this long closes a connection; default the era's (30 s in 2016, 180 s on develop); 0: never. */
  idleTimeoutMs?: number;
  /**
   * Browser pages (WebSocket Origins) that may connect besides this machine's own, e.g.
   * `https://app.example.com`; `*` allows any. Clients without an Origin always may.
   */
  allowedOrigins?: readonly string[];
  logger?: Logger;
}

export interface ClientInfo {
  /** Numbers clients 1, 2, 3… in connection order, for logs. */
  clientId: number;
  remoteAddress: string;
}

export interface LoginInfo extends ClientInfo {
  user: string;
  sessionId: string;
}

export interface DisconnectInfo extends ClientInfo {
  code: number;
  /** e.g. 'answer timeout', 'server stopping', or the client's own close reason. */
  reason: string;
}

export interface ListeningAddress {
  url: string;
  port: number;
}

/** Frames above this size close the connection at the WebSocket layer; parseFrame refuses >1 MB anyway. */
const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** On stop, clients get this long to answer our close frame before their socket is dropped. */
const CLOSE_GRACE_MS = 1000;

export class NkServiceServer {
  private readonly host: string;
  private readonly port: number;
  private readonly logger: Logger;
  private readonly settings: ConnectionSettings;
  private readonly allowedOrigins: readonly string[];
  private refusedOrigins = 0;
  private wss: WebSocketServer | undefined;
  private readonly connections = new Set<ClientConnection>();
  /** Session ids in use, for the 2016 duplicated_session_id check. */
  private readonly sessionIds = new Map<string, ClientConnection>();
  private readonly writer: EraWriter;
  private worldValue: World = new World();
  private nextClientId = 1;
  private stopping: Promise<void> | undefined;

  private readonly connectEmitter = new Emitter<ClientInfo>();
  private readonly disconnectEmitter = new Emitter<DisconnectInfo>();
  private readonly loginEmitter = new Emitter<LoginInfo>();
  readonly onDidConnect: Event<ClientInfo> = this.connectEmitter.event;
  readonly onDidDisconnect: Event<DisconnectInfo> = this.disconnectEmitter.event;
  readonly onDidLogin: Event<LoginInfo> = this.loginEmitter.event;

  constructor(options: NkServiceServerOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 9010;
    this.logger = options.logger ?? nullLogger;
    this.allowedOrigins = options.allowedOrigins ?? [];
    const dialect = options.dialect ?? DEFAULT_SIMULATOR_DIALECT;
    const rules = serverRules(dialect);
    this.writer = eraWriter(dialect);
    this.settings = {
      rules,
      password: options.password,
      // 5 s keeps the demo lively on 2016 servers, whose pings the service starts (60 s in the samples).
      pingSeconds: options.pingSeconds ?? (rules.family === 'develop' ? rules.pingSecondsAfterLogin : 5),
      answerTimeoutMs: options.answerTimeoutMs ?? rules.answerTimeoutMs,
      ackExtensionMs: options.ackExtensionMs ?? 180_000,
      idleTimeoutMs: options.idleTimeoutMs ?? rules.idleTimeoutMs,
      logger: this.logger,
    };
  }

  /** The era this server speaks. */
  get dialect(): DialectId {
    return this.settings.rules.dialect.id;
  }

  /** Whether server events are requests a client must answer (2016) or messages (develop). */
  get eventsNeedAnswers(): boolean {
    return this.settings.rules.eventFrames === 'request';
  }

  /** The live objects the snapshot commands read (the simulator's traffic sets them). */
  set world(world: World) {
    this.worldValue = world;
  }

  /** Open connections, logged in or not. */
  get clientCount(): number {
    return this.connections.size;
  }

  /** Logged-in connections with at least one subscription. */
  get subscribedClientCount(): number {
    let count = 0;
    for (const connection of this.connections) if (connection.wantsEvents) count++;
    return count;
  }

  /**
   * The most requests (events, pings) one subscribed client has not answered yet. A trace
   * replayer running "as fast as the client answers" paces itself on it, so it never sends
   * faster than the slowest client reads and nothing is lost to a slow-client close.
   */
  get maxOutstandingRequests(): number {
    let most = 0;
    for (const connection of this.connections) {
      if (connection.wantsEvents && connection.outstandingRequests > most) most = connection.outstandingRequests;
    }
    return most;
  }

  /** The largest send backlog of a client that wants events (bytes not yet taken by its socket). */
  get maxSubscriberBacklog(): number {
    let max = 0;
    for (const connection of this.connections) {
      if (connection.wantsEvents) max = Math.max(max, connection.bufferedBytes);
    }
    return max;
  }

  /** Starts listening. Rejects with a one-line message, e.g. when the port is taken. */
  start(): Promise<ListeningAddress> {
    if (this.wss || this.stopping) return Promise.reject(new Error('this simulator server was already started (or stopped); create a new one'));
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({
        host: this.host,
        port: this.port,
        perMessageDeflate: false,
        maxPayload: MAX_PAYLOAD_BYTES,
        verifyClient: (info: { origin: string; req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
          this.verifyOrigin(info.origin, info.req) ? done(true) : done(false, 403, 'Forbidden: only pages of this machine may connect'),
      });
      this.wss = wss;
      const onStartError = (error: NodeJS.ErrnoException) => {
        this.wss = undefined;
        wss.close();
        reject(new Error(describeListenError(error, this.host, this.port)));
      };
      wss.once('error', onStartError);
      wss.once('listening', () => {
        wss.off('error', onStartError);
        wss.on('error', (error) => this.logger.error(`simulator server error: ${error.message}`));
        wss.on('connection', (ws, request) => this.accept(ws, request));
        const port = (wss.address() as AddressInfo).port;
        const url = `ws://${formatHost(this.host)}:${port}`;
        this.logger.info(`NkSERVICE simulator listening on ${url}`);
        resolve({ url, port });
      });
    });
  }

  /** Closes every client and the listening socket. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /**
   * Sends an event to every logged-in client with a matching subscription (once per client),
   * in the era's frame: a `core/event` request with that connection's next tid (2016), or an
   * event message (develop). Returns how many clients got it.
   * `json`, when the caller already has it, must be `JSON.stringify(event)` (saves serializing).
   */
  publish(event: EventData, json?: string): number {
    let delivered = 0;
    let sharedJson = json;
    for (const connection of this.connections) {
      if (!connection.wantsEvents) continue;
      const delivery = connection.deliveryOf(event);
      if (delivery.kind === 'none') continue;
      if (delivery.kind === 'as-is') {
        sharedJson ??= JSON.stringify(event);
        connection.sendEvent(sharedJson);
      } else {
        connection.sendEvent(JSON.stringify(delivery.event));
      }
      delivered++;
    }
    return delivered;
  }

  /** A browser page of another site gets HTTP 403 before any WebSocket frame (browserOrigin.ts). */
  private verifyOrigin(origin: string | undefined, request: IncomingMessage): boolean {
    if (originAllowed(origin, this.allowedOrigins)) return true;
    // A page can retry in a loop: the first refusals are logged, then every hundredth.
    if (this.refusedOrigins++ < 5 || this.refusedOrigins % 100 === 0) {
      this.logger.warn(`refused a WebSocket from the web page ${logValue(origin)} (${request.socket.remoteAddress ?? '?'}): only pages of this machine may connect (${this.refusedOrigins} refused so far)`);
    }
    return false;
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const clientId = this.nextClientId++;
    const remoteAddress = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
    if (this.stopping) {
      ws.close(CLOSE_SERVER_STOPPING, 'server stopping');
      return;
    }
    const connection = new ClientConnection(clientId, remoteAddress, ws, this.settings, {
      onLogin: (c) => {
        if (c.sessionId) this.sessionIds.set(c.sessionId, c);
        this.loginEmitter.fire({ clientId, remoteAddress, user: c.user ?? '', sessionId: c.sessionId ?? '' });
      },
      claimSessionId: (c, id) => {
        const owner = this.sessionIds.get(id);
        return owner === undefined || owner === c;
      },
      command: (cls, subclass, cmd, data) => this.writer.command(cls, subclass, cmd, data, this.worldValue),
      onClose: (c, code, reason) => {
        this.connections.delete(c);
        for (const [id, owner] of this.sessionIds) if (owner === c) this.sessionIds.delete(id);
        this.logger.info(`client ${clientId} (${remoteAddress}) disconnected: ${logValue(reason, 200)}`);
        this.disconnectEmitter.fire({ clientId, remoteAddress, code, reason });
      },
    });
    this.connections.add(connection);
    this.logger.info(`client ${clientId} connected from ${remoteAddress}`);
    this.connectEmitter.fire({ clientId, remoteAddress });
  }

  private async shutdown(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    const open = [...this.connections];
    for (const connection of open) connection.close(CLOSE_SERVER_STOPPING, 'server stopping');
    await this.waitForClients(CLOSE_GRACE_MS);
    for (const connection of this.connections) connection.terminate();
    await this.waitForClients(CLOSE_GRACE_MS);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    this.logger.info('NkSERVICE simulator stopped');
  }

  private async waitForClients(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host}`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: no such local address`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** IPv6 literals need brackets in a URL. */
function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
