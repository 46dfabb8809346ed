import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type StoreChange } from '../../../src/core';
import { nextEvent } from '../../../src/shared/events';
import { Feed, LISTENER, PUB, ROOM, roomKeyOf, sessionKeyOf } from './feed';

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('change notifications', () => {
  test('a burst of appends gives one notification with the new range and the objects touched', async () => {
    const store = new EventStore({ notifyIntervalMs: 5 });
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    const feed = new Feed(store);
    const first = feed.answer(PUB);
    for (let i = 0; i < 1000; i++) feed.session('updated_type', PUB, { type: 'publish' });
    const last = feed.roomStarted(ROOM);
    assert.equal(changes.length, 0, 'nothing is fired per event');
    // The store's timer is unref'd: hold the process open while waiting for it.
    const keepAlive = setTimeout(() => undefined, 10_000);
    const change = await nextEvent(store.onDidChange);
    clearTimeout(keepAlive);
    assert.equal(changes.length, 1);
    assert.equal(change.firstNewSeq, first);
    assert.equal(change.lastNewSeq, last);
    assert.deepEqual([...change.addedObjects], [sessionKeyOf(PUB), roomKeyOf(ROOM)]);
    assert.deepEqual([...change.changedObjects].sort(), [roomKeyOf(ROOM), sessionKeyOf(PUB)].sort());
    assert.equal(change.evicted, 0);
    assert.equal(change.cleared, false);
    store.dispose();
  });

  test('flush fires pending changes at once, and only what changed since the previous one', () => {
    const store = new EventStore({ notifyIntervalMs: 60_000 });
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    const feed = new Feed(store);
    feed.publishAndListen();
    store.flush();
    assert.equal(changes.length, 1);
    const seq = feed.stop(PUB, 2202, 'Janus op process down');
    store.flush();
    assert.equal(changes.length, 2);
    assert.equal(changes[1].firstNewSeq, seq);
    assert.equal(changes[1].lastNewSeq, seq);
    assert.deepEqual(changes[1].addedObjects.size, 0);
    // The failed publisher also changed the listener (peer-stopped-first), which had no event itself.
    assert.deepEqual([...changes[1].changedObjects].sort(), [sessionKeyOf(LISTENER), sessionKeyOf(PUB)].sort());
    store.flush();
    assert.equal(changes.length, 2, 'nothing pending, nothing fired');
    store.dispose();
  });

  test('markers and markEnd are notified', () => {
    const store = new EventStore();
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    new Feed(store).answer(PUB);
    store.flush();
    store.addMarker({ kind: 'disconnect', ts: Date.now(), conn: 'c', reason: 'closed' });
    store.markEnd();
    store.flush();
    assert.equal(changes[1].markersChanged, true);
    assert.equal(changes[1].firstNewSeq, undefined);
    assert.deepEqual([...changes[1].changedObjects], [sessionKeyOf(PUB)]);
    store.dispose();
  });

  test('clear() notifies cleared at once, dropping what was pending about the old data', () => {
    const store = new EventStore();
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    new Feed(store).publishAndListen();
    store.clear();
    assert.equal(changes.length, 1);
    assert.equal(changes[0].cleared, true);
    assert.equal(changes[0].firstNewSeq, undefined);
    assert.equal(changes[0].addedObjects.size, 0);
    store.dispose();
  });

  test('the pending-notification timer does not keep the process alive', () => {
    const store = new EventStore({ notifyIntervalMs: 60_000 });
    const before = timers();
    new Feed(store).answer(PUB); // starts the timer
    assert.equal(timers(), before);
    store.dispose();
  });

  test('after dispose nothing is fired', () => {
    const store = new EventStore();
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    new Feed(store).answer(PUB);
    store.dispose();
    store.flush();
    assert.equal(changes.length, 0);
  });
});
