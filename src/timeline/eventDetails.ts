// The text the timeline shows for one event: the details pane's JSON and the tooltip's
// excerpt. Both are plain strings; the webview puts them in the page as text only.
import { excerptJson, noteEventSeq, notesOfObject, type EventStore } from '../core';

/** SDP answers are a few KB; anything far beyond is cut so one event cannot flood the pane. */
const MAX_DETAILS_CHARS = 200_000;
const EXCERPT_CHARS = 160;

export interface EventDetails {
  readonly seq: number;
  readonly objectKey: string;
  readonly ts: number;
  readonly typeName: string;
  readonly json: string;
  readonly notes?: readonly string[];
}

export function eventDetails(store: EventStore, seq: number): EventDetails | undefined {
  const event = store.getEvent(seq);
  if (!event) return undefined;
  const typeIndex = store.typeIndexOf(seq);
  let json = JSON.stringify(event.data, null, 2);
  if (json.length > MAX_DETAILS_CHARS) json = `${json.slice(0, MAX_DETAILS_CHARS)}\n… (${json.length - MAX_DETAILS_CHARS} more characters)`;
  const notes = notesOfObject(store, event.objectKey).filter((n) => n.eventType !== undefined && noteEventSeq(store, n) === seq);
  return {
    seq,
    objectKey: event.objectKey,
    ts: event.ts,
    typeName: (typeIndex === undefined ? undefined : store.typeName(typeIndex)) ?? '',
    json,
    ...(notes.length > 0 ? { notes: notes.map((n) => n.text) } : {}),
  };
}

/** A one-line excerpt of the event's body (or of the event, when it has no body). */
export function eventExcerpt(store: EventStore, seq: number): string | undefined {
  const event = store.getEvent(seq);
  if (!event) return undefined;
  return excerptJson(event.data.body ?? event.data, EXCERPT_CHARS);
}
