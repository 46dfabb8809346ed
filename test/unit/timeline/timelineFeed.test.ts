import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, eventMatches, type EventFilter } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';
import { fromWebviewSchema, type ToWebview } from '../../../src/shared/timelineProtocol';
import { TrafficGenerator } from '../../../src/simulator/traffic';
import { connectionSpans, readMarks, markPredicate, TimelineFeed, timelineHtml } from '../../../src/timeline';

type Msg<T extends ToWebview['type']> = Extract<ToWebview, { type: T }>;

function storeWith(events: EventData[], options: { maxEvents?: number } = {}): EventStore {
  const store = new EventStore({ notifyIntervalMs: 0, maxEvents: options.maxEvents });
  events.forEach((data, i) => store.append({ conn: 'c', ts: 1000 + i * 10, data, raw: JSON.stringify(data) }));
  store.flush();
  return store;
}

function feedOf(store: EventStore, chunk = 1000) {
  const posted: ToWebview[] = [];
  const feed = new TimelineFeed({ id: 's', name: 'S', kind: 'live', store, status: { kind: 'connected' } }, (m) => posted.push(m), { marksPerChunk: chunk, now: () => 5000 });
  return { feed, posted, last: <T extends ToWebview['type']>(type: T) => posted.filter((m) => m.type === type).pop() as Msg<T> | undefined };
}

/** Pulls every mark like the webview does; returns the seqs received. */
function pullAll(feed: TimelineFeed, posted: ToWebview[], init: Msg<'init'>): number[] {
  const seqs: number[] = [];
  let cursor = init.fromSeq - 1;
  for (let guard = 0; cursor < init.lastSeq && guard < 1000; guard++) {
    feed.handle({ type: 'requestMarks', generation: init.generation, afterSeq: cursor });
    const reply = posted[posted.length - 1] as Msg<'marks'>;
    for (let i = 0; i < reply.chunk.count; i++) seqs.push(reply.chunk.seq ? reply.chunk.seq[i] : reply.chunk.firstSeq + i);
    cursor = reply.cursor;
  }
  return seqs;
}

const ROOM: EventData[] = [
  { class: 'media', subclass: 'room', type: 'started', obj_id: 'r1', body: { class: 'sfu', backend: 'nkmedia_janus' } },
  { class: 'media', subclass: 'session', type: 'answer', obj_id: 'pub', body: {} },
  { class: 'media', subclass: 'room', type: 'started_publisher', obj_id: 'r1', body: { session_id: 'pub', user: 'alice' } },
  { class: 'media', subclass: 'room', type: 'started_listener', obj_id: 'r1', body: { session_id: 'lis', user: 'bob', peer: 'pub' } },
  { class: 'media', subclass: 'session', type: 'stop', obj_id: 'pub', body: { code: 2202, reason: 'Janus op process down' } },
];

describe('TimelineFeed', () => {
  test('init describes every lane: lifetime, end code and reason, members, listener links, anomalies', () => {
    const { feed, last } = feedOf(storeWith(ROOM));
    feed.start();
    const init = last('init')!;
    const byKey = new Map(init.lanes.map((l) => [l.key, l]));
    const pub = byKey.get('media/session/pub')!;
    assert.equal(pub.code, '2202');
    assert.equal(pub.reason, 'Janus op process down');
    assert.equal(pub.failed, true);
    assert.ok(pub.endTs !== undefined);
    const room = byKey.get('media/room/r1')!;
    assert.deepEqual(room.members.map((m) => [m.role, m.user, m.sessionId]), [['publisher', 'alice', 'pub'], ['listener', 'bob', 'lis']]);
    assert.equal(room.endTs, undefined, 'a room without destroyed is still alive');
    const lis = byKey.get('media/session/lis')!;
    assert.equal(lis.peerKey, 'media/session/pub');
    assert.ok(lis.anomalies.some((a) => a.kind === 'peer-stopped-first'));
    assert.equal(init.source.growing, true);
  });

  test('pulling marks in chunks delivers every event exactly once, in order', () => {
    const traffic = new TrafficGenerator({ seed: 3 });
    const { feed, posted, last } = feedOf(storeWith(traffic.take(2500)), 700);
    feed.start();
    const seqs = pullAll(feed, posted, last('init')!);
    assert.deepEqual(seqs, Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  test('a filter sends the same events as the tree filter (core eventMatches), and only matching lanes', () => {
    const traffic = new TrafficGenerator({ seed: 5 });
    const store = storeWith(traffic.take(3000));
    const filters: EventFilter[] = [{ types: ['stop', 'hangup'] }, { subclasses: ['room'] }, { text: 'user1' }, { text: 'ANSWER', subclasses: ['call'] }];
    for (const filter of filters) {
      const { feed, posted, last } = feedOf(store, 400);
      feed.setFilter(filter);
      feed.start();
      const init = last('init')!;
      const got = pullAll(feed, posted, init);
      const expected: number[] = [];
      for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) if (eventMatches(store, seq, filter)) expected.push(seq);
      assert.deepEqual(got, expected, JSON.stringify(filter));
      const keys = new Set(init.lanes.map((l) => l.key));
      for (const seq of expected) assert.ok(keys.has(store.objectKeyOf(seq)!), 'the lane of every event is sent');
    }
  });

  test('after start, each store change becomes one delta with only the changed lanes and new types', () => {
    const store = storeWith(ROOM.slice(0, 2));
    const { feed, posted, last } = feedOf(store);
    feed.start();
    const before = posted.length;
    store.append({ conn: 'c', ts: 2000, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c1' }, raw: '{}' });
    store.append({ conn: 'c', ts: 2001, data: { class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c1', body: { code: 2025, reason: 'Originator cancel' } }, raw: '{}' });
    store.flush();
    assert.equal(posted.length, before + 1);
    const delta = last('delta')!;
    assert.deepEqual(delta.lanes.map((l) => l.key), ['media/call/c1']);
    assert.equal(delta.lanes[0].reason, 'Originator cancel');
    assert.equal(delta.lanes[0].endVerdict, 'declined');
    assert.deepEqual(delta.types.map((t) => t.name), ['media/call/ringing', 'media/call/hangup']);
    assert.equal(delta.lastSeq, store.lastSeq);
  });

  test('evictions that change nothing drawn send no lanes; removed objects are named', () => {
    const events: EventData[] = [];
    for (let i = 0; i < 50; i++) events.push({ class: 'media', subclass: 'call', type: 'hangup', obj_id: `c${i}`, body: { code: 0 } });
    const store = storeWith(events, { maxEvents: 50 });
    const { feed, last } = feedOf(store);
    feed.start();
    const init = last('init')!;
    store.append({ conn: 'c', ts: 9999, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'new' }, raw: '{}' });
    store.flush();
    const delta = last('delta')!;
    const c0 = init.lanes.find((l) => l.key === 'media/call/c0')!;
    assert.deepEqual(delta.removedLanes, [c0.id], 'the ended call whose only event was evicted is gone');
    assert.deepEqual(delta.lanes.map((l) => l.key), ['media/call/new']);
    assert.equal(delta.firstSeq, 2);
  });

  test('clear starts over with a new init; replies to an older generation are not sent', () => {
    const store = storeWith(ROOM);
    const { feed, posted, last } = feedOf(store);
    feed.start();
    const first = last('init')!;
    store.clear();
    const second = last('init')!;
    assert.ok(second.generation > first.generation);
    assert.equal(second.lanes.length, 0);
    const count = posted.length;
    feed.handle({ type: 'requestMarks', generation: first.generation, afterSeq: 0 });
    assert.equal(posted.length, count);
  });

  test('selecting an event returns it for the tree and sends its JSON; centring finds its lane and time', () => {
    const store = storeWith(ROOM);
    const { feed, last } = feedOf(store);
    feed.start();
    assert.deepEqual(feed.handle({ type: 'selectEvent', seq: 5 }), { seq: 5, objectKey: 'media/session/pub' });
    assert.match(last('eventDetails')!.json, /"reason": "Janus op process down"/);
    assert.equal(feed.handle({ type: 'selectEvent', seq: 999 }), undefined);
    assert.ok(last('eventMissing'));
    assert.ok(feed.centerOn({ objectKey: 'media/room/r1' }));
    const room = store.getObject('media/room/r1')!;
    assert.equal(last('center')!.laneId, room.index);
    assert.deepEqual([last('center')!.ts, last('center')!.endTs], [room.firstTs, room.lastTs], 'the room\'s whole life');
    assert.equal(feed.centerOn({ objectKey: 'nope' }), false);
  });

  test('unfiltered chunks omit sequence numbers; filtered ones carry them', () => {
    const store = storeWith(ROOM);
    const all = readMarks(store, 0, markPredicate(store, {}), 10);
    assert.equal(all.chunk.seq, undefined);
    assert.equal(all.chunk.count, 5);
    const some = readMarks(store, 0, markPredicate(store, { subclasses: ['room'] }), 10);
    assert.deepEqual(Array.from(some.chunk.seq!), [1, 3, 4]);
  });
});

describe('connection gaps', () => {
  test('gaps and disconnect-to-connect spans are merged; an open disconnect has no end', () => {
    const spans = connectionSpans([
      { kind: 'disconnect', ts: 100, conn: 'c', reason: 'closed' },
      { kind: 'gap', ts: 100, until: 180, conn: 'c' },
      { kind: 'connect', ts: 200, conn: 'c' },
      { kind: 'disconnect', ts: 500, conn: 'c' },
    ]);
    assert.deepEqual(spans, [{ from: 100, to: 200, reason: 'closed' }, { from: 500, reason: undefined }]);
  });
});

describe('messages from the webview are untrusted', () => {
  test('the schema accepts the protocol and rejects anything else', () => {
    assert.ok(fromWebviewSchema.safeParse({ type: 'selectEvent', seq: 3 }).success);
    assert.ok(fromWebviewSchema.safeParse({ type: 'setFilter', filter: { text: 'x', types: ['stop'] } }).success);
    for (const bad of [{ type: 'selectEvent', seq: -1 }, { type: 'selectEvent', seq: '3' }, { type: 'runCommand', command: 'x' }, { type: 'setFilter', filter: { text: 'x'.repeat(10_000) } }, null, 'ready']) {
      assert.equal(fromWebviewSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  test('the page has a strict CSP with a nonce, and the source id cannot break out of its attribute', () => {
    const html = timelineHtml({ cspSource: 'vscode-resource:', nonce: 'abc', scriptUri: 's.js', styleUri: 't.css', codiconUri: 'c.css', sourceId: '"><script>alert(1)</script>' });
    assert.match(html, /content="default-src 'none'; img-src vscode-resource: data:; style-src vscode-resource:; font-src vscode-resource:; script-src 'nonce-abc'"/);
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(!html.includes('unsafe-inline'));
    assert.equal(html.match(/<script /g)?.length, 1);
  });
});
