// A live source: the client feeding the store, with connect/disconnect/gap markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NkMediaSimulator } from '../../../src/simulator';
import { LiveSource } from '../../../src/inspector/liveSource';
import { SourceRegistry } from '../../../src/inspector/sourceRegistry';
import { MemoryLogger } from '../../../src/shared/logger';

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('events from the simulator land in the store, grouped by object, with a connect marker', async () => {
  const simulator = new NkMediaSimulator({ port: 0, seed: 3, rate: 300 });
  const { url } = await simulator.start();
  const logger = new MemoryLogger();
  const source = new LiveSource({ id: 'demo', name: 'demo', logger, client: { url, user: 'admin', password: 'pw-of-admin' } });
  try {
    await source.connect();
    assert.equal(source.status.kind, 'connected');
    await until(() => source.store.size >= 200, '200 events');
    // One line per connection (the log printed it twice), naming the server and the user.
    const connected = logger.entries.filter((e) => /connected to/.test(e.message)).map((e) => e.message);
    assert.deepEqual(connected, [`connected to ${url} as admin`]);
    source.store.flush();
    const counts = source.store.counts();
    assert.ok(counts.session > 0 && counts.room > 0 && counts.call > 0, JSON.stringify(counts));
    // Every event the client received reaches the store. Traffic still flows while this reads
    // both counts, so stop the server first and wait until the store has caught up.
    await simulator.stop();
    await until(() => {
      source.store.flush();
      return source.client.stats.events === source.store.size + source.store.evictedCount;
    }, 'the store holding every event the client received');
    assert.deepEqual(source.store.markers().map((m) => m.kind).slice(0, 1), ['connect']);
  } finally {
    await source.dispose();
    await simulator.stop();
  }
});

test('a restarted server shows as a gap, and a final disconnect flags objects left open', async () => {
  const simulator = new NkMediaSimulator({ port: 0, seed: 4, rate: 200 });
  const { port, url } = await simulator.start();
  const source = new LiveSource({
    id: 'demo',
    name: 'demo',
    logger: new MemoryLogger(),
    client: { url, user: 'admin', password: 'admin', reconnect: { initialDelayMs: 50, maxDelayMs: 200 } },
  });
  let restarted: NkMediaSimulator | undefined;
  try {
    await source.connect();
    await until(() => source.store.size > 20, 'first events');
    await simulator.stop();
    await until(() => source.status.kind === 'reconnecting', 'reconnecting');
    restarted = new NkMediaSimulator({ port, seed: 5, rate: 200 });
    await restarted.start();
    await until(() => source.store.markers().some((m) => m.kind === 'gap'), 'a gap marker');
    const gap = source.store.markers().find((m) => m.kind === 'gap')!;
    assert.ok(gap.until! >= gap.ts, 'the gap spans the time away');
    const before = source.store.size;
    await until(() => source.store.size > before + 20, 'events after the reconnect');

    await source.disconnect();
    await until(() => source.status.kind === 'disconnected', 'disconnected');
    source.store.flush();
    const open = source.store.objects().filter((o) => o.kind !== 'other' && !o.ended);
    assert.ok(open.length > 0, 'some objects were still alive');
    assert.ok(open.every((o) => o.anomalies.some((a) => a.kind === 'no-terminal-event')));
  } finally {
    await source.dispose();
    await restarted?.stop();
    await simulator.stop();
  }
});

test('the registry gives unique ids and disposes what it removes', async () => {
  const registry = new SourceRegistry();
  const source = new LiveSource({ id: registry.uniqueId('demo'), name: 'demo', logger: new MemoryLogger(), client: { url: 'ws://127.0.0.1:1', user: 'a', password: 'b' } });
  registry.add(source);
  assert.equal(registry.uniqueId('demo'), 'demo (2)');
  assert.throws(() => registry.add(source), /already open/);
  let changes = 0;
  registry.onDidChange(() => changes++);
  assert.equal(await registry.remove('demo'), true);
  assert.equal(changes, 1);
  assert.equal(registry.list().length, 0);
  await registry.dispose();
});
