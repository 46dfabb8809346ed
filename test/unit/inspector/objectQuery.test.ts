// The order the tree lists objects in: live first, newest first, then ended ones, the most
// recently ended first. A user opens the tree to see what is happening now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { ObjectQuery } from '../../../src/inspector/objectQuery';
import { Feed, T0 } from '../core/feed';

const id = (n: number) => `${String(n).padStart(8, '0')}-0000-0000-0000-000000000000`;
const idsOf = (objects: Array<{ objId: string }>) => objects.map((o) => Number(o.objId.slice(0, 8)));

function sessions(count: number) {
  const store = new EventStore();
  const feed = new Feed(store);
  for (let n = 1; n <= count; n++) feed.session('updated_type', id(n), { type: 'proxy' });
  return { store, feed };
}

test('live sessions come newest first, ended ones after them by the time they ended', () => {
  const { store, feed } = sessions(6);
  feed.stop(id(2));
  feed.stop(id(5));
  feed.stop(id(1)); // ended last: first among the ended
  const { live, ended } = new ObjectQuery().liveAndEnded(store, 'session');
  assert.deepEqual(idsOf(live), [6, 4, 3]);
  assert.deepEqual(idsOf(ended), [1, 5, 2]);
});

test('every live object is listed, however many ended before it', () => {
  const { store, feed } = sessions(1_000);
  for (let n = 1; n <= 990; n++) feed.stop(id(n));
  const { live, ended } = new ObjectQuery().liveAndEnded(store, 'session');
  assert.equal(live.length, 10);
  assert.deepEqual(idsOf(live).slice(0, 3), [1000, 999, 998]);
  assert.equal(ended.length, 990);
  assert.equal(idsOf(ended)[0], 990);
});

test('an object first seen in a snapshot sorts by its own first event, not by arrival', () => {
  const { store, feed } = sessions(2);
  // A snapshot after connecting reports a session that began long before the others.
  feed.event({ class: 'media', subclass: 'session', type: 'updated_type', obj_id: id(9), body: { type: 'proxy' } }, { ts: T0 - 60_000 });
  const { live } = new ObjectQuery().liveAndEnded(store, 'session');
  assert.deepEqual(idsOf(live), [2, 1, 9]);
});

test('the lists follow the filter, and are recomputed after invalidate()', () => {
  const { store, feed } = sessions(4);
  const query = new ObjectQuery();
  query.setFilter({ text: id(3).slice(0, 8) });
  assert.deepEqual(idsOf(query.liveAndEnded(store, 'session').live), [3]);
  feed.stop(id(3));
  assert.deepEqual(idsOf(query.liveAndEnded(store, 'session').live), [3], 'cached until the next refresh');
  query.invalidate();
  assert.deepEqual(idsOf(query.liveAndEnded(store, 'session').ended), [3]);
  assert.deepEqual(query.liveAndEnded(store, 'session').live, []);
});
