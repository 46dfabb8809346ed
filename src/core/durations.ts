// How long objects take, as distributions (histogram.ts), measured at ingest. Each span is
// recorded once, by the event that ends it (the answer records the setup time, the end the
// length): nothing here re-reads events, so the distributions survive eviction as the
// derived state does. All the store keeps per object is where its open span began
// (ObjectRecord.spanPhase / spanStartTs).
//
// Spans go from one CANONICAL meaning to another (src/protocol/dialects/meanings.ts), never
// from an era's type names, so each era's names count where it has them:
//   session setup    created → answered      only eras with a session `created` (Oct 2016 head,
//                                            develop 2017); older ones send nothing when a session
//                                            starts, so their sessions have no measurable setup
//   session length   answered → ended
//   call to answer   ringing → answered      `answer` or `accepted`, by era
//   call length      answered → ended
//   room lifetime    created → ended         `started` (Aug–Sep 2016) or `created`, then `destroyed`
// A span whose start was not in the data (a trace begun mid-call, an object known from a
// snapshot) is not measured: its length is unknown, and a guess would bias the distribution.
//
// Not measured: the time from a member joining a room to its first media, because no era
// sends an event that says media started. What comes after a join is bookkeeping: member
// updates, status (Janus's slow_link), nkcollab 2016's `updated_media`, which follows an
// `update_media` command on the presenter's session (a change asked for, not media arriving:
// nkcollab src/room/nkcollab_room.erl, do_update_media). In media rooms the session is
// answered before it joins (docs/protocol.md, section 8).
import type { EventMeaning } from '../protocol/dialects';
import { DurationHistogram, type DurationOutlier, type HistogramSnapshot } from '../shared/histogram';
import type { ObjectRecord } from './objectRecord';

// Where an object's open span began (ObjectRecord.spanPhase).
/** Nothing open: its start was not seen (yet). */
export const SPAN_NONE = 0;
export const SPAN_CREATED = 1;
export const SPAN_RINGING = 2;
export const SPAN_ANSWERED = 3;
/** Ended: later events (a second `destroyed` from process_down, duplicates) measure nothing. */
export const SPAN_DONE = 4;
export type SpanPhase = typeof SPAN_NONE | typeof SPAN_CREATED | typeof SPAN_RINGING | typeof SPAN_ANSWERED | typeof SPAN_DONE;

export interface DurationOutlierState extends DurationOutlier {
  /** The object is still in the store (not evicted), so it can be revealed. */
  readonly inStore: boolean;
}

export interface DurationHistogramState extends Omit<HistogramSnapshot, 'outliers'> {
  readonly outliers: readonly DurationOutlierState[];
}

/** Every measured span, per object kind; values in milliseconds. */
export interface DurationsSnapshot {
  readonly session: { readonly setup: DurationHistogramState; readonly length: DurationHistogramState };
  readonly call: { readonly toAnswer: DurationHistogramState; readonly length: DurationHistogramState };
  readonly room: { readonly lifetime: DurationHistogramState };
}

/** Each span, in the order a report lists them, with how it is named there. */
export const DURATION_SPANS = [
  { kind: 'session', span: 'setup', label: 'session setup', from: 'created', to: 'answer', onlyWhere: 'eras with a session `created` event: Oct 2016 head, develop' },
  { kind: 'session', span: 'length', label: 'session length', from: 'answer', to: 'end' },
  { kind: 'call', span: 'toAnswer', label: 'call to answer', from: 'ringing', to: 'answer' },
  { kind: 'call', span: 'length', label: 'call length', from: 'answer', to: 'end' },
  { kind: 'room', span: 'lifetime', label: 'room lifetime', from: 'created', to: 'end' },
] as const;

export type DurationSpan = (typeof DURATION_SPANS)[number];

/** One span's histogram in a snapshot, by its entry in DURATION_SPANS. */
export function histogramOf(durations: DurationsSnapshot, span: DurationSpan): DurationHistogramState {
  return (durations[span.kind] as Record<string, DurationHistogramState>)[span.span];
}

/** One span's distribution for one type of object (a session's type, a room's class). */
export interface TypedDurationHistogram {
  readonly type: string;
  readonly histogram: DurationHistogramState;
}

/** Per span id (`session.setup`, `room.lifetime`…), its distributions by type, most measured first. */
export type DurationsByType = Readonly<Record<string, readonly TypedDurationHistogram[]>>;

/** Types are the server's words: past this many per span the rest share one entry. */
export const MAX_TYPES_PER_SPAN = 32;
export const OTHER_TYPES = '(other types)';
/** A session whose type was not (yet) known when its span ended, a room without a class. */
export const NO_TYPE = '(no type)';

export class DurationRecorder {
  /** span id → object type → histogram: sessions by their type, rooms by their class; calls have none. */
  private readonly typed = new Map<string, Map<string, DurationHistogram>>();
  private readonly sessionSetup = new DurationHistogram();
  private readonly sessionLength = new DurationHistogram();
  private readonly callToAnswer = new DurationHistogram();
  private readonly callLength = new DurationHistogram();
  private readonly roomLifetime = new DurationHistogram();

  /** Called with each event of a session, room or call, after its state was derived. */
  observe(obj: ObjectRecord, meaning: EventMeaning, ts: number): void {
    const phase = obj.spanPhase;
    if (phase === SPAN_DONE) return;
    switch (meaning.effect) {
      case 'created':
        if (phase === SPAN_NONE) open(obj, SPAN_CREATED, ts);
        break;
      case 'ringing':
        if (obj.kind === 'call' && (phase === SPAN_NONE || phase === SPAN_CREATED)) open(obj, SPAN_RINGING, ts);
        break;
      case 'answered':
        if (phase === SPAN_ANSWERED) break; // a duplicate answer: the first one counts
        if (obj.kind === 'session' && phase === SPAN_CREATED) this.recordBoth(this.sessionSetup, 'session.setup', obj, (obj.openingMs = spanMs(ts, obj)));
        else if (obj.kind === 'call' && phase === SPAN_RINGING) this.callToAnswer.record((obj.openingMs = spanMs(ts, obj)), obj.key);
        if (obj.kind !== 'room') open(obj, SPAN_ANSWERED, ts);
        break;
      case 'ended':
        if (phase === SPAN_ANSWERED && obj.kind === 'session') this.recordBoth(this.sessionLength, 'session.length', obj, (obj.lengthMs = spanMs(ts, obj)));
        else if (phase === SPAN_ANSWERED && obj.kind === 'call') this.callLength.record((obj.lengthMs = spanMs(ts, obj)), obj.key);
        else if (phase === SPAN_CREATED && obj.kind === 'room') this.recordBoth(this.roomLifetime, 'room.lifetime', obj, (obj.lengthMs = spanMs(ts, obj)));
        obj.spanPhase = SPAN_DONE;
        break;
      default:
        break;
    }
  }

  /** A span of a session or room: in its kind's histogram and in its type's. */
  private recordBoth(all: DurationHistogram, spanId: string, obj: ObjectRecord, ms: number): void {
    all.record(ms, obj.key);
    let byType = this.typed.get(spanId);
    if (byType === undefined) this.typed.set(spanId, (byType = new Map()));
    let type = (obj.kind === 'room' ? obj.roomClass : obj.sessionType) || NO_TYPE;
    if (!byType.has(type) && byType.size >= MAX_TYPES_PER_SPAN) type = OTHER_TYPES;
    let histogram = byType.get(type);
    if (histogram === undefined) byType.set(type, (histogram = new DurationHistogram()));
    histogram.record(ms, obj.key);
  }

  /** Sessions by type and rooms by class, per span, the most measured type first. */
  byType(inStore: (objectKey: string) => boolean): DurationsByType {
    const result: Record<string, TypedDurationHistogram[]> = {};
    for (const [spanId, byType] of this.typed) {
      result[spanId] = [...byType]
        .map(([type, histogram]) => ({ type, histogram: stateOf(histogram, inStore) }))
        .sort((a, b) => b.histogram.count - a.histogram.count || (a.type < b.type ? -1 : 1));
    }
    return result;
  }

  /** A plain copy; `inStore` tells which outliers' objects are still there to reveal. */
  snapshot(inStore: (objectKey: string) => boolean): DurationsSnapshot {
    const state = (histogram: DurationHistogram): DurationHistogramState => stateOf(histogram, inStore);
    return {
      session: { setup: state(this.sessionSetup), length: state(this.sessionLength) },
      call: { toAnswer: state(this.callToAnswer), length: state(this.callLength) },
      room: { lifetime: state(this.roomLifetime) },
    };
  }
}

function stateOf(histogram: DurationHistogram, inStore: (objectKey: string) => boolean): DurationHistogramState {
  const snapshot = histogram.snapshot();
  return { ...snapshot, outliers: snapshot.outliers.map((o) => ({ ...o, inStore: inStore(o.objectKey) })) };
}

function open(obj: ObjectRecord, phase: SpanPhase, ts: number): void {
  obj.spanPhase = phase;
  obj.spanStartTs = ts;
}

/** A span ending at `ts`; one that went backwards (a clock step) counts as 0, as in the histogram. */
function spanMs(ts: number, obj: ObjectRecord): number {
  const ms = ts - obj.spanStartTs;
  return ms > 0 ? ms : 0;
}
