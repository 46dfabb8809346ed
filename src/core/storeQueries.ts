// Everything one can ask the EventStore (eventStore.ts): its stored events (columns, raw JSON,
// interned names), its objects and their anomalies, and its markers. A base class of the store
// rather than a helper it calls, so that the ingest path in eventStore.ts reads and writes the
// same fields on `this` with no extra hop (`npm run bench -- ingest` measures it), while the
// queries, which the tree, the timeline, the filter and the trace saver make, read apart.
//
// Columnar access (timeline, trace saving): `forEachEvent(cb, fromSeq)` visits stored events
// oldest first as (seq, ts, connIndex, objectIndex, typeIndex); resolve the indexes with
// `connectionName(i)`, `objectAt(i)` and `typeName(i)` / `typeInfo(i)`, and fetch the text
// with `rawOf(seq)` (plus `rawFieldOf(seq)` to know where the event sits in it).
import type { EventData } from '../protocol/frames';
import type { Vocabulary } from '../protocol/dialects';
import { DurationRecorder, type DurationsByType, type DurationsSnapshot } from './durations';
import { EventColumns, RAW_DATA, RAW_EVENT, unwrapSeq } from './eventColumns';
import type { ObjectRecord } from './objectRecord';
import { StringTable } from './stringTable';
import { TypeTable } from './typeTable';
import type { Annotation, Anomaly, EventTypeInfo, Marker, ObjectCounts, ObjectKind, ObjectState, RawField, StoredEvent } from './types';

export type EventVisitor = (seq: number, ts: number, connIndex: number, objectIndex: number, typeIndex: number) => void;

export abstract class StoreQueries {
  protected columns: EventColumns;
  /** How events are understood: one era's tables, or every era's (src/protocol/dialects). */
  readonly vocabulary: Vocabulary;
  protected connTable = new StringTable();
  protected typeTable: TypeTable;
  protected kindCounts: ObjectCounts = { session: 0, room: 0, call: 0, other: 0 };
  /** Fed at ingest by eventStore.ts; evicting events does not touch it. */
  protected durationRecorder = new DurationRecorder();
  /**
   * Object index -> object; removed objects leave a hole so indexes stay stable. Index order
   * is creation order, which `objects()` promises. There is no Map by key: objects are found
   * through the type table (`getObject`), and a second Map cost ~0.3 µs per event at ingest.
   */
  protected byIndex: Array<ObjectRecord | undefined> = [];
  protected markerList: Marker[] = [];
  protected annotationList: Annotation[] = [];
  protected evicted = 0;
  protected rawLength = 0;

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.typeTable = new TypeTable(vocabulary);
    this.columns = new EventColumns(1);
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
   * Visits stored events oldest first, from `fromSeq` (default: the oldest) to `toSeq`
   * (default: the newest). Do not append from inside the callback.
   */
  forEachEvent(visit: EventVisitor, fromSeq = this.firstSeq, toSeq = this.lastSeq): void {
    const columns = this.columns;
    const last = Math.min(toSeq, this.lastSeq);
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

  /** Annotations (watch hits, notes…) in the order they were added. */
  annotations(): readonly Annotation[] {
    return this.annotationList;
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

  /**
   * How long sessions, calls and rooms took (setup, time to answer, length, lifetime), as
   * distributions of every span since the store was created or cleared, evicted objects'
   * included; their longest spans name their objects (`inStore`: still there to reveal).
   * A plain copy: it does not change with later events.
   */
  durations(): DurationsSnapshot {
    return this.durationRecorder.snapshot((key) => this.recordOf(key) !== undefined);
  }

  /** The same spans of sessions by their type and rooms by their class (calls have no type). */
  durationsByType(): DurationsByType {
    return this.durationRecorder.byType((key) => this.recordOf(key) !== undefined);
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

  /** The object with this key: `class/subclass/obj_id`, looked up under each (class, subclass) it may start with. */
  protected recordOf(key: string): ObjectRecord | undefined {
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
}
