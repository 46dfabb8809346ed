// Columnar storage of events. One parsed JS object per event would cost several times the
// JSON it came from; instead each event is its raw JSON as UTF-8 bytes in the chunk's arena
// (rawArena.ts, off the JS heap) plus a few numbers in typed arrays: 42 bytes per event
// besides the bytes.
//
// Columns are cut in fixed-size chunks, appended as events arrive and dropped whole once
// every event in them is evicted. Unlike one growing array, nothing is ever copied, and the
// unused space is at most one chunk (a growing array wastes up to half its slots).
//
// Each event also links to the next event of its object (`next`), so an object's events can
// be listed without a per-object array. Links hold sequence numbers modulo 2^32 (4 bytes
// instead of 8): lossless because stored events always span fewer than 2^32 consecutive
// sequence numbers, so `unwrapSeq` can rebuild the full number from the oldest stored one.

/** Where the event sits in the raw text, one byte per event (see `RawField` in types.ts). */
export type RawFieldCode = 0 | 1 | 2;
export const RAW_SELF: RawFieldCode = 0;
export const RAW_DATA: RawFieldCode = 1;
export const RAW_EVENT: RawFieldCode = 2;

const CHUNK_BITS = 14;
/** 16,384 events per chunk: about 540 KB of columns, small next to 1,000,000 events. */
export const CHUNK_SIZE = 1 << CHUNK_BITS;
const SLOT_MASK = CHUNK_SIZE - 1;

import { RawArena } from './rawArena';

export class EventChunk {
  readonly ts = new Float64Array(CHUNK_SIZE);
  readonly conn = new Uint32Array(CHUNK_SIZE);
  readonly object = new Uint32Array(CHUNK_SIZE);
  readonly type = new Uint32Array(CHUNK_SIZE);
  /** Wrapped sequence number of the next event of the same object (unset for its newest). */
  readonly next = new Uint32Array(CHUNK_SIZE);
  readonly rawField = new Uint8Array(CHUNK_SIZE);
  /** Where each event's bytes are in `arena`: slab index, offset and byte length. */
  readonly rawSlab = new Uint16Array(CHUNK_SIZE);
  readonly rawStart = new Uint32Array(CHUNK_SIZE);
  readonly rawLength = new Uint32Array(CHUNK_SIZE);
  readonly arena: RawArena;

  /** `large`: the store already fills a chunk, so this one's raw bytes start in a full-size slab. */
  constructor(large: boolean) {
    this.arena = new RawArena(large);
  }

  /** The raw JSON text of a slot (decoded on demand). */
  rawText(slot: number): string {
    const start = this.rawStart[slot];
    return this.arena.slab(this.rawSlab[slot]).toString('utf8', start, start + this.rawLength[slot]);
  }

  /** The raw JSON bytes of a slot (a view into the arena: copy it to keep it). */
  rawBytes(slot: number): Buffer {
    const start = this.rawStart[slot];
    return this.arena.slab(this.rawSlab[slot]).subarray(start, start + this.rawLength[slot]);
  }
}

/** Events with consecutive sequence numbers `oldestSeq` .. `endSeq - 1`. */
export class EventColumns {
  private chunks: EventChunk[] = [];
  /** A dropped chunk kept for the next one needed: steady eviction then allocates nothing. */
  private spare: EventChunk | undefined;
  /** Sequence number of slot 0 of chunks[0]. */
  private baseSeq: number;
  oldestSeq: number;
  endSeq: number;

  constructor(startSeq: number) {
    this.baseSeq = startSeq;
    this.oldestSeq = startSeq;
    this.endSeq = startSeq;
  }

  get size(): number {
    return this.endSeq - this.oldestSeq;
  }

  has(seq: number): boolean {
    return seq >= this.oldestSeq && seq < this.endSeq && Number.isInteger(seq);
  }

  /** The chunk holding a stored event (callers check `has` first). */
  chunkOf(seq: number): EventChunk {
    return this.chunks[(seq - this.baseSeq) >> CHUNK_BITS];
  }

  /** The slot of a stored event in its chunk. */
  slotOf(seq: number): number {
    return (seq - this.baseSeq) & SLOT_MASK;
  }

  /**
   * Stores the event with sequence number `endSeq`; its raw JSON is `bytes` (its UTF-8,
   * copied) when given, else `raw` (encoded).
   */
  push(ts: number, conn: number, object: number, type: number, rawField: RawFieldCode, raw: string, bytes: Uint8Array | undefined): void {
    const offset = this.endSeq - this.baseSeq;
    const index = offset >> CHUNK_BITS;
    if (index === this.chunks.length) {
      this.chunks.push(this.spare ?? new EventChunk(index > 0));
      this.spare = undefined;
    }
    const chunk = this.chunks[index];
    const slot = offset & SLOT_MASK;
    chunk.ts[slot] = ts;
    chunk.conn[slot] = conn;
    chunk.object[slot] = object;
    chunk.type[slot] = type;
    chunk.rawField[slot] = rawField;
    const arena = chunk.arena;
    if (bytes !== undefined) arena.appendBytes(bytes);
    else arena.appendText(raw);
    chunk.rawSlab[slot] = arena.lastSlab;
    chunk.rawStart[slot] = arena.lastStart;
    chunk.rawLength[slot] = arena.lastLength;
    this.endSeq++;
  }

  /** Bytes allocated for the raw JSON of the stored chunks (diagnostics, tests). */
  rawCapacity(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.arena.capacity;
    return total + (this.spare?.arena.capacity ?? 0);
  }

  /** Forgets the oldest event; an emptied chunk becomes the spare (the one before is freed). */
  dropOldest(): void {
    const chunk = this.chunks[0];
    this.oldestSeq++;
    if (this.oldestSeq - this.baseSeq === CHUNK_SIZE) {
      this.chunks.shift();
      // The spare keeps its arena's memory: refilling it costs no page faults.
      chunk.arena.reset();
      this.spare = chunk;
      this.baseSeq += CHUNK_SIZE;
    }
  }
}

/** The full sequence number of a wrapped (mod 2^32) one, given the oldest stored sequence number. */
export function unwrapSeq(wrapped: number, firstSeq: number): number {
  return firstSeq + ((wrapped - firstSeq) >>> 0);
}
