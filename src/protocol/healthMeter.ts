// How well the client keeps up with its server (#14 part 3), measured where it happens:
// - answer latency: from the moment a request's frame was read to the moment its answer was
//   handed to the socket (AnswerBatcher's write). NkSERVICE closes a link whose requests wait
//   5 s; a healthy client answers in well under a millisecond, and a rising latency is the
//   first sign of a busy extension host or event loop, long before the 5 s rule bites;
// - the server's ping cadence: the time between its `core/ping` requests;
// - what arrived: requests and events per window.
// The client keeps one meter across reconnections; whoever shows or records health takes a
// `sample()` every so often (the live source and the recorder: every 10 s), which closes
// the window. The hot path costs one clock read per frame and one histogram add per answer.
import { DurationHistogram } from '../shared/histogram';

/** One window of measurements: what a `health` annotation line holds (docs/trace-format.md). */
export interface HealthSample {
  /** The window's length, ms. */
  readonly windowMs: number;
  /** Answers written in the window, and their latency in µs (absent without answers). */
  readonly answers: number;
  readonly answerP50Us?: number;
  readonly answerP99Us?: number;
  readonly answerMaxUs?: number;
  /** Pings the server sent, and the mean time between them (needs two), ms. */
  readonly pings: number;
  readonly pingIntervalMs?: number;
  /** Events delivered in the window. */
  readonly events: number;
}

/** Receive times of answers still in the batch: grows only under a burst larger than this. */
const INITIAL_PENDING = 1024;

export class HealthMeter {
  private latencies = new DurationHistogram();
  private pending = new Float64Array(INITIAL_PENDING);
  private pendingCount = 0;
  private pings = 0;
  private pingIntervalSum = 0;
  private pingIntervals = 0;
  private lastPingAt: number | undefined;
  private events = 0;
  private windowStart: number;

  /** `clock` in ms with sub-ms precision (performance.now by default). */
  constructor(private readonly clock: () => number = () => performance.now()) {
    this.windowStart = clock();
  }

  now(): number {
    return this.clock();
  }

  /** An answer was queued for a request whose frame was read at `receivedAt` (this meter's clock). */
  answerQueued(receivedAt: number): void {
    if (this.pendingCount === this.pending.length) {
      const grown = new Float64Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[this.pendingCount++] = receivedAt;
  }

  /** The queued answers reached the socket. */
  answersWritten(): void {
    if (this.pendingCount === 0) return;
    const at = this.clock();
    for (let i = 0; i < this.pendingCount; i++) this.latencies.record((at - this.pending[i]) * 1000, '');
    this.pendingCount = 0;
  }

  /** The connection closed: answers still queued were never written, so they have no latency. */
  dropQueued(): void {
    this.pendingCount = 0;
  }

  serverPing(at: number): void {
    this.pings++;
    if (this.lastPingAt !== undefined) {
      this.pingIntervalSum += at - this.lastPingAt;
      this.pingIntervals++;
    }
    this.lastPingAt = at;
  }

  event(): void {
    this.events++;
  }

  /** The window since the last sample, which starts a new one. */
  sample(): HealthSample {
    const at = this.clock();
    const latency = this.latencies.snapshot();
    const round = (us: number | undefined) => (us === undefined ? undefined : Math.round(us * 10) / 10);
    const sample: HealthSample = {
      windowMs: Math.round(at - this.windowStart),
      answers: latency.count,
      ...(latency.count > 0 ? { answerP50Us: round(latency.p50), answerP99Us: round(latency.p99), answerMaxUs: round(latency.max) } : {}),
      pings: this.pings,
      ...(this.pingIntervals > 0 ? { pingIntervalMs: Math.round(this.pingIntervalSum / this.pingIntervals) } : {}),
      events: this.events,
    };
    this.latencies = new DurationHistogram();
    this.pings = 0;
    this.pingIntervalSum = 0;
    this.pingIntervals = 0;
    this.events = 0;
    this.windowStart = at;
    return sample;
  }
}
