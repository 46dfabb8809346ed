import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, anomalySummary, describeObject, excerptJson, formatDuration, formatRelative, shortId } from '../../../src/core';
import { Feed, PUB, ROOM, T0, roomKeyOf, sessionKeyOf } from './feed';

describe('shortId', () => {
  test('keeps the first 8 characters, short ids whole, and never returns an empty string', () => {
    assert.equal(shortId('39ce4076-391a-1260-75db-38c9862f00d9'), '39ce4076');
    assert.equal(shortId('room1'), 'room1');
    assert.equal(shortId(''), '(none)');
    assert.equal(shortId(undefined), '(none)');
  });
});

describe('formatDuration', () => {
  test('uses ms, seconds, minutes and hours', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(12_300), '12.3 s');
    assert.equal(formatDuration(4 * 60_000 + 5_000), '4 min 05 s');
    assert.equal(formatDuration(2 * 3_600_000 + 3 * 60_000), '2 h 03 min');
  });

  test('rounds across unit boundaries without showing "60.0 s" or "1000 ms"', () => {
    assert.equal(formatDuration(999.6), '1.0 s');
    assert.equal(formatDuration(59_960), '1 min 00 s');
    assert.equal(formatDuration(3_599_700), '1 h 00 min');
  });

  test('negative or invalid durations read as 0', () => {
    assert.equal(formatDuration(-5), '0 ms');
    assert.equal(formatDuration(NaN), '0 ms');
  });
});

describe('formatRelative', () => {
  test('shows a signed offset in seconds with milliseconds', () => {
    assert.equal(formatRelative(1250), '+1.250 s');
    assert.equal(formatRelative(0), '+0.000 s');
    assert.equal(formatRelative(-40), '-0.040 s');
  });
});

describe('describeObject', () => {
  test('labels a session by short id and state, describes type, user and duration to its end', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.session('updated_type', PUB, { type: 'publish' });
    feed.publisherJoins(ROOM, PUB, 'user1@nkmedia');
    feed.event({ class: 'media', subclass: 'session', type: 'stop', obj_id: PUB, body: { code: 0 } }, { ts: T0 + 10 + 12_300 });
    const session = store.getObject(sessionKeyOf(PUB));
    assert.ok(session);
    assert.deepEqual(describeObject(session, T0 + 999_999), { label: '39ce4076 stopped', description: 'user1@nkmedia · publish · 12.3 s' });
  });

  test('an object still alive lasts until now, or reads since when it exists without a now', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.roomStarted(ROOM);
    feed.room('started_publisher', ROOM, { session_id: PUB, user: 'u' });
    const room = store.getObject(roomKeyOf(ROOM));
    assert.ok(room);
    assert.equal(describeObject(room, T0 + 10 + 4 * 60_000 + 5_000).description, 'sfu · 4 min 05 s');
    assert.equal(describeObject(room).description, 'sfu · since 22:13:20', 'without a now: since when it exists (UTC)');
    assert.equal(describeObject(room).label, '11c92417 started');
  });

  test('"other" objects name their class and subclass', () => {
    const store = new EventStore();
    new Feed(store).event({ class: 'core', subclass: 'user', type: 'login' });
    const [other] = store.objects();
    assert.deepEqual(describeObject(other), { label: '(none) active', description: 'core/user · unknown event type · since 22:13:20' });
  });

  test('an object with anomalies names the first in a few words before its duration, and counts the rest', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.session('updated_type', PUB, { type: 'publish' });
    feed.event({ class: 'media', subclass: 'session', type: 'surprise', obj_id: PUB });
    feed.stop(PUB, 1999, 'Internal error');
    const session = store.getObject(sessionKeyOf(PUB))!;
    assert.equal(session.anomalies.length, 2, JSON.stringify(session.anomalies));
    assert.equal(anomalySummary(session), 'unknown event type +1');
    assert.equal(describeObject(session).description, 'publish · unknown event type +1 · 20 ms');
  });
});

describe('excerptJson', () => {
  test('gives compact JSON cut to the limit with an ellipsis', () => {
    assert.equal(excerptJson({ code: 0, reason: 'User stop' }, 100), '{"code":0,"reason":"User stop"}');
    const cut = excerptJson({ sdp: 'v=0\r\n'.repeat(100) }, 20);
    assert.equal(cut.length, 20);
    assert.ok(cut.endsWith('…'));
    assert.equal(excerptJson(undefined, 10), 'undefined');
  });
});
