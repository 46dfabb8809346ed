// #14 part 1, watches on a live store: new events are tested as they arrive, hits come in
// one report per watch per run, counts survive a change of the watch list, and a watch never
// hits an event twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { StoreWatcher, type WatchHits, type WatchSpec } from '../../../src/inspector/storeWatcher';

function fixture(maxEvents?: number) {
  const store = new EventStore({ maxEvents });
  const reports: WatchHits[] = [];
  const watcher = new StoreWatcher(store, (r) => reports.push(r));
  const add = (ts: number, type: string, id: string, body: Record<string, unknown> = {}) => {
    const data = { class: 'media', subclass: 'call', type, obj_id: id, body };
    store.append({ conn: 'c', ts, data, raw: JSON.stringify(data) });
  };
  return { store, reports, watcher, add };
}

const busy: WatchSpec = { id: 'w1', expression: 'type:hangup body.code=486', action: 'notify', enabled: true };
const ringing: WatchSpec = { id: 'w2', expression: 'type:ringing', action: 'marker', enabled: true };

test('a watch reports the hits of each run once, in one report, with the hit object', { timeout: 5_000 }, () => {
  const { store, reports, watcher, add } = fixture();
  try {
    watcher.setWatches([busy, ringing]);
    add(1000, 'ringing', 'c1');
    add(1100, 'ringing', 'c2');
    add(2000, 'hangup', 'c1', { code: 486 });
    watcher.runTo();
    assert.deepEqual(
      reports.map((r) => [r.watch.id, r.count, r.hits.map((h) => h.seq)]),
      [
        ['w1', 1, [3]],
        ['w2', 2, [1, 2]],
      ],
    );
    assert.ok(reports[0].hits[0].objectKey.endsWith('/c1'));
    watcher.runTo();
    assert.equal(reports.length, 2, 'a second run over nothing new reports nothing');
    add(3000, 'hangup', 'c2', { code: 486 });
    watcher.runTo();
    assert.deepEqual(reports.slice(2).map((r) => [r.watch.id, r.hits.map((h) => h.seq)]), [['w1', [4]]]);
    assert.equal(watcher.count('w1'), 2);
    assert.deepEqual(watcher.recentHits('w1').map((h) => h.seq), [3, 4]);
  } finally {
    store.dispose();
  }
});

test('events already in the store when the watcher starts are not reported as new hits', { timeout: 5_000 }, () => {
  const { store, reports, add } = fixture();
  try {
    add(1000, 'ringing', 'c1');
    const later = new StoreWatcher(store, (r) => reports.push(r));
    later.setWatches([ringing]);
    later.runTo();
    assert.equal(reports.length, 0);
    add(1100, 'ringing', 'c2');
    later.runTo();
    assert.deepEqual(reports.map((r) => r.hits.map((h) => h.seq)), [[2]]);
  } finally {
    store.dispose();
  }
});

test('disabling a watch stops its hits; editing it restarts its count; keeping it keeps the count', { timeout: 5_000 }, () => {
  const { store, reports, watcher, add } = fixture();
  try {
    watcher.setWatches([busy, ringing]);
    add(1000, 'ringing', 'c1');
    watcher.runTo();
    watcher.setWatches([busy, { ...ringing, enabled: false }]);
    add(1100, 'ringing', 'c2');
    watcher.runTo();
    assert.equal(reports.length, 1, 'a disabled watch does not fire');
    watcher.setWatches([busy, ringing]);
    assert.equal(watcher.count('w2'), 0, 'disabled, the count was dropped');
    add(1200, 'ringing', 'c3');
    watcher.runTo();
    assert.equal(watcher.count('w2'), 1);
    watcher.setWatches([busy, { ...ringing, action: 'pause' }]);
    assert.equal(watcher.count('w2'), 1, 'a new action keeps the count');
    watcher.setWatches([busy, { ...ringing, expression: 'type:ringing obj_id=c9' }]);
    assert.equal(watcher.count('w2'), 0, 'a new expression is a new question');
  } finally {
    store.dispose();
  }
});

test('events evicted before a run reached them are counted as missed, never reported twice', { timeout: 5_000 }, () => {
  const { store, reports, watcher, add } = fixture(4);
  try {
    watcher.setWatches([ringing]);
    for (let i = 1; i <= 10; i++) add(1000 + i, 'ringing', `c${i}`);
    watcher.runTo();
    assert.equal(watcher.missed, store.firstSeq - 1);
    assert.deepEqual(reports[0].hits.map((h) => h.seq), [7, 8, 9, 10].slice(-(store.lastSeq - store.firstSeq + 1)));
  } finally {
    store.dispose();
  }
});

test('many hits in one run: one report, the count whole, the hits listed bounded', { timeout: 5_000 }, () => {
  const { store, reports, watcher, add } = fixture();
  try {
    watcher.setWatches([ringing]);
    for (let i = 0; i < 5000; i++) add(1000 + i, 'ringing', `c${i}`);
    watcher.runTo();
    assert.equal(reports.length, 1);
    assert.equal(reports[0].count, 5000);
    assert.equal(reports[0].hits.length, 100);
    assert.equal(watcher.recentHits('w2').length, 50);
  } finally {
    store.dispose();
  }
});
