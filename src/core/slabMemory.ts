// Where the raw-event arenas get their memory, and how they tell the GC when they let go of it.
//
// Slabs are SharedArrayBuffers, although nothing else shares them. Why: V8 counts the memory
// of ordinary ArrayBuffers toward its GC heuristics, and every 64 MB of new buffers starts a
// full mark of the JS heap. A store taking in 550 MB of raw JSON per 500,000 events set off
// ~10 of them per 500,000 events, and their marking threads took ~2 µs of CPU per event from
// a machine already saturated by the connection. V8 does not count shared memory toward any
// one isolate, so these slabs cost the GC nothing. They still show in
// `process.memoryUsage().arrayBuffers` (Node's allocator made them), and are freed like any
// buffer once unreachable. Measured with `npm run bench -- ingest`, two pairs of runs each,
// alternated: 83,000-91,000 events/s and 11.7-12.6 µs of CPU per event, against
// 73,500-75,000 and 15.2-15.6 with ordinary buffers.
//
// The other side of it: dropping slabs does not bring the next full GC closer either, so
// memory a cleared store gave up could stay mapped until the JS heap itself grows enough.
// `collectSoon` tells V8 about it the only way JS can.

/** Zero-filled memory the GC does not count (a plain Buffer where SharedArrayBuffer is missing). */
export function allocateSlab(bytes: number): Buffer {
  return sharedMemoryAvailable() ? Buffer.from(new SharedArrayBuffer(bytes)) : Buffer.allocUnsafeSlow(bytes);
}

export function sharedMemoryAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/** No hint larger than this: enough to make V8 start a full GC (it reacts to 64 MB). */
const MAX_HINT_BYTES = 1024 * 1024 * 1024;
/** Dropping less than this is not worth a full GC of the extension host. */
const MIN_HINT_BYTES = 64 * 1024 * 1024;

/**
 * Tells V8 that about `bytes` of slab memory just became garbage, so that its next full GC
 * (which frees it) comes soon. How: it allocates and drops an ordinary buffer of that size,
 * which V8 does count. The buffer is never written, so the OS never backs it with memory:
 * it costs an mmap and a munmap, not RAM.
 */
export function collectSoon(bytes: number): void {
  if (!sharedMemoryAvailable() || bytes < MIN_HINT_BYTES) return;
  try {
    Buffer.allocUnsafeSlow(Math.min(bytes, MAX_HINT_BYTES));
  } catch {
    // Out of address space for the hint: the memory is freed at the next GC anyway.
  }
}
