import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventStore,
  describeFilter,
  eventMatches,
  eventPredicate,
  isEmptyFilter,
  matchingObjectKeys,
  objectMatches,
  type EventFilter,
} from '../../../src/core';
import { CALL, Feed, LISTENER, PUB, ROOM, callKeyOf, roomKeyOf, sessionKeyOf } from './feed';
import { parseFilter } from '../../../src/shared/filterSyntax';

function populated() {
  const store = new EventStore();
  const feed = new Feed(store);
  feed.publishAndListen();
  feed.stop(PUB, 0, 'Janus Timeout');
  feed.call('ringing', CALL, {});
  feed.call('hangup', CALL, { code: 0, reason: 'User hangup' });
  return store;
}

/** Matching object keys both ways (per object and in one pass), checking they agree. */
function matching(store: EventStore, filter: EventFilter): string[] {
  const perObject = store.objects().filter((o) => objectMatches(store, o, filter)).map((o) => o.key);
  const onePass = matchingObjectKeys(store, filter);
  assert.deepEqual([...onePass].sort(), [...perObject].sort(), 'objectMatches and matchingObjectKeys agree');
  return perObject.sort();
}

describe('object filter', () => {
  test('the empty filter matches everything', () => {
    const store = populated();
    assert.equal(isEmptyFilter({}), true);
    assert.equal(isEmptyFilter({ text: '  ', types: [], subclasses: [] }), true);
    assert.equal(matching(store, {}).length, store.objects().length);
  });

  test('subclasses keep only objects of those subclasses', () => {
    const store = populated();
    assert.deepEqual(matching(store, { subclasses: ['room', 'call'] }), [callKeyOf(CALL), roomKeyOf(ROOM)].sort());
  });

  test('types keep objects that have an event of one of the types, by bare or full name', () => {
    const store = populated();
    assert.deepEqual(matching(store, { types: ['stop', 'hangup'] }), [callKeyOf(CALL), sessionKeyOf(PUB)].sort());
    assert.deepEqual(matching(store, { types: ['media/call/hangup'] }), [callKeyOf(CALL)]);
  });

  test('text matches ids, states and users case-insensitively', () => {
    const store = populated();
    // A session only named by a room event has no events of its own: it matches by its id.
    new Feed(store).publisherJoins(ROOM, 'AbCdEf12-only-named', 'user9');
    assert.deepEqual(matching(store, { text: 'abcdef12-ONLY' }), [roomKeyOf(ROOM), sessionKeyOf('AbCdEf12-only-named')]);
    // No event says "hungup" (the type is "hangup"): the call matches by its state.
    assert.deepEqual(matching(store, { text: 'HUNGUP' }), [callKeyOf(CALL)]);
    // The listener's user is only named by the room's events: the session matches by its user field.
    assert.ok(matching(store, { text: 'User2@NkMedia' }).includes(sessionKeyOf(LISTENER)));
  });

  test('text matches the raw JSON of an object\'s events', () => {
    const store = populated();
    assert.deepEqual(matching(store, { text: 'janus timeout' }), [sessionKeyOf(PUB)]);
    assert.deepEqual(matching(store, { text: 'nkmedia_janus' }), [roomKeyOf(ROOM)]);
    assert.deepEqual(matching(store, { text: 'no such text anywhere' }), []);
  });

  test('all conditions must hold together', () => {
    const store = populated();
    assert.deepEqual(matching(store, { text: 'user', types: ['hangup'], subclasses: ['call'] }), [callKeyOf(CALL)]);
    assert.deepEqual(matching(store, { text: 'janus timeout', subclasses: ['room'] }), []);
  });
});

describe('user filter', () => {
  test('user: matches a user exactly (user3 is not user30), and a room by any member', () => {
    const store = new EventStore();
    const feed = new Feed(store);
    feed.roomStarted(ROOM);
    feed.publisherJoins(ROOM, PUB, 'User3');
    feed.session('updated_type', LISTENER, { type: 'listen' });
    new Feed(store).publisherJoins('other-room', LISTENER, 'user30');
    assert.deepEqual(matching(store, { text: 'user3' }), [roomKeyOf('other-room'), roomKeyOf(ROOM), sessionKeyOf(LISTENER), sessionKeyOf(PUB)].sort());
    assert.deepEqual(matching(store, { users: ['user3'] }), [roomKeyOf(ROOM), sessionKeyOf(PUB)].sort());
    // The events shown are those of the matching objects; the timeline's compiled scan agrees.
    const shown = (filter: EventFilter) => {
      const predicate = eventPredicate(store, filter);
      const seqs: number[] = [];
      store.forEachEvent((seq, _ts, _conn, objectIndex, typeIndex) => {
        const one = eventMatches(store, seq, filter);
        assert.equal(predicate(seq, objectIndex, typeIndex), one, `event #${seq}: the scan and the tree agree`);
        if (one) seqs.push(seq);
      });
      return seqs;
    };
    // user30's session (its user is named by the room event) and that room: their events only.
    assert.deepEqual(shown({ users: ['USER30'] }), [...store.eventsOf(sessionKeyOf(LISTENER)), ...store.eventsOf(roomKeyOf('other-room'))].sort((a, b) => a - b));
    assert.equal(describeFilter({ users: ['user3'], types: ['stop'] }), 'type: stop · user: user3');
  });
});

describe('event filter', () => {
  test('events are shown if their type is allowed and they contain the text', () => {
    const store = populated();
    const pubEvents = store.eventsOf(sessionKeyOf(PUB));
    const types = (filter: EventFilter) =>
      pubEvents.filter((seq) => eventMatches(store, seq, filter)).map((seq) => store.getEvent(seq)?.data.type);
    assert.deepEqual(types({}), ['updated_type', 'answer', 'stop']);
    assert.deepEqual(types({ types: ['answer', 'stop'] }), ['answer', 'stop']);
    assert.deepEqual(types({ text: 'PUBLISH' }), ['updated_type']);
  });

  test('a full class/subclass/type name, typed in the filter box, keeps that type of that class and subclass only', () => {
    const store = populated();
    // The same bare type in another subclass and another class.
    new Feed(store).event({ class: 'media', subclass: 'room', type: 'stop', obj_id: 'room-stopped' });
    new Feed(store).event({ class: 'collab', subclass: 'session', type: 'stop', obj_id: 'collab-session' });
    const filter: EventFilter = parseFilter('type:media/session/stop');
    assert.deepEqual(filter.types, ['media/session/stop']);
    const predicate = eventPredicate(store, filter);
    const shown: string[] = [];
    store.forEachEvent((seq, _ts, _conn, objectIndex, typeIndex) => {
      const one = eventMatches(store, seq, filter);
      assert.equal(predicate(seq, objectIndex, typeIndex), one, `event #${seq}: the scan and the tree agree`);
      const data = store.getEvent(seq)?.data;
      if (one) shown.push(`${data?.class}/${data?.subclass}/${data?.type} ${data?.obj_id}`);
    });
    assert.deepEqual(shown, [`media/session/stop ${PUB}`]);
    assert.deepEqual(matching(store, filter), [sessionKeyOf(PUB)]);
    // The bare type still takes every class and subclass.
    assert.equal(matching(store, parseFilter('type:stop')).length, 3);
  });

  test('an object matched by its own fields shows all its events (of allowed types)', () => {
    const store = populated();
    const listenerEvents = store.eventsOf(sessionKeyOf(LISTENER));
    assert.equal(listenerEvents.filter((seq) => eventMatches(store, seq, { text: 'user2@' })).length, listenerEvents.length);
  });
});

describe('describeFilter', () => {
  test('gives a short text naming each condition', () => {
    assert.equal(describeFilter({}), '');
    assert.equal(describeFilter({ text: ' user1 ', types: ['stop', 'hangup'], subclasses: ['session'] }), '"user1" · type: stop, hangup · session');
  });
});
