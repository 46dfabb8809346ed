// Socket plumbing shared by the conformance fake servers (one per server era, in this folder).
//
// Only transport matters here: a WebSocket listener on 127.0.0.1 with a free port, one
// connection object per socket, and nkpacket's idle timer (the transport under NkSERVICE).
// Everything NkSERVICE does with the frames (login, framing, error codes, subscriptions,
// events) lives in each era's own file, written from that era's Erlang sources; nothing of
// the product (src/**) is used, so these servers are an independent check of it.
//
// Citation form in these files: repo@commit:path:line (see /work/shared/protocol-dialects.md).
import * as http from 'http';
import type { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';

export type Json = Record<string, any>;

export type EraId = '2016-07' | '2016-08' | '2016-10' | '2017' | 'nkcollab-2016' | 'nkcollab-2017';

/** Why the server side ended a connection (what the tests look at). */
export type CloseCause =
  | 'idle-timeout' // nkpacket idle timer fired
  | 'op-timeout' // a server request was not answered or acked in time (nkservice)
  | 'unrecognized-frame' // a frame that is neither request, reply, ack (nor develop event)
  | 'bad-frame' // invalid JSON or a binary frame: the Erlang handler crashes
  | 'login-session-id' // 2016: duplicated/invalid client-chosen session id
  | 'client' // the client closed
  | 'server-shutdown';

export interface PlumbingOptions {
  /** nkpacket idle_timeout in ms; false disables it. */
  idleTimeoutMs: number | false;
}

/**
 * One accepted socket. The idle timer follows nkpacket:
 * - incoming text/binary frames restart it: nkpacket_transport_ws websocket_handle({text|binary, _})
 *   calls nkpacket_connection:incoming, whose handler restarts the timer
 *   (nkpacket@d25a6be:src/nkpacket_transport_ws.erl:330-336; nkpacket@d25a6be:src/nkpacket_connection.erl:472-473);
 * - incoming WebSocket pings are answered with a pong by the cowboy handler and never reach
 *   the connection process, so they do NOT restart it (nkpacket@d25a6be:src/nkpacket_transport_ws.erl:338-342);
 * - an incoming pong without payload is dropped; with a payload it is forwarded as incoming
 *   data and does restart it (nkpacket@d25a6be:src/nkpacket_transport_ws.erl:344-349);
 * - every successful send restarts it (nkpacket@d25a6be:src/nkpacket_connection.erl:105-114 reset_timeout after raw_send,
 *   and :443-448 restart_timer after a send through the connection process);
 * - when it fires the connection stops (nkpacket@d25a6be:src/nkpacket_connection.erl:538-549 {stop, normal});
 *   same logic on the develop line, nkpacket@1971f2e:src/nkpacket_connection.erl:130.
 */
export class PlumbConnection {
  readonly id: number;
  /** Every frame the client sent, parsed (null for unparseable text). */
  readonly received: Array<Json | null> = [];
  /** Every frame this server sent, as objects. */
  readonly sent: Json[] = [];
  closeCause: CloseCause | undefined;
  readonly closed: Promise<void>;
  /** WebSocket-level pings received (they do not count as traffic). */
  wsPings = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;
  private frameHandler: (frame: Json) => void = () => undefined;
  private closeHandlers: Array<() => void> = [];

  constructor(
    readonly ws: WebSocket,
    id: number,
    private readonly options: PlumbingOptions,
  ) {
    this.id = id;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    ws.on('error', () => undefined);
    ws.on('ping', () => {
      this.wsPings++; // answered by ws (autoPong), like cowboy; the idle timer is NOT restarted
    });
    ws.on('pong', (data: Buffer) => {
      if (data.length > 0) this.restartIdle();
    });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', () => {
      this.closeCause ??= 'client';
      this.stopIdle();
      for (const handler of this.closeHandlers) handler();
      this.resolveClosed();
    });
    this.restartIdle();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  onFrame(handler: (frame: Json) => void): void {
    this.frameHandler = handler;
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  /** Sends one JSON frame; a successful send restarts the idle timer. */
  send(frame: Json): boolean {
    if (!this.open) return false;
    this.sent.push(frame);
    this.ws.send(JSON.stringify(frame));
    this.restartIdle();
    return true;
  }

  /**
   * Ends the connection the way a stopping nkpacket connection process does: the socket
   * goes away without a WebSocket close handshake (inferred: the cowboy handler process is
   * linked to the connection process that stopped).
   */
  stop(cause: CloseCause): void {
    this.closeCause ??= cause;
    this.stopIdle();
    this.ws.terminate();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.restartIdle();
    if (isBinary) {
      // nkservice_api_server:conn_parse only has clauses for close and {text, _}: a binary
      // frame is a function_clause crash of the connection (nkservice@79bf10d:src/nkservice_api_server.erl:264-267).
      this.received.push(null);
      this.stop('bad-frame');
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      // nklib_json:decode error -> error(json_decode): the connection crashes
      // (nkservice@cbdd973:src/nkservice_api_server.erl:254-257; same at ee00943:392-395).
      this.received.push(null);
      this.stop('bad-frame');
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.received.push(null);
      // Not a map: no clause of conn_parse's case matches -> "unrecognized msg", {stop, normal}.
      this.stop('unrecognized-frame');
      return;
    }
    this.received.push(frame as Json);
    this.frameHandler(frame as Json);
  }

  private restartIdle(): void {
    if (this.options.idleTimeoutMs === false) return;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop('idle-timeout'), this.options.idleTimeoutMs);
  }

  private stopIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

export interface Listener {
  url: string;
  port: number;
  connections: PlumbConnection[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, port 0 (a free one); calls `accept` for each new socket. */
export async function listen(options: PlumbingOptions, accept: (conn: PlumbConnection) => void): Promise<Listener> {
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  // autoPong: cowboy answers WebSocket pings itself (nkpacket@d25a6be:src/nkpacket_transport_ws.erl:338-342).
  const wss = new WebSocketServer({ server: httpServer, autoPong: true });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const connections: PlumbConnection[] = [];
  let nextId = 1;
  wss.on('connection', (ws) => {
    const conn = new PlumbConnection(ws, nextId++, options);
    connections.push(conn);
    accept(conn);
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    connections,
    async close() {
      for (const conn of connections) if (conn.open) conn.stop('server-shutdown');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// What every era server exposes to the tests (plain data, no product types).

export type Verdict = 'normal' | 'declined' | 'fault';

export interface ExpectedObject {
  /** `class/subclass/obj_id`. */
  key: string;
  kind: 'session' | 'room' | 'call' | 'other';
  /** Every scripted object ends within the script. */
  ended: true;
  /** The product's state word for how it ended: stopped/destroyed/hungup, or declined. */
  state: 'stopped' | 'destroyed' | 'hungup' | 'declined';
  /** undefined: the sources do not settle it (the test does not assert it). */
  verdict: Verdict | undefined;
  code?: number | string;
  reason?: string;
  /** Why this outcome holds, with citations. */
  why: string;
}

export interface ExpectedRoom {
  key: string;
  /** Publisher ids (session ids; member ids for nkcollab-2016 collab rooms). */
  publishers: string[];
  /** Listener id -> the publisher it watches (undefined when the events do not say). */
  listeners: Record<string, string | undefined>;
  why: string;
}

export interface ExpectedOutcome {
  era: EraId;
  /** Events a client with the default subscriptions ([{class:'media'},{class:'collab'}]) receives. */
  events: number;
  /** Distinct objects by kind, as the product counts them. */
  counts: { session: number; room: number; call: number; other: number };
  objects: ExpectedObject[];
  rooms: ExpectedRoom[];
}

export interface ServerConnInfo {
  readonly plumb: PlumbConnection;
  /** Event frames sent on this connection. */
  eventsSent: number;
  /** Server pings sent on this connection. */
  pingsSent: number;
  loggedIn: boolean;
  /** The login data as received. */
  loginData?: Json;
}

export interface EraServerOptions {
  /** nkpacket idle timeout (ms). Default: the era's value (30 s on 2016 master, 180 s on develop). */
  idleTimeoutMs?: number | false;
  /** Interval of server pings (ms); false: none. Default: the era's value (60 s). */
  pingIntervalMs?: number | false;
  /** Server request deadline without answer or ack (ms). Default: the era's value. */
  opTimeoutMs?: number;
  /** Run the scripted event sequence once the first client has subscribed (default true). */
  script?: boolean;
  /** Quiet time after the last subscribe before the script starts (ms, default 150). */
  scriptDelayMs?: number;
  /** Gap between scripted events (ms, default 2). */
  scriptGapMs?: number;
  /**
   * api_subscribe_allow (2016) / api_server_allow for subscribe (develop): false refuses the
   * subscription with the era's `unauthorized` error. Default: the sample services, which allow all.
   */
  subscribeAllow?: (sub: { class: string; subclass: string; type: string }) => boolean;
  /** Override the sample login callback: return a user name to accept, undefined to refuse. */
  login?: (data: Json) => string | undefined;
}

export interface EraServer {
  readonly era: EraId;
  readonly url: string;
  readonly expected: ExpectedOutcome;
  readonly conns: ServerConnInfo[];
  /** Resolves when the whole script was published. */
  readonly scriptDone: Promise<void>;
  /** Event frames sent on every connection together. */
  eventsSent(): number;
  close(): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `steps` one after the other with `gapMs` between them. */
export async function runSteps(steps: Array<() => void>, gapMs: number, isStopped: () => boolean): Promise<void> {
  for (const step of steps) {
    if (isStopped()) return;
    step();
    if (gapMs > 0) await sleep(gapMs);
  }
}

/** A UUID v4 like nklib_util:uuid_4122 (2016 session ids). */
export function uuid4(): string {
  const hex = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
