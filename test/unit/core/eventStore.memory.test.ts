// The raw bytes of stored events live in shared memory that V8's GC does not count
// (slabMemory.ts). Dropping a store's events must still give that memory back soon, not at
// whatever full GC comes next: a user who clears a big live view expects the memory back.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { EventStore } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';

const MB = 1024 * 1024;
/** What may remain: the slab pool's ready slabs and blocks on their way (~32 MB). */
const HELD_LIMIT_MB = 48;
const heldMb = () => Math.round(process.memoryUsage().arrayBuffers / MB);
const CHILD_FLAG = 'NKM_STORE_MEMORY_CHILD';
const childRole = process.env[CHILD_FLAG];

if (childRole !== undefined) void fillThenDrop(childRole);

/**
 * Stores ~200 MB of events, then clears or disposes the store and prints how many MB of
 * buffers are still allocated once at most HELD_LIMIT_MB are, or 3 s later. No `gc()` here:
 * nothing but the store's hint may make V8 collect.
 */
async function fillThenDrop(how: string): Promise<void> {
  const store = new EventStore();
  const padding = 'x'.repeat(1000);
  for (let i = 0; i < 200_000; i++) {
    const data: EventData = { class: 'media', subclass: 'session', type: 'info', obj_id: `s${i % 1000}`, body: { i, padding } };
    const raw = JSON.stringify(data);
    store.append({ conn: 'c', ts: i, data, raw, bytes: Buffer.from(raw) });
    // Let the slab pool's worker answer now and then, as a live connection's loop does.
    if (i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(`filled ${heldMb()}`);
  if (how === 'clear') store.clear();
  else store.dispose();
  // An idle process, with the little allocation any event loop does, for at most 3 s: a
  // bounded poll of the memory every 100 ms, which ends once it came back.
  for (let i = 0; i < 30 && heldMb() > HELD_LIMIT_MB; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    JSON.parse(JSON.stringify({ tick: i, list: Array.from({ length: 100 }, (_, k) => k) }));
  }
  console.log(`held ${heldMb()}`);
  process.exit(0);
}

function runChild(how: 'clear' | 'dispose'): { filled: number; held: number } {
  const child = spawnSync(process.execPath, [__filename], { env: { ...process.env, [CHILD_FLAG]: how, NODE_TEST_CONTEXT: '' }, timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr.toString());
  const out = child.stdout.toString();
  return { filled: Number(/filled (\d+)/.exec(out)?.[1]), held: Number(/held (\d+)/.exec(out)?.[1]) };
}

if (childRole === undefined) describe('memory of dropped events', () => {
  for (const how of ['clear', 'dispose'] as const) {
    test(`after ${how}(), a big store's raw bytes are freed within seconds`, () => {
      const { filled, held } = runChild(how);
      assert.ok(filled >= 200, `the store should have held ~200 MB, it held ${filled} MB`);
      assert.ok(held <= HELD_LIMIT_MB, `${held} MB of ${filled} MB still allocated 3 s after ${how}()`);
    });
  }
});
