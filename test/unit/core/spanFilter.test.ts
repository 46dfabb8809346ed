// The `span:` filter: what a Durations bar selects. The objects it keeps are exactly those
// whose span the histogram counted in that bar's range, checked against the bars themselves
// on random data; the tree's, the timeline's and the one-pass matchers agree; a value that
// names no span matches nothing and says so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DURATION_SPANS, EventStore, describeFilter, eventPredicate, histogramOf, isEmptyFilter, matchingObjectKeys, objectMatches, type EventFilter } from '../../../src/core';
import { spanConditionText } from '../../../src/core/spanFilter';
import { vocabularyFor } from '../../../src/protocol/dialects';
import { formatFilter, parseFilter } from '../../../src/shared/filterSyntax';
import { Feed, T0 } from './feed';

const T = { timeout: 10_000 };

/** Random calls and sessions of the 2017 era: created/ringing → answer → end, some never answered. */
function randomStore(seed: number): EventStore {
  const store = new EventStore({ vocabulary: vocabularyFor('2017') });
  const feed = new Feed(store);
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pending: Array<[number, () => void]> = [];
  for (let i = 0; i < 300; i++) {
    const start = Math.floor(random() * 60_000);
    const answerAfter = Math.floor(random() ** 3 * 20_000);
    const lengthAfter = Math.floor(random() ** 2 * 600_000);
    const id = `o${i}`;
    const [cls, subclass, startType] = i % 2 ? ['media', 'call', 'ringing'] : ['media', 'session', 'created'];
    pending.push([start, () => feed.event({ class: cls, subclass, type: startType, obj_id: id, body: {} }, { ts: T0 + start })]);
    if (i % 7 === 0) continue; // never answered
    pending.push([start + answerAfter, () => feed.event({ class: cls, subclass, type: i % 2 ? 'accepted' : 'answer', obj_id: id, body: {} }, { ts: T0 + start + answerAfter })]);
    const end = start + answerAfter + lengthAfter;
    pending.push([end, () => feed.event({ class: cls, subclass, type: i % 2 ? 'hangup' : 'destroyed', obj_id: id, body: { code: 0, reason: 'ok' } }, { ts: T0 + end })]);
  }
  pending.sort((a, b) => a[0] - b[0]).forEach(([, add]) => add());
  return store;
}

describe('span filter', () => {
  test('each bar selects exactly as many objects as it counts, with every matcher agreeing', T, () => {
    const store = randomStore(7);
    try {
      const durations = store.durations();
      let checkedBars = 0;
      for (const span of DURATION_SPANS) {
        const histogram = histogramOf(durations, span);
        if (span.kind === 'room') continue;
        assert.ok(histogram.count > 0, `${span.label} measured`);
        for (const bucket of histogram.buckets) {
          const filter: EventFilter = { span: spanConditionText(span, bucket.fromMs, bucket.toMs) };
          const perObject: string[] = store.objects().filter((o) => objectMatches(store, o, filter)).map((o) => o.key).sort();
          assert.equal(perObject.length, bucket.count, `${filter.span}: the objects in the bar`);
          assert.deepEqual([...matchingObjectKeys(store, filter)].sort(), perObject);
          const passes = eventPredicate(store, filter);
          const withEvents = new Set<string>();
          store.forEachEvent((seq, _ts, _conn, objectIndex, typeIndex) => {
            if (passes(seq, objectIndex, typeIndex)) withEvents.add(store.objectAt(objectIndex)!.key);
          });
          assert.deepEqual([...withEvents].sort(), perObject, 'the timeline shows the events of those objects only');
          checkedBars++;
        }
        const all: EventFilter = { span: spanConditionText(span, 0, Infinity) };
        assert.equal(store.objects().filter((o) => objectMatches(store, o, all)).length, histogram.count, `${span.label}: an open range holds every measured one`);
      }
      assert.ok(checkedBars > 40, `many bars checked (${checkedBars})`);
    } finally {
      store.dispose();
    }
  });

  test('typed in the filter box it reads back and describes itself; one naming no span matches nothing', T, () => {
    const parsed = parseFilter('user:alice span:call.length:1024-2048');
    assert.deepEqual(parsed, { users: ['alice'], span: 'call.length:1024-2048' });
    assert.equal(formatFilter(parsed), 'user:alice span:call.length:1024-2048');
    assert.equal(describeFilter({ span: 'call.length:1024-2048' }), 'call length 1.0 s – 2.0 s');
    assert.equal(describeFilter({ span: 'room.lifetime:60000-' }), 'room lifetime 1 min 00 s – …');
    const store = randomStore(3);
    try {
      for (const bad of ['call.length', 'call.size:1-2', 'call.length:5-1', 'nonsense']) {
        const filter = { span: bad };
        assert.equal(isEmptyFilter(filter), false, `${bad} is a condition`);
        assert.equal(store.objects().filter((o) => objectMatches(store, o, filter)).length, 0, `${bad} matches nothing`);
        assert.match(describeFilter(filter), /names no span: nothing matches/);
      }
    } finally {
      store.dispose();
    }
  });
});
