// #14 part 1, the Watches view's model: the list is checked when read back from the workspace,
// a bad expression is refused with its column, live sources report new hits for the editor to
// act on, and a trace is run through its watches whole (hits listed, never acted on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { Emitter } from '../../../src/shared/events';
import { SourceRegistry } from '../../../src/inspector/sourceRegistry';
import type { Source, SourceKind } from '../../../src/inspector/source';
import { WatchBook, type SourceWatchHits } from '../../../src/inspector/watchBook';
import type { WatchSpec } from '../../../src/inspector/storeWatcher';

function source(id: string, kind: SourceKind): Source & { add(ts: number, type: string, objId: string, body?: Record<string, unknown>): void } {
  const store = new EventStore({ notifyIntervalMs: 0 });
  const status = new Emitter<never>();
  return {
    id,
    name: id,
    kind,
    store,
    status: { kind: kind === 'live' ? 'connected' : 'loaded' },
    server: { dialect: { id: 'auto' } as never, refusedSubscriptions: [] },
    onDidChangeStatus: status.event,
    eventRate: () => 0,
    dispose: () => store.dispose(),
    add(ts, type, objId, body = {}) {
      const data = { class: 'media', subclass: 'call', type, obj_id: objId, body };
      store.append({ conn: id, ts, data, raw: JSON.stringify(data) });
      store.flush();
    },
  };
}

function memoryStorage(initial: unknown) {
  const saved: WatchSpec[][] = [];
  return { saved, storage: { load: () => initial, save: (specs: readonly WatchSpec[]) => void saved.push([...specs]) } };
}

test('what the workspace kept is read back checked: broken entries are dropped, the rest kept', { timeout: 5_000 }, async () => {
  const registry = new SourceRegistry();
  const { storage } = memoryStorage([
    { id: 'w1', expression: 'type:hangup body.code=486', action: 'notify', enabled: true },
    { id: 'w2', expression: 'body.code<<', action: 'notify' },
    { id: 'w3', expression: 'type:stop', action: 'format-disk' },
    'not a watch',
    { id: 'w1', expression: 'type:ringing', action: 'pause' },
    { id: 'w4', expression: 'duration>5s', action: 'marker', enabled: false },
  ]);
  const book = new WatchBook(registry, storage);
  try {
    assert.deepEqual(
      book.specs().map((w) => [w.id, w.expression, w.action, w.enabled]),
      [
        ['w1', 'type:hangup body.code=486', 'notify', true],
        ['w4', 'duration>5s', 'marker', false],
      ],
    );
  } finally {
    book.dispose();
    await registry.dispose();
  }
});

test('a bad expression is refused with where it is wrong; a good one is saved', { timeout: 5_000 }, async () => {
  const registry = new SourceRegistry();
  const { storage, saved } = memoryStorage(undefined);
  const book = new WatchBook(registry, storage);
  try {
    const refused = book.add('type:hangup duration>soon', 'notify');
    assert.ok('error' in refused);
    assert.match(refused.error, /"soon" is not a duration.*column 22/);
    assert.equal(saved.length, 0, 'nothing saved for a refused watch');
    const added = book.add('  type:hangup  ', 'reveal');
    assert.ok(!('error' in added));
    assert.equal(added.expression, 'type:hangup');
    assert.deepEqual(saved.at(-1)?.map((w) => w.expression), ['type:hangup']);
    const edit = book.edit(added.id, { expression: 'body.code>' });
    assert.ok('error' in edit && /needs a value/.test(edit.error));
    assert.equal(book.get(added.id)?.expression, 'type:hangup', 'a refused edit changes nothing');
  } finally {
    book.dispose();
    await registry.dispose();
  }
});

test('a live source reports each new hit once, for the editor to act on; a disabled watch counts nothing', { timeout: 5_000 }, async () => {
  const registry = new SourceRegistry();
  const live = source('demo', 'live');
  registry.add(live);
  const book = new WatchBook(registry, memoryStorage(undefined).storage);
  const reports: SourceWatchHits[] = [];
  book.onDidHit((r) => reports.push(r));
  try {
    live.add(1000, 'hangup', 'c0', { code: 486 });
    const busy = book.add('type:hangup body.code=486', 'notify');
    assert.ok(!('error' in busy));
    assert.equal(book.count(busy.id), 0, 'a watch counts from when it is set, as a breakpoint does');
    live.add(2000, 'ringing', 'c1');
    live.add(3000, 'hangup', 'c1', { code: 486 });
    live.add(3500, 'hangup', 'c2', { code: 200 });
    assert.deepEqual(reports.map((r) => [r.source.id, r.watch.id, r.count, r.hits[0].objectKey]), [['demo', busy.id, 1, 'media/call/c1']]);
    assert.equal(book.count(busy.id), 1);
    assert.deepEqual(book.recentHits(busy.id).map((h) => [h.sourceId, h.hit.ts]), [['demo', 3000]]);
    book.setEnabled(busy.id, false);
    live.add(4000, 'hangup', 'c3', { code: 486 });
    assert.equal(reports.length, 1, 'a disabled watch reports nothing');
    live.store.clear();
    assert.equal(book.count(busy.id), 0, 'clearing the store clears its counts');
  } finally {
    book.dispose();
    await registry.dispose();
  }
});

test('a trace is run through its watches whole when it opens and when a watch changes; its hits are listed, not acted on', { timeout: 5_000 }, async () => {
  const registry = new SourceRegistry();
  const trace = source('capture.nkmtrace', 'trace');
  trace.add(1000, 'ringing', 'c1');
  trace.add(9000, 'hangup', 'c1', { code: 486 });
  trace.add(9100, 'hangup', 'c2', { code: 486 });
  const { storage } = memoryStorage([{ id: 'w1', expression: 'type:hangup body.code=486', action: 'pause', enabled: true }]);
  const book = new WatchBook(registry, storage);
  const reports: SourceWatchHits[] = [];
  book.onDidHit((r) => reports.push(r));
  try {
    registry.add(trace);
    assert.equal(book.count('w1'), 2);
    assert.deepEqual(book.recentHits('w1').map((h) => h.hit.objectKey), ['media/call/c2', 'media/call/c1'], 'newest first');
    book.edit('w1', { expression: 'type:hangup duration>5s' });
    assert.equal(book.count('w1'), 1, 'only c1 had lasted 5 s: the trace ran through the edited watch');
    assert.equal(reports.length, 0, 'nothing acted on');
    await registry.remove(trace.id);
    assert.equal(book.count('w1'), 0, 'a closed source counts no more');
  } finally {
    book.dispose();
    await registry.dispose();
  }
});
