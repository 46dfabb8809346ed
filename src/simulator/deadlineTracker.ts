// Tracks the requests the server sent on one connection (events, pings) until the client
// answers them, so an unanswered one can close the connection (docs/protocol.md, Deadlines).
//
// Built for 50,000+ requests per second: no timer and no map entry per request. The server
// numbers its requests 1, 2, 3… in send order, so their deadlines are monotonic; we only keep
//   - `head`, the oldest tid still unanswered, and `nextTid`;
//   - send-time buckets (first tid of each millisecond they were sent in), so the deadline of
//     `head` is known without storing a time per request;
//   - `settledAhead`, tids above `head` answered out of order (usually empty: clients answer
//     in order, and the in-order answer to `head` is a plain increment);
//   - `acked`, requests whose deadline an ack extended: they leave the monotonic queue and get
//     their own deadline (acks are rare, so scanning them on each check is cheap).
// `expired()` is called on a coarse interval and looks at `head` plus the acked ones.

export interface DeadlineTrackerOptions {
  answerTimeoutMs: number;
  ackExtensionMs: number;
}

interface SendBucket {
  firstTid: number;
  sentAt: number;
}

export class DeadlineTracker {
  private head = 1;
  private nextTid = 1;
  private readonly buckets: SendBucket[] = [];
  private bucketStart = 0;
  private readonly settledAhead = new Set<number>();
  private readonly acked = new Map<number, number>();

  constructor(private readonly options: DeadlineTrackerOptions) {}

  /** Registers the next request and returns its tid (1, 2, 3…). */
  register(now: number): number {
    const tid = this.nextTid++;
    const last = this.buckets.length > this.bucketStart ? this.buckets[this.buckets.length - 1] : undefined;
    if (!last || last.sentAt !== now) this.buckets.push({ firstTid: tid, sentAt: now });
    return tid;
  }

  /** A response arrived. Returns false when the tid is not an outstanding request of ours. */
  answered(tid: unknown): boolean {
    if (!this.isOutstandingNumber(tid)) return false;
    if (this.acked.delete(tid)) return true;
    this.settle(tid);
    return true;
  }

  /** An ack arrived: the request gets `ackExtensionMs` from now. False for unknown tids. */
  ack(tid: unknown, now: number): boolean {
    if (!this.isOutstandingNumber(tid)) return false;
    if (!this.acked.has(tid)) this.settle(tid);
    this.acked.set(tid, now + this.options.ackExtensionMs);
    return true;
  }

  /** The tid of a request whose deadline has passed, if any. */
  expired(now: number): number | undefined {
    this.dropOldBuckets();
    if (this.head < this.nextTid) {
      const sentAt = this.buckets[this.bucketStart].sentAt;
      if (now > sentAt + this.options.answerTimeoutMs) return this.head;
    }
    for (const [tid, deadline] of this.acked) {
      if (now > deadline) return tid;
    }
    return undefined;
  }

  /** How many requests still wait for an answer. */
  get outstanding(): number {
    return this.nextTid - this.head - this.settledAhead.size + this.acked.size;
  }

  private isOutstandingNumber(tid: unknown): tid is number {
    if (typeof tid !== 'number' || !Number.isInteger(tid)) return false;
    if (this.acked.has(tid)) return true;
    return tid >= this.head && tid < this.nextTid && !this.settledAhead.has(tid);
  }

  /** Takes an outstanding tid out of the monotonic queue. */
  private settle(tid: number): void {
    if (tid !== this.head) {
      this.settledAhead.add(tid);
      return;
    }
    this.head++;
    while (this.settledAhead.size > 0 && this.settledAhead.delete(this.head)) this.head++;
  }

  /** Forgets buckets that only hold settled tids; compacts the array now and then. */
  private dropOldBuckets(): void {
    const buckets = this.buckets;
    while (this.bucketStart + 1 < buckets.length && buckets[this.bucketStart + 1].firstTid <= this.head) this.bucketStart++;
    if (this.head >= this.nextTid && this.bucketStart < buckets.length) this.bucketStart = buckets.length;
    if (this.bucketStart > 1024 && this.bucketStart * 2 > buckets.length) {
      buckets.splice(0, this.bucketStart);
      this.bucketStart = 0;
    }
  }
}
