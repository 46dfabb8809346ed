// Saves an EventStore as a trace file: every stored event, or only those of some objects,
// with the connection markers and the annotations (watch hits, notes) placed among them by time.
//
// The file appears only when complete (TraceWriter's atomic mode: a temporary file renamed
// into place), so a cancelled or failed save leaves any earlier file untouched. Event text is
// copied from what the store kept (rawEventSlice.ts) rather than parsed and stringified again.
import { EventStore, type Annotation, type Marker } from '../core';
import { CancelledError, TraceFileError } from './errors';
import { eventTextRange } from './rawEventSlice';
import { makeHeader, type TraceHeader, type TraceMarkerLine } from './traceFileFormat';
import { throwIfCancelled } from './reader';
import { TraceWriter } from './writer';

/** Events written between two looks at cancellation, progress and backpressure. */
const SLICE_EVENTS = 4096;

/** What a header says besides format and version; a loaded trace's header fits (its `created` is kept). */
export type TraceHeaderFields = Omit<TraceHeader, 'format' | 'version' | 'created'> & { created?: Date | string };

export interface SaveTraceOptions {
  /** Source, subscriptions and tool for the header; `source.url` loses any credentials. */
  header?: TraceHeaderFields;
  /** Only the events of these objects (keys as in `ObjectState.key`); default: all. */
  objectKeys?: Iterable<string>;
  /** Default: when the file name ends in `.gz`. */
  gzip?: boolean;
  signal?: AbortSignal;
  onProgress?: (eventsWritten: number, eventsTotal: number) => void;
}

export interface SavedTrace {
  filePath: string;
  events: number;
  markers: number;
  annotations: number;
  /** Uncompressed size, approximately. */
  bytes: number;
}

export async function saveTrace(store: EventStore, filePath: string, options: SaveTraceOptions = {}): Promise<SavedTrace> {
  throwIfCancelled(options.signal);
  const plan = planEvents(store, options.objectKeys);
  const markers = store.markers().slice();
  const annotations = annotationsToSave(store, options.objectKeys);
  const connections = new Set<string>(plan.connNames);
  for (const marker of markers) connections.add(marker.conn);

  // One connection: name it once in the header instead of on every line (docs/trace-format.md).
  const given = options.header ?? {};
  const headerFields: Omit<TraceHeaderFields, 'created'> = {};
  if (given.source !== undefined) headerFields.source = { ...given.source };
  if (given.subscriptions !== undefined) headerFields.subscriptions = given.subscriptions;
  if (given.tool !== undefined) headerFields.tool = given.tool;
  if (given.dialect !== undefined) headerFields.dialect = given.dialect;
  let impliedConn: string | undefined;
  if (connections.size === 1) {
    const only = connections.values().next().value as string;
    const named = headerFields.source?.name;
    if (named === undefined) headerFields.source = { ...headerFields.source, name: only };
    if (named === undefined || named === only) impliedConn = only;
  }
  const { created } = given;
  const header: TraceHeader = {
    ...makeHeader(headerFields),
    ...(typeof created === 'string' ? { created } : created instanceof Date ? { created: created.toISOString() } : {}),
  };

  let writer: TraceWriter;
  try {
    writer = new TraceWriter(filePath, header, { atomic: true, gzip: options.gzip });
  } catch (error) {
    throw new TraceFileError(`cannot write ${filePath}: ${(error as Error).message}`);
  }
  const connOf = (name: string) => (name === impliedConn ? undefined : name);
  let markerIndex = 0;
  let annotationIndex = 0;
  const writeMarkersBefore = (ts: number) => {
    while (markerIndex < markers.length && markerPrecedes(markers[markerIndex], ts)) writer.writeMarker(markerLine(markers[markerIndex++], connOf));
    // After the events of their own time: a watch's hit follows the event that hit it.
    while (annotationIndex < annotations.length && annotationTs(annotations[annotationIndex]) < ts) writer.writeAnnotation(annotations[annotationIndex++]);
  };

  let written = 0;
  try {
    const first = store.firstSeq;
    for (let offset = 0; offset < plan.total; offset++) {
      if (plan.selected !== undefined && plan.selected[offset] === 0) continue;
      const seq = first + offset;
      const ts = store.tsOf(seq) as number;
      writeMarkersBefore(ts);
      const conn = connOf(plan.connNames[plan.connIndex[offset]]);
      // The stored bytes, read as latin1 (a byte per character) to find the event inside them,
      // are copied as they are: no UTF-8 decoding and re-encoding of every event.
      const bytes = store.rawBytesOf(seq) as Buffer;
      const range = eventTextRange(bytes.toString('latin1'), store.rawFieldOf(seq) ?? 'self');
      if (range) writer.writeEventBytes(seq, ts, bytes.subarray(range[0], range[1]), conn);
      else writer.writeEventText(seq, ts, JSON.stringify(store.getEvent(seq)?.data), conn);
      written++;
      if (written % SLICE_EVENTS === 0) {
        await writer.drain();
        throwIfCancelled(options.signal);
        options.onProgress?.(written, plan.selectedCount);
      }
    }
    writeMarkersBefore(Infinity);
    while (annotationIndex < annotations.length) writer.writeAnnotation(annotations[annotationIndex++]);
    throwIfCancelled(options.signal);
    await writer.close();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    if (error instanceof CancelledError) throw error;
    throw new TraceFileError(`cannot write ${filePath}: ${(error as Error).message}`);
  }
  options.onProgress?.(written, plan.selectedCount);
  return { filePath, events: written, markers: markers.length, annotations: annotations.length, bytes: writer.bytes };
}

/**
 * The store's annotations by time (stable: those of one time keep their order); with a
 * selection of objects, those about another object are left out.
 */
function annotationsToSave(store: EventStore, objectKeys: Iterable<string> | undefined): Annotation[] {
  const wanted = objectKeys === undefined ? undefined : new Set(objectKeys);
  const kept = store.annotations().filter((a) => wanted === undefined || typeof a.object !== 'string' || wanted.has(a.object));
  return kept.map((a, i) => ({ a, i })).sort((x, y) => annotationTs(x.a) - annotationTs(y.a) || x.i - y.i).map((x) => x.a);
}

/** Annotations without a time go last. */
function annotationTs(annotation: Annotation): number {
  return typeof annotation.ts === 'number' ? annotation.ts : Infinity;
}

interface EventPlan {
  /** Stored events from `store.firstSeq` on. */
  total: number;
  /** Per stored event (by offset from firstSeq): 1 when it is to be written; undefined: all are. */
  selected: Uint8Array | undefined;
  selectedCount: number;
  /** Per stored event: index into connNames. */
  connIndex: Uint32Array;
  connNames: string[];
}

/**
 * One pass over the columns: which events to write and their connections (the store keeps a
 * connection per event only as a column, read through forEachEvent).
 */
function planEvents(store: EventStore, objectKeys: Iterable<string> | undefined): EventPlan {
  const total = store.size;
  let wantedObjects: Uint8Array | undefined;
  if (objectKeys !== undefined) {
    wantedObjects = new Uint8Array(store.objectIndexLimit);
    for (const key of objectKeys) {
      const object = store.getObject(key);
      if (object) wantedObjects[object.index] = 1;
    }
  }
  const selected = wantedObjects ? new Uint8Array(total) : undefined;
  const connIndex = new Uint32Array(total);
  const storeToLocal = new Map<number, number>();
  const connNames: string[] = [];
  let selectedCount = 0;
  let offset = 0;
  store.forEachEvent((_seq, _ts, conn, objectIndex) => {
    const i = offset++;
    if (wantedObjects !== undefined) {
      if (wantedObjects[objectIndex] === 0) return;
      (selected as Uint8Array)[i] = 1;
    }
    selectedCount++;
    let local = storeToLocal.get(conn);
    if (local === undefined) {
      local = connNames.length;
      connNames.push(store.connectionName(conn) ?? '');
      storeToLocal.set(conn, local);
    }
    connIndex[i] = local;
  });
  return { total, selected, selectedCount, connIndex, connNames };
}

/**
 * A marker goes before the first event that happened after it; a connect also before events
 * of the same millisecond (they came through that connection).
 */
function markerPrecedes(marker: Marker, eventTs: number): boolean {
  return marker.kind === 'connect' ? marker.ts <= eventTs : marker.ts < eventTs;
}

function markerLine(marker: Marker, connOf: (name: string) => string | undefined): TraceMarkerLine {
  const line: TraceMarkerLine = { marker: marker.kind, ts: marker.ts };
  if (marker.until !== undefined) line.until = marker.until;
  const conn = connOf(marker.conn);
  if (conn !== undefined) line.conn = conn;
  if (marker.reason !== undefined) line.reason = marker.reason;
  if (marker.frame !== undefined) line.frame = marker.frame;
  return line;
}
