// The recorder's side of the trace file: a bounded queue between the connection and the disk.
//
// Answers to the server must never wait for the disk: NkSERVICE closes a connection whose
// requests go unanswered for 5 s, and the client answers every event before its listeners run
// (protocol/connection.ts). So the recorder never waits for a 'drain' either; it hands the
// event to the writer, and storage may lag behind by up to `maxQueuedBytes`. When the queue is
// full (a flood of large events into a .gz: gzip reads random-looking text at ~20 MB/s on one
// core), further events are dropped, counted, and marked in the trace as a gap, until the
// writer has caught up. Without the bound, 2,000 events of 900 KB took the recorder to
// 1.8 GB and it was still writing 20 s after --duration ended.
import type { EventData } from '../protocol/frames';
import type { TraceAnnotationLine, TraceMarkerLine } from '../trace/traceFileFormat';
import type { TraceWriter } from '../trace/writer';

/**
 * The queue's bound: small enough that closing flushes it in about a second even through
 * gzip at its slowest, large enough for the bursts of live traffic (~15,000 events of a
 * typical 1.1 KB; gzip keeps pace with the ingest bench's rates, so it never fills there).
 */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/** A flood makes the queue fill again and again: say so at most this often. */
const REPORT_EVERY_MS = 10_000;

export interface RecorderStorageOptions {
  maxQueuedBytes?: number;
  /** Told when dropping starts (at most every 10 s). */
  report(message: string): void;
  now?: () => number;
}

export class RecorderStorage {
  private readonly maxQueuedBytes: number;
  private _recorded = 0;
  private _dropped = 0;
  /** The drops since the queue was last full, not yet marked in the trace. */
  private episode: { count: number; firstTs: number; lastTs: number } | undefined;
  private lastReport = -Infinity;

  constructor(
    private readonly writer: TraceWriter,
    private readonly options: RecorderStorageOptions,
  ) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  }

  /** Events written (their seq numbers run from 1 without holes). */
  get recorded(): number {
    return this._recorded;
  }

  /** Bytes accepted and not yet on disk (at most about `maxQueuedBytes`). */
  get queuedBytes(): number {
    return this.writer.queuedBytes;
  }

  /** Events dropped because the queue was full. */
  get dropped(): number {
    return this._dropped;
  }

  /**
   * Stores one event, or drops it when the queue is full; returns whether it was stored.
   * `sizeHint` is about its size in bytes (the frame's length): checked before any encoding,
   * so a dropped event costs nothing more.
   */
  writeEvent(ts: number, event: EventData, sizeHint: number): boolean {
    if (!this.admit(ts, sizeHint)) return false;
    this.writer.writeEvent(++this._recorded, ts, event);
    return true;
  }

  /**
   * Stores an invalid event's marker (its frame can be as large as an event), or drops it
   * like an event when the queue is full: a server sending nothing else must not get past
   * the bound. Returns whether it was stored.
   */
  writeInvalid(marker: TraceMarkerLine & { marker: 'invalid' }): boolean {
    if (!this.admit(marker.ts, marker.frame?.length ?? 0)) return false;
    this.writer.writeMarker(marker);
    return true;
  }

  /**
   * Below half the bound anything goes, an event larger than the whole queue included. Above
   * it, an event must fit, and once dropping has begun nothing goes until half the queue is
   * written: one gap per burst, not one per event. So the queue holds at most the bound, or
   * half of it plus one event.
   */
  private admit(ts: number, sizeHint: number): boolean {
    const queued = this.writer.queuedBytes;
    const fits = queued <= this.maxQueuedBytes / 2 || (!this.episode && queued + sizeHint <= this.maxQueuedBytes);
    if (!fits) {
      this.drop(ts);
      return false;
    }
    this.endEpisode();
    return true;
  }

  /** Connection markers are a few bytes and say what happened to the connection: always written. */
  writeMarker(marker: TraceMarkerLine): void {
    // Drops so far happened before this marker: their gap goes first, so lines stay in time order.
    this.endEpisode();
    this.writer.writeMarker(marker);
  }

  /**
   * Annotations (a watch's hit) are small and refer to an event just stored: always written,
   * after any gap still open, so lines stay in time order.
   */
  writeAnnotation(annotation: TraceAnnotationLine): void {
    this.endEpisode();
    this.writer.writeAnnotation(annotation);
  }

  /** Stops and keeps nothing: the file is removed. */
  abort(): Promise<void> {
    return this.writer.abort();
  }

  /** Marks the last drops, if any, then flushes and closes the file. */
  close(): Promise<void> {
    this.endEpisode();
    return this.writer.close();
  }

  private drop(ts: number): void {
    this._dropped++;
    if (this.episode) {
      this.episode.count++;
      this.episode.lastTs = ts;
      return;
    }
    this.episode = { count: 1, firstTs: ts, lastTs: ts };
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const before = this._dropped > 1 ? ` (${this._dropped - 1} dropped so far)` : '';
    this.options.report(`writing ${this.writer.filePath} falls behind (${formatMegabytes(this.maxQueuedBytes)} queued): dropping events until it catches up${before}; each drop is marked as a gap in the trace, and the server's requests are still answered at once`);
  }

  /** The queue has room again (or the recording ends): a gap marker says how many events are missing, and when. */
  private endEpisode(): void {
    const episode = this.episode;
    if (!episode) return;
    this.episode = undefined;
    const reason = `${episode.count} event${episode.count === 1 ? '' : 's'} dropped by the recorder: writing the trace fell behind`;
    this.writer.writeMarker({ marker: 'gap', ts: episode.firstTs, until: episode.lastTs, reason });
  }
}

function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
