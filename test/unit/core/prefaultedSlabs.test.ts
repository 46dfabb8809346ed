// The pool of pre-faulted slabs (prefaultedSlabs.ts): a worker thread readies memory for the
// raw-event arenas so that the event loop does not take the page faults. It must only ever
// make things faster: whatever happens to the worker, callers get a slab or allocate one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { PrefaultedSlabPool, type SlabWorker } from '../../../src/core/prefaultedSlabs';
import { EventStore } from '../../../src/core';
import { CHUNK_SIZE } from '../../../src/core/eventColumns';
import type { EventData } from '../../../src/protocol/frames';

const KB = 1024;

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A worker that does what it is told when the test says so. */
class FakeWorker implements SlabWorker {
  /** The slabs handed over to be touched. */
  given: ArrayBuffer[] = [];
  terminated = false;
  private listeners = new Map<string, Array<(value?: unknown) => void>>();
  postMessage(slab: ArrayBuffer): void {
    this.given.push(slab);
  }
  /** Hands back the oldest slab it was given. */
  giveBack(): void {
    this.emit('message', this.given.shift());
  }
  on(event: string, listener: (value: never) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (value?: unknown) => void]);
  }
  emit(event: 'message' | 'error' | 'exit', value?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(value);
  }
  terminate(): void {
    this.terminated = true;
  }
  unref(): void {}
}

/** Run as a child process by a test below: starts the worker, then has nothing left to do. */
const CHILD_FLAG = 'NKM_SLAB_POOL_CHILD';
const isChild = process.env[CHILD_FLAG] === '1';
if (isChild) {
  const pool = new PrefaultedSlabPool({ slabBytes: 64 * KB, keepReady: 4, busyGapMs: 60_000, idleMs: 60_000 });
  pool.take();
  pool.take();
}

if (!isChild) describe('pre-faulted slabs', () => {
  test('a process whose store started the worker still ends by itself', () => {
    const started = Date.now();
    const child = spawnSync(process.execPath, [__filename], { env: { ...process.env, [CHILD_FLAG]: '1', NODE_TEST_CONTEXT: '' }, timeout: 20_000 });
    assert.equal(child.signal, null, 'it had to be killed');
    assert.equal(child.status, 0, child.stderr.toString());
    assert.ok(Date.now() - started < 10_000, `it took ${Date.now() - started} ms to end`);
  });

  test('the real worker readies slabs of the asked size, which the caller can fill', async () => {
    const pool = new PrefaultedSlabPool({ slabBytes: 256 * KB, keepReady: 4, busyGapMs: 60_000, idleMs: 60_000 });
    try {
      assert.equal(pool.take(), undefined, 'nothing is ready before the first take: the caller allocates');
      assert.equal(pool.take(), undefined, 'a second take soon after starts the worker');
      await until(() => pool.readyCount === 4, 'four ready slabs');
      const slab = pool.take();
      assert.ok(Buffer.isBuffer(slab));
      assert.equal(slab.length, 256 * KB);
      slab.fill(0x61);
      assert.equal(slab.toString('latin1', 100, 104), 'aaaa');
      // Taking one asks for one more.
      await until(() => pool.readyCount === 4, 'the pool refilled');
    } finally {
      pool.release();
    }
  });

  test('slabs taken far apart (a slow store) never start the worker', async () => {
    let starts = 0;
    const pool = new PrefaultedSlabPool({
      slabBytes: 64 * KB,
      keepReady: 2,
      busyGapMs: 20,
      idleMs: 60_000,
      startWorker: () => {
        starts++;
        return new FakeWorker();
      },
    });
    for (let i = 0; i < 3; i++) {
      assert.equal(pool.take(), undefined);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    assert.equal(starts, 0);
    pool.take();
    pool.take();
    assert.equal(starts, 1, 'two takes within the gap do');
    pool.release();
  });

  test('a worker that cannot start leaves callers allocating for themselves, without errors', () => {
    let starts = 0;
    const pool = new PrefaultedSlabPool({
      slabBytes: 64 * KB,
      keepReady: 2,
      busyGapMs: 60_000,
      idleMs: 60_000,
      startWorker: () => {
        starts++;
        throw new Error('no worker threads here');
      },
    });
    assert.equal(pool.take(), undefined);
    assert.equal(pool.take(), undefined);
    assert.equal(pool.take(), undefined);
    assert.equal(starts, 1, 'it does not retry on every take');
  });

  test('a worker that dies hands out what it made, then callers allocate', () => {
    const worker = new FakeWorker();
    const pool = new PrefaultedSlabPool({ slabBytes: 64 * KB, keepReady: 3, busyGapMs: 60_000, idleMs: 60_000, startWorker: () => worker });
    assert.equal(pool.take(), undefined);
    assert.equal(pool.take(), undefined);
    assert.equal(worker.given.length, 3);
    assert.ok(worker.given.every((slab) => slab.byteLength === 64 * KB));
    worker.giveBack();
    worker.emit('message', new ArrayBuffer(1)); // not a slab of ours: ignored
    worker.emit('exit');
    assert.equal(pool.take()?.length, 64 * KB);
    assert.equal(pool.take(), undefined);
    assert.equal(worker.given.length, 2, 'no more is asked of a dead worker');
  });

  test('after a while without takers the spare slabs go and the worker stops', async () => {
    const worker = new FakeWorker();
    const pool = new PrefaultedSlabPool({ slabBytes: 64 * KB, keepReady: 2, busyGapMs: 60_000, idleMs: 30, startWorker: () => worker });
    pool.take();
    pool.take();
    worker.giveBack();
    worker.giveBack();
    assert.equal(pool.readyCount, 2);
    await until(() => worker.terminated, 'the idle worker stopped', 2000);
    assert.equal(pool.readyCount, 0);
  });

  test('a store bigger than one chunk reads back every event from pooled slabs', async () => {
    const store = new EventStore();
    const events = CHUNK_SIZE * 3;
    const rawOf = (i: number) => JSON.stringify({ class: 'media', subclass: 'session', type: 'info', obj_id: `s${i % 500}`, body: { i, pad: 'x'.repeat(i % 2000) } });
    for (let i = 0; i < events; i++) {
      const raw = rawOf(i);
      store.append({ conn: 'c', ts: i, data: JSON.parse(raw) as EventData, raw, bytes: Buffer.from(raw) });
      // Give the worker a turn now and then, as a live connection's event loop does.
      if (i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(store.size, events);
    for (let seq = store.firstSeq, i = 0; seq <= store.lastSeq; seq++, i++) {
      if (store.rawOf(seq) !== rawOf(i)) assert.fail(`event ${seq} does not read back as stored`);
    }
    store.dispose();
  });
});
