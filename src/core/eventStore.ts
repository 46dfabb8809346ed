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
// - Beyond `maxEvents` the oldest event is evicted as each new one arrives (exact bound);
//   column memory is released a chunk (16,384 events) at a time.
//
// Columnar access (timeline, trace saving): `forEachEvent(cb, fromSeq)` visits stored events
// oldest first as (seq, ts, connIndex, objectIndex, typeIndex); resolve the indexes with
// `connectionName(i)`, `objectAt(i)` and `typeName(i)` / `typeInfo(i)`, and fetch the text
// with `rawOf(seq)` (plus `rawFieldOf(seq)` to know where the event sits in it).
import { Emitter, type Disposable, type Event } from '../shared/events';
import type { EventData } from '../protocol/frames';
import { ANY_ERA, type Vocabulary } from '../protocol/dialects';
import { ChangeBatcher } from './changeBatcher';
import { applyEvent, type DerivationContext } from './deriveState';
import { EventColumns, RAW_DATA, RAW_EVENT, RAW_SELF, unwrapSeq, type RawFieldCode } from './eventColumns';
import { ObjectRecord } from './objectRecord';
import { collectSoon } from './slabMemory';
import { StringTable } from './stringTable';
import { TypeTable, type SubclassEntry } from './typeTable';
import type {
  Anomaly,
  AppendInput,
  EventStoreOptions,
  EventTypeInfo,
  Marker,
  ObjectCounts,
  ObjectKind,
  ObjectState,
  RawField,
  StoreChange,
  StoredEvent,
} from './types';

export const DEFAULT_MAX_EVENTS = 1_000_000;
export const DEFAULT_NOTIFY_INTERVAL_MS = 100;
/** Markers are few, but a flapping connection must not grow them without end. */
const MAX_MARKERS = 10_000;

export type EventVisitor = (seq: number, ts: number, connIndex: number, objectIndex: number, typeIndex: number) => void;

export class EventStore implements Disposable {
  readonly maxEvents: number;
  private readonly emitter = new Emitter<StoreChange>();
  /** Batched: at most one notification per `notifyIntervalMs`; `flush()` fires now. */
  readonly onDidChange: Event<StoreChange> = this.emitter.event;
  private readonly batch: ChangeBatcher;

  private columns: EventColumns;
  /** How events are understood: one era's tables, or every era's (src/protocol/dialects). */
  readonly vocabulary: Vocabulary;
  private connTable = new StringTable();
  private typeTable: TypeTable;
  private kindCounts: ObjectCounts = { session: 0, room: 0, call: 0, other: 0 };
  /**
   * Object index -> object; removed objects leave a hole so indexes stay stable. Index order
   * is creation order, which `objects()` promises. There is no Map by key: objects are found
   * through the type table (`getObject`), and a second Map cost ~0.3 µs per event at ingest.
   */
  private byIndex: Array<ObjectRecord | undefined> = [];
  private markerList: Marker[] = [];
  private evicted = 0;
  private rawLength = 0;
  private readonly derivation: DerivationContext;

  constructor(options: EventStoreOptions = {}) {
    this.maxEvents = Math.max(1, Math.floor(options.maxEvents ?? DEFAULT_MAX_EVENTS));
    this.vocabulary = options.vocabulary ?? ANY_ERA;
    this.typeTable = new TypeTable(this.vocabulary);
    this.batch = new ChangeBatcher(this.emitter, Math.max(0, options.notifyIntervalMs ?? DEFAULT_NOTIFY_INTERVAL_MS));
    this.columns = new EventColumns(1);
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
      if (meaning !== undefined) applyEvent(this.derivation, obj, meaning, data.body, input.ts, seq);
    }
    if (this.typeTable.count !== typesBefore) this.flagIfUnknownType(obj, typeIndex, seq, input.ts);
    this.touch(obj);
    this.batch.newSeq(seq);
    return seq;
  }

  /** Records a connection event; a gap spans ts..until (the time the connection was away). */
  addMarker(marker: Marker): void {
    this.markerList.push({ ...marker });
    if (this.markerList.length > MAX_MARKERS) this.markerList.splice(0, this.markerList.length - MAX_MARKERS);
    this.batch.markers();
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

  // ---- events ----

  get size(): number {
    return this.columns.size;
  }

  /** Oldest stored sequence number (when empty: `lastSeq + 1`). */
  get firstSeq(): number {
    return this.columns.oldestSeq;
  }

  /** Newest stored sequence number (when empty: `firstSeq - 1`). */
  get lastSeq(): number {
    return this.columns.endSeq - 1;
  }

  /** Events evicted to stay within `maxEvents` since the store was created or cleared. */
  get evictedCount(): number {
    return this.evicted;
  }

  /** Sum of the raw JSON sizes (UTF-8 bytes) of the stored events. */
  get rawBytes(): number {
    return this.rawLength;
  }

  /** Bytes allocated to hold the raw JSON (at least `rawBytes`; freed with evicted chunks). */
  get rawCapacityBytes(): number {
    return this.columns.rawCapacity();
  }

  getEvent(seq: number): StoredEvent | undefined {
    if (!this.columns.has(seq)) return undefined;
    const chunk = this.columns.chunkOf(seq);
    const slot = this.columns.slotOf(seq);
    const parsed = JSON.parse(chunk.rawText(slot)) as Record<string, unknown>;
    const field = chunk.rawField[slot];
    const data = (field === RAW_DATA ? parsed.data : field === RAW_EVENT ? parsed.event : parsed) as EventData;
    return {
      seq,
      ts: chunk.ts[slot],
      conn: this.connTable.nameOf(chunk.conn[slot]) ?? '',
      data,
      objectKey: this.byIndex[chunk.object[slot]]?.key ?? '',
    };
  }

  /**
   * The JSON text the event came in (see `rawFieldOf` for where the event is inside it).
   * Decoded on each call: to search many events, use `rawIncludes`.
   */
  rawOf(seq: number): string | undefined {
    return this.columns.has(seq) ? this.columns.chunkOf(seq).rawText(this.columns.slotOf(seq)) : undefined;
  }

  /**
   * The event's raw JSON as UTF-8 bytes: a view into the store's memory, valid until the event
   * is evicted or the store cleared. Lets a trace be saved without decoding every event.
   */
  rawBytesOf(seq: number): Buffer | undefined {
    return this.columns.has(seq) ? this.columns.chunkOf(seq).rawBytes(this.columns.slotOf(seq)) : undefined;
  }

  /**
   * Does the event's raw JSON contain `needle`? With `caseInsensitive`, the needle must be
   * lower case and the text is lower-cased first; otherwise (callers use it for a needle
   * without letters too) the stored UTF-8 bytes are searched without decoding them, which
   * measured ~10% faster than decoding and `includes`.
   */
  rawIncludes(seq: number, needle: string, caseInsensitive: boolean): boolean {
    if (!this.columns.has(seq)) return false;
    const chunk = this.columns.chunkOf(seq);
    const slot = this.columns.slotOf(seq);
    return caseInsensitive ? chunk.rawText(slot).toLowerCase().includes(needle) : chunk.rawBytes(slot).includes(needle, 0, 'utf8');
  }

  rawFieldOf(seq: number): RawField | undefined {
    if (!this.columns.has(seq)) return undefined;
    const field = this.columns.chunkOf(seq).rawField[this.columns.slotOf(seq)];
    return field === RAW_DATA ? 'data' : field === RAW_EVENT ? 'event' : 'self';
  }

  tsOf(seq: number): number | undefined {
    return this.columns.has(seq) ? this.columns.chunkOf(seq).ts[this.columns.slotOf(seq)] : undefined;
  }

  typeIndexOf(seq: number): number | undefined {
    return this.columns.has(seq) ? this.columns.chunkOf(seq).type[this.columns.slotOf(seq)] : undefined;
  }

  objectKeyOf(seq: number): string | undefined {
    return this.columns.has(seq) ? this.byIndex[this.columns.chunkOf(seq).object[this.columns.slotOf(seq)]]?.key : undefined;
  }

  /**
   * Visits stored events oldest first, from `fromSeq` (default: the oldest). Do not append
   * from inside the callback.
   */
  forEachEvent(visit: EventVisitor, fromSeq = this.firstSeq): void {
    const columns = this.columns;
    const last = this.lastSeq;
    for (let seq = Math.max(Math.ceil(fromSeq), this.firstSeq); seq <= last; seq++) {
      const chunk = columns.chunkOf(seq);
      const slot = columns.slotOf(seq);
      visit(seq, chunk.ts[slot], chunk.conn[slot], chunk.object[slot], chunk.type[slot]);
    }
  }

  // ---- interned names ----

  /** 'class/subclass/type' of an interned type index. */
  typeName(typeIndex: number): string | undefined {
    return this.typeTable.info(typeIndex)?.name;
  }

  typeInfo(typeIndex: number): EventTypeInfo | undefined {
    return this.typeTable.info(typeIndex);
  }

  /** Every event type seen since the store was created or cleared, by index. */
  eventTypes(): EventTypeInfo[] {
    return this.typeTable.all();
  }

  connectionName(connIndex: number): string | undefined {
    return this.connTable.nameOf(connIndex);
  }

  connections(): string[] {
    return this.connTable.all();
  }

  markers(): readonly Marker[] {
    return this.markerList;
  }

  // ---- objects ----

  /** Objects in the order of their first event (or of their first mention by a room). */
  objects(): ObjectState[] {
    const live: ObjectState[] = [];
    for (const obj of this.byIndex) if (obj !== undefined) live.push(obj);
    return live;
  }

  getObject(key: string): ObjectState | undefined {
    return this.recordOf(key);
  }

  /** Objects of one kind, in the order of `objects()`. O(objects): a Map per kind cost memory per object. */
  objectsOfKind(kind: ObjectKind): ObjectState[] {
    const result: ObjectState[] = [];
    for (const obj of this.byIndex) if (obj !== undefined && obj.kind === kind) result.push(obj);
    return result;
  }

  /** The object with this index (as in `forEachEvent`), unless it was removed. */
  objectAt(index: number): ObjectState | undefined {
    return this.byIndex[index];
  }

  /** One more than the largest object index handed out so far (for index-sized arrays). */
  get objectIndexLimit(): number {
    return this.byIndex.length;
  }

  counts(): ObjectCounts {
    return { ...this.kindCounts };
  }

  /** Every anomaly of every object, oldest first. */
  anomalies(): { objectKey: string; anomaly: Anomaly }[] {
    const all: { objectKey: string; anomaly: Anomaly }[] = [];
    for (const obj of this.byIndex) {
      if (obj === undefined) continue;
      for (const anomaly of obj.anomalies) all.push({ objectKey: obj.key, anomaly });
    }
    // Stable sort: anomalies of equal time keep object order.
    return all.sort((a, b) => a.anomaly.ts - b.anomaly.ts);
  }

  /** Sequence numbers of an object's stored events, oldest first, for paging. */
  eventsOf(key: string, offset = 0, limit = Infinity): number[] {
    const seqs: number[] = [];
    const obj = this.recordOf(key);
    if (!obj) return seqs;
    const start = Math.max(0, Math.floor(offset));
    const end = Math.min(obj.eventCount, start + Math.max(0, limit));
    // Walking the chain to `offset` costs a few ns per event: fine for paging thousands.
    let seq = obj.headSeq;
    for (let i = 0; i < end; i++) {
      if (i >= start) seqs.push(seq);
      if (i + 1 < obj.eventCount) seq = this.nextOf(seq);
    }
    return seqs;
  }

  eventCountOf(key: string): number {
    return this.recordOf(key)?.eventCount ?? 0;
  }

  /** The distinct type indexes of an object's stored events (walks its events). */
  typeIndexesOf(key: string): number[] {
    const types: number[] = [];
    const obj = this.recordOf(key);
    if (!obj) return types;
    let seq = obj.headSeq;
    for (let i = 0; i < obj.eventCount; i++) {
      const type = this.columns.chunkOf(seq).type[this.columns.slotOf(seq)];
      if (!types.includes(type)) types.push(type);
      if (i + 1 < obj.eventCount) seq = this.nextOf(seq);
    }
    return types;
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
    this.byIndex = [];
    this.markerList = [];
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

  /** The object with this key: `class/subclass/obj_id`, looked up under each (class, subclass) it may start with. */
  private recordOf(key: string): ObjectRecord | undefined {
    for (const entry of this.typeTable.entries()) {
      if (key.startsWith(entry.keyPrefix)) {
        const obj = entry.objects.get(key.slice(entry.keyPrefix.length));
        if (obj !== undefined) return obj;
      }
    }
    return undefined;
  }

  /** The next event of the same object as stored event `seq` (which must not be its newest). */
  private nextOf(seq: number): number {
    return unwrapSeq(this.columns.chunkOf(seq).next[this.columns.slotOf(seq)], this.columns.oldestSeq);
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
