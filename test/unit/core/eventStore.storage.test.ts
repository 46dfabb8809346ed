import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type StoreChange } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';
import { CHUNK_SIZE, unwrapSeq } from '../../../src/core/eventColumns';
import { Feed, LISTENER, PUB, ROOM, T0, roomKeyOf, sessionKeyOf } from './feed';

const stopEvent: EventData = {
  class: 'media',
  subclass: 'session',
  type: 'stop',
  obj_id: PUB,
  body: { code: 0, reason: 'User stop', extra: { nested: [1, 'two', null] } },
  service: 'nkmedia_sample',
  future_field: 'kept',
};

describe('stored events', () => {
  test('getEvent returns exactly the received event (unknown fields included), with its time, connection and object', () => {
    const store = new EventStore();
    const raw = JSON.stringify({ class: 'core', cmd: 'event', data: stopEvent, tid: 7 });
    const seq = store.append({ conn: 'wss://media1:9010', ts: T0, data: stopEvent, raw, rawField: 'data' });
    const stored = store.getEvent(seq);
    assert.deepEqual(stored, { seq, ts: T0, conn: 'wss://media1:9010', data: stopEvent, objectKey: sessionKeyOf(PUB) });
    assert.equal(store.rawOf(seq), raw);
    assert.equal(store.rawFieldOf(seq), 'data');
  });

  test('a trace-file line (rawField "event") and a bare event (no rawField) are read back the same way', () => {
    const store = new EventStore();
    const line = JSON.stringify({ ts: T0, conn: 'trace', event: stopEvent });
    const fromTrace = store.append({ conn: 'trace', ts: T0, data: stopEvent, raw: line, rawField: 'event' });
    const bare = store.append({ conn: 'trace', ts: T0 + 1, data: stopEvent, raw: JSON.stringify(stopEvent) });
    assert.deepEqual(store.getEvent(fromTrace)?.data, stopEvent);
    assert.deepEqual(store.getEvent(bare)?.data, stopEvent);
    assert.equal(store.rawFieldOf(fromTrace), 'event');
    assert.equal(store.rawFieldOf(bare), 'self');
  });

  test('unknown sequence numbers give undefined', () => {
    const store = new EventStore();
    const seq = new Feed(store).answer(PUB);
    for (const missing of [0, seq + 1, -1, 1.5, NaN]) {
      assert.equal(store.getEvent(missing), undefined, String(missing));
      assert.equal(store.rawOf(missing), undefined, String(missing));
    }
  });

  test('size, first/last sequence numbers and rawBytes follow what is stored', () => {
    const store = new EventStore();
    assert.equal(store.size, 0);
    assert.ok(store.firstSeq > store.lastSeq, 'empty');
    const feed = new Feed(store);
    const a = feed.answer(PUB);
    const b = feed.stop(PUB);
    assert.deepEqual([store.size, store.firstSeq, store.lastSeq], [2, a, b]);
    assert.equal(store.rawBytes, (store.rawOf(a) ?? '').length + (store.rawOf(b) ?? '').length);
  });

  test('sequence numbers keep increasing across clear(), which empties everything', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.publishAndListen();
    store.addMarker({ kind: 'connect', ts: T0, conn: feed.conn });
    const before = store.lastSeq;
    store.clear();
    assert.equal(store.size, 0);
    assert.deepEqual(store.objects(), []);
    assert.deepEqual(store.markers(), []);
    assert.deepEqual(store.connections(), []);
    assert.equal(store.rawBytes, 0);
    assert.equal(store.getEvent(before), undefined);
    const next = feed.answer(PUB);
    assert.equal(next, before + 1);
    assert.equal(store.firstSeq, next);
    assert.deepEqual(store.eventsOf(sessionKeyOf(PUB)), [next]);
  });
});

describe('per-object event index', () => {
  test('eventsOf lists an object\'s events oldest first and pages with offset and limit', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    const mine: number[] = [];
    for (let i = 0; i < 50; i++) {
      mine.push(feed.session('updated_type', PUB, { type: `t${i}` }));
      feed.session('updated_type', LISTENER, { type: 'listen' }); // interleaved with another object
    }
    const key = sessionKeyOf(PUB);
    assert.deepEqual(store.eventsOf(key), mine);
    assert.deepEqual(store.eventsOf(key, 10, 5), mine.slice(10, 15));
    assert.deepEqual(store.eventsOf(key, 45, 100), mine.slice(45));
    assert.deepEqual(store.eventsOf(key, 60), []);
    assert.equal(store.eventCountOf(key), 50);
    assert.deepEqual(store.eventsOf('media/session/nobody'), []);
    assert.equal(store.eventCountOf('media/session/nobody'), 0);
  });
});

describe('columnar access', () => {
  test('forEachEvent visits (seq, ts, conn, object, type) indexes that resolve to names', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.roomStarted(ROOM);
    feed.answer(PUB);
    feed.event({ class: 'media', subclass: 'session', type: 'stop', obj_id: PUB, body: { code: 0 } }, { conn: 'wss://media2:9010' });
    const seen: string[] = [];
    store.forEachEvent((seq, ts, connIndex, objectIndex, typeIndex) => {
      seen.push(`${seq} ${ts - T0} ${store.connectionName(connIndex)} ${store.objectAt(objectIndex)?.key} ${store.typeName(typeIndex)}`);
    });
    assert.deepEqual(seen, [
      `1 10 wss://media1:9010 ${roomKeyOf(ROOM)} media/room/started`,
      `2 20 wss://media1:9010 ${sessionKeyOf(PUB)} media/session/answer`,
      `3 30 wss://media2:9010 ${sessionKeyOf(PUB)} media/session/stop`,
    ]);
    const fromTwo: number[] = [];
    store.forEachEvent((seq) => fromTwo.push(seq), 2);
    assert.deepEqual(fromTwo, [2, 3]);
    assert.deepEqual(store.connections(), ['wss://media1:9010', 'wss://media2:9010']);
    assert.deepEqual(store.eventTypes().map((t) => [t.name, t.known]), [
      ['media/room/started', true],
      ['media/session/answer', true],
      ['media/session/stop', true],
    ]);
  });
});

describe('sequence numbers in 4-byte links', () => {
  test('are rebuilt exactly across the 2^32 boundary', () => {
    const oldest = 2 ** 32 - 3;
    for (const seq of [oldest, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5]) {
      assert.equal(unwrapSeq(seq >>> 0, oldest), seq);
    }
  });
});

describe('markers', () => {
  test('connect, disconnect and gap markers are kept in order, a gap spanning ts..until', () => {
    const store = new EventStore();
    store.addMarker({ kind: 'connect', ts: T0, conn: 'c' });
    store.addMarker({ kind: 'disconnect', ts: T0 + 5000, conn: 'c', reason: 'socket closed (1006)' });
    store.addMarker({ kind: 'gap', ts: T0 + 5000, until: T0 + 8000, conn: 'c', reason: 'reconnected' });
    assert.deepEqual(store.markers().map((m) => [m.kind, m.ts - T0, m.until === undefined ? undefined : m.until - T0]), [
      ['connect', 0, undefined],
      ['disconnect', 5000, undefined],
      ['gap', 5000, 8000],
    ]);
  });
});

describe('eviction beyond maxEvents', () => {
  function collect(store: EventStore): StoreChange[] {
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    return changes;
  }

  test('keeps the newest maxEvents events, counts the evicted ones and says so in the notification', () => {
    const store = new EventStore({ maxEvents: 100 });
    const changes = collect(store);
    const feed = new Feed(store);
    const seqs: number[] = [];
    for (let i = 0; i < 250; i++) seqs.push(feed.session('updated_type', `s${i % 7}`, { type: 'publish', n: i }));
    assert.equal(store.size, 100);
    assert.equal(store.evictedCount, 150);
    assert.equal(store.firstSeq, seqs[150]);
    assert.equal(store.lastSeq, seqs[249]);
    assert.equal(store.getEvent(seqs[149]), undefined, 'the oldest are gone');
    assert.equal((store.getEvent(seqs[150])?.data.body as { n: number }).n, 150);
    const storedPerObject = store.objects().reduce((n, o) => n + o.eventCount, 0);
    assert.equal(storedPerObject, 100, 'per-object counts drop evicted events');
    for (const o of store.objects()) assert.deepEqual(store.eventsOf(o.key), seqs.slice(150).filter((s) => store.objectKeyOf(s) === o.key));
    assert.equal(store.rawBytes, seqs.slice(150).reduce((n, s) => n + (store.rawOf(s) ?? '').length, 0));
    store.flush();
    assert.equal(changes.length, 1);
    assert.equal(changes[0].evicted, 150);
  });

  test('an ended object whose events are all evicted is removed; a live one stays with no events and its state', () => {
    const store = new EventStore({ maxEvents: 4 });
    const changes = collect(store);
    const feed = new Feed(store);
    feed.roomStarted(ROOM); // live room
    feed.answer(PUB);
    feed.stop(PUB); // ended session
    store.flush();
    for (let i = 0; i < 4; i++) feed.event({ class: 'core', subclass: 'user', type: 'ping', obj_id: 'admin' });
    assert.equal(store.getObject(sessionKeyOf(PUB)), undefined);
    const room = store.getObject(roomKeyOf(ROOM));
    assert.equal(room?.eventCount, 0);
    assert.equal(room?.state, 'started');
    assert.equal(room?.backend, 'nkmedia_janus', 'state derived at ingest survives');
    assert.deepEqual(store.eventsOf(roomKeyOf(ROOM)), []);
    assert.deepEqual(store.counts(), { session: 0, room: 1, call: 0, other: 1 });
    store.flush();
    const last = changes[changes.length - 1];
    assert.deepEqual([...last.removedObjects], [sessionKeyOf(PUB)]);
    assert.equal(last.evicted, 3);
    assert.ok(last.changedObjects.has(roomKeyOf(ROOM)));
    assert.ok(!last.changedObjects.has(sessionKeyOf(PUB)));
  });

  test('an object of no known kind goes with its last event: it has no state to keep', () => {
    // Else every object of a class or subclass the inspector does not know (core users, a
    // newer server's subclasses) would stay forever, empty, in a view that runs for days.
    const store = new EventStore({ maxEvents: 2 });
    const changes = collect(store);
    const feed = new Feed(store);
    feed.event({ class: 'core', subclass: 'user', type: 'login', obj_id: 'alice' });
    feed.event({ class: 'media', subclass: 'conference', type: 'started', obj_id: 'c1' });
    store.flush();
    feed.event({ class: 'media', subclass: 'conference', type: 'stopped', obj_id: 'c1' });
    assert.equal(store.getObject('core/user/alice'), undefined);
    assert.equal(store.getObject('media/conference/c1')?.eventCount, 2);
    assert.deepEqual(store.counts(), { session: 0, room: 0, call: 0, other: 1 });
    store.flush();
    assert.deepEqual([...changes[changes.length - 1].removedObjects], ['core/user/alice']);
  });

  test('a removed object that comes back is a new object with only its new events', () => {
    const store = new EventStore({ maxEvents: 2 });
    const feed = new Feed(store);
    feed.stop(PUB, 1001);
    feed.event({ class: 'core', subclass: 'user', type: 'ping', obj_id: 'admin' });
    feed.event({ class: 'core', subclass: 'user', type: 'ping', obj_id: 'admin' });
    assert.equal(store.getObject(sessionKeyOf(PUB)), undefined);
    const seq = feed.answer(PUB);
    const session = store.getObject(sessionKeyOf(PUB));
    assert.equal(session?.state, 'answered');
    assert.deepEqual(store.eventsOf(sessionKeyOf(PUB)), [seq]);
  });

  test('stays exact while whole chunks of columns are dropped', () => {
    // Several chunks' worth of events through a store a bit bigger than one chunk; each
    // event's ts is its number, so what is left can be checked without parsing.
    const maxEvents = CHUNK_SIZE + 3000;
    const total = 3 * CHUNK_SIZE + 1000;
    const store = new EventStore({ maxEvents });
    for (let n = 0; n < total; n++) {
      const data = { class: 'media', subclass: 'session', type: 'updated_type', obj_id: `s${n % 13}` };
      store.append({ conn: 'c', ts: n, data, raw: JSON.stringify(data) });
    }
    assert.equal(store.size, maxEvents);
    assert.equal(store.evictedCount, total - maxEvents);
    const ns: number[] = [];
    store.forEachEvent((_seq, ts) => ns.push(ts));
    assert.deepEqual(ns, Array.from({ length: maxEvents }, (_, i) => total - maxEvents + i));
    const key = sessionKeyOf('s5');
    const expected = ns.filter((n) => n % 13 === 5);
    assert.deepEqual(store.eventsOf(key).map((seq) => store.tsOf(seq)), expected);
    assert.equal(store.eventCountOf(key), expected.length);
    assert.deepEqual(store.getEvent(store.lastSeq)?.data.obj_id, `s${(total - 1) % 13}`);
  });
});
