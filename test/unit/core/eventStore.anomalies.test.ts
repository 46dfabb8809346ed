import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type AnomalyKind } from '../../../src/core';
import { vocabularyFor } from '../../../src/protocol/dialects';
import { CALL, Feed, LISTENER, PUB, ROOM, callKeyOf, roomKeyOf, sessionKeyOf } from './feed';

function setup() {
  const store = new EventStore();
  return { store, feed: new Feed(store) };
}

function kindsOf(store: EventStore, key: string): AnomalyKind[] {
  return (store.getObject(key)?.anomalies ?? []).map((a) => a.kind);
}

describe('fault-end: ends judged by the era\'s end codes', () => {
  test('a session, a room and a call that end with a fault are flagged, naming code and reason', () => {
    const { store, feed } = setup();
    // Aug 2016 codes (nkmedia@3215f72 janus_error 2200; nkservice@b780fbf timeout 1005).
    const stopSeq = feed.stop(PUB, 2200, 'Janus error');
    feed.roomStarted(ROOM);
    feed.roomDestroyed(ROOM, 1005, 'Timeout');
    feed.call('ringing', CALL, {});
    feed.call('answer', CALL, {});
    feed.call('hangup', CALL, { code: 1005, reason: 'Timeout' });
    const [anomaly] = store.getObject(sessionKeyOf(PUB))?.anomalies ?? [];
    assert.equal(anomaly?.kind, 'fault-end');
    assert.equal(anomaly?.seq, stopSeq);
    assert.match(anomaly?.message ?? '', /2200/);
    assert.match(anomaly?.message ?? '', /Janus error/);
    assert.equal(store.getObject(sessionKeyOf(PUB))?.endVerdict, 'fault');
    assert.deepEqual(kindsOf(store, roomKeyOf(ROOM)), ['fault-end']);
    assert.deepEqual(kindsOf(store, callKeyOf(CALL)), ['fault-end']);
    assert.deepEqual(
      store.anomalies().map((a) => a.objectKey),
      [sessionKeyOf(PUB), roomKeyOf(ROOM), callKeyOf(CALL)],
    );
  });

  test('normal ends carry non-zero codes in every era, and are not flagged', () => {
    const { store, feed } = setup();
    feed.stop(PUB, 1013, 'User stop'); // Aug 2016: nkservice@b780fbf user_stop
    feed.session('destroyed', LISTENER, { code: 100011, reason: 'User stop received' }); // Oct 2016: nkservice@79bf10d
    feed.session('stop', 'july-session', { code: 1000, reason: 'User stop' }); // July 2016: every reason is 1000
    feed.roomStarted(ROOM);
    feed.roomDestroyed(ROOM, 304004, 'No remaining room members');
    assert.deepEqual(store.anomalies(), []);
    assert.deepEqual(
      [PUB, LISTENER, 'july-session'].map((id) => store.getObject(sessionKeyOf(id))?.endVerdict),
      ['normal', 'normal', 'normal'],
    );
    assert.equal(store.getObject(sessionKeyOf(PUB))?.state, 'stopped');
  });

  test('code 0 given as a number or as the string "0" is a normal end', () => {
    const { store, feed } = setup();
    feed.stop(PUB, 0);
    feed.stop(LISTENER, '0');
    assert.deepEqual(store.anomalies(), []);
    assert.equal(store.getObject(sessionKeyOf(LISTENER))?.code, '0', 'the code is kept as received');
  });

  test('a reason the tables do not know, or a code they give to a fault, is a fault', () => {
    const { store, feed } = setup();
    feed.stop(PUB, '1001', ''); // Aug 2016 internal_error, given as a string, with no reason text
    feed.stop(LISTENER, 4242, 'Something new');
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), ['fault-end']);
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), ['fault-end']);
  });

  test('declined calls (rejected, no answer, ring timeout, cancelled) get their own state and no anomaly', () => {
    const { store, feed } = setup();
    const outcomes: Array<[number, string]> = [
      [305003, 'Call rejected'],
      [305004, 'Ring timeout'],
      [2023, 'No answer'],
      [305008, 'Originator cancel'],
    ];
    outcomes.forEach(([code, reason], i) => {
      feed.call('ringing', `call-${i}`, {});
      feed.call('hangup', `call-${i}`, { code, reason });
    });
    assert.deepEqual(store.anomalies(), []);
    for (let i = 0; i < outcomes.length; i++) {
      const call = store.getObject(callKeyOf(`call-${i}`));
      assert.equal(call?.state, 'declined', outcomes[i][1]);
      assert.equal(call?.endVerdict, 'declined');
    }
  });

  test('a user\'s own end codes (nkmedia.endCodes) win over the tables', () => {
    const store = new EventStore({ vocabulary: vocabularyFor('auto', { normal: [4242], declined: ['Busy here'] }) });
    const feed = new Feed(store);
    feed.stop(PUB, 4242, 'Site-specific stop');
    feed.call('ringing', CALL, {});
    feed.call('hangup', CALL, { code: 9999, reason: 'Busy here' });
    assert.deepEqual(store.anomalies(), []);
    assert.equal(store.getObject(callKeyOf(CALL))?.state, 'declined');
  });
});

describe('peer-stopped-first', () => {
  test('a listener whose publisher session failed while it listened is flagged, naming the room', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    const stopSeq = feed.stop(PUB, 2202, 'Janus op process down');
    const anomalies = store.getObject(sessionKeyOf(LISTENER))?.anomalies ?? [];
    assert.equal(anomalies.length, 1);
    assert.equal(anomalies[0].kind, 'peer-stopped-first');
    assert.equal(anomalies[0].seq, stopSeq);
    assert.match(anomalies[0].message, new RegExp(ROOM));
    assert.deepEqual(kindsOf(store, sessionKeyOf(PUB)), ['fault-end'], 'the publisher has its own fault');
  });

  test('a publisher that stops normally while watched is not an anomaly: the room stops its listeners', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.publisherLeaves(ROOM, PUB, 'user1@nkmedia');
    feed.stop(PUB, 1013, 'User stop');
    feed.listenerLeaves(ROOM, LISTENER, 'user2@nkmedia');
    feed.stop(LISTENER, 2036, 'Publisher stopped');
    assert.deepEqual(store.anomalies(), []);
  });

  test('a failed publisher that then leaves the room flags the listener once', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.stop(PUB, 2202, 'Janus op process down');
    feed.publisherLeaves(ROOM, PUB, 'user1@nkmedia');
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), ['peer-stopped-first']);
  });

  test('a listener that left before its publisher failed is not flagged', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.listenerLeaves(ROOM, LISTENER, 'user2@nkmedia');
    feed.stop(PUB, 2202, 'Janus op process down');
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), []);
  });

  test('a listener session that had stopped already is not flagged', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.stop(LISTENER);
    feed.stop(PUB, 2202, 'Janus op process down');
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), []);
  });

  test('only the listeners of the failed publisher are flagged', () => {
    const { store, feed } = setup();
    const otherPub = '7d2a9c10-391a-1260-75db-38c9862f00d9';
    const otherListener = '8e3b0d21-391a-1260-75db-38c9862f00d9';
    feed.publishAndListen();
    feed.publisherJoins(ROOM, otherPub, 'user3@nkmedia');
    feed.listenerJoins(ROOM, otherListener, 'user4@nkmedia', otherPub);
    feed.stop(PUB, 2202, 'Janus op process down');
    assert.deepEqual(kindsOf(store, sessionKeyOf(LISTENER)), ['peer-stopped-first']);
    assert.deepEqual(kindsOf(store, sessionKeyOf(otherListener)), []);
  });
});

describe('hangup-before-answer', () => {
  test('a call that rang and failed before it was answered is flagged as such (once)', () => {
    const { store, feed } = setup();
    feed.call('ringing', CALL, {});
    const hangupSeq = feed.call('hangup', CALL, { code: 305001, reason: 'Call error' });
    const anomalies = store.getObject(callKeyOf(CALL))?.anomalies ?? [];
    assert.deepEqual(anomalies.map((a) => a.kind), ['hangup-before-answer']);
    assert.equal(anomalies[0].seq, hangupSeq);
  });

  test('an unanswered call that was declined or ended normally is not', () => {
    const { store, feed } = setup();
    feed.call('ringing', CALL, {});
    feed.call('hangup', CALL, { code: 305006, reason: 'No answer' });
    feed.call('ringing', 'call-2', {});
    feed.call('hangup', 'call-2', { code: 305009, reason: 'Caller stopped' });
    assert.deepEqual(store.anomalies(), []);
  });

  test('a call whose ringing came before the data started is not: it may have been answered then', () => {
    const { store, feed } = setup();
    // A trace that starts mid-call: its first event of the call is the hangup, or an update.
    feed.call('hangup', CALL, { code: 305001, reason: 'Call error' });
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
