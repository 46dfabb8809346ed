// Notes and bookmarks: text the user attaches to an object or to one of its events. A note is
// an annotation of the store (kind "note", docs/trace-format.md), so Save Trace writes it and
// opening the trace brings it back, like any annotation.
//
// An event is not named by its seq: the store numbers events as they arrive, and a trace
// opened again (or saved with fewer objects) numbers them anew. It is named by what survives
// a save and a load: its object, its ts and its type, and, when several events of that object
// have the same ts and type, its position among them (`index`, from 0; left out when 0).
import type { EventStore } from './eventStore';
import type { Annotation } from './types';

export const NOTE_KIND = 'note';

export interface Note extends Annotation {
  readonly line: typeof NOTE_KIND;
  /** The event's ts, or (a note on the object) the object's first ts. */
  readonly ts: number;
  /** The object's key, as `objectKey()` writes it: `media/session/<id>`. */
  readonly object: string;
  /** A note on an event: its type (the object alone when absent). */
  readonly eventType?: string;
  /** Among the object's events of this ts and type, which one (0 when absent). */
  readonly index?: number;
  readonly text: string;
  /** When the note was written (ISO 8601). */
  readonly created: string;
}

/** Whether an annotation (from the store or a trace) is a usable note; others are not shown. */
export function isNote(annotation: Annotation): annotation is Note {
  const a = annotation as Partial<Note>;
  return (
    a.line === NOTE_KIND &&
    typeof a.ts === 'number' &&
    Number.isFinite(a.ts) &&
    typeof a.object === 'string' &&
    typeof a.text === 'string' &&
    (a.eventType === undefined || typeof a.eventType === 'string') &&
    (a.index === undefined || (Number.isInteger(a.index) && a.index >= 0))
  );
}

/** A note on an object, at its first event. Undefined when the store has no such object. */
export function objectNote(store: EventStore, objectKey: string, text: string, now = new Date()): Note | undefined {
  const object = store.getObject(objectKey);
  if (!object) return undefined;
  return { line: NOTE_KIND, ts: object.firstTs, object: objectKey, text, created: now.toISOString() };
}

/** A note on the stored event `seq`. Undefined when the event is not stored (evicted, or no object). */
export function eventNote(store: EventStore, seq: number, text: string, now = new Date()): Note | undefined {
  const event = store.getEvent(seq);
  const objectKey = store.objectKeyOf(seq);
  if (!event || objectKey === undefined) return undefined;
  const eventType = event.data.type ?? '';
  let index = 0;
  for (const other of store.eventsOf(objectKey)) {
    if (other === seq) break;
    if (store.tsOf(other) === event.ts && typeOf(store, other) === eventType) index++;
  }
  const note: Note = { line: NOTE_KIND, ts: event.ts, object: objectKey, eventType, text, created: now.toISOString() };
  return index > 0 ? { ...note, index } : note;
}

/** The stored event a note is about: undefined for a note on an object, or an event no longer stored. */
export function noteEventSeq(store: EventStore, note: Note): number | undefined {
  if (note.eventType === undefined) return undefined;
  let index = note.index ?? 0;
  for (const seq of store.eventsOf(note.object)) {
    if (store.tsOf(seq) !== note.ts || typeOf(store, seq) !== note.eventType) continue;
    if (index-- === 0) return seq;
  }
  return undefined;
}

/** An event's type as a note names it: '' for an event without one. */
function typeOf(store: EventStore, seq: number): string | undefined {
  const event = store.getEvent(seq);
  return event && (event.data.type ?? '');
}

interface NoteIndex {
  version: number;
  all: Note[];
  byObject: Map<string, Note[]>;
}

/** Derived once per change of the store's annotations: a tree row asks for its object's notes. */
const indexes = new WeakMap<EventStore, NoteIndex>();

function noteIndex(store: EventStore): NoteIndex {
  const cached = indexes.get(store);
  if (cached && cached.version === store.annotationsVersion) return cached;
  const all = store.annotations().filter(isNote);
  all.sort((a, b) => a.ts - b.ts);
  const byObject = new Map<string, Note[]>();
  for (const note of all) {
    const list = byObject.get(note.object);
    if (list) list.push(note);
    else byObject.set(note.object, [note]);
  }
  const index = { version: store.annotationsVersion, all, byObject };
  indexes.set(store, index);
  return index;
}

/** Every note of the store, by ts (stable). */
export function notesOf(store: EventStore): readonly Note[] {
  return noteIndex(store).all;
}

/** The notes on an object and its events, by ts. */
export function notesOfObject(store: EventStore, objectKey: string): readonly Note[] {
  return noteIndex(store).byObject.get(objectKey) ?? [];
}

/**
 * What names a note while it is kept: its place and when it was written, not its text (an
 * edit keeps the id). Two notes written in the same millisecond on one place share it: the
 * first is found; a view appends its position when it needs them apart.
 */
export function noteId(note: Note): string {
  return [note.object, note.ts, note.eventType ?? '', note.index ?? 0, note.created].join('\u0000');
}

/** The kept note of that id on that object. */
export function findNote(store: EventStore, objectKey: string, id: string): Note | undefined {
  return notesOfObject(store, objectKey).find((n) => noteId(n) === id);
}

/** Adds a note to the store and announces it; false when the store keeps no more annotations. */
export function addNote(store: EventStore, note: Note): boolean {
  return store.addAnnotation(note, true);
}

/** Gives a kept note new text (its place and `created` stay); returns the note now kept. */
export function editNote(store: EventStore, note: Note, text: string): Note | undefined {
  const next: Note = { ...note, text };
  return store.replaceAnnotation(note, next) ? next : undefined;
}

export function removeNote(store: EventStore, note: Note): boolean {
  return store.replaceAnnotation(note, undefined);
}

/** One line of a note's text for a row or a label: newlines shown as ⏎, long text cut. */
export function noteLine(text: string, max = 80): string {
  const line = text.replace(/\r\n|\r|\n/g, ' ⏎ ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
