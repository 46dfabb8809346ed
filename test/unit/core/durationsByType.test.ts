// Duration distributions per object type (#14 part 2): sessions by their type, rooms by their
// class, each span's typed histograms summing to its kind's; the server's type names are
// bounded; stats prints them under their span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { MAX_TYPES_PER_SPAN, OTHER_TYPES } from '../../../src/core/durations';
import { vocabularyFor } from '../../../src/protocol/dialects';
import { formatDurationLines } from '../../../src/trace/durationText';
import { Feed, T0 } from './feed';

test('sessions by type and rooms by class: per type exactly its spans, the whole as the kind', { timeout: 10_000 }, () => {
  const store = new EventStore({ vocabulary: vocabularyFor('2017') });
  try {
    const feed = new Feed(store);
    const session = (id: string, type: string, at: number, setupMs: number, lengthMs: number) => {
      feed.event({ class: 'media', subclass: 'session', type: 'created', obj_id: id, body: { type } }, { ts: T0 + at });
      feed.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: id, body: { answer: { sdp: 'v=0' } } }, { ts: T0 + at + setupMs });
      feed.event({ class: 'media', subclass: 'session', type: 'destroyed', obj_id: id, body: { code: 100011, reason: 'User stop' } }, { ts: T0 + at + setupMs + lengthMs });
    };
    session('e1', 'echo', 0, 100, 1000);
    session('e2', 'echo', 10, 300, 3000);
    session('m1', 'mcu', 20, 900, 60_000);
    const byType = store.durationsByType();
    assert.deepEqual(
      byType['session.setup'].map((t) => [t.type, t.histogram.count, t.histogram.min, t.histogram.max]),
      [
        ['echo', 2, 100, 300],
        ['mcu', 1, 900, 900],
      ],
    );
    assert.equal(
      byType['session.length'].reduce((n, t) => n + t.histogram.count, 0),
      store.durations().session.length.count,
      'the types add up to the kind',
    );
    const lines = formatDurationLines(store.durations(), byType);
    const setup = lines.findIndex((l) => l.trimStart().startsWith('session setup'));
    assert.match(lines[setup + 1], /^ {4}echo +2 {2}p50 100 ms/);
    assert.match(lines[setup + 2], /^ {4}mcu +1 {2}p50 900 ms/);
  } finally {
    store.dispose();
  }
});

test('a server naming a new session type per session is bounded: past the limit they share one entry', { timeout: 10_000 }, () => {
  const store = new EventStore({ vocabulary: vocabularyFor('2017') });
  try {
    const feed = new Feed(store);
    for (let i = 0; i < MAX_TYPES_PER_SPAN + 10; i++) {
      feed.event({ class: 'media', subclass: 'session', type: 'created', obj_id: `s${i}`, body: { type: `type-${i}` } }, { ts: T0 + i });
      feed.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: `s${i}`, body: {} }, { ts: T0 + i + 50 });
    }
    const setup = store.durationsByType()['session.setup'];
    assert.equal(setup.length, MAX_TYPES_PER_SPAN + 1);
    assert.deepEqual(
      setup.filter((t) => t.type === OTHER_TYPES).map((t) => t.histogram.count),
      [10],
    );
  } finally {
    store.dispose();
  }
});
