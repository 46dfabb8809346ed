// The inspector's model: every event received (live or from a trace file) is appended here;
// the tree shows the objects with their derived state, the timeline reads the columns.
//
// Design, for 1,000,000 events over 10,000 objects:
// - Each event is kept as its raw JSON (UTF-8 bytes in per-chunk arenas, off the JS heap:
//   rawArena.ts) plus a few numbers in typed-array columns (eventColumns.ts); `getEvent`
//   decodes and parses it again on demand. This keeps memory near the raw JSON size, where
//   one parsed object (or even one string) per event would cost more, and GC time with it.
//   A live client passes the frame's bytes (`AppendInput.bytes`): a memcpy, no encoding.
// - `append` is O(1) and allocation-free in the common case: nested Map lookups instead of
//   key strings (typeTable.ts), object state derived once at ingest (deriveState.ts), and
//   change notifications batched (changeBatcher.ts) instead of one per event.
// - Duration distributions (durations.ts) are updated by the event that ends a span, so
//   like the derived state they need no second pass and survive eviction.
// - Beyond `maxEvents` the oldest event is evicted as each new one arrives (exact bound);
//   column memory is released a chunk (16,384 events) at a time.
//
// This module is the store's writing side: ingest, eviction, markers, clearing. What can be
// asked of it (events, names, objects, anomalies) is its base class, storeQueries.ts.
import { Emitter, type Disposable, type Event } from '../shared/events';
import { ANY_ERA } from '../protocol/dialects';
import { ChangeBatcher } from './changeBatcher';
import { applyEvent, type DerivationContext } from './deriveState';
import { DurationRecorder } from './durations';
import { EventColumns, RAW_DATA, RAW_EVENT, RAW_SELF, unwrapSeq, type RawFieldCode } from './eventColumns';
import { ObjectRecord } from './objectRecord';
import { collectSoon } from './slabMemory';
import { StoreQueries } from './storeQueries';
import { StringTable } from './stringTable';
import { TypeTable, type SubclassEntry } from './typeTable';
import type { Annotation, Anomaly, AppendInput, EventStoreOptions, Marker, StoreChange } from './types';
import type { EventData } from '../protocol/frames';
import { MAX_INVALID_MARKERS } from './invalidMarkers';

export const DEFAULT_MAX_EVENTS = 1_000_000;
export const DEFAULT_NOTIFY_INTERVAL_MS = 100;

/** Told of each event as it is appended, with its parsed data (see `onAppend`). */
export type AppendListener = (seq: number, ts: number, objectIndex: number, data: EventData) => void;
/** Markers are few, but a flapping connection must not grow them without end. */
const MAX_MARKERS = 10_000;
/** Annotations kept (as loadTrace keeps): a day of health samples every 10 s from 10 connections is 86,400. */
export const MAX_ANNOTATIONS = 200_000;

export class EventStore extends StoreQueries implements Disposable {
  readonly maxEvents: number;
  private readonly emitter = new Emitter<StoreChange>();
  /** Batched: at most one notification per `notifyIntervalMs`; `flush()` fires now. */
  readonly onDidChange: Event<StoreChange> = this.emitter.event;
  private readonly batch: ChangeBatcher;
  private readonly derivation: DerivationContext;
  private invalidKept = 0;
  private _invalidNotKept = 0;
  private _annotationsNotKept = 0;
  private _annotationsVersion = 0;
  private appendListeners: AppendListener[] = [];

  constructor(options: EventStoreOptions = {}) {
    super(options.vocabulary ?? ANY_ERA);
    this.maxEvents = Math.max(1, Math.floor(options.maxEvents ?? DEFAULT_MAX_EVENTS));
    this.batch = new ChangeBatcher(this.emitter, Math.max(0, options.notifyIntervalMs ?? DEFAULT_NOTIFY_INTERVAL_MS));
    this.derivation = {
      vocabulary: this.vocabulary,
      session: (id, ts, conn) => this.sessionObject(id, ts, conn),
      existingSession: (id) => this.typeTable.existingEntry('media', 'session')?.objects.get(id),
      existingObject: (key) => this.recordOf(key),
      flag: (target, anomaly) => this.flag(target, anomaly),
      touch: (target) => this.touch(target),
    };
  }

  // ---- ingest ----

  /** Stores one event; returns its sequence number (increasing from 1, never reused). */
  append(input: AppendInput): number {
    const data = input.data;
    if (this.columns.size >= this.maxEvents) this.evictOldest();
    const entry = this.typeTable.entry(data.class, data.subclass ?? '');
    const typesBefore = this.typeTable.count;
    const typeIndex = this.typeTable.typeIndex(entry, data.type ?? '');
    const objId = data.obj_id ?? '';
    let obj = entry.objects.get(objId);
    if (obj === undefined) obj = this.createObject(entry, objId, input.conn, input.ts);

    // The new event takes the next sequence number of the columns; it is only taken (by
    // `push`) once nothing can fail, so sequence numbers and slots never get out of step.
    const columns = this.columns;
    const seq = columns.endSeq;
    if (obj.eventCount === 0) obj.headSeq = seq;
    else columns.chunkOf(obj.tailSeq).next[columns.slotOf(obj.tailSeq)] = seq >>> 0;
    obj.tailSeq = seq;
    obj.eventCount++;
    columns.push(input.ts, this.connTable.intern(input.conn), obj.index, typeIndex, rawFieldCode(input.rawField), input.raw, input.bytes);
    this.rawLength += columns.chunkOf(seq).rawLength[columns.slotOf(seq)];
    if (input.ts > obj.lastTs) obj.lastTs = input.ts;
    if (obj.kind !== 'other') {
      const meaning = this.typeTable.meaningOf(typeIndex);
      if (meaning !== undefined) {
        applyEvent(this.derivation, obj, meaning, data.body, input.ts, seq);
        this.durationRecorder.observe(obj, meaning, input.ts);
      }
    }
    if (this.typeTable.count !== typesBefore) this.flagIfUnknownType(obj, typeIndex, seq, input.ts);
    this.touch(obj);
    this.batch.newSeq(seq);
    const listeners = this.appendListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](seq, input.ts, obj.index, data);
    return seq;
  }

  /**
   * Calls `listener` inside `append`, for each event, with its data as parsed by the caller:
   * what reads body fields of new events (StoreWatcher) reads them there, where the store
   * would otherwise parse its copy of the text again (~3 µs an event). It runs on the ingest
   * path, so it must be cheap, and must not append.
   */
  onAppend(listener: AppendListener): Disposable {
    this.appendListeners = [...this.appendListeners, listener];
    return { dispose: () => (this.appendListeners = this.appendListeners.filter((l) => l !== listener)) };
  }

  /**
   * Records a connection event (a gap spans ts..until, the time the connection was away) or an
   * invalid event: the first MAX_INVALID_MARKERS are kept, later ones only counted.
   */
  addMarker(marker: Marker): void {
    if (marker.kind === 'invalid' && this.invalidKept >= MAX_INVALID_MARKERS) {
      this._invalidNotKept++;
      return;
    }
    if (marker.kind === 'invalid') this.invalidKept++;
    this.markerList.push({ ...marker });
    if (this.markerList.length > MAX_MARKERS) this.markerList.splice(0, this.markerList.length - MAX_MARKERS);
    this.batch.markers();
  }

  /**
   * Keeps an annotation (a watch's hit, a note, a health sample) to be saved with the events.
   * Past MAX_ANNOTATIONS it is counted, not kept: returns whether it was kept.
   */
  addAnnotation(annotation: Annotation, notify = false): boolean {
    if (this.annotationList.length >= MAX_ANNOTATIONS) {
      this._annotationsNotKept++;
      return false;
    }
    this.annotationList.push(annotation);
    this._annotationsVersion++;
    // Only what the user adds (a note) is announced: a health sample every 10 s must not
    // redraw the tree.
    if (notify) this.batch.annotations();
    return true;
  }

  /**
   * Replaces `old` (the same object, as `annotations()` gave it) by `next`, or removes it when
   * `next` is undefined, and announces it (`annotationsChanged`). False when `old` is not kept.
   */
  replaceAnnotation(old: Annotation, next: Annotation | undefined): boolean {
    const index = this.annotationList.indexOf(old);
    if (index < 0) return false;
    if (next === undefined) this.annotationList.splice(index, 1);
    else this.annotationList[index] = next;
    this._annotationsVersion++;
    this.batch.annotations();
    return true;
  }

  /** Bumped by every change of the annotations: lets readers cache what they derive from them. */
  get annotationsVersion(): number {
    return this._annotationsVersion;
  }

  /** Annotations past MAX_ANNOTATIONS: counted, not kept. */
  get annotationsNotKept(): number {
    return this._annotationsNotKept;
  }

  /**
   * "The data ends here" (end of a trace file, or a disconnect): flags every session, room
   * and call that has not had its terminal event with 'no-terminal-event'. Idempotent; an
   * object that gets its terminal event later loses the flag. Returns how many were flagged.
   */
  markEnd(ts?: number): number {
    const at = ts ?? this.tsOf(this.lastSeq) ?? Date.now();
    let flagged = 0;
    for (const obj of this.byIndex) {
      if (obj === undefined || obj.kind === 'other' || obj.ended || obj.hasAnomaly('no-terminal-event')) continue;
      this.flag(obj, { kind: 'no-terminal-event', ts: at, message: `no terminal event (the ${obj.kind} never ended) before the data ended` });
      flagged++;
    }
    return flagged;
  }

  /** Invalid events past MAX_INVALID_MARKERS: counted, not kept. */
  get invalidNotKept(): number {
    return this._invalidNotKept;
  }

  // ---- lifecycle ----

  /** Fires pending changes now (tests, end of a trace load). */
  flush(): void {
    this.batch.flush();
  }

  /** Empties the store and notifies `cleared: true` at once. Sequence numbers continue. */
  clear(): void {
    this.dropColumns();
    this.connTable = new StringTable();
    this.typeTable = new TypeTable(this.vocabulary);
    this.kindCounts = { session: 0, room: 0, call: 0, other: 0 };
    this.durationRecorder = new DurationRecorder();
    this.byIndex = [];
    this.markerList = [];
    this.annotationList = [];
    this._annotationsNotKept = 0;
    this._annotationsVersion++;
    this.invalidKept = 0;
    this._invalidNotKept = 0;
    this.evicted = 0;
    this.rawLength = 0;
    this.batch.clearedAll();
    this.batch.flush();
  }

  /** Stops notifications and lets go of the stored events' memory. */
  dispose(): void {
    this.batch.dispose();
    this.emitter.dispose();
    this.dropColumns();
  }

  // ---- internals ----

  /** Empties the columns; the GC is told that their raw bytes can go (see slabMemory.ts). */
  private dropColumns(): void {
    const freed = this.columns.rawCapacity();
    this.columns = new EventColumns(this.columns.endSeq);
    collectSoon(freed);
  }

  private createObject(entry: SubclassEntry, objId: string, conn: string, ts: number): ObjectRecord {
    // Without an id there is no object to follow: such events are 'other' whatever their subclass.
    const kind = objId === '' ? 'other' : entry.kind;
    // The same text as objectKey(), from the entry's prefix: one small string per object
    // instead of a chain of four (heap kept per event, 100,000 simulator events: 232 bytes
    // instead of 251).
    const key = entry.keyPrefix + objId;
    const obj = new ObjectRecord(key, this.byIndex.length, kind, entry.cls, entry.subclass, objId, conn, ts);
    this.byIndex.push(obj);
    entry.objects.set(objId, obj);
    this.kindCounts[kind]++;
    this.batch.addedObject(key);
    return obj;
  }

  private removeObject(obj: ObjectRecord): void {
    this.typeTable.existingEntry(obj.cls, obj.subclass)?.objects.delete(obj.objId);
    this.kindCounts[obj.kind]--;
    this.byIndex[obj.index] = undefined;
    this.batch.removedObject(obj.key);
  }

  /** A session named by a room event may have sent nothing yet: it exists from then on. */
  private sessionObject(sessionId: string, ts: number, conn: string): ObjectRecord {
    const entry = this.typeTable.entry('media', 'session');
    return entry.objects.get(sessionId) ?? this.createObject(entry, sessionId, conn, ts);
  }

  private evictOldest(): void {
    const columns = this.columns;
    const chunk = columns.chunkOf(columns.oldestSeq);
    const slot = columns.slotOf(columns.oldestSeq);
    const obj = this.byIndex[chunk.object[slot]];
    this.rawLength -= chunk.rawLength[slot];
    const wrappedNext = chunk.next[slot];
    columns.dropOldest();
    this.evicted++;
    this.batch.evictedEvents(1);
    if (!obj) return;
    // The oldest stored event is always its object's oldest: the object's chain loses its head.
    obj.eventCount--;
    if (obj.eventCount > 0) obj.headSeq = unwrapSeq(wrappedNext, columns.oldestSeq);
    // A live session, room or call stays (with no events) so its state is not lost; an ended
    // one goes, and so does an object of no known kind, which has no state but its events.
    if (obj.eventCount === 0 && (obj.ended || obj.kind === 'other')) this.removeObject(obj);
    else this.touch(obj);
  }

  /** Called the first time a type is seen (per store, or since `clear()`). */
  private flagIfUnknownType(obj: ObjectRecord, typeIndex: number, seq: number, ts: number): void {
    const info = this.typeTable.info(typeIndex);
    if (!info || info.known) return;
    this.flag(obj, { kind: 'unknown-type', seq, ts, message: `first event of unknown type ${info.name}` });
  }

  private flag(obj: ObjectRecord, anomaly: Anomaly): void {
    obj.addAnomaly(anomaly);
    this.touch(obj);
  }

  /** Reports an object changed, once per batch (a number compare instead of a Set add). */
  private touch(obj: ObjectRecord): void {
    if (obj.notedInBatch === this.batch.batchId) return;
    obj.notedInBatch = this.batch.batchId;
    this.batch.changedObject(obj.key);
  }
}

function rawFieldCode(field: AppendInput['rawField']): RawFieldCode {
  return field === 'data' ? RAW_DATA : field === 'event' ? RAW_EVENT : RAW_SELF;
}
