// Keeps a quiet connection open. NkSERVICE servers close an API connection that neither sent
// nor received a frame for their idle timeout: 30 s on 2016 master, 180 s on develop
// (docs/protocol.md, "Keepalive"). WebSocket pings do not count there, and a 2016 server sends
// its own pings only when its service asks for them (every 60 s in the samples, too late), so
// on a server with no traffic the link dropped every 30 s.
//
// So when the client has sent nothing for `intervalMs`, it sends an application-level
// `core/ping` request. No era implements that command: the server answers it with an
// unknown_command (or unauthorized) error, which is fine, since receiving it reset the
// server's idle timer. The error's code also tells which era the server is (detect.ts).
//
// Answers to a busy server's events are frames too, so a busy connection never pings.

export class Keepalive {
  private lastSentAt: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sendPing: () => void,
    /** Read at every check: the interval follows the dialect as it is detected; false: off. */
    private readonly intervalMs: () => number | false,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSentAt = now();
  }

  /** Called for every write to the server (a batch of answers counts once): cheap on purpose. */
  noteSent(): void {
    this.lastSentAt = this.now();
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    const interval = this.intervalMs();
    // Checked four times per interval, so a ping leaves at most a quarter interval late.
    const delay = interval === false ? 1000 : Math.max(50, Math.min(interval / 4, 5000));
    this.timer = setTimeout(() => this.check(), delay);
    this.timer.unref();
  }

  private check(): void {
    if (this.stopped) return;
    const interval = this.intervalMs();
    if (interval !== false && this.now() - this.lastSentAt >= interval) {
      this.noteSent();
      try {
        this.sendPing();
      } catch {
        // a socket that cannot send is reported by its close event
      }
    }
    this.schedule();
  }
}

/** A third of the server's idle timeout: two pings can be lost before the server gives up. */
export function keepaliveIntervalFor(idleTimeoutMs: number): number {
  return Math.floor(idleTimeoutMs / 3);
}
