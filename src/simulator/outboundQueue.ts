// The frames the simulated server has for one client this tick, written together: queued as
// they are made, then packed into a few large socket writes (each frame still its own
// WebSocket frame) instead of one ws.send each, since ws would allocate a header and a copy per
// frame. Separate from clientConnection.ts so that the connection decides when to write and
// what a slow reader costs, and this module only how the bytes leave.
import type WebSocket from 'ws';
import { TextFrameWriter, writeFrames } from '../protocol/textFrames';

/** Frames are written to the socket in pieces of about this size (see `write`). */
const WRITE_CHUNK_BYTES = 64 * 1024;

export class OutboundQueue {
  private queue: string[] = [];
  private readonly frameWriter = new TextFrameWriter(false, 2 * WRITE_CHUNK_BYTES);
  private flushScheduled = false;

  constructor(private readonly ws: WebSocket) {}

  /** Queues a frame; true when it is the first since the last `take`: the caller schedules a flush. */
  push(frame: string): boolean {
    this.queue.push(frame);
    if (this.flushScheduled) return false;
    this.flushScheduled = true;
    return true;
  }

  /** Everything queued since the last `take` (the next `push` schedules a flush again). */
  take(): string[] {
    this.flushScheduled = false;
    const frames = this.queue;
    this.queue = [];
    return frames;
  }

  /** Drops what is queued (the connection is closing). */
  clear(): void {
    this.queue = [];
  }

  /** Writes the frames; false when the socket stopped taking them (the rest are dropped). */
  write(frames: readonly string[]): boolean {
    for (const frame of frames) {
      this.frameWriter.appendText(frame);
      // Moderate writes: buffers this size reuse freed memory instead of mapping new pages.
      if (this.frameWriter.length >= WRITE_CHUNK_BYTES && !writeFrames(this.ws, this.frameWriter.take())) return false;
    }
    if (this.frameWriter.length > 0) writeFrames(this.ws, this.frameWriter.take());
    return true;
  }
}
