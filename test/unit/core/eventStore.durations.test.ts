// Duration distributions are recorded at ingest by the event that ends each span, from the
// canonical meanings of every era's names; a span whose start is not in the data is not
// measured; eviction changes nothing, because nothing is recomputed from stored events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type DurationHistogramState, type DurationsSnapshot } from '../../../src/core';
import { vocabularyFor, type DialectSetting } from '../../../src/protocol/dialects';
import type { EventData } from '../../../src/protocol/frames';
import { Feed, T0 } from './feed';

const T = { timeout: 10_000 };

const ev = (cls: string, subclass: string, type: string, obj_id: string, body?: Record<string, unknown>): EventData => ({ class: cls, subclass, type, obj_id, ...(body ? { body } : {}) });

/** A store of one era fed `events` at the given times (ms after T0); disposed after `check`. */
function withStore(dialect: DialectSetting, events: Array<[number, EventData]>, check: (store: EventStore) => void, maxEvents?: number): void {
  const store = new EventStore({ vocabulary: vocabularyFor(dialect), maxEvents });
  try {
    const feed = new Feed(store);
    for (const [at, data] of events) feed.event(data, { ts: T0 + at });
    check(store);
  } finally {
    store.dispose();
  }
}

/** count, p50 and max: enough where each test knows its one or few values. */
function summary(h: DurationHistogramState): { count: number; p50?: number; max?: number } {
  return { count: h.count, ...(h.count ? { p50: h.p50, max: h.max } : {}) };
}

function counts(d: DurationsSnapshot): Record<string, number> {
  return { sessionSetup: d.session.setup.count, sessionLength: d.session.length.count, callToAnswer: d.call.toAnswer.count, callLength: d.call.length.count, roomLifetime: d.room.lifetime.count };
}

describe('duration distributions in the store', () => {
  test('three sessions answered 100, 200 and 900 ms after they were created: exact count, percentiles, buckets and outliers', T, () => {
    const events: Array<[number, EventData]> = [
      [0, ev('media', 'session', 'created', 's1', { type: 'echo' })],
      [10, ev('media', 'session', 'created', 's2', { type: 'echo' })],
      [20, ev('media', 'session', 'created', 's3', { type: 'echo' })],
      [100, ev('media', 'session', 'answer', 's1', { answer: { sdp: 'v=0' } })],
      [210, ev('media', 'session', 'answer', 's2', { answer: { sdp: 'v=0' } })],
      [920, ev('media', 'session', 'answer', 's3', { answer: { sdp: 'v=0' } })],
      [1100, ev('media', 'session', 'destroyed', 's1', { code: 100011, reason: 'User stop' })],
      [2210, ev('media', 'session', 'destroyed', 's2', { code: 100011, reason: 'User stop' })],
      [3920, ev('media', 'session', 'destroyed', 's3', { code: 100011, reason: 'User stop' })],
    ];
    withStore('2017', events, (store) => {
      const d = store.durations();
      assert.deepEqual(d.session.setup, {
        count: 3,
        min: 100,
        p50: 200,
        p90: 900,
        p99: 900,
        max: 900,
        buckets: [
          { fromMs: 100, toMs: 104, count: 1 },
          { fromMs: 200, toMs: 208, count: 1 },
          { fromMs: 896, toMs: 928, count: 1 },
        ],
        outliers: [
          { objectKey: 'media/session/s3', ms: 900, inStore: true },
          { objectKey: 'media/session/s2', ms: 200, inStore: true },
          { objectKey: 'media/session/s1', ms: 100, inStore: true },
        ],
      });
      assert.deepEqual(summary(d.session.length), { count: 3, p50: 2000, max: 3000 });
      assert.deepEqual(counts(d), { sessionSetup: 3, sessionLength: 3, callToAnswer: 0, callLength: 0, roomLifetime: 0 });
      assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'a plain, JSON-ready copy');
    });
  });

  const eras: Array<{ dialect: DialectSetting; events: Array<[number, EventData]>; expected: Record<string, number> }> = [
    {
      dialect: '2016-07',
      events: [
        [0, ev('media', 'room', 'created', 'r', { config: {} })],
        [50, ev('media', 'session', 'answer', 's', { answer: { sdp: 'v=0' } })],
        [100, ev('media', 'call', 'ringing', 'c')],
        [400, ev('media', 'call', 'answer', 'c', { answer: { sdp: 'v=0' } })],
        [1400, ev('media', 'call', 'hangup', 'c', { code: 1000, reason: 'User stop' })],
        [2050, ev('media', 'session', 'stop', 's', { code: 1000, reason: 'User stop' })],
        [5000, ev('media', 'room', 'destroyed', 'r')],
      ],
      expected: { sessionSetup: 0, sessionLength: 2000, callToAnswer: 300, callLength: 1000, roomLifetime: 5000 },
    },
    {
      dialect: '2016-08',
      events: [
        [0, ev('media', 'room', 'started', 'r', { class: 'sfu' })],
        [100, ev('media', 'call', 'ringing', 'c', {})],
        [350, ev('media', 'call', 'answer', 'c', {})],
        [1350, ev('media', 'call', 'hangup', 'c', { code: 1013, reason: 'User stop' })],
        [6000, ev('media', 'room', 'destroyed', 'r', { code: 1013, reason: 'User stop' })],
      ],
      expected: { sessionSetup: 0, sessionLength: 0, callToAnswer: 250, callLength: 1000, roomLifetime: 6000 },
    },
    {
      dialect: '2016-10',
      events: [
        [0, ev('media', 'session', 'created', 's', { type: 'park' })],
        [30, ev('media', 'session', 'answer', 's', { answer: { sdp: 'v=0' } })],
        [100, ev('media', 'call', 'ringing', 'c', { callee: 'bob' })],
        [700, ev('media', 'call', 'accepted', 'c', { callee: 'bob' })],
        [1700, ev('media', 'call', 'hangup', 'c', { code: 100011, reason: 'User stop' })],
        [3030, ev('media', 'session', 'destroyed', 's', { code: 100011, reason: 'User stop' })],
      ],
      expected: { sessionSetup: 30, sessionLength: 3000, callToAnswer: 600, callLength: 1000, roomLifetime: 0 },
    },
    {
      dialect: 'nkcollab-2016',
      events: [
        [0, ev('collab', 'room', 'created', 'r', { class: 'sfu' })],
        [100, ev('collab', 'call', 'ringing', 'c', { callee: 'bob' })],
        [900, ev('collab', 'call', 'accepted', 'c', { callee: 'bob' })],
        [2900, ev('collab', 'call', 'hangup', 'c', { code: 100011, reason: 'User stop' })],
        [7000, ev('collab', 'room', 'destroyed', 'r', { code: 100011, reason: 'User stop' })],
      ],
      expected: { sessionSetup: 0, sessionLength: 0, callToAnswer: 800, callLength: 2000, roomLifetime: 7000 },
    },
    {
      dialect: 'nkcollab-2017',
      events: [
        [0, ev('collab', 'call', 'created', 'c')],
        [40, ev('collab', 'call', 'ringing', 'c', { callee: 'bob' })],
        [540, ev('collab', 'call', 'accepted', 'c', { callee: 'bob' })],
        [4540, ev('collab', 'call', 'hangup', 'c', { code: 100011, reason: 'User stop' })],
      ],
      expected: { sessionSetup: 0, sessionLength: 0, callToAnswer: 500, callLength: 4000, roomLifetime: 0 },
    },
  ];
  for (const { dialect, events, expected } of eras) {
    test(`${dialect}: the era's own names measure each span it has (0: the era cannot tell)`, T, () => {
      withStore(dialect, events, (store) => {
        const d = store.durations();
        const values = { sessionSetup: d.session.setup, sessionLength: d.session.length, callToAnswer: d.call.toAnswer, callLength: d.call.length, roomLifetime: d.room.lifetime };
        const measured = Object.fromEntries(Object.entries(values).map(([name, h]) => [name, h.count === 0 ? 0 : (h.max ?? -1)]));
        assert.deepEqual(measured, expected);
        for (const h of Object.values(values)) assert.ok(h.count <= 1);
      });
    });
  }

  test('a span whose start is not in the data is not measured (a call begun before the trace, a snapshot, a room never seen created)', T, () => {
    withStore('auto', [
      [0, ev('media', 'call', 'answer', 'mid-call', {})],
      [500, ev('media', 'call', 'hangup', 'mid-call', { code: 1013, reason: 'User stop' })],
      [0, ev('media', 'call', 'ringing', 'not-taken', {})],
      [900, ev('media', 'call', 'hangup', 'not-taken', { code: 2025, reason: 'Originator cancel' })],
      [0, ev('media', 'session', 'inspector:snapshot', 'known', { session_id: 'known', type: 'echo', answer: { sdp: 'v=0' } })],
      [700, ev('media', 'session', 'destroyed', 'known', { code: 100011, reason: 'User stop' })],
      [0, ev('media', 'room', 'started_member', 'r', { session_id: 'p', role: 'publisher', user_id: 'a' })],
      [800, ev('media', 'room', 'destroyed', 'r', { code: 100011, reason: 'User stop' })],
      [0, ev('media', 'session', 'created', 'failed', {})],
      [300, ev('media', 'session', 'destroyed', 'failed', { code: 100009, reason: 'Process failed' })],
    ], (store) => {
      const d = store.durations();
      assert.deepEqual(counts(d), { sessionSetup: 0, sessionLength: 0, callToAnswer: 0, callLength: 1, roomLifetime: 0 });
      assert.equal(d.call.length.max, 500, 'an answer seen: the length is known, the time to answer is not');
    });
  });

  test('duplicates (overlapping subscriptions, a second destroyed after process_down) count once, from the first', T, () => {
    withStore('auto', [
      [0, ev('media', 'session', 'created', 's')],
      [100, ev('media', 'session', 'answer', 's', {})],
      [150, ev('media', 'session', 'answer', 's', {})],
      [1100, ev('media', 'session', 'destroyed', 's', { code: 100011, reason: 'User stop' })],
      [1200, ev('media', 'session', 'destroyed', 's', { code: 100009, reason: 'Process failed' })],
      [0, ev('media', 'room', 'created', 'r')],
      [10, ev('media', 'room', 'created', 'r')],
      [2000, ev('media', 'room', 'destroyed', 'r', { code: 100011, reason: 'User stop' })],
    ], (store) => {
      const d = store.durations();
      assert.deepEqual([summary(d.session.setup), summary(d.session.length), summary(d.room.lifetime)], [
        { count: 1, p50: 100, max: 100 },
        { count: 1, p50: 1000, max: 1000 },
        { count: 1, p50: 2000, max: 2000 },
      ]);
    });
  });

  test('a store that evicts (maxEvents 3) keeps the same distributions as one that keeps everything; a live object with no event left still measures its end', T, () => {
    const events: Array<[number, EventData]> = [];
    // 50 calls and 50 sessions, interleaved; call i rings 10·i ms before its answer.
    for (let i = 0; i < 50; i++) {
      const t = i * 1000;
      events.push([t, ev('media', 'call', 'ringing', `c${i}`, {})], [t + 1, ev('media', 'session', 'created', `s${i}`)]);
      events.push([t + 10 * i, ev('media', 'call', 'answer', `c${i}`, {})], [t + 1 + 3 * i, ev('media', 'session', 'answer', `s${i}`, {})]);
      events.push([t + 10 * i + 500, ev('media', 'call', 'hangup', `c${i}`, { code: 1013, reason: 'User stop' })]);
      events.push([t + 900, ev('media', 'session', 'destroyed', `s${i}`, { code: 100011, reason: 'User stop' })]);
    }
    // A session answered early whose every event is evicted long before it ends.
    events.unshift([-5000, ev('media', 'session', 'answer', 'long-lived', {})]);
    events.push([60_000, ev('media', 'session', 'destroyed', 'long-lived', { code: 100011, reason: 'User stop' })]);
    const forgetInStore = (d: DurationsSnapshot) => JSON.parse(JSON.stringify(d, (key, value) => (key === 'inStore' ? undefined : value))) as unknown;
    let kept: DurationsSnapshot | undefined;
    withStore('auto', events, (store) => (kept = store.durations()));
    withStore('auto', events, (store) => {
      assert.ok(store.evictedCount > 290, `evicted ${store.evictedCount}`);
      const d = store.durations();
      assert.deepEqual(forgetInStore(d), forgetInStore(kept!));
      assert.deepEqual(counts(d), { sessionSetup: 50, sessionLength: 51, callToAnswer: 50, callLength: 50, roomLifetime: 0 });
      assert.equal(d.session.length.max, 65_000);
      assert.deepEqual(d.call.toAnswer.outliers.slice(0, 2).map((o) => [o.objectKey, o.ms, o.inStore]), [['media/call/c49', 490, true], ['media/call/c48', 480, false]], 'c49 still has its hangup stored; c48 was evicted, still named and marked gone');
      assert.equal(d.session.length.outliers[0].objectKey, 'media/session/long-lived');
    }, 3);
  });

  test('clear() forgets the distributions; a snapshot taken before does not change', T, () => {
    const store = new EventStore();
    try {
      const feed = new Feed(store);
      feed.event(ev('media', 'room', 'created', 'r'), { ts: T0 });
      feed.event(ev('media', 'room', 'destroyed', 'r', { code: 100011, reason: 'User stop' }), { ts: T0 + 40 });
      const before = store.durations();
      feed.event(ev('media', 'room', 'created', 'r2'), { ts: T0 + 50 });
      feed.event(ev('media', 'room', 'destroyed', 'r2', { code: 100011, reason: 'User stop' }), { ts: T0 + 60 });
      assert.equal(before.room.lifetime.count, 1);
      assert.equal(store.durations().room.lifetime.count, 2);
      store.clear();
      assert.equal(store.durations().room.lifetime.count, 0);
    } finally {
      store.dispose();
    }
  });
});
