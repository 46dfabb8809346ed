// Large slabs for the raw-event arenas, made ready ahead of time by a worker thread.
//
// Why: a big store writes its events into memory the process has never touched, and the
// first write to each 4 KB page is a page fault. On the VMs this was measured on (PVM guests
// under Firecracker, where page tables are shadowed by the host) a fault costs ~12 µs: ~3 µs
// per 1.1 KB event, the largest single cost of storing an event at full rate. The fault is
// taken by whichever thread touches the page first, and all threads share the same memory,
// so a worker that writes one byte per page of a new slab takes the faults on another core;
// the event loop then fills memory that is already mapped. (Slabs go to the worker and back
// transferred, not copied: postMessage with a transfer list hands over the memory.)
//
// The pool keeps a few slabs ready and asks the worker for more as they are taken. When it
// is empty (a burst faster than the worker, or no worker) the caller allocates as before, so
// the pool only ever makes things faster. The worker is started only when slabs are taken in
// quick succession (a store filling fast), and arenas only ask for full-size slabs, so a
// small or slow store never starts it. After a while without takers the spare slabs are
// released and the worker stopped: an idle extension host keeps no extra memory or thread.
//
// Measured with `npm run bench -- ingest` (500,000 events, medians of 5 pairs), back to back:
// 77,457 events/s and 14.3 µs of CPU per event with the pool, 64,908 and 15.2-17 µs without.
// The faults still cost the process CPU, only off the event loop.
import { Worker } from 'worker_threads';

/** What the pool needs of a worker (a `worker_threads` Worker, or a fake in tests). */
export interface SlabWorker {
  /** Hands over a slab to touch (transferred: the caller no longer has it). */
  postMessage(slab: ArrayBuffer, transfer: ArrayBuffer[]): void;
  on(event: 'message', listener: (slab: ArrayBuffer) => void): void;
  on(event: 'error' | 'exit', listener: () => void): void;
  terminate(): unknown;
  unref(): void;
}

export interface SlabPoolOptions {
  slabBytes: number;
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
  private readonly ready: Buffer[] = [];
  /** Slabs asked of the worker that have not arrived yet. */
  private inFlight = 0;
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
    const slab = this.ready.pop();
    if (busy || this.worker !== undefined) this.refill();
    return slab;
  }

  /** Releases the spare slabs and stops the worker (it starts again on the next take). */
  release(): void {
    this.ready.length = 0;
    this.inFlight = 0;
    const worker = this.worker;
    this.worker = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    void worker?.terminate();
  }

  private refill(): void {
    const wanted = this.options.keepReady - this.ready.length - this.inFlight;
    if (wanted <= 0) return;
    const worker = this.worker ?? this.start();
    if (worker === undefined) return;
    for (let i = 0; i < wanted; i++) {
      // Not `new ArrayBuffer`: that is zero-filled, and when the allocator reuses memory it
      // clears it here, taking the very faults this pool exists to move. allocUnsafeSlow
      // memory is its own (unpooled, so transferable) and left as it is.
      const slab = Buffer.allocUnsafeSlow(this.options.slabBytes).buffer as ArrayBuffer;
      worker.postMessage(slab, [slab]);
    }
    this.inFlight += wanted;
  }

  private start(): SlabWorker | undefined {
    if (this.workerFailed) return undefined;
    let worker: SlabWorker;
    try {
      worker = (this.options.startWorker ?? startPrefaultWorker)();
    } catch {
      this.workerFailed = true;
      return undefined;
    }
    worker.on('message', (slab) => {
      if (this.worker !== worker) return; // released meanwhile: let it be freed
      this.inFlight = Math.max(0, this.inFlight - 1);
      if (slab instanceof ArrayBuffer && slab.byteLength === this.options.slabBytes) this.ready.push(Buffer.from(slab));
    });
    const failed = () => {
      if (this.worker !== worker) return;
      this.workerFailed = true;
      this.worker = undefined;
      this.inFlight = 0;
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
 * The worker's whole program: touch one byte per page of each slab it is handed, hand it
 * back. The slabs are allocated by the caller's thread, so they count in its memory figures
 * (process.memoryUsage().arrayBuffers) like any other buffer; allocating does not touch them,
 * the worker's writes do.
 */
const PREFAULT_WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
parentPort.on('message', (slab) => {
  const bytes = new Uint8Array(slab);
  // A write (a read would map the shared zero page) to every 4 KB page.
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  parentPort.postMessage(slab, [slab]);
});`;

function startPrefaultWorker(): SlabWorker {
  return new Worker(PREFAULT_WORKER_SOURCE, { eval: true }) as unknown as SlabWorker;
}
