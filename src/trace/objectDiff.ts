// Two objects side by side (two calls, two sessions; of one trace or two): which steps both
// went through, which only one did, how long after its start each came, and how the bodies
// of the shared steps differ. `nkmedia-inspect diff` prints it; a webview can draw it.
//
// Steps are aligned by what the event *means*, not by its name (meaningKey): the same step
// is `stop` on an Aug 2016 server and `destroyed` on an Oct 2016 one, `started` or `created`,
// `started_publisher` or `started_member` with role publisher, `answer` or `accepted`. The
// question is "what happened differently", not "how did each server spell it", and two
// traces of different eras are exactly when one asks it. Types the eras give no meaning to
// (`none`: candidates, info, status…, or a type no era lists) are aligned by their name:
// they share the one meaning "changes nothing", and pairing an `info` with a `candidate`
// would hide the difference one is looking for.
import type { EventStore, ObjectKind, ObjectState, StoredEvent } from '../core';
import type { EndVerdict, Vocabulary } from '../protocol/dialects';
import { diffBodies, type FieldDifference } from './bodyDiff';
import { alignSequences } from './sequenceAlignment';

/** One side of the comparison: an object in a loaded trace. */
export interface DiffInput {
  /** How the output names the trace (its file name). */
  file: string;
  store: EventStore;
  object: ObjectState;
  /** The trace's server era. */
  dialect: { id?: string; label: string };
}

export interface DiffSide {
  file: string;
  key: string;
  objId: string;
  kind: ObjectKind;
  state: string;
  dialect: { id?: string; label: string };
  events: number;
  /** Time of its first event (ms since epoch); the offsets count from it. Absent without events. */
  firstTs?: number;
  /** Last event minus first, ms. */
  durationMs: number;
  code?: number | string;
  reason?: string;
  endVerdict?: EndVerdict;
}

export interface DiffEvent {
  seq: number;
  ts: number;
  type: string;
  /** ms since the object's first event. */
  offsetMs: number;
}

export type DiffStep =
  /** Both have it. `deltaMs` = B's offset minus A's (positive: later in B). */
  | { side: 'both'; key: string; a: DiffEvent; b: DiffEvent; deltaMs: number; body: FieldDifference[] }
  | { side: 'onlyA'; key: string; a: DiffEvent }
  | { side: 'onlyB'; key: string; b: DiffEvent };

export interface ObjectDiff {
  a: DiffSide;
  b: DiffSide;
  /** `exact: false`: too many events for the exact alignment, an approximate one was used (sequenceAlignment.ts). */
  alignment: { by: 'meaning'; exact: boolean };
  counts: { both: number; onlyA: number; onlyB: number; bodyDifferences: number; stepsWithBodyDifferences: number };
  steps: DiffStep[];
}

export function diffObjects(a: DiffInput, b: DiffInput): ObjectDiff {
  const eventsA = eventsOf(a);
  const eventsB = eventsOf(b);
  const keysA = eventsA.map((e) => meaningKey(a.store.vocabulary, e));
  const keysB = eventsB.map((e) => meaningKey(b.store.vocabulary, e));
  const startA = eventsA[0]?.ts ?? 0;
  const startB = eventsB[0]?.ts ?? 0;
  const ref = (e: StoredEvent, start: number): DiffEvent => ({ seq: e.seq, ts: e.ts, type: e.data.type ?? '', offsetMs: e.ts - start });

  const alignment = alignSequences(keysA, keysB);
  const counts = { both: 0, onlyA: 0, onlyB: 0, bodyDifferences: 0, stepsWithBodyDifferences: 0 };
  const steps = alignment.steps.map((step): DiffStep => {
    if (step.a !== undefined && step.b !== undefined) {
      const ea = ref(eventsA[step.a], startA);
      const eb = ref(eventsB[step.b], startB);
      const body = diffBodies(eventsA[step.a].data.body, eventsB[step.b].data.body);
      counts.both++;
      counts.bodyDifferences += body.length;
      if (body.length > 0) counts.stepsWithBodyDifferences++;
      return { side: 'both', key: keysA[step.a], a: ea, b: eb, deltaMs: eb.offsetMs - ea.offsetMs, body };
    }
    if (step.a !== undefined) {
      counts.onlyA++;
      return { side: 'onlyA', key: keysA[step.a], a: ref(eventsA[step.a], startA) };
    }
    counts.onlyB++;
    return { side: 'onlyB', key: keysB[step.b], b: ref(eventsB[step.b], startB) };
  });
  return { a: sideOf(a, eventsA), b: sideOf(b, eventsB), alignment: { by: 'meaning', exact: alignment.exact }, counts, steps };
}

/**
 * What an event means, as the alignment compares it: the effect its era gives it
 * (`created`, `updated`, `ringing`, `answered`, `ended`, `snapshot`), a member's arrival or
 * departure with its role (`memberJoined:publisher`), or, for types that change nothing
 * or that no era lists, `type:` and the type name.
 */
export function meaningKey(vocabulary: Vocabulary, event: Pick<StoredEvent, 'data'>): string {
  const { data } = event;
  const type = data.type ?? '';
  const meaning = vocabulary.lookup(data.class, data.subclass ?? '', type).meaning;
  if (meaning === undefined || meaning.effect === 'none') return `type:${type}`;
  if (meaning.effect === 'memberJoined' || meaning.effect === 'memberLeft') return `${meaning.effect}:${meaning.member(data.body)?.role ?? 'member'}`;
  return meaning.effect;
}

function eventsOf(input: DiffInput): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const seq of input.store.eventsOf(input.object.key)) {
    const event = input.store.getEvent(seq);
    if (event) events.push(event);
  }
  return events;
}

function sideOf(input: DiffInput, events: StoredEvent[]): DiffSide {
  const o = input.object;
  const side: DiffSide = {
    file: input.file,
    key: o.key,
    objId: o.objId,
    kind: o.kind,
    state: o.state,
    dialect: input.dialect,
    events: events.length,
    durationMs: events.length > 0 ? events[events.length - 1].ts - events[0].ts : 0,
  };
  if (events.length > 0) side.firstTs = events[0].ts;
  if (o.code !== undefined) side.code = o.code;
  if (o.reason !== undefined) side.reason = o.reason;
  if (o.endVerdict !== undefined) side.endVerdict = o.endVerdict;
  return side;
}
