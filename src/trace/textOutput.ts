// Where exports write: a text file that appears only when complete (temporary file, then
// rename), or any stream such as stdout. Writes are batched into large chunks, and `write`
// returns a promise only when the stream is full, so a loop of a million small writes stays
// cheap and still respects backpressure.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const BATCH_CHARS = 256 * 1024;

export interface TextOutput {
  /** Resolves (or returns nothing) when more may be written. */
  write(text: string): void | Promise<void>;
  /** Writes what is left and finishes: the file is in place once this resolves. */
  close(): Promise<void>;
  /** Stops and keeps nothing. */
  abort(): Promise<void>;
}

/** Batches writes to a stream and waits for it when it is full. */
class BatchedStreamOutput implements TextOutput {
  private batch: string[] = [];
  private chars = 0;
  protected failure: Error | undefined;

  constructor(
    protected readonly stream: NodeJS.WritableStream & { writableNeedDrain: boolean; destroyed: boolean },
    private readonly transform: (text: string) => string = (text) => text,
  ) {
    stream.on('error', (error: Error) => (this.failure ??= error));
  }

  write(text: string): void | Promise<void> {
    if (this.failure) throw this.failure;
    this.batch.push(text);
    this.chars += text.length;
    if (this.chars < BATCH_CHARS) return;
    this.flush();
    if (this.stream.writableNeedDrain) return this.waitForDrain();
  }

  async close(): Promise<void> {
    this.flush();
    if (this.failure) throw this.failure;
  }

  async abort(): Promise<void> {
    this.batch = [];
    this.chars = 0;
  }

  protected flush(): void {
    if (this.batch.length === 0) return;
    this.stream.write(this.transform(this.batch.join('')));
    this.batch = [];
    this.chars = 0;
  }

  private waitForDrain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('error', done);
      this.stream.once('close', done);
    });
  }
}

/** A file written under a temporary name and renamed into place by `close()`. */
export class AtomicTextFile extends BatchedStreamOutput {
  private readonly tempPath: string;
  private finished = false;

  constructor(readonly filePath: string) {
    const tempPath = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    super(fs.createWriteStream(tempPath, { highWaterMark: 1024 * 1024 }));
    this.tempPath = tempPath;
  }

  override async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.flush();
    await this.endStream();
    if (this.failure) {
      await fs.promises.rm(this.tempPath, { force: true });
      throw this.failure;
    }
    await fs.promises.rename(this.tempPath, this.filePath);
  }

  override async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await super.abort();
    await this.endStream();
    await fs.promises.rm(this.tempPath, { force: true });
  }

  private endStream(): Promise<void> {
    const file = this.stream as unknown as fs.WriteStream;
    return new Promise<void>((resolve) => {
      if (file.closed) return resolve();
      file.once('close', () => resolve());
      if (!file.writableEnded) file.end();
    });
  }
}

/**
 * Writes to a stream the caller owns (stdout): close() flushes but does not end it.
 * `transform` rewrites each batch on its way out (the command line escapes control
 * characters when the stream is a terminal).
 */
export function streamOutput(stream: NodeJS.WritableStream & { writableNeedDrain: boolean; destroyed: boolean }, transform?: (text: string) => string): TextOutput {
  return new BatchedStreamOutput(stream, transform);
}
