// The "Compare Objects" page model, made on the host: two objects of open sources (one or
// two, live or trace) become the texts the page shows, or a sentence saying why they cannot
// be compared. What a person reads in the panel is decided here.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { vocabularyFor, type DialectId } from '../../../src/protocol/dialects';
import { compareObjects, comparisonTitle, type SourceLookup } from '../../../src/inspector/objectComparison';
import type { Source } from '../../../src/inspector/source';
import type { DiffView } from '../../../src/shared/diffProtocol';
import { toDiffPageSchema } from '../../../src/shared/diffProtocol';
import { MAX_FIELDS, MAX_ROWS, MAX_VALUE, valueText } from '../../../src/trace/diffView';
import { Feed, T0 } from '../core/feed';

const stores: EventStore[] = [];
after(() => stores.splice(0).forEach((s) => s.dispose()));

const SDP_A = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=sendrecv', 'a=candidate:1 1 udp 1 10.0.0.1 4000 typ host', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', ''].join('\r\n');
const SDP_B = ['v=0', 'o=- 7 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=recvonly', ''].join('\r\n');

/** A source as the registry holds it; only what the comparison reads. */
function source(id: string, kind: 'live' | 'trace', dialect: DialectId = '2016-08'): Source {
  const store = new EventStore({ vocabulary: vocabularyFor(dialect) });
  stores.push(store);
  return { id, name: id, kind, store, server: { dialect: { id: dialect, label: store.vocabulary.label, how: 'set', evidence: [] }, refusedSubscriptions: [] } } as unknown as Source;
}

function lookup(...sources: Source[]): SourceLookup {
  return { get: (id) => sources.find((s) => s.id === id) };
}

function viewOf(message: ReturnType<typeof compareObjects>): DiffView {
  assert.equal(message.type, 'diff', message.type === 'error' ? message.message : '');
  // What the panel posts is what the page accepts.
  assert.ok(toDiffPageSchema.safeParse(message).success, 'the page schema accepts the view');
  return (message as { view: DiffView }).view;
}

describe('compare objects: the page model', () => {
  test('two sessions of two sources of different eras: headers, one-sided step, times, delta and SDP fields', { timeout: 5_000 }, () => {
    const good = source('good.nkmtrace', 'trace');
    const live = source('demo', 'live', '2016-10');
    const a = new Feed(good.store);
    a.session('updated_type', 's-good', { type: 'publish' });
    a.session('answer', 's-good', { answer: { sdp: SDP_A } });
    a.session('stop', 's-good', { code: 1013, reason: 'User stop' });
    const b = new Feed(live.store);
    b.event({ class: 'media', subclass: 'session', type: 'type', obj_id: 's-bad', body: { type: 'publish' } }, { ts: T0 + 60_000 });
    b.event({ class: 'media', subclass: 'session', type: 'candidate', obj_id: 's-bad', body: { candidate: 'candidate:1' } }, { ts: T0 + 60_005 });
    b.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: 's-bad', body: { answer: { sdp: SDP_B } } }, { ts: T0 + 60_300 });
    b.event({ class: 'media', subclass: 'session', type: 'destroyed', obj_id: 's-bad', body: { code: 100011, reason: 'User stop' } }, { ts: T0 + 64_100 });

    const refA = { sourceId: 'good.nkmtrace', objectKey: 'media/session/s-good' };
    const refB = { sourceId: 'demo', objectKey: 'media/session/s-bad' };
    const view = viewOf(compareObjects(lookup(good, live), refA, refB));
    assert.deepEqual(view.a, { label: 'A', source: 'good.nkmtrace', live: false, title: 'session s-good', key: 'media/session/s-good', detail: `stopped · 3 events · over 0.020 s · code 1013 User stop (normal) · ${good.store.vocabulary.label}` });
    assert.equal(view.b.live, true);
    assert.match(view.b.detail, /^stopped · 4 events · over 4\.100 s · code 100011 User stop/);
    assert.equal(view.summary, 'Steps aligned by meaning: 3 in both, 0 only in A (−), 1 only in B (+); 5 body field differences in 2 steps.');
    assert.deepEqual(view.notes, ['B is live: Refresh compares the events stored now.']);

    assert.deepEqual(view.rows.map((r) => [r.side, r.a?.type ?? '', r.b?.type ?? '', r.a?.offset ?? '', r.b?.offset ?? '', r.delta ?? '']), [
      ['both', 'updated_type', 'type', '0.000 s', '0.000 s', '0.000 s'],
      ['onlyB', '', 'candidate', '', '0.005 s', ''],
      ['both', 'answer', 'answer', '0.010 s', '0.300 s', '+0.290 s'],
      ['both', 'stop', 'destroyed', '0.020 s', '4.100 s', '+4.080 s'],
    ]);
    assert.deepEqual(view.rows[2].fields, [
      { path: 'answer.sdp:media', a: '"audio video"', b: '"audio"' },
      { path: 'answer.sdp:codecs', a: '"opus/48000/2 VP8/90000"', b: '"opus/48000/2"' },
      { path: 'answer.sdp:candidates', a: '1', b: '0' },
      { path: 'answer.sdp:direction', a: '"sendrecv"', b: '"recvonly"' },
    ]);
    assert.deepEqual(view.rows[3].fields, [{ path: 'code', a: '1013', b: '100011' }]);
    // Each side's seq is its own store's: a click reveals the event of that side.
    assert.equal(view.rows[1].b?.seq, live.store.eventsOf('media/session/s-bad')[1]);
    assert.equal(comparisonTitle(lookup(good, live), refA, refB), 'Compare: session s-good ↔ session s-bad');
  });

  test('a negative delta, a field only one side has, and an object of another kind', { timeout: 5_000 }, () => {
    const trace = source('t.nkmtrace', 'trace');
    const feed = new Feed(trace.store);
    feed.call('ringing', 'c1', {});
    feed.event({ class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c1', body: { code: 0, reason: 'normal', extra: 'x' } }, { ts: feed.ts + 5_000 });
    feed.session('answer', 's1', { answer: { sdp_type: 'webrtc' } });
    feed.event({ class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c2', body: {} }, { ts: T0 + 100_000 });
    feed.event({ class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c2', body: { code: 0, reason: 'normal' } }, { ts: T0 + 101_000 });
    const view = viewOf(compareObjects(lookup(trace), { sourceId: 't.nkmtrace', objectKey: 'media/call/c1' }, { sourceId: 't.nkmtrace', objectKey: 'media/call/c2' }));
    assert.equal(view.rows[1].delta, '−4.000 s');
    assert.deepEqual(view.rows[1].fields, [{ path: 'extra', a: '"x"', b: '(absent)' }]);
    assert.deepEqual(view.notes, []);

    const mixed = viewOf(compareObjects(lookup(trace), { sourceId: 't.nkmtrace', objectKey: 'media/call/c1' }, { sourceId: 't.nkmtrace', objectKey: 'media/session/s1' }));
    assert.deepEqual(mixed.notes, ['A is a call and B a session: only their common steps line up.']);
  });

  test('a source closed or an object gone since: the page says which and what to do', { timeout: 5_000 }, () => {
    const trace = source('t.nkmtrace', 'trace');
    new Feed(trace.store).call('ringing', 'c1', {});
    const c1 = { sourceId: 't.nkmtrace', objectKey: 'media/call/c1' };
    assert.deepEqual(compareObjects(lookup(trace), c1, { sourceId: 'gone', objectKey: 'media/call/c1' }), {
      type: 'error',
      message: 'B: the source "gone" is no longer open. Open it again (or reconnect) and Refresh.',
    });
    assert.deepEqual(compareObjects(lookup(trace), { sourceId: 't.nkmtrace', objectKey: 'media/call/nope' }, c1), {
      type: 'error',
      message: 'A: media/call/nope has no events stored in t.nkmtrace any more (cleared, or evicted to make room).',
    });
  });

  test('long lists are cut: steps, fields per step and long values, each saying how many more', { timeout: 10_000 }, () => {
    const trace = source('big.nkmtrace', 'trace');
    const feed = new Feed(trace.store);
    const body = (n: number, tag: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `${tag}${i}`]));
    feed.session('info', 'x', body(MAX_FIELDS + 7, 'a'));
    feed.session('info', 'y', body(MAX_FIELDS + 7, 'b'));
    const fields = viewOf(compareObjects(lookup(trace), { sourceId: 'big.nkmtrace', objectKey: 'media/session/x' }, { sourceId: 'big.nkmtrace', objectKey: 'media/session/y' })).rows[0];
    assert.equal(fields.fields.length, MAX_FIELDS);
    assert.equal(fields.moreFields, 7);

    for (let i = 0; i < MAX_ROWS + 3; i++) feed.session(`t${i}`, 'many', {});
    feed.session('other', 'few', {});
    const rows = viewOf(compareObjects(lookup(trace), { sourceId: 'big.nkmtrace', objectKey: 'media/session/many' }, { sourceId: 'big.nkmtrace', objectKey: 'media/session/few' }));
    assert.equal(rows.rows.length, MAX_ROWS);
    assert.equal(rows.moreRows, MAX_ROWS + 4 - MAX_ROWS);

    const long = valueText('z'.repeat(MAX_VALUE * 2));
    assert.equal(long.length, MAX_VALUE);
    assert.ok(long.endsWith('…'));
    assert.equal(valueText(undefined), '(absent)');
    assert.equal(valueText('1'), '"1"');
    assert.equal(valueText(1), '1');
  });
});
