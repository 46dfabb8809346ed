// Writes trace files: a header, then event and marker lines, buffered into large writes.
// With `atomic`, lines go to a temporary file that is renamed over the target on close, so a
// reader never sees half a file and a failed save leaves the old file alone.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Writable } from 'stream';
import * as zlib from 'zlib';
import type { EventData } from '../protocol/frames';
import { redactUrl } from '../protocol/redactUrl';
import type { TraceHeader, TraceMarkerLine } from './traceFileFormat';

export interface TraceWriterOptions {
  /** gzip the output (default: when the file name ends in .gz). */
  gzip?: boolean;
  /**
   * zlib level, 1 (fastest) to 9 (smallest); default 6. On simulator traffic level 1 runs
   * ~2.3× as fast as 6 (370 vs 165 MB/s on one core) for files ~30% larger: what a live
   * recorder wants, which must keep pace with the connection. (Output chunks of 256 KB, not
   * zlib's 16 KB, also mean fewer callbacks on a main thread busy with the connection. With
   * both, `record` to a .gz kept up with 40,000 events/s on the 2-core dev machine, the
   * simulator running beside it; at level 6 with 16 KB chunks it dropped 12% of them.)
   */
  gzipLevel?: number;
  /** write to a temporary file, renamed into place by close() (default false). */
  atomic?: boolean;
}

const FLUSH_BYTES = 256 * 1024;

export class TraceWriter {
  /** Lines are encoded straight into this buffer and written when it is full. */
  private out = Buffer.allocUnsafe(FLUSH_BYTES);
  private outLength = 0;
  private closed = false;
  private failure: Error | undefined;
  private readonly output: fs.WriteStream;
  private readonly sink: Writable;
  /** The gzip stream in front of the file, when compressing. */
  private readonly compressor: zlib.Gzip | undefined;
  private readonly tempPath: string | undefined;
  private _events = 0;
  private _bytes = 0;

  constructor(
    readonly filePath: string,
    header: TraceHeader,
    options: TraceWriterOptions = {},
  ) {
    const gzip = options.gzip ?? filePath.endsWith('.gz');
    this.tempPath = options.atomic ? path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`) : undefined;
    this.output = fs.createWriteStream(this.tempPath ?? filePath, { highWaterMark: 1024 * 1024 });
    this.output.on('error', (error) => (this.failure ??= error));
    if (gzip) {
      const compressor = zlib.createGzip({ level: options.gzipLevel ?? 6, chunkSize: 256 * 1024 });
      compressor.on('error', (error) => (this.failure ??= error));
      compressor.pipe(this.output);
      this.sink = compressor;
      // A compressor that failed stops feeding the file: close the file so close() can finish.
      compressor.on('error', () => this.output.destroy());
      this.compressor = compressor;
    } else {
      this.sink = this.output;
    }
    this.push(JSON.stringify(withoutCredentials(header)));
  }

  /** Events written so far. */
  get events(): number {
    return this._events;
  }

  /** Uncompressed bytes written so far (approximately: characters). */
  get bytes(): number {
    return this._bytes;
  }

  /**
   * Bytes accepted but not yet on disk: this writer's buffer, what the compressor has still to
   * read, its output not yet taken by the file, and what the file stream holds. A writer that
   * must not block (the recorder) watches this to keep its queue bounded.
   */
  get queuedBytes(): number {
    const compressing = this.compressor ? this.compressor.writableLength + this.compressor.readableLength : 0;
    return this.outLength + compressing + this.output.writableLength;
  }

  /** Writes one event. `eventJson`, when given, is the event's JSON text (saves a stringify). */
  writeEvent(seq: number, ts: number, event: EventData, conn?: string, eventJson?: string): void {
    this.writeEventText(seq, ts, eventJson ?? JSON.stringify(event), conn);
  }

  /** Writes one event given only its JSON text (what saving a store has at hand). */
  writeEventText(seq: number, ts: number, eventJson: string, conn?: string): void {
    const connPart = conn === undefined ? '' : `,"conn":${JSON.stringify(conn)}`;
    this.push(`{"seq":${seq},"ts":${ts}${connPart},"event":${eventJson}}`);
    this._events++;
  }

  writeMarker(marker: TraceMarkerLine): void {
    this.push(JSON.stringify(marker));
  }

  /** An annotation line (`{"line":kind,…}`, docs/trace-format.md). */
  writeAnnotation(annotation: { readonly line: string }): void {
    this.push(JSON.stringify(annotation));
  }

  /** Resolves once buffered lines reached the stream; lets a long save yield and back off. */
  async drain(): Promise<void> {
    this.flushBuffer();
    // Wait on the stream that is full: with gzip the compressor may have room while the file
    // stream behind it does not, and then only the file stream will say 'drain'.
    const full = this.sink.writableNeedDrain ? this.sink : this.output.writableNeedDrain ? this.output : undefined;
    if (full && !this.failure && !this.output.destroyed) await untilDrainedOrFailed(full, this.output);
    if (this.failure) throw this.failure;
  }

  /** Flushes, closes, and (atomic) renames into place. Rejects if anything failed to write. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushBuffer();
    await this.endStreams();
    if (this.failure) {
      if (this.tempPath) await fs.promises.rm(this.tempPath, { force: true });
      throw this.failure;
    }
    if (this.tempPath) await fs.promises.rename(this.tempPath, this.filePath);
  }

  /** Stops without keeping anything: the file (or the temporary file) is removed. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.outLength = 0;
    await new Promise<void>((resolve) => {
      this.output.once('close', () => resolve());
      this.sink.end();
    });
    await fs.promises.rm(this.tempPath ?? this.filePath, { force: true });
  }

  /** Ends the streams and resolves once the file is closed (at once if a failure closed it already). */
  private endStreams(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.output.closed) return resolve();
      this.output.once('close', () => resolve());
      if (this.sink.writableEnded) {
        if (this.sink !== this.output) this.output.end();
      } else {
        this.sink.end();
      }
    });
  }

  /**
   * Writes one event whose JSON is `head` + `body` bytes + `tail` (a stored event's own UTF-8
   * text, copied without decoding it: saving a store costs about a plain write).
   */
  writeEventBytes(seq: number, ts: number, body: Uint8Array, conn?: string): void {
    const connPart = conn === undefined ? '' : `,"conn":${JSON.stringify(conn)}`;
    this.pushParts(`{"seq":${seq},"ts":${ts}${connPart},"event":`, body, '}');
    this._events++;
  }

  private push(line: string): void {
    this.pushParts(line, undefined, '');
  }

  /** Appends `head`, `body`, `tail` and a newline to the output buffer, flushing as it fills. */
  private pushParts(head: string, body: Uint8Array | undefined, tail: string): void {
    if (this.closed) throw new Error(`trace ${this.filePath} is already closed`);
    const length = Buffer.byteLength(head) + (body?.length ?? 0) + tail.length + 1;
    if (this.outLength + length > this.out.length) {
      this.flushBuffer();
      if (length > this.out.length) this.out = Buffer.allocUnsafe(length);
    }
    this.outLength += this.out.write(head, this.outLength, 'utf8');
    if (body) {
      this.out.set(body, this.outLength);
      this.outLength += body.length;
    }
    if (tail) this.outLength += this.out.write(tail, this.outLength, 'latin1');
    this.out[this.outLength++] = 0x0a;
    this._bytes += length;
  }

  private flushBuffer(): void {
    if (this.outLength === 0) return;
    // The stream keeps the written buffer until it is flushed: start a fresh one.
    this.sink.write(this.out.subarray(0, this.outLength));
    this.out = Buffer.allocUnsafe(FLUSH_BYTES);
    this.outLength = 0;
  }
}

/** Credentials never reach a file: a `user:password@` in the source URL is dropped. */
function withoutCredentials(header: TraceHeader): TraceHeader {
  if (header.source?.url === undefined) return header;
  return { ...header, source: { ...header.source, url: redactUrl(header.source.url) } };
}

function untilDrainedOrFailed(full: NodeJS.EventEmitter, output: fs.WriteStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      full.off('drain', done);
      output.off('error', done);
      output.off('close', done);
      resolve();
    };
    full.once('drain', done);
    output.once('error', done);
    output.once('close', done);
  });
}
