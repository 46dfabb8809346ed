// The store derives the same canonical state from each era's own names and fields (cited in
// src/protocol/dialects). Sequences here follow the Erlang sources of each era.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, type ObjectState } from '../../../src/core';
import { vocabularyFor, type DialectSetting } from '../../../src/protocol/dialects';
import type { EventData } from '../../../src/protocol/frames';
import { Feed } from './feed';

function load(events: EventData[], dialect: DialectSetting = 'auto') {
  const store = new EventStore({ vocabulary: vocabularyFor(dialect) });
  const feed = new Feed(store);
  for (const event of events) feed.event(event);
  return { store, get: (key: string) => store.getObject(key) as ObjectState };
}

const media = (subclass: string, type: string, obj_id: string, body?: Record<string, unknown>): EventData => ({ class: 'media', subclass, type, obj_id, ...(body ? { body } : {}) });

describe('each era derives the same state', () => {
  test('July 2016: a listener names its publisher `publisher`, itself `listener`; the room is `created`', () => {
    const { store, get } = load([
      media('room', 'created', 'r', { config: { room_audio_codec: 'opus' } }),
      media('session', 'answer', 'p', { answer: { sdp: 'v=0' } }),
      media('room', 'started_publisher', 'r', { publisher: 'p' }),
      media('session', 'room', 'p', { type: 'started_publisher', room: 'r', publisher: 'p' }),
      media('room', 'started_listener', 'r', { listener: 'l', publisher: 'p' }),
      media('room', 'stopped_listener', 'r', { listener: 'l' }),
      media('session', 'stop', 'l', { code: 1000, reason: 'User stop' }),
    ], '2016-07');
    assert.deepEqual([...get('media/room/r').publishers.keys()], ['p']);
    assert.equal(get('media/room/r').listeners.get('l')?.peer, 'p');
    assert.equal(get('media/session/l').peer, 'p');
    assert.equal(get('media/session/l').endVerdict, 'normal');
    assert.deepEqual(store.anomalies(), [], 'the room copies on member sessions are known');
  });

  test('Aug 2016 (the seed): started {class, backend}, peer, then peer_id from 25 Aug; stop with user_stop 1013', () => {
    const { store, get } = load([
      media('room', 'started', 'r', { class: 'sfu', backend: 'nkmedia_janus' }),
      media('room', 'started_publisher', 'r', { session_id: 'p', user: 'alice' }),
      media('room', 'started_listener', 'r', { session_id: 'l1', user: 'bob', peer: 'p' }),
      media('room', 'started_listener', 'r', { session_id: 'l2', user: 'carol', peer_id: 'p' }),
      media('session', 'stop', 'l1', { code: 1013, reason: 'User stop' }),
    ], '2016-08');
    assert.equal(get('media/room/r').roomClass, 'sfu');
    assert.equal(get('media/session/l1').peer, 'p');
    assert.equal(get('media/session/l2').peer, 'p');
    assert.equal(get('media/session/l1').state, 'stopped');
    assert.deepEqual(store.anomalies(), []);
  });

  test('Oct 2016 master: destroyed, type, candidate, started_member {role, user_id, peer_id}', () => {
    const { store, get } = load([
      media('room', 'created', 'r', { class: 'sfu', backend: 'nkmedia_janus' }),
      media('session', 'type', 'p', { type: 'publish', room_id: 'r' }),
      media('session', 'answer', 'p', { answer: { sdp: 'v=0', sdp_type: 'webrtc' } }),
      media('session', 'candidate', 'p', { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host' }),
      media('session', 'candidate_end', 'p'),
      media('room', 'started_member', 'r', { session_id: 'p', role: 'publisher', user_id: 'alice' }),
      media('room', 'started_member', 'r', { session_id: 'l', role: 'listener', user_id: 'bob', peer_id: 'p' }),
      media('room', 'stopped_member', 'r', { session_id: 'l', role: 'listener', user_id: 'bob', peer_id: 'p' }),
      media('session', 'destroyed', 'l', { code: 304006, reason: 'Publisher stopped' }),
      media('room', 'stopped_member', 'r', { session_id: 'p', role: 'publisher', user_id: 'alice' }),
      media('session', 'destroyed', 'p', { code: 100011, reason: 'User stop received' }),
      media('room', 'destroyed', 'r', { code: 304004, reason: 'No remaining room members' }),
    ], '2016-10');
    assert.equal(get('media/session/p').sessionType, 'publish');
    assert.equal(get('media/session/p').user, 'alice');
    assert.equal(get('media/session/l').peer, 'p');
    assert.equal(get('media/room/r').listeners.get('l')?.leftTs !== undefined, true);
    assert.deepEqual([get('media/session/p').state, get('media/session/l').state, get('media/room/r').state], ['stopped', 'stopped', 'destroyed']);
    assert.deepEqual(store.anomalies(), [], 'a whole ordinary room life: no ⚠ at all');
  });

  test('develop 2017: created and updated_type sessions, members with roles', () => {
    const { store, get } = load([
      media('session', 'created', 's', { session_id: 's', type: 'echo', user_id: 'dave' }),
      media('session', 'answer', 's', { answer: { sdp: 'v=0', sdp_type: 'webrtc', trickle_ice: false, backend: 'nkmedia_janus' } }),
      media('session', 'updated_type', 's', { type: 'park' }),
      media('session', 'updated_status', 's', { slow_link: true }),
      { class: 'core', subclass: 'session_event', type: 'unrecognized_fields', obj_id: 'conn-1', body: { class: 'core', subclass: 'user', cmd: 'login', fields: ['pass'] } },
      media('session', 'destroyed', 's', { code: 100011, reason: 'User stop' }),
    ], '2017');
    assert.deepEqual([get('media/session/s').sessionType, get('media/session/s').user, get('media/session/s').state], ['park', 'dave', 'stopped']);
    assert.deepEqual(store.anomalies(), []);
  });

  test('nkcollab develop: collab calls ring, are accepted or declined; rooms list media sessions with publisher_id', () => {
    const { store, get } = load([
      { class: 'collab', subclass: 'call', type: 'created', obj_id: 'c1' },
      { class: 'collab', subclass: 'call', type: 'ringing', obj_id: 'c1', body: { callee: 'bob' } },
      { class: 'collab', subclass: 'call', type: 'accepted', obj_id: 'c1', body: { callee: 'bob' } },
      { class: 'collab', subclass: 'call', type: 'hangup', obj_id: 'c1', body: { code: 305011, reason: 'API hangup' } },
      { class: 'collab', subclass: 'call', type: 'ringing', obj_id: 'c2', body: { callee: 'eve' } },
      { class: 'collab', subclass: 'call', type: 'hangup', obj_id: 'c2', body: { code: 305006, reason: 'No answer' } },
      { class: 'collab', subclass: 'room', type: 'created', obj_id: 'r', body: { class: 'sfu', backend: 'nkmedia_kms' } },
      { class: 'collab', subclass: 'room', type: 'started_publisher', obj_id: 'r', body: { session_id: 'p', type: 'publish', user_id: 'alice' } },
      { class: 'collab', subclass: 'room', type: 'started_listener', obj_id: 'r', body: { session_id: 'l', type: 'listen', user_id: 'bob', publisher_id: 'p' } },
    ], 'nkcollab-2017');
    assert.deepEqual([get('collab/call/c1').kind, get('collab/call/c1').state, get('collab/call/c1').endVerdict], ['call', 'hungup', 'normal']);
    assert.deepEqual([get('collab/call/c2').state, get('collab/call/c2').endVerdict], ['declined', 'declined']);
    assert.equal(get('collab/room/r').kind, 'room');
    assert.equal(get('media/session/l').peer, 'p', 'collab room members are media sessions');
    assert.deepEqual(get('media/session/l').roomKeys, ['collab/room/r']);
    assert.deepEqual(store.anomalies(), []);
  });

  test('nkcollab master: room members are users (member_id, presenter | viewer), not sessions', () => {
    const { store, get } = load([
      { class: 'collab', subclass: 'room', type: 'created', obj_id: 'r', body: { class: 'sfu' } },
      { class: 'collab', subclass: 'room', type: 'started_member', obj_id: 'r', body: { member_id: 1, role: 'presenter', user_id: 'alice' } },
      { class: 'collab', subclass: 'room', type: 'started_member', obj_id: 'r', body: { member_id: 2, role: 'viewer', user_id: 'bob' } },
      { class: 'collab', subclass: 'room', type: 'stopped_member', obj_id: 'r', body: { member_id: 2, role: 'viewer', user_id: 'bob' } },
    ], 'nkcollab-2016');
    const room = get('collab/room/r');
    assert.deepEqual([...room.publishers.keys()], ['1']);
    assert.equal(room.listeners.get('2')?.user, 'bob');
    assert.equal(room.listeners.get('2')?.sessionId, undefined);
    assert.equal(store.counts().session, 0, 'no session objects are made up for members');
  });

  test('one era\'s tables flag another era\'s names as unknown, but still understand them', () => {
    const { store, get } = load([media('session', 'answer', 's', { answer: {} }), media('session', 'stop', 's', { code: 100011, reason: 'User stop received' })], '2016-10');
    assert.equal(get('media/session/s').state, 'stopped');
    assert.deepEqual(store.anomalies().map((a) => a.anomaly.kind), ['unknown-type']);
  });
});

describe('snapshots taken on connect', () => {
  test('a room snapshot lists its members and marks what it told', () => {
    const { get } = load([
      media('room', 'inspector:snapshot', 'r', { class: 'sfu', backend: 'nkmedia_janus', members: { p: { role: 'publisher', user_id: 'alice' }, l: { role: 'listener', user_id: 'bob', peer_id: 'p' } } }),
      media('session', 'inspector:snapshot', 'p', { session_id: 'p', type: 'publish', user_id: 'alice', answer: { sdp: 'v=0' } }),
    ]);
    const room = get('media/room/r');
    assert.equal(room.fromSnapshot, true);
    assert.equal(room.roomClass, 'sfu');
    assert.equal(room.listeners.get('l')?.peer, 'p');
    assert.equal(room.listeners.get('l')?.joinedTs, get('media/room/r').firstTs, 'joined before we connected: the snapshot time');
    assert.deepEqual([get('media/session/p').state, get('media/session/p').sessionType], ['answered', 'publish']);
    assert.equal(get('media/session/l').peer, 'p');
  });

  test('Aug 2016 room info (publishers / listeners maps) reads the same', () => {
    const { get } = load([media('room', 'inspector:snapshot', 'r', { class: 'sfu', publishers: { p: { user: 'alice' } }, listeners: { l: { user: 'bob', peer: 'p' } } })]);
    assert.equal(get('media/room/r').listeners.get('l')?.peer, 'p');
    assert.equal(get('media/room/r').publishers.get('p')?.user, 'alice');
  });

  test('events that came before the snapshot reply win over it', () => {
    const { get } = load([
      media('session', 'destroyed', 's', { code: 100011, reason: 'User stop received' }),
      media('session', 'inspector:snapshot', 's', { session_id: 's', type: 'echo', answer: { sdp: 'v=0' } }),
    ]);
    assert.equal(get('media/session/s').state, 'stopped');
    assert.equal(get('media/session/s').sessionType, 'echo');
  });
});
