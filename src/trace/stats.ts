// What a trace holds, at a glance: counts per subclass and type, the objects and their states,
// the anomalies, how long sessions, calls and rooms took, the time span, the bad lines, the notes. Used by `nkmedia-inspect stats` and by the
// trace editor's summary. Computed from a store, so the objects and anomalies are exactly
// those the inspector shows when the trace is opened.
import * as path from 'path';
import { noteLine, notesOf, type AnomalyKind, type DurationsByType, type DurationsSnapshot, type EventStore, type MarkerKind, type ObjectKind } from '../core';
import type { DetectedDialect, EndVerdict } from '../protocol/dialects';
import { excerpt } from '../protocol/frames';
import { terminalSafe } from '../shared/terminalText';
import { formatDurationLines } from './durationText';
import { healthSummary, healthText, type HealthSummary } from '../core/healthSummary';
import type { TraceHeader } from './traceFileFormat';
import { loadTrace, type InvalidLine, type LoadedTrace, type LoadTraceOptions } from './loadTrace';

export interface TypeCount {
  class: string;
  subclass: string;
  type: string;
  count: number;
  /** Listed in the tables of the trace's era (or of any era when the trace names none). */
  known: boolean;
}

export interface ObjectSummary {
  key: string;
  kind: ObjectKind;
  state: string;
  events: number;
  firstTs: number;
  lastTs: number;
  code?: number | string;
  reason?: string;
  /** How it ended (absent while it had not ended). */
  endVerdict?: EndVerdict;
  anomalies: number;
}

export interface TraceStats {
  file: string;
  header: TraceHeader;
  compressed: boolean;
  fileBytes: number;
  events: number;
  markers: Record<MarkerKind, number>;
  timeSpan?: { first: number; last: number; seconds: number };
  /** Sorted by class, subclass, then count (largest first). */
  types: TypeCount[];
  objectCounts: Record<ObjectKind, number> & { total: number };
  /** kind → state → count */
  objectStates: Record<ObjectKind, Record<string, number>>;
  objects: ObjectSummary[];
  /** Ended objects by how they ended: only faults are anomalies. */
  endCounts: Record<EndVerdict, number>;
  /** The server's era: as the header names it, or detected from the events. */
  dialect: Pick<DetectedDialect, 'id' | 'label' | 'how'>;
  /** Session setup and length, call time to answer and length, room lifetime: ms (src/core/durations.ts). */
  durations: DurationsSnapshot;
  /** The same, sessions by type and rooms by class (`session.length` → [{type, histogram}]). */
  durationsByType: DurationsByType;
  /** Connection health from the recorder's `health` samples and the markers (healthSummary.ts). */
  health: HealthSummary;
  anomalyCounts: Partial<Record<AnomalyKind, number>>;
  anomalies: Array<{ objectKey: string; kind: AnomalyKind; seq?: number; ts: number; message: string }>;
  invalidLineCount: number;
  invalidLines: InvalidLine[];
  /** What the server sent that was not a valid event (invalid markers), with why; the first ones. */
  invalidEvents: Array<{ ts: number; reason: string; excerpt: string }>;
  invalidEventCount: number;
  /** The user's notes (src/core/notes.ts), by time: on an object, or on one of its events (`eventType`). */
  notes: Array<{ ts: number; objectKey: string; eventType?: string; text: string; created: string }>;
  /** Why reading stopped early (damaged gzip), if it did. */
  streamError?: string;
}

/** Reads a trace and summarises it, keeping no event text (memory: ~30 bytes per event). */
export async function readTraceStats(filePath: string, options: Omit<LoadTraceOptions, 'store' | 'keepEventText'> = {}): Promise<TraceStats> {
  // No eviction: a summary must count every event, however many there are.
  const loaded = await loadTrace(filePath, { ...options, keepEventText: false, maxEvents: options.maxEvents ?? Number.MAX_SAFE_INTEGER });
  try {
    return summarizeTrace(loaded);
  } finally {
    loaded.store.dispose();
  }
}

export function summarizeTrace(loaded: LoadedTrace): TraceStats {
  const { store } = loaded;
  const markers: Record<MarkerKind, number> = { connect: 0, disconnect: 0, gap: 0, invalid: 0 };
  const invalidEvents: TraceStats['invalidEvents'] = [];
  for (const marker of store.markers()) {
    markers[marker.kind]++;
    if (marker.kind === 'invalid' && invalidEvents.length < LISTED_IN_TEXT) {
      invalidEvents.push({ ts: marker.ts, reason: marker.reason ?? 'invalid event', excerpt: excerpt(marker.frame ?? '') });
    }
  }
  // The store keeps the first MAX_INVALID_MARKERS; the count is of all.
  markers.invalid += store.invalidNotKept;
  const anomalyCounts: Partial<Record<AnomalyKind, number>> = {};
  const anomalies = store.anomalies().map(({ objectKey, anomaly }) => {
    anomalyCounts[anomaly.kind] = (anomalyCounts[anomaly.kind] ?? 0) + 1;
    return { objectKey, kind: anomaly.kind, ...(anomaly.seq !== undefined ? { seq: anomaly.seq } : {}), ts: anomaly.ts, message: anomaly.message };
  });
  const objectStates: TraceStats['objectStates'] = { session: {}, room: {}, call: {}, other: {} };
  const endCounts: TraceStats['endCounts'] = { normal: 0, declined: 0, fault: 0 };
  const objects = store.objects().map((o): ObjectSummary => {
    objectStates[o.kind][o.state] = (objectStates[o.kind][o.state] ?? 0) + 1;
    if (o.endVerdict) endCounts[o.endVerdict]++;
    const summary: ObjectSummary = { key: o.key, kind: o.kind, state: o.state, events: o.eventCount, firstTs: o.firstTs, lastTs: o.lastTs, anomalies: o.anomalies.length };
    if (o.code !== undefined) summary.code = o.code;
    if (o.reason !== undefined) summary.reason = o.reason;
    if (o.endVerdict !== undefined) summary.endVerdict = o.endVerdict;
    return summary;
  });
  const counts = store.counts();
  const stats: TraceStats = {
    file: loaded.filePath,
    header: loaded.header,
    compressed: loaded.reader.compressed,
    fileBytes: loaded.reader.totalBytes,
    events: loaded.events,
    markers,
    types: typeCounts(store),
    objectCounts: { ...counts, total: counts.session + counts.room + counts.call + counts.other },
    objectStates,
    objects,
    endCounts,
    dialect: { id: loaded.dialect.id, label: loaded.dialect.label, how: loaded.dialect.how },
    durations: store.durations(),
    durationsByType: store.durationsByType(),
    health: healthSummary(store),
    anomalyCounts,
    anomalies,
    invalidLineCount: loaded.invalidLineCount,
    invalidLines: loaded.invalidLines,
    invalidEvents,
    invalidEventCount: markers.invalid,
    notes: notesOf(store).map((n) => ({ ts: n.ts, objectKey: n.object, ...(n.eventType !== undefined ? { eventType: n.eventType } : {}), text: n.text, created: typeof n.created === 'string' ? n.created : '' })),
  };
  if (loaded.firstTs !== undefined && loaded.lastTs !== undefined) {
    stats.timeSpan = { first: loaded.firstTs, last: loaded.lastTs, seconds: (loaded.lastTs - loaded.firstTs) / 1000 };
  }
  if (loaded.reader.streamError) stats.streamError = loaded.reader.streamError;
  return stats;
}

function typeCounts(store: EventStore): TypeCount[] {
  const perType: number[] = [];
  store.forEachEvent((_seq, _ts, _conn, _object, typeIndex) => {
    perType[typeIndex] = (perType[typeIndex] ?? 0) + 1;
  });
  const result: TypeCount[] = [];
  for (const info of store.eventTypes()) {
    const count = perType[info.index] ?? 0;
    if (count > 0) result.push({ class: info.class, subclass: info.subclass, type: info.type, count, known: info.known });
  }
  return result.sort((a, b) => a.class.localeCompare(b.class) || a.subclass.localeCompare(b.subclass) || b.count - a.count || a.type.localeCompare(b.type));
}

/** How many objects and anomalies the text form lists before "… and N more". */
const LISTED_IN_TEXT = 50;

/** The human-readable form printed by `nkmedia-inspect stats`. */
export function formatTraceStats(stats: TraceStats): string {
  const out: string[] = [];
  const h = stats.header;
  out.push(`${path.basename(stats.file)}: NkMEDIA trace version ${h.version}${stats.compressed ? ', gzip' : ''}, ${formatSize(stats.fileBytes)}`);
  out.push(`created ${h.created}${h.tool ? ` by ${h.tool}` : ''}`);
  if (h.source) out.push(`source: ${[h.source.name, h.source.url, h.source.user && `as ${h.source.user}`].filter(Boolean).join(' ')}`);
  out.push(`server: ${stats.dialect.label}${stats.dialect.how === 'set' ? ' (as recorded)' : stats.dialect.how === 'detected' ? ' (detected from the events)' : ''}`);
  const markerText = (Object.entries(stats.markers) as Array<[string, number]>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  out.push(`events: ${stats.events}${markerText ? ` (markers: ${markerText})` : ''}`);
  if (stats.timeSpan) {
    out.push(`time span: ${iso(stats.timeSpan.first)} → ${iso(stats.timeSpan.last)} (${formatSeconds(stats.timeSpan.seconds)})`);
  } else {
    out.push('time span: none (no events)');
  }

  out.push('', 'events per subclass and type:');
  let group = '';
  for (const t of stats.types) {
    const name = `${t.class}/${t.subclass || '(none)'}`;
    if (name !== group) {
      group = name;
      const total = stats.types.filter((x) => x.class === t.class && x.subclass === t.subclass).reduce((sum, x) => sum + x.count, 0);
      out.push(`  ${name}  ${total}`);
    }
    out.push(`    ${(t.type || '(none)').padEnd(20)} ${String(t.count).padStart(9)}${t.known ? '' : "  (not in the era's tables)"}`);
  }

  const c = stats.objectCounts;
  out.push('', `objects: ${c.total} (sessions ${c.session}, rooms ${c.room}, calls ${c.call}, other ${c.other})`);
  for (const kind of ['session', 'room', 'call', 'other'] as const) {
    const states = Object.entries(stats.objectStates[kind]);
    if (states.length > 0) out.push(`  ${kind}: ${states.map(([s, n]) => `${n} ${s}`).join(', ')}`);
  }
  const ends = stats.endCounts;
  out.push(`  ended: ${ends.normal} normal, ${ends.declined} declined, ${ends.fault} fault${ends.fault === 1 ? '' : 's'}`);
  for (const o of stats.objects.slice(0, LISTED_IN_TEXT)) {
    const end = o.code !== undefined ? ` code ${o.code}${o.reason ? ` ${o.reason}` : ''}${o.endVerdict ? ` (${o.endVerdict})` : ''}` : '';
    out.push(`  ${o.key}  ${o.state}, ${o.events} events${end}${o.anomalies ? `, ${o.anomalies} anomalies` : ''}`);
  }
  if (stats.objects.length > LISTED_IN_TEXT) out.push(`  … and ${stats.objects.length - LISTED_IN_TEXT} more (--json lists them all)`);

  out.push('', ...formatDurationLines(stats.durations, stats.durationsByType));
  const health = stats.health;
  out.push(
    '',
    health.samples > 0
      ? `health (${health.samples} samples over ${Math.round(health.coveredMs / 1000)} s): ${healthText(health)}`
      : `health: not measured (the trace has no health samples: recorded before they were written, or shorter than one 10 s window)`,
  );

  const anomalyText = Object.entries(stats.anomalyCounts).map(([k, n]) => `${n} ${k}`).join(', ');
  out.push('', `anomalies: ${stats.anomalies.length}${anomalyText ? ` (${anomalyText})` : ''}`);
  for (const a of stats.anomalies.slice(0, LISTED_IN_TEXT)) out.push(`  ${iso(a.ts)}  ${a.objectKey}: ${a.message}`);
  if (stats.anomalies.length > LISTED_IN_TEXT) out.push(`  … and ${stats.anomalies.length - LISTED_IN_TEXT} more (--json lists them all)`);

  out.push('', `invalid events the server sent (kept in the trace, not shown as events): ${stats.invalidEventCount}`);
  for (const bad of stats.invalidEvents) out.push(`  ${iso(bad.ts)}  ${bad.reason}: ${bad.excerpt}`);
  if (stats.invalidEventCount > stats.invalidEvents.length) out.push(`  … and ${stats.invalidEventCount - stats.invalidEvents.length} more`);

  if (stats.notes.length > 0) {
    out.push('', `notes: ${stats.notes.length}`);
    for (const n of stats.notes.slice(0, LISTED_IN_TEXT)) out.push(`  ${iso(n.ts)}  ${n.objectKey}${n.eventType !== undefined ? ` (${n.eventType})` : ''}: ${noteLine(n.text, 200)}`);
    if (stats.notes.length > LISTED_IN_TEXT) out.push(`  … and ${stats.notes.length - LISTED_IN_TEXT} more (--json lists them all)`);
  }

  out.push('', `invalid lines: ${stats.invalidLineCount}`);
  for (const bad of stats.invalidLines) out.push(`  line ${bad.line}: ${bad.reason}`);
  if (stats.invalidLineCount > stats.invalidLines.length) out.push(`  … and ${stats.invalidLineCount - stats.invalidLines.length} more`);
  // Each entry is one line: a newline or CR inside one came from the trace (an id, a type, a
  // reason) and must not start a line of its own, any more than an ESC may reach the terminal.
  return out.map((line) => terminalSafe(line)).join('\n') + '\n';
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${+seconds.toFixed(3)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
