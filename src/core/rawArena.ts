// The raw JSON of a chunk's events, as UTF-8 bytes in a few large buffers ("slabs").
//
// Why not one JS string per event: at ~1 KB per event and hundreds of thousands of events,
// strings live on the JS heap, where the GC copies them on promotion and rescans the old
// generation as it grows; that cost more than anything else at ingest. Bytes in slabs are
// outside the JS heap (ArrayBuffer backing stores), are copied in with one memcpy (the ws
// message Buffer) and are freed all at once with their chunk. UTF-8 also halves the size of
// non-Latin-1 text compared with V8's two-byte strings.
//
// Slabs are shared memory, which the GC does not count (slabMemory.ts).
//
// Each event sits whole in one slab: slabs start small (a store with a few events stays
// small) and double up to SLAB_MAX; an event larger than the current slab's room starts a
// new slab (an oversized event gets a slab of its own). The room left at a slab's end is
// under one event, so the waste is small next to SLAB_MAX. Full-size slabs come pre-faulted
// from a worker thread when one is ready (prefaultedSlabs.ts).
import { PrefaultedSlabPool } from './prefaultedSlabs';
import { allocateSlab } from './slabMemory';

const SLAB_MIN = 16 * 1024;
const SLAB_MAX = 1024 * 1024;

/**
 * Shared by every store of the process. 16 slabs ready is ~150 ms of events at 100,000
 * events/s: the worker (measured ~270-340 MB/s here) stays well ahead of that. They come in
 * blocks of 8. Slabs taken less than 2 s apart (over ~500 events/s) start the worker.
 */
const fullSizeSlabs = new PrefaultedSlabPool({ slabBytes: SLAB_MAX, slabsPerBlock: 8, keepReady: 16, busyGapMs: 2_000, idleMs: 30_000 });

export class RawArena {
  private slabs: Buffer[] = [];
  /** Bytes used in the last slab. */
  private used = 0;
  private nextSize: number;
  /** Slabs of an earlier use of this arena, taken again (in order) before allocating. */
  private recycled: Buffer[] = [];

  /** Slab index of the last append (valid after `appendBytes` / `appendText`). */
  lastSlab = 0;
  /** Offset in that slab of the last append. */
  lastStart = 0;
  /** Byte length of the last append. */
  lastLength = 0;

  /**
   * `startLarge`: the first slab is full-size (for a store that is already big, where
   * starting small would only add slabs).
   */
  constructor(private readonly startLarge = false) {
    this.nextSize = this.firstSlabSize;
  }

  /** Copies the bytes (the UTF-8 of the event's JSON). */
  appendBytes(bytes: Uint8Array): void {
    const length = bytes.length;
    const slab = this.room(length);
    // fill(), not set(): into shared memory set() copies with atomic semantics, byte by byte
    // (0.21 µs per 1.1 KB event here), fill() with memcpy (0.06 µs).
    if (length > 0) slab.fill(bytes, this.used, this.used + length);
    this.advance(length);
  }

  /** Encodes the text as UTF-8 (a plain copy for ASCII). */
  appendText(text: string): void {
    // 3 bytes per UTF-16 code unit is the most UTF-8 can take; only compute the exact size
    // when that bound does not fit in the room left.
    let slab = this.slabs.length > 0 ? this.slabs[this.slabs.length - 1] : undefined;
    if (slab === undefined || this.used + text.length * 3 > slab.length) slab = this.room(Buffer.byteLength(text, 'utf8'));
    const written = text.length === 0 ? 0 : slab.write(text, this.used, 'utf8');
    this.advance(written);
  }

  private get firstSlabSize(): number {
    return this.startLarge ? SLAB_MAX : SLAB_MIN;
  }

  /** Bytes allocated for slabs (used, or kept for reuse). */
  get capacity(): number {
    let total = 0;
    for (const slab of this.slabs) total += slab.length;
    for (const slab of this.recycled) total += slab.length;
    return total;
  }

  slab(index: number): Buffer {
    return this.slabs[index];
  }

  /** Drops every slab (the chunk is empty and will not be reused). */
  free(): void {
    this.slabs = [];
    this.recycled = [];
    this.used = 0;
    this.nextSize = this.firstSlabSize;
  }

  /**
   * Empties the arena but keeps its slabs for the next events (the chunk is being reused).
   * Why: memory the process has not touched yet costs a page fault per 4 KB on first write
   * (measured here: ~4 µs per 1 KB event, more than everything else a store does), so a
   * store that evicts as fast as it appends must write into the same memory again.
   */
  reset(): void {
    if (this.slabs.length > 0) {
      // Keep them all, in order, and refill from the first.
      this.recycled = this.slabs;
      this.slabs = [];
    }
    this.used = 0;
    this.nextSize = this.firstSlabSize;
  }

  /** The last slab, or a new one, with room for `length` more bytes. */
  private room(length: number): Buffer {
    const last = this.slabs.length > 0 ? this.slabs[this.slabs.length - 1] : undefined;
    if (last !== undefined && this.used + length <= last.length) return last;
    let slab: Buffer | undefined;
    while (slab === undefined && this.recycled.length > 0) {
      const candidate = this.recycled.shift() as Buffer;
      // One too small for this event is dropped (later ones are mostly larger).
      if (candidate.length >= length) slab = candidate;
    }
    if (slab === undefined) {
      const size = Math.max(length, this.nextSize);
      this.nextSize = Math.min(SLAB_MAX, this.nextSize * 2);
      slab = (size === SLAB_MAX ? fullSizeSlabs.take() : undefined) ?? allocateSlab(size);
    }
    this.slabs.push(slab);
    this.used = 0;
    return slab;
  }

  private advance(length: number): void {
    this.lastSlab = this.slabs.length - 1;
    this.lastStart = this.used;
    this.lastLength = length;
    this.used += length;
  }
}
