// The client's own requests waiting for their response: deadlines, acks and failures.
import { errorDataSchema, type ResponseFrame, type Tid } from './frames';
import type { Scrub } from './secretScrubber';

/** An ack from the server ("still working on it") pushes the deadline this far out. */
export const ACK_EXTENSION_MS = 3 * 60_000;

/** The server answered a request with `result: "error"`. */
export class RequestError extends Error {
  constructor(
    /** e.g. `core/user/login` */
    readonly request: string,
    /** The server's own description, e.g. `Invalid password`. */
    readonly serverMessage: string,
    readonly code: number | string | undefined,
  ) {
    super(`request ${request} failed: ${describeServerError(serverMessage, code)}`);
    this.name = 'RequestError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(readonly request: string, message: string) {
    super(message);
    this.name = 'RequestTimeoutError';
  }
}

/** `Invalid password (code 1001)` */
export function describeServerError(message: string, code: number | string | undefined): string {
  return code === undefined ? message : `${message} (code ${code})`;
}

interface Pending {
  label: string;
  timer: NodeJS.Timeout;
  acked: boolean;
  onAck?: () => void;
  resolve(frame: ResponseFrame): void;
  reject(error: Error): void;
}

export class PendingRequests {
  private readonly pending = new Map<Tid, Pending>();

  constructor(
    private readonly timeoutMs: number,
    private readonly scrub: Scrub,
    /** Every error reply's code, as it comes (the dialect detector reads them). */
    private readonly onErrorCode: (code: number | string) => void = () => undefined,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Registers request `tid`; the promise settles on its response, its deadline or rejectAll.
   * `onAck` runs when the server acks it (2016 servers ack a login before replying).
   */
  add(tid: Tid, label: string, onAck?: () => void): Promise<ResponseFrame> {
    return new Promise<ResponseFrame>((resolve, reject) => {
      const entry: Pending = { label, acked: false, onAck, resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      entry.timer = this.deadline(tid, entry, this.timeoutMs);
      this.pending.set(tid, entry);
    });
  }

  /** Settles the request the response answers; false if no such request is waiting. */
  settle(frame: ResponseFrame): boolean {
    const entry = this.take(frame.tid);
    if (!entry) return false;
    if (frame.result === 'error') {
      const parsed = errorDataSchema.safeParse(frame.data);
      const message = parsed.success && parsed.data.error !== undefined ? parsed.data.error : '(no error description)';
      if (parsed.success && parsed.data.code !== undefined) this.onErrorCode(parsed.data.code);
      entry.reject(new RequestError(entry.label, this.scrub(message), parsed.success ? parsed.data.code : undefined));
    } else {
      entry.resolve(frame);
    }
    return true;
  }

  /**
   * Fails request `tid` at once, with the error `failure` makes of its label: its response
   * came but cannot be read (too large). False if no such request is waiting.
   */
  fail(tid: Tid, failure: (label: string) => Error): boolean {
    const entry = this.take(tid);
    if (!entry) return false;
    entry.reject(failure(entry.label));
    return true;
  }

  /** The server is still working on `tid`: give it 3 more minutes. False if unknown. */
  ack(tid: Tid): boolean {
    const entry = this.pending.get(tid);
    if (!entry) return false;
    clearTimeout(entry.timer);
    entry.acked = true;
    entry.timer = this.deadline(tid, entry, ACK_EXTENSION_MS);
    entry.onAck?.();
    return true;
  }

  /** Fails every waiting request, e.g. when the connection drops. */
  rejectAll(error: Error): void {
    const entries = [...this.pending.values()];
    for (const entry of entries) clearTimeout(entry.timer);
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }

  private take(tid: Tid): Pending | undefined {
    const entry = this.pending.get(tid);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(tid);
    return entry;
  }

  private deadline(tid: Tid, entry: Pending, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      if (this.take(tid) !== entry) return;
      const message = entry.acked
        ? `request ${entry.label} timed out ${ms} ms after the server's last ack`
        : `request ${entry.label} timed out after ${ms} ms`;
      entry.reject(new RequestTimeoutError(entry.label, message));
    }, ms);
  }
}
