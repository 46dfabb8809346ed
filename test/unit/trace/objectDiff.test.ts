// The diff of two objects: steps aligned by meaning across eras, timing per step, and body
// fields per shared step with SDP summarised.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { vocabularyFor, type DialectId } from '../../../src/protocol/dialects';
import { diffBodies, flattenBody } from '../../../src/trace/bodyDiff';
import { diffObjects, meaningKey, type DiffInput, type DiffStep } from '../../../src/trace/objectDiff';
import { Feed, PUB, ROOM, T0 } from '../core/feed';

const stores: EventStore[] = [];
after(() => stores.splice(0).forEach((s) => s.dispose()));

function storeOf(dialect: DialectId): EventStore {
  const store = new EventStore({ vocabulary: vocabularyFor(dialect) });
  stores.push(store);
  return store;
}

function input(store: EventStore, key: string, file = 'a.nkmtrace'): DiffInput {
  const object = store.getObject(key);
  assert.ok(object, `no ${key}`);
  return { file, store, object, dialect: { id: store.vocabulary.id, label: store.vocabulary.label } };
}

/** `=type/type`, `-type`, `+type`, as a reader of the text form sees the steps. */
function shape(steps: DiffStep[]): string[] {
  return steps.map((s) => (s.side === 'both' ? `=${s.a.type}/${s.b.type}` : s.side === 'onlyA' ? `-${s.a.type}` : `+${s.b.type}`));
}

const SDP_A = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=Janus', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=sendrecv', 'a=candidate:1 1 udp 2013266431 10.0.0.1 4000 typ host', 'a=candidate:2 1 udp 1677721855 203.0.113.7 4000 typ srflx raddr 10.0.0.1 rport 4000', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', 'a=sendrecv', ''].join('\r\n');
const SDP_B = ['v=0', 'o=- 7 2 IN IP4 127.0.0.1', 's=Janus', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=recvonly', ''].join('\r\n');

describe('body diff', () => {
  test('flattens nested objects and arrays into paths; odd keys quoted; empty containers kept', { timeout: 5_000 }, () => {
    const fields = flattenBody({ code: 1013, answer: { sdp_type: 'webrtc', trickle_ice: true }, list: [1, { x: null }], 'odd.key': 'v', 'a b': [], meta: {} });
    assert.deepEqual([...fields], [
      ['code', 1013],
      ['answer.sdp_type', 'webrtc'],
      ['answer.trickle_ice', true],
      ['list[0]', 1],
      ['list[1].x', null],
      ['["odd.key"]', 'v'],
      ['["a b"]', []],
      ['meta', {}],
    ]);
    assert.deepEqual([...flattenBody(undefined)], []);
  });

  test('an SDP field becomes its summary: media, codecs, candidates, direction; never its raw text', { timeout: 5_000 }, () => {
    const fields = flattenBody({ answer: { sdp: SDP_A } });
    assert.deepEqual([...fields], [
      ['answer.sdp:media', 'audio video'],
      ['answer.sdp:codecs', 'opus/48000/2 VP8/90000'],
      ['answer.sdp:candidates', 2],
      ['answer.sdp:direction', 'sendrecv'],
    ]);
    assert.deepEqual(diffBodies({ answer: { sdp: SDP_A } }, { answer: { sdp: SDP_B } }), [
      { path: 'answer.sdp:media', a: 'audio video', b: 'audio' },
      { path: 'answer.sdp:codecs', a: 'opus/48000/2 VP8/90000', b: 'opus/48000/2 PCMU/8000' },
      { path: 'answer.sdp:candidates', a: 2, b: 0 },
      { path: 'answer.sdp:direction', a: 'sendrecv', b: 'recvonly' },
    ]);
  });

  test('changed values, fields only one side has, and values equal in text but not in type', { timeout: 5_000 }, () => {
    assert.deepEqual(diffBodies({ code: 1013, reason: 'User stop', only_a: 1, n: 1, e: {} }, { code: 100011, reason: 'User stop', n: '1', e: [], only_b: 'x' }), [
      { path: 'code', a: 1013, b: 100011 },
      { path: 'only_a', a: 1 },
      { path: 'n', a: 1, b: '1' },
      { path: 'e', a: {}, b: [] },
      { path: 'only_b', b: 'x' },
    ]);
    assert.deepEqual(diffBodies({ a: [1, 2] }, { a: [1, 2] }), []);
    assert.deepEqual(diffBodies(undefined, { code: 0 }), [{ path: 'code', b: 0 }]);
  });
});

describe('object diff', () => {
  test('identical objects: every step in both, no time or body differences', { timeout: 5_000 }, () => {
    const store = storeOf('2016-08');
    const feed = new Feed(store);
    for (const id of ['s1', 's2']) {
      feed.ts = T0;
      feed.session('updated_type', id, { type: 'echo' });
      feed.session('answer', id, { answer: { sdp: SDP_A } });
      feed.session('stop', id, { code: 1013, reason: 'User stop' });
    }
    const diff = diffObjects(input(store, 'media/session/s1'), input(store, 'media/session/s2'));
    assert.deepEqual(shape(diff.steps), ['=updated_type/updated_type', '=answer/answer', '=stop/stop']);
    assert.deepEqual(diff.counts, { both: 3, onlyA: 0, onlyB: 0, bodyDifferences: 0, stepsWithBodyDifferences: 0 });
    assert.ok(diff.steps.every((s) => s.side === 'both' && s.deltaMs === 0 && s.body.length === 0));
    assert.deepEqual(diff.alignment, { by: 'meaning', exact: true });
  });

  test('across eras: stop and destroyed, updated_type and type are the same step; body fields per step', { timeout: 5_000 }, () => {
    const august = storeOf('2016-08');
    const october = storeOf('2016-10');
    const a = new Feed(august);
    a.session('updated_type', PUB, { type: 'publish' });
    a.session('answer', PUB, { answer: { sdp: SDP_A, sdp_type: 'webrtc' } });
    a.session('stop', PUB, { code: 1013, reason: 'User stop' });
    const b = new Feed(october);
    b.event({ class: 'media', subclass: 'session', type: 'type', obj_id: 'b-1', body: { type: 'publish' } }, { ts: T0 + 50_000 });
    b.event({ class: 'media', subclass: 'session', type: 'candidate', obj_id: 'b-1', body: { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host' } }, { ts: T0 + 50_005 });
    b.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: 'b-1', body: { answer: { sdp: SDP_B, sdp_type: 'webrtc' } } }, { ts: T0 + 50_300 });
    b.event({ class: 'media', subclass: 'session', type: 'destroyed', obj_id: 'b-1', body: { code: 100011, reason: 'User stop' } }, { ts: T0 + 54_100 });

    const diff = diffObjects(input(august, `media/session/${PUB}`), input(october, 'media/session/b-1', 'b.nkmtrace'));
    assert.deepEqual(shape(diff.steps), ['=updated_type/type', '+candidate', '=answer/answer', '=stop/destroyed']);
    assert.deepEqual(diff.steps.map((s) => s.key), ['updated', 'type:candidate', 'answered', 'ended']);
    const [, , answer, end] = diff.steps;
    assert.ok(answer.side === 'both' && end.side === 'both');
    assert.deepEqual(answer.body.map((f) => f.path), ['answer.sdp:media', 'answer.sdp:codecs', 'answer.sdp:candidates', 'answer.sdp:direction']);
    assert.deepEqual(end.body, [{ path: 'code', a: 1013, b: 100011 }], 'the same reason text: only the code differs');
    assert.deepEqual([answer.a.offsetMs, answer.b.offsetMs, answer.deltaMs], [10, 300, 290]);
    assert.equal(diff.a.dialect.id, '2016-08');
    assert.equal(diff.b.file, 'b.nkmtrace');
    assert.equal(diff.b.code, 100011);
    assert.deepEqual(diff.counts, { both: 3, onlyA: 0, onlyB: 1, bodyDifferences: 5, stepsWithBodyDifferences: 2 });
  });

  test('timing: each step counted from its object\'s first event; delta is B minus A', { timeout: 5_000 }, () => {
    const store = storeOf('2016-08');
    const feed = new Feed(store);
    feed.call('ringing', 'c1', {});
    const ringA = feed.ts;
    feed.event({ class: 'media', subclass: 'call', type: 'answer', obj_id: 'c1', body: {} }, { ts: ringA + 1_500 });
    feed.event({ class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c1', body: { code: 1013, reason: 'User stop' } }, { ts: ringA + 60_000 });
    const ringB = ringA + 3_600_000;
    feed.event({ class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c2', body: {} }, { ts: ringB });
    feed.event({ class: 'media', subclass: 'call', type: 'answer', obj_id: 'c2', body: {} }, { ts: ringB + 4_250 });
    feed.event({ class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c2', body: { code: 1013, reason: 'User stop' } }, { ts: ringB + 45_000 });

    const diff = diffObjects(input(store, 'media/call/c1'), input(store, 'media/call/c2'));
    const both = diff.steps.filter((s) => s.side === 'both');
    assert.deepEqual(both.map((s) => [s.a.offsetMs, s.b.offsetMs, s.deltaMs]), [
      [0, 0, 0],
      [1_500, 4_250, 2_750],
      [60_000, 45_000, -15_000],
    ]);
    assert.equal(diff.a.firstTs, ringA);
    assert.equal(diff.b.durationMs, 45_000);
  });

  test('steps that change nothing align by type: an info never pairs with a candidate', { timeout: 5_000 }, () => {
    const store = storeOf('2016-10');
    const feed = new Feed(store);
    feed.session('type', 'x', { type: 'echo' });
    feed.session('info', 'x', { info: 'hello' });
    feed.session('destroyed', 'x', { code: 100011, reason: 'User stop' });
    feed.session('type', 'y', { type: 'echo' });
    feed.session('candidate', 'y', { candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host' });
    feed.session('destroyed', 'y', { code: 100011, reason: 'User stop' });
    const diff = diffObjects(input(store, 'media/session/x'), input(store, 'media/session/y'));
    assert.deepEqual(shape(diff.steps), ['=type/type', '-info', '+candidate', '=destroyed/destroyed']);
  });

  test('room members align by role, whichever way the era names them', { timeout: 5_000 }, () => {
    const august = storeOf('2016-08');
    const october = storeOf('2016-10');
    const a = new Feed(august);
    a.room('started', ROOM, { class: 'sfu' });
    a.room('started_publisher', ROOM, { session_id: PUB, user: 'alice' });
    a.room('started_listener', ROOM, { session_id: 'l1', peer_id: PUB, user: 'bob' });
    const b = new Feed(october);
    b.room('created', 'r2', { class: 'sfu' });
    b.room('started_member', 'r2', { session_id: 'p2', role: 'publisher', user_id: 'alice' });
    b.room('started_member', 'r2', { session_id: 'l2', role: 'listener', peer_id: 'p2', user_id: 'bob' });
    const diff = diffObjects(input(august, `media/room/${ROOM}`), input(october, 'media/room/r2'));
    assert.deepEqual(diff.steps.map((s) => s.key), ['created', 'memberJoined:publisher', 'memberJoined:listener']);
    assert.ok(diff.steps.every((s) => s.side === 'both'));
    assert.equal(meaningKey(august.vocabulary, { data: { class: 'media', subclass: 'room', type: 'no_such_type' } }), 'type:no_such_type');
  });

  test('completely different objects: everything on one side or the other', { timeout: 5_000 }, () => {
    const store = storeOf('2016-08');
    const feed = new Feed(store);
    feed.call('ringing', 'c1', {});
    feed.call('hangup', 'c1', { code: 2021, reason: 'Call rejected' });
    feed.session('info', 's1', { info: 'x' });
    const diff = diffObjects(input(store, 'media/call/c1'), input(store, 'media/session/s1'));
    assert.deepEqual(shape(diff.steps), ['-ringing', '-hangup', '+info']);
    assert.deepEqual(diff.counts, { both: 0, onlyA: 2, onlyB: 1, bodyDifferences: 0, stepsWithBodyDifferences: 0 });
  });
});
