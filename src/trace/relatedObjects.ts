// "This object and the ones it talks to", for exports of one object: a room with its
// publisher and listener sessions; a session with its rooms, the publisher it watches and the
// listeners watching it. Found from the state the store derived, not by reading events.
import type { EventStore, ObjectState } from '../core';
import { TraceFileError } from './errors';

const sessionKeyOf = (id: string) => `media/session/${id}`;

/** The object's key first, then its related objects that are in the store. */
export function relatedObjectKeys(store: EventStore, key: string): string[] {
  const object = store.getObject(key);
  if (!object) return [];
  const keys = new Set<string>([key]);
  const add = (k: string) => {
    if (store.getObject(k)) keys.add(k);
  };
  if (object.kind === 'room') {
    for (const member of [...object.publishers.values(), ...object.listeners.values()]) if (member.sessionId) add(sessionKeyOf(member.sessionId));
  } else if (object.kind === 'session') {
    for (const roomKey of object.roomKeys) {
      add(roomKey);
      const room = store.getObject(roomKey);
      for (const [listenerId, member] of room?.listeners ?? []) if (member.peer === object.objId) add(sessionKeyOf(listenerId));
    }
    if (object.peer) add(sessionKeyOf(object.peer));
  }
  return [...keys];
}

/**
 * The objects a user may mean by `id`: the one with that full key (`media/session/…`), else
 * those whose obj_id is exactly `id`, else those whose obj_id starts with it (as the tree
 * shows short ids). One object is an answer; none or several is the caller's to report.
 */
export function objectsMatchingId(store: EventStore, id: string): ObjectState[] {
  const byKey = store.getObject(id);
  if (byKey) return [byKey];
  const objects = store.objects();
  const exact = objects.filter((o) => o.objId === id);
  if (exact.length > 0) return exact;
  return id.length > 0 ? objects.filter((o) => o.objId.startsWith(id)) : [];
}

/**
 * The object a user means by `id` (objectsMatchingId). Throws a one-line error when none or
 * several match.
 */
export function findObject(store: EventStore, id: string): ObjectState {
  const candidates = objectsMatchingId(store, id);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) throw new TraceFileError(`no object with id ${id} in the trace`);
  const listed = candidates.slice(0, 5).map((o) => o.key).join(', ');
  throw new TraceFileError(`${candidates.length} objects match ${id} (${listed}${candidates.length > 5 ? ', …' : ''}): give more of the id, or the full key`);
}
