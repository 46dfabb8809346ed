// Opens a trace file into an EventStore: the same objects, states and anomalies the live
// inspector derived, from the same events in the same order.
//
// Each event line's text is stored as the event's raw JSON (`rawField: 'event'`), so the
// event is parsed once here and never stringified again: saving it later reuses the text.
// Bad lines are reported (line number and reason) and skipped; every valid line is kept.
import * as path from 'path';
import { EventStore, MAX_ANNOTATIONS, shortenedFrame, type Annotation } from '../core';
import { DialectDetector, isDialectId, vocabularyFor, type DetectedDialect, type EndCodeOverrides } from '../protocol/dialects';
import { CancelledError, TraceFileError } from './errors';
import type { TraceHeader } from './traceFileFormat';
import { TraceLineReader, throwIfCancelled, type LineReaderOptions, type LineReaderStats } from './reader';
import { AnnotationLine, BadLine, isBlank, isMarkerLine, keptLineText, parseBodyLine, parseHeader } from './traceLines';

/** Connection name for lines without `conn` when the header names no source either. */
export const DEFAULT_TRACE_CONNECTION = 'trace';
/** Bad lines listed in the result; past this only their count grows (each still reaches onInvalidLine). */
export const MAX_LISTED_INVALID_LINES = 10_000;

/** Annotation lines kept (the store's bound); past it they are counted. */
export const MAX_KEPT_ANNOTATIONS = MAX_ANNOTATIONS;

export interface InvalidLine {
  line: number;
  reason: string;
}

export interface LoadTraceOptions extends LineReaderOptions {
  /**
   * Store to fill (default: a new one with `maxEvents`, reading the events with the tables of
   * the dialect the header names, or of every era when it names none).
   */
  store?: EventStore;
  /** The user's own end codes (setting `nkmedia.endCodes`), for a store made here. */
  endCodes?: EndCodeOverrides;
  maxEvents?: number;
  /**
   * false: keep no event text (the store then answers about objects, types and anomalies but
   * not `getEvent`). For summaries of large files: memory drops from the file size to ~30 bytes per event.
   */
  keepEventText?: boolean;
  /** Every bad line, as it is found (e.g. to log it). */
  onInvalidLine?: (invalid: InvalidLine) => void;
}

export interface LoadedTrace {
  filePath: string;
  header: TraceHeader;
  store: EventStore;
  /** Event lines stored. */
  events: number;
  markers: number;
  /** Connection name given to lines without `conn`. */
  defaultConn: string;
  /** The first MAX_LISTED_INVALID_LINES bad lines. */
  invalidLines: InvalidLine[];
  invalidLineCount: number;
  /**
   * Annotation lines (`{"line":kind,…}`: watch hits, notes, health samples), in file order,
   * every kind, as the store keeps them (`store.annotations()`): whoever knows a kind reads
   * its lines from here; the first MAX_KEPT_ANNOTATIONS are kept.
   */
  annotations: readonly Annotation[];
  annotationsNotKept: number;
  /** Earliest and latest event time (ms since epoch); undefined without events. */
  firstTs?: number;
  lastTs?: number;
  reader: LineReaderStats;
  /** The server's era: as the header names it, or detected from the events (older traces). */
  dialect: DetectedDialect;
}

/**
 * Reads a trace into a store. Throws TraceFileError (one line) when the file is missing, not
 * a trace, or of an unsupported version; CancelledError when `signal` aborts (a store created
 * here is then disposed).
 */
export async function loadTrace(filePath: string, options: LoadTraceOptions = {}): Promise<LoadedTrace> {
  const reader = new TraceLineReader(filePath, options);
  const ownStore = options.store === undefined;
  // Made once the header (always the first line) says which era's tables read the events.
  let store = options.store;
  let detector = new DialectDetector('auto');
  const keepText = options.keepEventText ?? true;
  const invalidLines: InvalidLine[] = [];
  let invalidLineCount = 0;
  const reportInvalid = (line: number, reason: string) => {
    invalidLineCount++;
    const invalid = { line, reason };
    if (invalidLines.length < MAX_LISTED_INVALID_LINES) invalidLines.push(invalid);
    options.onInvalidLine?.(invalid);
  };

  let header: TraceHeader | undefined;
  let defaultConn = DEFAULT_TRACE_CONNECTION;
  let events = 0;
  let markers = 0;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  try {
    for await (const batch of reader.batches()) {
      let lineNumber = batch.firstLineNumber;
      for (const text of batch.lines) {
        if (header === undefined) {
          header = parseHeader(text, path.basename(filePath));
          defaultConn = header.source?.name ?? DEFAULT_TRACE_CONNECTION;
          const dialect = isDialectId(header.dialect) ? header.dialect : 'auto';
          detector = new DialectDetector(dialect);
          store ??= new EventStore({ maxEvents: options.maxEvents, vocabulary: vocabularyFor(dialect, options.endCodes) });
        } else if (!isBlank(text)) {
          const line = parseBodyLine(text);
          if (line instanceof BadLine) {
            reportInvalid(lineNumber, lineNumber === reader.stats.lines && isLastLineCut(reader) ? `${line.reason}; the file ends in the middle of this line (cut short?)` : line.reason);
          } else if (line instanceof AnnotationLine) {
            // Into the store, so that saving it again keeps them (notes, watch hits…).
            store!.addAnnotation(line.record as Annotation);
          } else if (isMarkerLine(line)) {
            store!.addMarker({
              kind: line.marker,
              ts: line.ts,
              conn: line.conn ?? defaultConn,
              ...(line.until !== undefined ? { until: line.until } : {}),
              ...(line.reason !== undefined ? { reason: line.reason } : {}),
              ...(line.frame !== undefined ? { frame: shortenedFrame(line.frame) } : {}),
            });
            markers++;
          } else {
            store!.append({ conn: line.conn ?? defaultConn, ts: line.ts, data: line.event, raw: keepText ? keptLineText(line, text as string) : '', rawField: 'event' });
            detector.event(line.event.class, line.event.subclass, line.event.type, line.event.body);
            if (line.ts < firstTs) firstTs = line.ts;
            if (line.ts > lastTs) lastTs = line.ts;
            events++;
          }
        }
        lineNumber++;
      }
      throwIfCancelled(options.signal);
    }
    if (header === undefined || store === undefined) throw noHeaderError(filePath, reader);
  } catch (error) {
    if (ownStore) store?.dispose();
    if (error instanceof CancelledError || error instanceof TraceFileError) throw error;
    throw new TraceFileError(`cannot read ${path.basename(filePath)}: ${(error as Error).message}`);
  }
  if (reader.stats.streamError) reportInvalid(reader.stats.lines + 1, reader.stats.streamError);
  store.markEnd();
  store.flush();
  return {
    filePath,
    header,
    store,
    events,
    markers,
    defaultConn,
    invalidLines,
    invalidLineCount,
    annotations: store.annotations(),
    annotationsNotKept: store.annotationsNotKept,
    firstTs: events > 0 ? firstTs : undefined,
    lastTs: events > 0 ? lastTs : undefined,
    reader: reader.stats,
    dialect: detector.result,
  };
}

/** Only the header: a quick "is this a trace we can read?" before a long operation. */
export async function readTraceHeader(filePath: string, options: Pick<LineReaderOptions, 'maxLineBytes' | 'signal'> = {}): Promise<TraceHeader> {
  const reader = new TraceLineReader(filePath, options);
  for await (const batch of reader.batches()) {
    // Returning from the loop closes the file.
    return parseHeader(batch.lines[0], path.basename(filePath));
  }
  throw noHeaderError(filePath, reader);
}

/** No first line: an empty file, or gzip data too damaged to give one. */
function noHeaderError(filePath: string, reader: TraceLineReader): TraceFileError {
  const name = path.basename(filePath);
  const damage = reader.stats.streamError;
  return new TraceFileError(damage ? `${name} is not a readable trace: ${damage}` : `${name} is empty: not an NkMEDIA trace`);
}

/** The reader has finished the file and it did not end with a newline. */
function isLastLineCut(reader: TraceLineReader): boolean {
  return reader.stats.endsMidLine;
}
