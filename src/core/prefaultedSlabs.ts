// Large slabs for the raw-event arenas, made ready ahead of time by a worker thread.
//
// Why: a big store writes its events into memory the process has never touched, and the
// first write to each 4 KB page is a page fault. On the VMs this was measured on (PVM guests
// under Firecracker, where page tables are shadowed by the host) a fault costs ~12 µs: ~3 µs
// per 1.1 KB event, the largest single cost of storing an event at full rate. The fault is
// taken by whichever thread touches the page first, and all threads share the same memory,
// so a worker that writes one byte per page of a new slab takes the faults on another core;
// the event loop then fills memory that is already mapped. The slabs are shared memory
// (slabMemory.ts), so the worker writes to the very pages the arenas will use.
//
// The pool keeps a few slabs ready and asks the worker for more as they are taken, a block
// of several at a time. When it is empty (a burst faster than the worker, or no worker) the
// caller allocates as before, so the pool only ever makes things faster. The worker is started only when slabs are taken in
// quick succession (a store filling fast), and arenas only ask for full-size slabs, so a
// small or slow store never starts it. After a while without takers the spare slabs are
// released and the worker stopped: an idle extension host keeps no extra memory or thread.
//
// Measured with `npm run bench -- ingest` (500,000 events, medians of 5 pairs), back to back,
// when slabs were still ordinary buffers: 77,457 events/s and 14.3 µs of CPU per event with
// the pool, 64,908 and 15.2-17 µs without. The faults still cost the process CPU, only off
// the event loop.
import { Worker } from 'worker_threads';
import { sharedMemoryAvailable } from './slabMemory';

/** A block of slabs for the worker to touch, and the number it answers with when done. */
export interface SlabBlockRequest {
  id: number;
  block: SharedArrayBuffer;
}

/** What the pool needs of a worker (a `worker_threads` Worker, or a fake in tests). */
export interface SlabWorker {
  postMessage(request: SlabBlockRequest): void;
  /** The `id` of a block that is ready. */
  on(event: 'message', listener: (id: unknown) => void): void;
  on(event: 'error' | 'exit', listener: () => void): void;
  terminate(): unknown;
  unref(): void;
}

export interface SlabPoolOptions {
  slabBytes: number;
  /**
   * Slabs are allocated and sent to the worker this many at a time, as one buffer. Why: each
   * allocation is an mmap and each message wakes a thread, and while the worker is faulting
   * pages both were measured here at 200-450 µs: 0.7 µs per event, one slab per message.
   */
  slabsPerBlock: number;
  /** Slabs kept ready (or on their way): enough for the worker to stay ahead of a burst. */
  keepReady: number;
  /**
   * The worker is only worth it while slabs are taken at least this often: at a few events
   * per second a slab lasts minutes, and a thread started for it would cost more than the
   * faults it saves.
   */
  busyGapMs: number;
  /** Spare slabs are released and the worker stopped after this long without a take. */
  idleMs: number;
  startWorker?: () => SlabWorker;
}

export class PrefaultedSlabPool {
  /** Oldest first: a block's slabs then go to neighbouring chunks, which are freed together. */
  private readonly ready: Buffer[] = [];
  /** Blocks with the worker, by request id. */
  private readonly inFlight = new Map<number, SharedArrayBuffer>();
  private nextId = 0;
  private worker: SlabWorker | undefined;
  /** Set when the worker could not start or died: callers allocate for themselves from then on. */
  private workerFailed = false;
  private lastTake = Number.NEGATIVE_INFINITY;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SlabPoolOptions) {}

  /** Slabs ready now (diagnostics, tests). */
  get readyCount(): number {
    return this.ready.length;
  }

  /** A pre-faulted slab of `slabBytes`, or undefined when none is ready (allocate one yourself). */
  take(): Buffer | undefined {
    const now = Date.now();
    const busy = now - this.lastTake < this.options.busyGapMs;
    this.lastTake = now;
    const slab = this.ready.shift();
    if (busy || this.worker !== undefined) this.refill();
    return slab;
  }

  /** Releases the spare slabs and stops the worker (it starts again on the next take). */
  release(): void {
    this.ready.length = 0;
    this.inFlight.clear();
    const worker = this.worker;
    this.worker = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    void worker?.terminate();
  }

  private refill(): void {
    const { slabBytes, slabsPerBlock, keepReady } = this.options;
    while (keepReady - this.ready.length - this.inFlight.size * slabsPerBlock >= slabsPerBlock) {
      const worker = this.worker ?? this.start();
      if (worker === undefined) return;
      const id = this.nextId++;
      const block = new SharedArrayBuffer(slabBytes * slabsPerBlock);
      this.inFlight.set(id, block);
      worker.postMessage({ id, block });
    }
  }

  private start(): SlabWorker | undefined {
    // Without shared memory the worker cannot touch the pages the arenas will use.
    if (this.workerFailed || !sharedMemoryAvailable()) return undefined;
    let worker: SlabWorker;
    try {
      worker = (this.options.startWorker ?? startPrefaultWorker)();
    } catch {
      this.workerFailed = true;
      return undefined;
    }
    worker.on('message', (id) => {
      if (this.worker !== worker || typeof id !== 'number') return; // released meanwhile, or not ours
      const block = this.inFlight.get(id);
      if (block === undefined) return;
      this.inFlight.delete(id);
      for (let offset = 0; offset < block.byteLength; offset += this.options.slabBytes) {
        this.ready.push(Buffer.from(block, offset, this.options.slabBytes));
      }
    });
    const failed = () => {
      if (this.worker !== worker) return;
      this.workerFailed = true;
      this.worker = undefined;
      this.inFlight.clear();
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    // Never what keeps a process (the command-line recorder, a test) alive. After the
    // listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    this.scheduleIdleCheck();
    return worker;
  }

  private scheduleIdleCheck(): void {
    const idleMs = this.options.idleMs;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker === undefined) return;
      if (Date.now() - this.lastTake >= idleMs) this.release();
      else this.scheduleIdleCheck();
    }, idleMs);
    this.idleTimer.unref();
  }
}

/**
 * The worker's whole program: touch one byte per page of each block it is handed, then say
 * which block is ready.
 *
 * Its own reference to a block (the object the message arrived as) keeps the block's memory
 * alive until the worker's next young-generation GC, even after every store dropped it. A
 * worker that allocates nothing else would go thousands of blocks between two, so after each
 * block it makes a little garbage: with a 1 MB young generation that is a GC per block or
 * two (measured: 40 dropped blocks of 8 MB, 8 MB still held instead of 320). At worst the
 * memory is freed when the idle worker stops.
 */
const PREFAULT_WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
let garbage;
parentPort.on('message', ({ id, block }) => {
  const bytes = new Uint8Array(block);
  // A write (a read would map the shared zero page) to every 4 KB page.
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  parentPort.postMessage(id);
  for (let i = 0; i < 30000; i++) garbage = { i };
});`;

function startPrefaultWorker(): SlabWorker {
  return new Worker(PREFAULT_WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } }) as unknown as SlabWorker;
}
