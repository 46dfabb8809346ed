// Reads a trace file as lines, streaming: plain or gzipped, of any size.
//
// A 1,000,000-event trace is about 550 MB, past V8's longest string (~512 MB), so the file is
// never turned into one string. Each chunk is searched for newlines as bytes; the complete
// lines of a chunk are decoded together into one string and cut into slices of it (V8 keeps
// a slice as a view of its parent, so a line kept by the store costs no copy). Only a line
// that spans chunks is assembled from pieces, and never beyond `maxLineBytes`: a longer line
// is skipped to its end and reported, so one absurd line cannot take the memory with it.
//
// Splitting on the byte 0x0A is safe in UTF-8: it never occurs inside a multi-byte character.
import * as fs from 'fs';
import * as zlib from 'zlib';
import { CancelledError, TraceFileError } from './errors';

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** A line longer than the limit: its text was never kept. */
export class OverlongLine {
  constructor(
    /** Bytes seen before giving up on it (at least the limit). */
    readonly bytes: number,
    readonly limit: number,
  ) {}

  get reason(): string {
    return `line is longer than ${formatBytes(this.limit)} (the limit); skipped without reading it`;
  }
}

export interface LineBatch {
  /** Line number (1-based) of `lines[0]`. */
  firstLineNumber: number;
  /** Texts without their line end (`\n` or `\r\n`), or the lines too long to keep. */
  lines: Array<string | OverlongLine>;
}

export interface LineReaderOptions {
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** Called after each chunk read: bytes of the file read so far (compressed bytes for gzip). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface LineReaderStats {
  /** Size of the file on disk. */
  totalBytes: number;
  /** File bytes read so far. */
  bytesRead: number;
  /** Bytes after decompression. */
  decodedBytes: number;
  compressed: boolean;
  lines: number;
  /** The largest partial line held while waiting for its end (bounded by maxLineBytes). */
  peakPendingBytes: number;
  /** The file ended without a final newline: its last line may be cut short. */
  endsMidLine: boolean;
  /** Gzip data ended early or is damaged, after the lines already delivered. */
  streamError?: string;
}

/**
 * One pass over a trace file's lines: `for await (const batch of reader.batches())`.
 * Breaking out of the loop closes the file.
 */
export class TraceLineReader {
  readonly stats: LineReaderStats;
  private readonly maxLineBytes: number;

  constructor(
    readonly filePath: string,
    private readonly options: LineReaderOptions = {},
  ) {
    this.maxLineBytes = Math.max(1, Math.floor(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES));
    this.stats = { totalBytes: 0, bytesRead: 0, decodedBytes: 0, compressed: false, lines: 0, peakPendingBytes: 0, endsMidLine: false };
  }

  async *batches(): AsyncGenerator<LineBatch, void, void> {
    const { signal } = this.options;
    throwIfCancelled(signal);
    const { handle, size, gzip } = await openTraceFile(this.filePath);
    this.stats.totalBytes = size;
    this.stats.compressed = gzip;

    // The handle checked to be a regular file is the one read (the stream closes it).
    const file = fs.createReadStream('', { fd: handle, highWaterMark: READ_CHUNK_BYTES });
    file.on('data', (chunk) => {
      this.stats.bytesRead += chunk.length;
    });
    let source: AsyncIterable<Buffer> = file;
    let gunzip: zlib.Gunzip | undefined;
    if (gzip) {
      gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
      file.on('error', (error) => gunzip?.destroy(error));
      source = file.pipe(gunzip);
    }

    const splitter = new LineSplitter(this.maxLineBytes);
    try {
      for await (const chunk of source) {
        throwIfCancelled(signal);
        this.stats.decodedBytes += chunk.length;
        const batch = splitter.push(chunk);
        this.stats.peakPendingBytes = Math.max(this.stats.peakPendingBytes, splitter.pendingBytes);
        this.options.onProgress?.(this.stats.bytesRead, size);
        if (batch.lines.length > 0) {
          this.stats.lines += batch.lines.length;
          yield batch;
        }
      }
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (!gzip || !isZlibError(error)) throw new TraceFileError(describeReadError(this.filePath, error));
      // Damaged or cut-short gzip: keep what was read, say where it stopped.
      this.stats.streamError = `gzip data is damaged or cut short after line ${splitter.lineCount} (${(error as Error).message})`;
    } finally {
      gunzip?.destroy();
      file.destroy();
    }
    const last = splitter.end();
    this.stats.endsMidLine = last.lines.length > 0;
    if (last.lines.length > 0) {
      this.stats.lines += last.lines.length;
      yield last;
    }
    this.options.onProgress?.(this.stats.bytesRead, size);
  }
}

/** Cuts a byte stream into lines; holds at most `maxLineBytes` of an unfinished line. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Inside a line already known to be too long: drop bytes until its end. */
  private skippedBytes = -1;
  private lines = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Lines completed so far. */
  get lineCount(): number {
    return this.lines;
  }

  get pendingBytes(): number {
    return this.pendingLength;
  }

  push(chunk: Buffer): LineBatch {
    const batch: LineBatch = { firstLineNumber: this.lines + 1, lines: [] };
    const firstNewline = chunk.indexOf(NEWLINE);
    if (firstNewline < 0) {
      this.hold(chunk);
      return batch;
    }
    // The line that started in an earlier chunk ends here.
    if (this.skippedBytes >= 0 || this.pendingLength > 0) {
      this.finishHeldLine(chunk.subarray(0, firstNewline), batch);
    } else {
      this.cutLines(chunk, 0, firstNewline, batch);
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline > firstNewline) this.cutLines(chunk, firstNewline + 1, lastNewline, batch);
    if (lastNewline + 1 < chunk.length) this.hold(chunk.subarray(lastNewline + 1));
    return batch;
  }

  /** The last line when the data does not end with a newline. */
  end(): LineBatch {
    const batch: LineBatch = { firstLineNumber: this.lines + 1, lines: [] };
    if (this.skippedBytes >= 0 || this.pendingLength > 0) this.finishHeldLine(Buffer.alloc(0), batch);
    return batch;
  }

  private hold(piece: Buffer): void {
    if (this.skippedBytes >= 0) {
      this.skippedBytes += piece.length;
      return;
    }
    if (this.pendingLength + piece.length > this.maxLineBytes) {
      this.skippedBytes = this.pendingLength + piece.length;
      this.pending = [];
      this.pendingLength = 0;
      return;
    }
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }

  private finishHeldLine(tail: Buffer, batch: LineBatch): void {
    this.hold(tail);
    if (this.skippedBytes >= 0) {
      batch.lines.push(new OverlongLine(this.skippedBytes, this.maxLineBytes));
      this.skippedBytes = -1;
    } else {
      const whole = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
      batch.lines.push(decodeLine(whole));
    }
    this.pending = [];
    this.pendingLength = 0;
    this.lines++;
  }

  /** Lines of `chunk[start, end)` (`end` is a newline), decoded in one go and sliced. */
  private cutLines(chunk: Buffer, start: number, end: number, batch: LineBatch): void {
    const text = chunk.toString('utf8', start, end);
    // As many characters as bytes: all ASCII, so character offsets are byte offsets.
    const ascii = text.length === end - start;
    let from = 0;
    let byteFrom = start;
    for (;;) {
      const newline = text.indexOf('\n', from);
      const to = newline < 0 ? text.length : newline;
      // A UTF-16 unit takes at most 3 UTF-8 bytes: only lines long in characters need counting.
      const bytes = ascii ? to - from : (to - from) * 3 > this.maxLineBytes ? byteLengthOf(chunk, byteFrom) : 0;
      if (bytes > this.maxLineBytes) {
        batch.lines.push(new OverlongLine(bytes, this.maxLineBytes));
      } else {
        const cut = to > from && text.charCodeAt(to - 1) === CARRIAGE_RETURN ? to - 1 : to;
        batch.lines.push(text.slice(from, cut));
      }
      this.lines++;
      if (newline < 0) return;
      if (!ascii) byteFrom = chunk.indexOf(NEWLINE, byteFrom) + 1;
      from = newline + 1;
    }
  }
}

function decodeLine(buffer: Buffer): string {
  const end = buffer.length > 0 && buffer[buffer.length - 1] === CARRIAGE_RETURN ? buffer.length - 1 : buffer.length;
  return buffer.toString('utf8', 0, end);
}

/** Bytes from `from` to the next newline (or the end of the buffer). */
function byteLengthOf(buffer: Buffer, from: number): number {
  const at = buffer.indexOf(NEWLINE, from);
  return (at < 0 ? buffer.length : at) - from;
}

/**
 * Opens a trace for reading, refusing anything but a regular file first. A FIFO hangs the
 * open itself until some writer comes (and holds one of libuv's few threads, so that even
 * Ctrl+C cannot end the process cleanly); a character device such as /dev/zero or a tty never
 * ends. So the path is stat'ed before it is opened, and opened with O_NONBLOCK: should it be
 * swapped for a FIFO in between, the open returns at once and the second check refuses it.
 */
async function openTraceFile(filePath: string): Promise<{ handle: fs.promises.FileHandle; size: number; gzip: boolean }> {
  try {
    refuseUnlessRegular(filePath, await fs.promises.stat(filePath));
  } catch (error) {
    if (error instanceof TraceFileError) throw error;
    throw new TraceFileError(describeReadError(filePath, error));
  }
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new TraceFileError(describeReadError(filePath, error));
  }
  try {
    const stat = await handle.stat();
    refuseUnlessRegular(filePath, stat);
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    const gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    if (!gzip && filePath.toLowerCase().endsWith('.gz') && stat.size > 0) {
      throw new TraceFileError(`${filePath} ends in .gz but is not gzip data`);
    }
    return { handle, size: stat.size, gzip };
  } catch (error) {
    await handle.close();
    if (error instanceof TraceFileError) throw error;
    throw new TraceFileError(describeReadError(filePath, error));
  }
}

function refuseUnlessRegular(filePath: string, stat: fs.Stats): void {
  if (stat.isFile()) return;
  if (stat.isDirectory()) throw new TraceFileError(`${filePath} is a directory, not a trace file`);
  throw new TraceFileError(`${filePath} is ${nonRegularKind(stat)}, not a trace file: only regular files are read as traces`);
}

function nonRegularKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function describeReadError(filePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return `no such file: ${filePath}`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to read ${filePath}`;
    case 'EISDIR':
      return `${filePath} is a directory, not a trace file`;
    default:
      return `cannot read ${filePath}: ${(error as Error)?.message ?? String(error)}`;
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
