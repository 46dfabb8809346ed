import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type AnomalyKind } from '../../../src/core';
import { CALL, Feed, LISTENER, PUB, ROOM, callKeyOf, roomKeyOf, sessionKeyOf } from './feed';

function setup() {
  const store = new EventStore();
  return { store, feed: new Feed(store) };
}

function kindsOf(store: EventStore, key: string): AnomalyKind[] {
  return (store.getObject(key)?.anomalies ?? []).map((a) => a.kind);
}

describe('nonzero-code', () => {
  test('flags a session stop, a room destroyed and a call hangup with a code other than 0', () => {
    const { store, feed } = setup();
    const stopSeq = feed.stop(PUB, 1001, 'Janus error');
    feed.roomStarted(ROOM);
    feed.roomDestroyed(ROOM, 2, 'Backend died');
    feed.call('ringing', CALL, {});
    feed.call('answer', CALL, {});
    feed.call('hangup', CALL, { code: 408, reason: 'Timeout' });
    const [anomaly] = store.getObject(sessionKeyOf(PUB))?.anomalies ?? [];
    assert.equal(anomaly?.kind, 'nonzero-code');
    assert.equal(anomaly?.seq, stopSeq);
    assert.match(anomaly?.message ?? '', /1001/);
    assert.match(anomaly?.message ?? '', /Janus error/);
    assert.deepEqual(kindsOf(store, roomKeyOf(ROOM)), ['nonzero-code']);
    assert.deepEqual(kindsOf(store, callKeyOf(CALL)), ['nonzero-code']);
    assert.deepEqual(
      store.anomalies().map((a) => a.objectKey),
      [sessionKeyOf(PUB), roomKeyOf(ROOM), callKeyOf(CALL)],
    );
  });

  test('code 0 given as a number or as the string "0" is a normal end', () => {
    const { store, feed } = setup();
    feed.stop(PUB, 0);
    feed.stop(LISTENER, '0');
    assert.deepEqual(store.anomalies(), []);
    assert.equal(store.getObject(sessionKeyOf(LISTENER))?.code, '0', 'the code is kept as received');
  });

  test('a string code other than "0" is flagged', () => {
    const { store, feed } = setup();
    feed.stop(PUB, '1001');
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), ['nonzero-code']);
  });
});

describe('peer-stopped-first', () => {
  test('a listener whose publisher session stopped while it listened is flagged, naming the room', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    const stopSeq = feed.stop(PUB);
    const anomalies = store.getObject(sessionKeyOf(LISTENER))?.anomalies ?? [];
    assert.equal(anomalies.length, 1);
    assert.equal(anomalies[0].kind, 'peer-stopped-first');
    assert.equal(anomalies[0].seq, stopSeq);
    assert.match(anomalies[0].message, new RegExp(ROOM));
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), [], 'the publisher itself is fine');
  });

  test('stopped_publisher in the room while the listener still listens flags it, once even if the session stop follows', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.publisherLeaves(ROOM, PUB, 'user1@nkmedia');
    feed.stop(PUB);
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), ['peer-stopped-first']);
  });

  test('a listener that left before its publisher stopped is not flagged', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.listenerLeaves(ROOM, LISTENER, 'user2@nkmedia');
    feed.publisherLeaves(ROOM, PUB, 'user1@nkmedia');
    feed.stop(PUB);
    assert.deepEqual(store.anomalies(), []);
  });

  test('a listener session that had stopped already is not flagged', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.stop(LISTENER);
    feed.stop(PUB);
    assert.deepEqual(store.anomalies(), []);
  });

  test('only the listeners of the stopped publisher are flagged', () => {
    const { store, feed } = setup();
    const otherPub = '7d2a9c10-391a-1260-75db-38c9862f00d9';
    const otherListener = '8e3b0d21-391a-1260-75db-38c9862f00d9';
    feed.publishAndListen();
    feed.publisherJoins(ROOM, otherPub, 'user3@nkmedia');
    feed.listenerJoins(ROOM, otherListener, 'user4@nkmedia', otherPub);
    feed.stop(PUB);
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), ['peer-stopped-first']);
    assert.deepEqual(kindsOf(store, sessionKeyOf(otherListener)), []);
  });
});

describe('hangup-before-answer', () => {
  test('a call hung up with no answer before it is flagged', () => {
    const { store, feed } = setup();
    feed.call('ringing', CALL, {});
    const hangupSeq = feed.call('hangup', CALL, { code: 0, reason: 'Caller cancelled' });
    const anomalies = store.getObject(callKeyOf(CALL))?.anomalies ?? [];
    assert.deepEqual(anomalies.map((a) => a.kind), ['hangup-before-answer']);
    assert.equal(anomalies[0].seq, hangupSeq);
  });

  test('a call whose ringing came before the data started is not: it may have been answered then', () => {
    const { store, feed } = setup();
    // A trace that starts mid-call: its first event of the call is the hangup, or an update.
    feed.call('hangup', CALL, { code: 0 });
    feed.call('updated', 'call-2', {});
    feed.call('hangup', 'call-2', { code: 0 });
    assert.deepEqual(store.anomalies().filter((a) => a.anomaly.kind === 'hangup-before-answer'), []);
    assert.equal(store.getObject(callKeyOf(CALL))?.state, 'hungup');
  });

  test('an answered call that hangs up is not', () => {
    const { store, feed } = setup();
    feed.call('ringing', CALL, {});
    feed.call('answer', CALL, {});
    feed.call('hangup', CALL, { code: 0 });
    assert.deepEqual(store.anomalies(), []);
  });
});

describe('no-terminal-event (markEnd)', () => {
  test('flags every session, room and call without its terminal event, never "other" objects', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.stop(LISTENER);
    feed.call('ringing', CALL, {});
    feed.event({ class: 'core', subclass: 'user', type: 'login', obj_id: 'admin' });
    const flagged = store.markEnd(1_700_000_999_000);
    assert.equal(flagged, 3);
    const found = store.anomalies().filter((a) => a.anomaly.kind === 'no-terminal-event');
    assert.deepEqual(found.map((a) => a.objectKey).sort(), [callKeyOf(CALL), roomKeyOf(ROOM), sessionKeyOf(PUB)].sort());
    assert.equal(found[0].anomaly.ts, 1_700_000_999_000);
    assert.equal(found[0].anomaly.seq, undefined);
  });

  test('calling it again does not duplicate flags', () => {
    const { store, feed } = setup();
    feed.answer(PUB);
    store.markEnd();
    assert.equal(store.markEnd(), 0);
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), ['no-terminal-event']);
  });

  test('an object that gets its terminal event later (live data resumed) loses the flag', () => {
    const { store, feed } = setup();
    feed.answer(PUB);
    feed.roomStarted(ROOM);
    store.markEnd();
    feed.stop(PUB);
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), []);
    assert.deepEqual(kindsOf(store, roomKeyOf(ROOM)), ['no-terminal-event']);
  });

  test('without a time, the data ends at the newest event', () => {
    const { store, feed } = setup();
    feed.answer(PUB);
    const lastSeq = feed.event({ class: 'core', subclass: 'user', type: 'login', obj_id: 'admin' });
    store.markEnd();
    assert.equal(store.getObject(sessionKeyOf(PUB))?.anomalies[0].ts, store.tsOf(lastSeq));
  });
});

describe('unknown-type', () => {
  test('the first event of a type not in the known table is flagged once, naming it; later ones are kept silently', () => {
    const { store, feed } = setup();
    const first = feed.session('updated_media', PUB, { media: 'audio' });
    feed.session('updated_media', PUB, { media: 'video' });
    feed.session('updated_media', LISTENER, { media: 'video' });
    const anomalies = store.anomalies();
    assert.equal(anomalies.length, 1);
    assert.equal(anomalies[0].objectKey, sessionKeyOf(PUB));
    assert.equal(anomalies[0].anomaly.kind, 'unknown-type');
    assert.equal(anomalies[0].anomaly.seq, first);
    assert.match(anomalies[0].anomaly.message, /media\/session\/updated_media/);
    assert.equal(store.eventCountOf(sessionKeyOf(PUB)), 2, 'unknown events are stored like the rest');
    assert.equal(store.getObject(sessionKeyOf(PUB))?.state, 'created');
  });

  test('unknown classes and subclasses count too; known types are never flagged', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.call('ringing', CALL, {});
    assert.deepEqual(store.anomalies(), []);
    feed.event({ class: 'core', subclass: 'user', type: 'login', obj_id: 'admin' });
    feed.event({ class: 'media', subclass: 'conference', type: 'started', obj_id: 'c1' });
    feed.event({ class: 'media', subclass: 'room', obj_id: ROOM });
    assert.deepEqual(
      store.anomalies().map((a) => a.anomaly.message),
      ['first event of unknown type core/user/login', 'first event of unknown type media/conference/started', 'first event of unknown type media/room/'],
    );
  });
});
