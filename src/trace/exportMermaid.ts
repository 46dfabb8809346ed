// A Mermaid `sequenceDiagram` of one object and the objects related to it: the "ladder" a
// developer pastes into a bug report. Room membership events are arrows from the session to
// the room (a listener also gets a dashed arrow to the publisher it watches); everything else
// is a note over its object. Times are relative to the first event shown.
//
// Text comes from the trace (untrusted): every label goes through `mermaidText`, which keeps
// it on one line and escapes what Mermaid would read as syntax or markup. The user's notes
// (src/core/notes.ts) are notes over their object, marked ✎, after the event they are on (a
// note on the object: after its first event).
import { noteEventSeq, notesOfObject, type Anomaly, type EventStore, type Note, type ObjectState } from '../core';
import type { MemberRef } from '../protocol/dialects';
import { relatedObjectKeys } from './relatedObjects';

/** Past this many events a diagram is unreadable (and slow to render): the rest is counted. */
export const MAX_MERMAID_EVENTS = 400;
const MAX_LABEL_CHARS = 120;

export interface MermaidOptions {
  maxEvents?: number;
}

export function exportMermaid(store: EventStore, objectKey: string, options: MermaidOptions = {}): string {
  const focus = store.getObject(objectKey);
  if (!focus) throw new Error(`no object ${objectKey} in the store`);
  const maxEvents = options.maxEvents ?? MAX_MERMAID_EVENTS;
  const objects = relatedObjectKeys(store, objectKey).map((k) => store.getObject(k) as ObjectState);
  const alias = new Map<string, string>();
  const counters = { session: 0, room: 0, call: 0, other: 0 };
  const prefix = { session: 'S', room: 'R', call: 'C', other: 'O' } as const;
  for (const object of objects) alias.set(object.key, `${prefix[object.kind]}${++counters[object.kind]}`);
  const sessionAlias = (id: unknown) => (typeof id === 'string' ? alias.get(`media/session/${id}`) : undefined);

  const lines = ['sequenceDiagram'];
  for (const object of objects) lines.push(`  participant ${alias.get(object.key)} as ${mermaidText(participantLabel(object))}`);

  const wanted = new Uint8Array(store.objectIndexLimit);
  for (const object of objects) wanted[object.index] = 1;
  const seqs: number[] = [];
  store.forEachEvent((seq, _ts, _conn, objectIndex) => {
    if (wanted[objectIndex] === 1) seqs.push(seq);
  });

  const anomaliesBySeq = new Map<number, Array<{ key: string; anomaly: Anomaly }>>();
  const lateAnomalies: Array<{ key: string; anomaly: Anomaly }> = [];
  for (const object of objects) {
    for (const anomaly of object.anomalies) {
      if (anomaly.seq === undefined) lateAnomalies.push({ key: object.key, anomaly });
      else anomaliesBySeq.set(anomaly.seq, [...(anomaliesBySeq.get(anomaly.seq) ?? []), { key: object.key, anomaly }]);
    }
  }

  const notesBySeq = userNotes(store, objects);
  const startTs = seqs.length > 0 ? (store.tsOf(seqs[0]) as number) : focus.firstTs;
  const shown = seqs.slice(0, maxEvents);
  for (const seq of shown) {
    const event = store.getEvent(seq);
    if (!event) continue;
    const self = alias.get(event.objectKey) as string;
    const body = event.data.body ?? {};
    const type = event.data.type ?? '(no type)';
    const at = relativeTime(event.ts - startTs);
    // What the event means in its era (a member joining or leaving), not its name.
    const meaning = store.vocabulary.lookup(event.data.class, event.data.subclass ?? '', type).meaning;
    const ref = meaning?.effect === 'memberJoined' || meaning?.effect === 'memberLeft' ? meaning.member(body) : undefined;
    const member = sessionAlias(ref?.sessionId);
    const text = `${at} ${type}${describeBody(body, ref)}`;
    if (ref && member !== undefined) {
      lines.push(`  ${member}->>${self}: ${mermaidText(text)}`);
      const peer = sessionAlias(ref.peer);
      if (meaning?.effect === 'memberJoined' && ref.role === 'listener' && peer !== undefined) lines.push(`  ${member}-->>${peer}: ${mermaidText('listens to')}`);
    } else {
      lines.push(`  Note over ${self}: ${mermaidText(text)}`);
    }
    for (const { key, anomaly } of anomaliesBySeq.get(seq) ?? []) lines.push(`  Note over ${alias.get(key)}: ${mermaidText(`⚠ ${anomaly.message}`)}`);
    for (const note of notesBySeq.get(seq) ?? []) lines.push(noteLine(alias, note));
    notesBySeq.delete(seq);
  }
  if (seqs.length > shown.length) {
    lines.push(`  Note over ${alias.get(focus.key)}: ${mermaidText(`… ${seqs.length - shown.length} more events not shown`)}`);
  }
  for (const { key, anomaly } of lateAnomalies) lines.push(`  Note over ${alias.get(key)}: ${mermaidText(`⚠ ${anomaly.message}`)}`);
  // Notes whose event is not shown (past the limit, or no longer stored) still belong in it.
  for (const notes of notesBySeq.values()) for (const note of notes) lines.push(noteLine(alias, note));
  return lines.join('\n') + '\n';
}

/** The notes on the objects shown, by the seq they follow (a note on an object: its first event's; none: -1). */
function userNotes(store: EventStore, objects: readonly ObjectState[]): Map<number, Note[]> {
  const bySeq = new Map<number, Note[]>();
  for (const object of objects) {
    for (const note of notesOfObject(store, object.key)) {
      const seq = noteEventSeq(store, note) ?? store.eventsOf(object.key, 0, 1)[0] ?? -1;
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), note]);
    }
  }
  return bySeq;
}

function noteLine(alias: ReadonlyMap<string, string>, note: Note): string {
  return `  Note over ${alias.get(note.object)}: ${mermaidText(`✎ ${note.text}`)}`;
}

/**
 * One line of label text Mermaid shows as is: no line breaks, and `;` `#` `<` `>` `%` written
 * as Mermaid entity codes (`#59;`…) so they are neither statement ends, comments nor HTML.
 */
export function mermaidText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.length > MAX_LABEL_CHARS ? `${flat.slice(0, MAX_LABEL_CHARS - 1)}…` : flat;
  return short.replace(/[#;<>%]/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '%': '#37;' };

function participantLabel(object: ObjectState): string {
  const id = object.objId ? object.objId.slice(0, 8) : object.key;
  const kind = object.kind === 'other' ? object.subclass || object.class : object.kind;
  const extra = object.user ? ` (${object.user})` : object.kind === 'room' && object.roomClass ? ` (${object.roomClass})` : '';
  return `${kind} ${id}${extra}`;
}

/** The few body fields worth a glance; SDP is summarised by size, not shown. */
function describeBody(body: Record<string, unknown>, member: MemberRef | undefined): string {
  const parts: string[] = [];
  if (member) {
    if (member.user) parts.push(member.user);
    if (member.role === 'listener' && member.peer) parts.push(`watches ${member.peer.slice(0, 8)}`);
    parts.push(member.sessionId ? `session ${member.sessionId.slice(0, 8)}` : `member ${member.memberId}`);
  } else if (typeof body.user === 'string') {
    parts.push(body.user);
  }
  if (!member && (typeof body.class === 'string' || typeof body.backend === 'string')) parts.push([body.class, body.backend].filter((v) => typeof v === 'string').join(', '));
  if (body.code !== undefined) parts.push(`code ${String(body.code)}`);
  if (typeof body.reason === 'string') parts.push(body.reason);
  if (!member && typeof body.type === 'string') parts.push(body.type);
  if (typeof body.answer === 'string') parts.push(`SDP ${(body.answer.length / 1024).toFixed(1)} KB`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function relativeTime(ms: number): string {
  return `+${(ms / 1000).toFixed(3)}s`;
}
