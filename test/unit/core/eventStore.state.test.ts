import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { CALL, Feed, LISTENER, PUB, ROOM, T0, callKeyOf, roomKeyOf, sessionKeyOf } from './feed';

function setup() {
  const store = new EventStore();
  return { store, feed: new Feed(store) };
}

describe('session state', () => {
  test('goes created -> answered -> stopped, keeping type, code and reason', () => {
    const { store, feed } = setup();
    feed.session('updated_type', PUB, { type: 'proxy', backend: 'nkmedia_janus' });
    const key = sessionKeyOf(PUB);
    assert.equal(store.getObject(key)?.state, 'created');
    feed.answer(PUB);
    assert.equal(store.getObject(key)?.state, 'answered');
    feed.session('updated_type', PUB, { type: 'publish' });
    const stopSeq = feed.stop(PUB, 0, 'User stop');
    const session = store.getObject(key);
    assert.ok(session);
    assert.equal(session.kind, 'session');
    assert.equal(session.state, 'stopped');
    assert.equal(session.ended, true);
    assert.equal(session.endTs, store.tsOf(stopSeq));
    assert.equal(session.code, 0);
    assert.equal(session.reason, 'User stop');
    assert.equal(session.sessionType, 'publish', 'the latest updated_type wins');
    assert.equal(session.eventCount, 4);
    assert.equal(session.firstTs, T0 + 10);
    assert.equal(session.lastTs, T0 + 40);
    assert.equal(session.conn, 'wss://media1:9010');
    assert.equal(session.objId, PUB);
    assert.deepEqual(session.anomalies, []);
  });

  test('an answer after the stop does not bring the session back', () => {
    const { store, feed } = setup();
    feed.stop(PUB);
    feed.answer(PUB);
    assert.equal(store.getObject(sessionKeyOf(PUB))?.state, 'stopped');
  });
});

describe('room state and membership', () => {
  test('started room records class and backend, destroyed ends it', () => {
    const { store, feed } = setup();
    feed.roomStarted(ROOM);
    const room = store.getObject(roomKeyOf(ROOM));
    assert.ok(room);
    assert.equal(room.kind, 'room');
    assert.equal(room.state, 'started');
    assert.equal(room.roomClass, 'sfu');
    assert.equal(room.backend, 'nkmedia_janus');
    feed.roomDestroyed(ROOM, 0, 'User request');
    assert.equal(room.state, 'destroyed');
    assert.equal(room.ended, true);
    assert.equal(room.reason, 'User request');
  });

  test('publishers and listeners are listed with user, peer and join time; sessions learn user, role, room and peer', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    const room = store.getObject(roomKeyOf(ROOM));
    assert.ok(room);
    assert.deepEqual([...room.publishers.keys()], [PUB]);
    assert.equal(room.publishers.get(PUB)?.user, 'user1@nkmedia');
    assert.equal(room.publishers.get(PUB)?.joinedTs, T0 + 40);
    assert.equal(room.listeners.get(LISTENER)?.peer, PUB);
    assert.equal(room.listeners.get(LISTENER)?.user, 'user2@nkmedia');

    const publisher = store.getObject(sessionKeyOf(PUB));
    assert.equal(publisher?.user, 'user1@nkmedia');
    assert.equal(publisher?.role, 'publisher');
    assert.deepEqual(publisher?.roomKeys, [roomKeyOf(ROOM)]);
    const listener = store.getObject(sessionKeyOf(LISTENER));
    assert.equal(listener?.role, 'listener');
    assert.equal(listener?.peer, PUB);
    assert.equal(listener?.user, 'user2@nkmedia');
    assert.deepEqual(listener?.roomKeys, [roomKeyOf(ROOM)]);
  });

  test('members who left stay listed with the time they left', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    const leftSeq = feed.listenerLeaves(ROOM, LISTENER, 'user2@nkmedia');
    const room = store.getObject(roomKeyOf(ROOM));
    assert.equal(room?.listeners.size, 1);
    assert.equal(room?.listeners.get(LISTENER)?.leftTs, store.tsOf(leftSeq));
    assert.equal(room?.publishers.get(PUB)?.leftTs, undefined, 'the publisher is still there');
  });

  test('a member seen only leaving (joined before the data) is listed without a join time', () => {
    const { store, feed } = setup();
    feed.publisherLeaves(ROOM, PUB, 'user1@nkmedia');
    const member = store.getObject(roomKeyOf(ROOM))?.publishers.get(PUB);
    assert.equal(member?.joinedTs, undefined);
    assert.equal(member?.leftTs, T0 + 10);
    assert.equal(member?.user, 'user1@nkmedia');
  });

  test('a session first named by a room event exists from then on, and its own events join it', () => {
    const { store, feed } = setup();
    feed.roomStarted(ROOM);
    const joinSeq = feed.publisherJoins(ROOM, PUB, 'user1@nkmedia');
    const session = store.getObject(sessionKeyOf(PUB));
    assert.ok(session, 'the session object was created by the room event');
    assert.equal(session.kind, 'session');
    assert.equal(session.state, 'created');
    assert.equal(session.eventCount, 0);
    assert.equal(session.firstTs, store.tsOf(joinSeq));
    assert.deepEqual(store.objects().map((o) => o.key), [roomKeyOf(ROOM), sessionKeyOf(PUB)], 'ordered by first appearance');
    feed.answer(PUB);
    assert.equal(store.getObject(sessionKeyOf(PUB)), session, 'same object, not a second one');
    assert.equal(session.state, 'answered');
    assert.equal(session.eventCount, 1);
    assert.equal(session.user, 'user1@nkmedia');
  });
});

describe('call state', () => {
  test('goes ringing -> answered -> hungup', () => {
    const { store, feed } = setup();
    feed.call('ringing', CALL, {});
    const call = store.getObject(callKeyOf(CALL));
    assert.equal(call?.kind, 'call');
    assert.equal(call?.state, 'ringing');
    feed.call('answer', CALL, { answer: { sdp: 'v=0' } });
    assert.equal(call?.state, 'answered');
    feed.call('hangup', CALL, { code: 0, reason: 'User hangup' });
    assert.equal(call?.state, 'hungup');
    assert.equal(call?.ended, true);
    assert.deepEqual(call?.anomalies, []);
  });
});

describe('objects of any other kind', () => {
  test('unknown classes and subclasses, and events without id, are kept as "other" objects', () => {
    const { store, feed } = setup();
    feed.event({ class: 'core', subclass: 'user', type: 'login', obj_id: 'admin', body: { meta: 1 } });
    feed.event({ class: 'media', subclass: 'session', type: 'stop' });
    feed.event({ class: 'media' });
    feed.event({ class: 'media', subclass: 'conference', type: 'started', obj_id: 'c1' });
    const keys = store.objects().map((o) => o.key);
    assert.deepEqual(keys, ['core/user/admin', 'media/session/', 'media//', 'media/conference/c1']);
    for (const o of store.objects()) {
      assert.equal(o.kind, 'other');
      assert.equal(o.state, 'active');
      assert.equal(o.ended, false);
    }
    assert.deepEqual(store.counts(), { session: 0, room: 0, call: 0, other: 4 });
  });

  test('every object is found by its key, whatever its class, subclass and id hold', () => {
    const { store, feed } = setup();
    const events = [
      { class: 'media', subclass: 'session', type: 'answer', obj_id: 'sip/1234@pbx' },
      { class: 'ext', subclass: 'sip/trunk', type: 'up', obj_id: 't1' },
      { class: 'ext', subclass: 'sip', type: 'up', obj_id: 'trunk/t2' },
      { class: 'media', subclass: 'session', type: 'stop' },
      { class: 'media' },
    ];
    for (const event of events) feed.event(event);
    const keys = store.objects().map((o) => o.key);
    assert.deepEqual(keys, ['media/session/sip/1234@pbx', 'ext/sip/trunk/t1', 'ext/sip/trunk/t2', 'media/session/', 'media//']);
    for (const key of keys) assert.equal(store.getObject(key)?.key, key);
    assert.equal(store.getObject('media/session/sip'), undefined);
    assert.equal(store.getObject('nothing/like/this'), undefined);
  });

  test('counts and objectsOfKind group objects by kind', () => {
    const { store, feed } = setup();
    feed.publishAndListen();
    feed.call('ringing', CALL, {});
    feed.event({ class: 'core', subclass: 'session', type: 'started', obj_id: 'x' });
    assert.deepEqual(store.counts(), { session: 2, room: 1, call: 1, other: 1 });
    assert.deepEqual(store.objectsOfKind('session').map((o) => o.objId), [PUB, LISTENER]);
    assert.deepEqual(store.objectsOfKind('call').map((o) => o.objId), [CALL]);
  });
});
