// Detects a link that died silently (a NAT dropped the mapping, a laptop slept, a cable was
// pulled): TCP alone may not notice for many minutes. Every `pingIntervalMs` the client sends
// a WebSocket-level ping (a control frame every server answers, NkSERVICE included, without
// involving its application code); if nothing at all arrives within `pongTimeoutMs` after
// it, neither the pong nor any other frame, the link is declared dead and dropped, which
// starts a reconnect. Any incoming frame counts as a sign of life so that a server busy
// flushing a long queue of events is not mistaken for a dead one.
//
// A ping goes out every max(pingIntervalMs, pongTimeoutMs): the next one waits for the
// verdict on the previous one. Defaults (clientOptions.ts): a ping every 15 s, dead after 10 s.
//
// This is independent of the NkSERVICE `core/ping` requests: an idle server may send only
// those, or nothing at all, and both are fine as long as the WebSocket pings are answered.

export class Liveness {
  private heard = true;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sendPing: () => void,
    private readonly onDead: (reason: string) => void,
    private readonly pingIntervalMs: number,
    private readonly pongTimeoutMs: number,
  ) {}

  start(): void {
    this.schedulePing(this.pingIntervalMs);
  }

  /** Called for every pong and every frame: cheap on purpose (runs once per event). */
  heardFromPeer(): void {
    this.heard = true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedulePing(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.ping(), delayMs);
    // The socket itself keeps the process alive while connected; this timer need not.
    this.timer.unref();
  }

  private ping(): void {
    this.heard = false;
    try {
      this.sendPing();
    } catch {
      // a socket that cannot even send a ping will be reported dead below
    }
    this.timer = setTimeout(() => this.check(), this.pongTimeoutMs);
    this.timer.unref();
  }

  private check(): void {
    if (this.stopped) return;
    if (this.heard) {
      this.schedulePing(Math.max(0, this.pingIntervalMs - this.pongTimeoutMs));
      return;
    }
    // After an event-loop stall, timers run before pending socket reads: give the poll phase
    // one chance to deliver a pong that is already waiting before calling the link dead.
    setImmediate(() => {
      if (this.stopped) return;
      if (this.heard) {
        this.schedulePing(Math.max(0, this.pingIntervalMs - this.pongTimeoutMs));
        return;
      }
      this.stop();
      this.onDead(`server stopped answering: no pong nor any frame within ${this.pongTimeoutMs} ms of a WebSocket ping`);
    });
  }
}
