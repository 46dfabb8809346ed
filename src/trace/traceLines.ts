// Tells what one line of a trace file is: the header, an event, a marker, or a bad line with
// a reason a person can act on. Trace files are untrusted: nothing here throws for bad input
// except `parseHeader`, whose TraceFileError means "this file is not a trace we can read".
//
// Event lines are checked by hand first (a few typeof tests, ~20 ns) and only lines that fail
// go through zod, for the exact reason. The hand check accepts nothing zod would refuse.
// The parsed value is kept as is, unknown fields included: zod's output would drop them.
// A line nested deeper than MAX_JSON_DEPTH is cut and flagged first (shared/jsonDepth.ts).
import { issueSummary } from '../protocol/frames';
import { cutIfTooDeep } from '../shared/jsonDepth';
import { TraceFileError } from './errors';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  traceEventLineSchema,
  traceHeaderSchema,
  traceMarkerLineSchema,
  type TraceEventLine,
  type TraceHeader,
  type TraceMarkerLine,
} from './traceFileFormat';
import { OverlongLine } from './reader';

/**
 * An annotation line: `{"line":"<kind>",…}`, what the inspector adds beside what the server
 * sent (health samples, notes). The format's version rule: a reader keeps the kinds it knows
 * and skips the others without a report, so new kinds never need a new version.
 */
export class AnnotationLine {
  constructor(
    readonly kind: string,
    readonly record: Readonly<Record<string, unknown>>,
  ) {}
}

/** A line that is not a valid event or marker line, and why. */
export class BadLine {
  constructor(readonly reason: string) {}
}

/**
 * Parses a line after the header. Returns the event line itself (the parsed JSON, unknown
 * fields kept), a parsed marker line, or a BadLine.
 */
export function parseBodyLine(text: string | OverlongLine): TraceEventLine | TraceMarkerLine | AnnotationLine | BadLine {
  if (text instanceof OverlongLine) return new BadLine(text.reason);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new BadLine(`not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new BadLine(`not a JSON object (${describeValue(value)})`);
  }
  let record = value as Record<string, unknown>;
  const cut = cutIfTooDeep(record, 'event');
  if (cut) {
    record = cut;
    cutLineTexts.set(record, JSON.stringify(cut));
  }
  if (record.event !== undefined) {
    if (isEventLine(record)) return record as unknown as TraceEventLine;
    const parsed = traceEventLineSchema.safeParse(record);
    return parsed.success ? (record as unknown as TraceEventLine) : new BadLine(`bad event line: ${issueSummary(parsed.error)}`);
  }
  if (record.marker !== undefined) {
    const parsed = traceMarkerLineSchema.safeParse(record);
    return parsed.success ? parsed.data : new BadLine(`bad marker line: ${issueSummary(parsed.error)}`);
  }
  if (record.line !== undefined) {
    return typeof record.line === 'string' && record.line.length > 0 ? new AnnotationLine(record.line, record) : new BadLine('bad annotation line: "line" is not a kind name');
  }
  if (record.format !== undefined) return new BadLine('a second header line (were two traces joined into one file?)');
  return new BadLine('neither an event line (no "event" field), a marker line (no "marker" field) nor an annotation line (no "line" field)');
}

/** Lines cut to MAX_JSON_DEPTH, and their text as cut: the text the file has nests too deep. */
const cutLineTexts = new WeakMap<object, string>();

/** The text to keep for a parsed line: the file's `text`, or the cut line's when it was cut. */
export function keptLineText(line: TraceEventLine, text: string): string {
  return cutLineTexts.get(line) ?? text;
}

export function isMarkerLine(line: TraceEventLine | TraceMarkerLine): line is TraceMarkerLine {
  return (line as TraceMarkerLine).marker !== undefined;
}

/** Blank lines carry nothing; readers skip them without a report. */
export function isBlank(text: string | OverlongLine): boolean {
  return typeof text === 'string' && (text.length === 0 || text.trim().length === 0);
}

/**
 * The header (line 1). Throws a TraceFileError naming the file when it is not an NkMEDIA
 * trace, or is one of a version this code does not read.
 */
export function parseHeader(text: string | OverlongLine | undefined, fileName: string): TraceHeader {
  if (text === undefined) throw new TraceFileError(`${fileName} is empty: not an NkMEDIA trace`);
  if (text instanceof OverlongLine) throw new TraceFileError(`${fileName} is not an NkMEDIA trace: its first line is longer than the line limit`);
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(withoutBom);
  } catch {
    throw new TraceFileError(`${fileName} is not an NkMEDIA trace: its first line is not JSON`);
  }
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!record || record.format !== TRACE_FORMAT) {
    throw new TraceFileError(`${fileName} is not an NkMEDIA trace: its first line is not a {"format":"${TRACE_FORMAT}",…} header`);
  }
  if (record.version !== TRACE_VERSION) {
    const version = typeof record.version === 'number' ? `version ${record.version}` : `an unreadable version (${describeValue(record.version)})`;
    throw new TraceFileError(`${fileName} is an NkMEDIA trace of ${version}, which this inspector cannot read (it reads version ${TRACE_VERSION})`);
  }
  const parsed = traceHeaderSchema.safeParse(record);
  if (!parsed.success) throw new TraceFileError(`${fileName} has an invalid trace header: ${issueSummary(parsed.error)}`);
  return parsed.data;
}

/** The hand-written check of an event line; true only when the schema would accept it. */
function isEventLine(line: Record<string, unknown>): boolean {
  const event = line.event;
  if (!Number.isFinite(line.seq) || !Number.isFinite(line.ts)) return false;
  if (line.conn !== undefined && typeof line.conn !== 'string') return false;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const data = event as Record<string, unknown>;
  return (
    typeof data.class === 'string' &&
    optionalString(data.subclass) &&
    optionalString(data.type) &&
    optionalString(data.obj_id) &&
    optionalString(data.service) &&
    (data.body === undefined || (typeof data.body === 'object' && data.body !== null && !Array.isArray(data.body)))
  );
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `a string` : `a ${typeof value}`;
}
