// Answers to server requests (every event needs one) are tiny frames. Written one by one,
// each costs a syscall; under a burst of events that doubles the client's CPU time. The
// batcher keeps each answer its own WebSocket frame but collects the frames of a tick in one
// buffer (textFrames.ts), written once the current burst of incoming frames is handled.
import { TextFrameWriter } from './textFrames';

/** Where the frames go: the real one writes to the WebSocket's net socket. */
export interface AnswerSink {
  /** Writes whole, masked WebSocket frames, back to back, in one write. */
  write(frames: Buffer): void;
}

export type FlushScheduler = (flush: () => void) => void;

/**
 * Flushes once the current socket read is handled: ws emits every message of a read
 * synchronously, so all answers to that read leave in one write. This is the default.
 *
 * Measured on the 2-core dev machine (a fake server blasting 300,000 small events, its own
 * writes batched; client in another process; answers then sent with ws.send on a corked
 * socket): one write per answer ~27-33k events/s, one per setImmediate ~35-48k/s, one per
 * nextTick ~44-69k/s. setImmediate groups several reads into one bigger write, but the
 * longer wait and the larger buffers lose.
 */
export const flushOnNextTick: FlushScheduler = (flush) => {
  process.nextTick(flush);
};

/** Flushes after the whole poll phase (several socket reads); slower, kept for comparison. */
export const flushOnImmediate: FlushScheduler = (flush) => {
  setImmediate(flush);
};

export class AnswerBatcher {
  private readonly frames = new TextFrameWriter(true);
  private scheduled = false;
  private readonly flushNow = () => this.flush();

  constructor(
    private readonly sink: AnswerSink,
    /** 'unbatched' writes every answer at once (kept for measurements and comparison). */
    private readonly schedule: FlushScheduler | 'unbatched' = flushOnNextTick,
  ) {}

  /** Sends one answer frame; it reaches the wire when the current tick's batch is flushed. */
  send(text: string): void {
    this.frames.appendText(text);
    if (this.schedule === 'unbatched') {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flushNow);
    }
  }

  /** Writes whatever is pending; safe to call at any time (e.g. before closing). */
  flush(): void {
    this.scheduled = false;
    if (this.frames.length > 0) this.sink.write(this.frames.take());
  }
}
