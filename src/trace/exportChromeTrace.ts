// Chrome Trace Event JSON (the "JSON Object Format"), for ui.perfetto.dev and chrome://tracing:
//   - each object is an async slice: "b" at its first event, "e" at its end (or last event),
//     keyed by `id` = its obj_id and `cat` = its kind, on one track per kind (tid);
//   - each event is an async instant ("n") on its object's slice, its body in `args`;
//   - each listener → publisher link is a flow ("s" on the listener, "f" on the publisher);
//   - the user's notes (src/core/notes.ts) are `args.notes` (their texts) of what they are on:
//     the event's instant, or for a note on the object (or on an event no longer stored) the
//     slice's "b". No events of their own: a note is not something that happened.
// Timestamps are microseconds since the epoch. The output is written piece by piece: a large
// trace's export can be bigger than a JavaScript string may be.
import { noteEventSeq, notesOfObject, type EventStore, type ObjectKind, type ObjectState } from '../core';
import { throwIfCancelled } from './reader';
import type { TextOutput } from './textOutput';

const PID = 1;
const TRACKS: Record<ObjectKind, { tid: number; name: string }> = {
  session: { tid: 1, name: 'sessions' },
  room: { tid: 2, name: 'rooms' },
  call: { tid: 3, name: 'calls' },
  other: { tid: 4, name: 'other' },
};
const CHECK_EVERY = 4096;

export interface ChromeTraceOptions {
  /** Shown as the process name, e.g. the trace file's name. */
  title: string;
  /** Only these objects (default: all). */
  objectKeys?: Iterable<string>;
  /** Stored in `otherData` (e.g. the trace header). */
  metadata?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Events written so far of the total, now and then and at the end. */
  onProgress?: (events: number, total: number) => void;
}

export interface ChromeTraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid?: number;
  ts?: number;
  cat?: string;
  id?: string;
  bp?: string;
  args?: Record<string, unknown>;
}

/** Writes the whole export; returns how many of the store's events it holds (as instants). */
export async function exportChromeTrace(store: EventStore, out: TextOutput, options: ChromeTraceOptions): Promise<number> {
  const objects = selectedObjects(store, options.objectKeys);
  const wanted = new Uint8Array(store.objectIndexLimit);
  for (const object of objects) wanted[object.index] = 1;

  let instants = 0;
  let first = true;
  const emit = (event: ChromeTraceEvent) => {
    const text = JSON.stringify(event);
    const separator = first ? '\n' : ',\n';
    first = false;
    return out.write(separator + text);
  };

  await out.write('{"traceEvents":[');
  await emit({ ph: 'M', name: 'process_name', pid: PID, args: { name: options.title } });
  for (const track of Object.values(TRACKS)) await emit({ ph: 'M', name: 'thread_name', pid: PID, tid: track.tid, args: { name: track.name } });

  const eventNotes = new Map<number, string[]>();
  const objectNotes = new Map<string, string[]>();
  for (const object of objects) {
    for (const note of notesOfObject(store, object.key)) {
      const seq = noteEventSeq(store, note);
      if (seq === undefined) objectNotes.set(object.key, [...(objectNotes.get(object.key) ?? []), note.text]);
      else eventNotes.set(seq, [...(eventNotes.get(seq) ?? []), note.text]);
    }
  }
  for (const object of objects) await emit(sliceBegin(object, objectNotes.get(object.key)));

  // Instants, oldest first: collect the sequence numbers first (the visitor cannot await).
  const seqs: number[] = [];
  store.forEachEvent((seq, _ts, _conn, objectIndex) => {
    if (wanted[objectIndex] === 1) seqs.push(seq);
  });
  for (let i = 0; i < seqs.length; i++) {
    const event = store.getEvent(seqs[i]);
    const object = event && store.getObject(event.objectKey);
    if (!event || !object) continue;
    const args: Record<string, unknown> = { seq: event.seq, conn: event.conn, body: event.data.body ?? {} };
    for (const [field, value] of Object.entries(event.data)) {
      if (!(field in args) && !BASE_FIELDS.has(field)) args[field] = value;
    }
    const notes = eventNotes.get(event.seq);
    if (notes) args.notes = notes;
    const pending = emit({ ph: 'n', cat: object.kind, name: event.data.type ?? '(no type)', id: asyncId(object), pid: PID, tid: TRACKS[object.kind].tid, ts: micros(event.ts), args });
    instants++;
    if (pending) await pending;
    if (i % CHECK_EVERY === 0) {
      throwIfCancelled(options.signal);
      options.onProgress?.(i, seqs.length);
    }
  }
  options.onProgress?.(seqs.length, seqs.length);

  let flow = 0;
  for (const object of objects) {
    if (object.kind !== 'room') continue;
    for (const member of object.listeners.values()) {
      if (member.sessionId === undefined) continue;
      const listener = store.getObject(`media/session/${member.sessionId}`);
      const publisher = member.peer === undefined ? undefined : store.getObject(`media/session/${member.peer}`);
      if (!listener || !publisher || wanted[listener.index] !== 1 || wanted[publisher.index] !== 1) continue;
      const ts = micros(member.joinedTs ?? object.firstTs);
      const id = `link-${++flow}`;
      const name = 'listener → publisher';
      const args = { room: object.objId, listener: listener.objId, publisher: publisher.objId };
      await emit({ ph: 's', cat: 'link', name, id, pid: PID, tid: TRACKS.session.tid, ts, args });
      await emit({ ph: 'f', bp: 'e', cat: 'link', name, id, pid: PID, tid: TRACKS.session.tid, ts, args });
    }
  }

  for (const object of objects) await emit(sliceEnd(object));
  await out.write(`\n],"displayTimeUnit":"ms","otherData":${JSON.stringify(options.metadata ?? {})}}\n`);
  return instants;
}

const BASE_FIELDS = new Set(['class', 'subclass', 'type', 'obj_id', 'body']);

function selectedObjects(store: EventStore, keys: Iterable<string> | undefined): ObjectState[] {
  if (keys === undefined) return store.objects();
  const objects: ObjectState[] = [];
  for (const key of new Set(keys)) {
    const object = store.getObject(key);
    if (object) objects.push(object);
  }
  return objects;
}

function sliceName(object: ObjectState): string {
  return `${object.kind === 'other' ? object.subclass || object.class : object.kind} ${object.objId || object.key}`;
}

function asyncId(object: ObjectState): string {
  return object.objId || object.key;
}

function sliceBegin(object: ObjectState, notes: string[] | undefined): ChromeTraceEvent {
  const args: Record<string, unknown> = { key: object.key, conn: object.conn };
  if (notes) args.notes = notes;
  if (object.user !== undefined) args.user = object.user;
  if (object.roomClass !== undefined) args.class = object.roomClass;
  if (object.backend !== undefined) args.backend = object.backend;
  return { ph: 'b', cat: object.kind, name: sliceName(object), id: asyncId(object), pid: PID, tid: TRACKS[object.kind].tid, ts: micros(object.firstTs), args };
}

function sliceEnd(object: ObjectState): ChromeTraceEvent {
  const args: Record<string, unknown> = { state: object.state, events: object.eventCount };
  if (object.code !== undefined) args.code = object.code;
  if (object.reason !== undefined) args.reason = object.reason;
  if (object.anomalies.length > 0) args.anomalies = object.anomalies.map((a) => a.message);
  const end = Math.max(object.endTs ?? object.lastTs, object.firstTs);
  return { ph: 'e', cat: object.kind, name: sliceName(object), id: asyncId(object), pid: PID, tid: TRACKS[object.kind].tid, ts: micros(end), args };
}

function micros(ms: number): number {
  return Math.round(ms * 1000);
}
