// A scriptable NkSERVICE server for client tests: ws on 127.0.0.1, a free port, optional TLS.
// By default it behaves like a well-mannered server (accepts the configured credentials and
// every subscription); tests override pieces to make it hostile.
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';

export type Frame = Record<string, any>;

/** What the server answers to a client request: a response frame's result/data, or nothing. */
export type Reply = { result: string; data?: unknown } | 'ack-only' | 'silent';

export interface FakeServerOptions {
  user?: string;
  password?: string;
  /** Override the reply to any client request (login, subscribe, others). Undefined = default. */
  reply?: (frame: Frame, peer: FakePeer) => Reply | undefined;
  /** Serve wss with this certificate. */
  tls?: { cert: Buffer; key: Buffer };
  /** false: never answer WebSocket pings (a silently dead server). */
  autoPong?: boolean;
  /** Fixed port (to restart a server on the same port). Default 0: a free one. */
  port?: number;
}

export class FakePeer {
  /** Every frame the client sent, parsed, in order. */
  readonly received: Frame[] = [];
  /** Answers the client sent to the server's requests, by tid. Several per tid = duplicates. */
  readonly answers = new Map<number | string, Frame[]>();
  /** WebSocket-level pings received from the client. */
  pings = 0;
  /** Tids of the requests sent with sendRequest / sendEvent (not sendRaw). */
  readonly sentTids: number[] = [];
  private nextTid = 1000;

  constructor(readonly ws: WebSocket) {}

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a server request; returns its tid. */
  sendRequest(cls: string, subclass: string | undefined, cmd: string, data?: unknown): number {
    const tid = this.nextTid++;
    const frame: Frame = { class: cls };
    if (subclass !== undefined) frame.subclass = subclass;
    frame.cmd = cmd;
    if (data !== undefined) frame.data = data;
    frame.tid = tid;
    this.sentTids.push(tid);
    this.ws.send(JSON.stringify(frame));
    return tid;
  }

  /** Sends a `core/event` request with this data; returns its tid. */
  sendEvent(data: unknown): number {
    return this.sendRequest('core', undefined, 'event', data);
  }

  sendRaw(payload: string | Buffer, binary = false): void {
    this.ws.send(payload, { binary });
  }

  /** Several frames in one TCP write, like a busy server flushing its queue. */
  burst(send: () => void): void {
    const socket = (this.ws as any)._socket;
    socket.cork();
    try {
      send();
    } finally {
      socket.uncork();
    }
  }

  answersTo(tid: number | string): Frame[] {
    return this.answers.get(tid) ?? [];
  }

  requests(cmd: string): Frame[] {
    return this.received.filter((f) => f.cmd === cmd);
  }
}

export class FakeServer {
  readonly peers: FakePeer[] = [];
  private constructor(
    private readonly httpServer: http.Server | https.Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    readonly url: string,
  ) {}

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const httpServer = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }) : http.createServer();
    const wss = new WebSocketServer({ server: httpServer, autoPong: options.autoPong ?? true });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (httpServer.address() as AddressInfo).port;
    const server = new FakeServer(httpServer, wss, port, `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`);
    wss.on('connection', (ws) => server.accept(ws, options));
    return server;
  }

  /** The most recent connection. */
  get peer(): FakePeer {
    const last = this.peers[this.peers.length - 1];
    if (!last) throw new Error('no client connected to the fake server yet');
    return last;
  }

  /** Every frame received on every connection. */
  allReceived(): Frame[] {
    return this.peers.flatMap((p) => p.received);
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.httpServer.close(() => resolve());
      (this.httpServer as http.Server).closeAllConnections?.();
    });
  }

  private accept(ws: WebSocket, options: FakeServerOptions): void {
    const peer = new FakePeer(ws);
    this.peers.push(peer);
    ws.on('error', () => undefined);
    ws.on('ping', () => peer.pings++);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      peer.received.push(frame);
      if ('result' in frame) {
        const list = peer.answers.get(frame.tid) ?? [];
        list.push(frame);
        peer.answers.set(frame.tid, list);
        return;
      }
      if (!('cmd' in frame)) return;
      const reply = options.reply?.(frame, peer) ?? defaultReply(frame, options);
      if (reply === 'silent') return;
      if (reply === 'ack-only') {
        ws.send(JSON.stringify({ ack: frame.tid }));
        return;
      }
      ws.send(JSON.stringify({ ...reply, tid: frame.tid }));
    });
  }
}

export const FAKE_SESSION_ID = '54c1b637-3b0a-4aa9-8bc0-0123456789ab';

function defaultReply(frame: Frame, options: FakeServerOptions): Reply {
  if (frame.class === 'core' && frame.cmd === 'login') {
    const ok = frame.data?.user === (options.user ?? 'admin') && frame.data?.password === (options.password ?? 'admin');
    return ok ? { result: 'ok', data: { session_id: FAKE_SESSION_ID } } : { result: 'error', data: { error: 'Invalid password', code: 1001 } };
  }
  if (frame.class === 'core' && frame.subclass === 'event' && frame.cmd === 'subscribe') return { result: 'ok' };
  return { result: 'error', data: { error: 'Not implemented', code: 1002 } };
}

/** Polls until `condition` holds; fails with `what` after a generous timeout (a loaded machine). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A sample NkMEDIA event of the documented shape. */
export function sampleEvent(n: number): Frame {
  return {
    class: 'media',
    subclass: 'session',
    type: 'stop',
    obj_id: `39ce4076-391a-1260-75db-${String(n).padStart(12, '0')}`,
    body: { code: 0, reason: 'User stop' },
  };
}
