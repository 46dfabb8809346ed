// A tiny NkSERVICE client for the simulator tests, on a real `ws` socket: sends requests,
// collects every frame received, and answers the server's requests automatically (or not,
// when a test wants to see deadlines expire).
import WebSocket from 'ws';
import { NkMediaSimulator, type NkMediaSimulatorOptions } from '../../../src/simulator/simulator';

export type Frame = Record<string, unknown>;

export interface Closed {
  code: number;
  reason: string;
}

const DEFAULT_WAIT_MS = 5000;

export class TestClient {
  /** Every frame received, parsed, in order. */
  readonly frames: Frame[] = [];
  /** Answer each server request with `{"result":"ok","tid":N}` as it arrives. */
  autoAnswer: boolean;
  private nextTid = 1000;
  private readonly waiters: Array<() => void> = [];
  private closedWith: Closed | undefined;

  private constructor(private readonly ws: WebSocket, autoAnswer: boolean) {
    this.autoAnswer = autoAnswer;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      if (this.autoAnswer && typeof frame.cmd === 'string') this.send({ result: 'ok', tid: frame.tid });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {
      // a 'close' follows; tests look at that
    });
  }

  /** `origin`: the Origin header a browser page of that origin would send (none by default). */
  static connect(url: string, options: { autoAnswer?: boolean; origin?: string } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
      const client = new TestClient(ws, options.autoAnswer ?? true);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get closed(): Closed | undefined {
    return this.closedWith;
  }

  /** The `data` of every event received so far: core/event requests (2016) and event messages (develop). */
  get events(): Frame[] {
    return this.frames.filter(isEventFrame).map((f) => f.data as Frame);
  }

  /** Every request the server sent (events, pings…). */
  get serverRequests(): Frame[] {
    return this.frames.filter((f) => typeof f.cmd === 'string');
  }

  /** Stops reading from the socket, like a client stuck in a long computation. */
  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    this.ws.resume();
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** A WebSocket-level ping (not an application frame). */
  wsPing(): void {
    this.ws.ping();
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Sends a request and resolves with the server's response to it. */
  async request(cls: string, subclass: string | undefined, cmd: string, data?: Frame): Promise<Frame> {
    const tid = this.nextTid++;
    const frame: Frame = { class: cls, cmd, tid };
    if (subclass !== undefined) frame.subclass = subclass;
    if (data !== undefined) frame.data = data;
    this.send(frame);
    return this.waitFor((f) => f.tid === tid && 'result' in f, `response to ${cls}/${subclass ?? ''}/${cmd}`);
  }

  /** Logs in with the password as `pass` (2016 clients) and `password` (develop), as the inspector does. */
  login(user = 'admin', password = 'admin'): Promise<Frame> {
    return this.request('core', 'user', 'login', { user, pass: password, password });
  }

  subscribe(data: Frame): Promise<Frame> {
    return this.request('core', 'event', 'subscribe', data);
  }

  /** Resolves with the first frame (already received or coming) that matches. */
  waitFor(predicate: (frame: Frame) => boolean, what = 'frame', timeoutMs = DEFAULT_WAIT_MS): Promise<Frame> {
    return this.until(() => this.frames.find(predicate), what, timeoutMs);
  }

  /** Resolves once `count` events have arrived (with all events so far). */
  waitForEvents(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<Frame[]> {
    return this.until(() => (this.events.length >= count ? this.events : undefined), `${count} events`, timeoutMs);
  }

  waitForClose(timeoutMs = DEFAULT_WAIT_MS): Promise<Closed> {
    return this.until(() => this.closedWith, 'the server to close the connection', timeoutMs);
  }

  close(): Promise<Closed> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(this.closedWith ?? { code: 1006, reason: '' });
    this.ws.close();
    return this.waitForClose();
  }

  /** Resolves when `probe` returns something; rejects with what was awaited after the timeout. */
  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = () => {
        if (check()) this.waiters.splice(this.waiters.indexOf(waiter), 1);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.slice()) waiter();
  }
}

/** A core/event request (2016) or an `{class:"event", data}` message (develop). */
export function isEventFrame(frame: Frame): boolean {
  return (frame.cmd === 'event' && frame.class === 'core') || (frame.class === 'event' && frame.cmd === undefined && 'data' in frame);
}

/** Resolves after `ms`; for giving the other side a chance to act, never for asserting speed. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `body` against a simulator on a free port (no pings unless asked), and always stops it. */
export async function withSimulator(options: NkMediaSimulatorOptions, body: (simulator: NkMediaSimulator, url: string) => Promise<void>): Promise<void> {
  const simulator = new NkMediaSimulator({ port: 0, pingSeconds: 0, ...options });
  const { url } = await simulator.start();
  try {
    await body(simulator, url);
  } finally {
    await simulator.stop();
  }
}
