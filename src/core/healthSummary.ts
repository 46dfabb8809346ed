// A source's connection health (#14 part 3) from what its store holds: the `health` samples
// (one per 10 s window, written by the live source and the recorder: docs/trace-format.md)
// and the connection markers. The same summary for a live connection (tree row), a trace
// (`stats`, the trace summary) and a recording. Samples come from files: every field is
// checked, and a sample that is not one is skipped.
import type { EventStore } from './eventStore';
import type { Annotation } from './types';
import type { HealthSample as WindowSample } from '../protocol/healthMeter';

/** A `health` line as read back: the client's window (healthMeter.ts), when and where it was taken. */
export interface HealthSample extends WindowSample {
  readonly ts: number;
  readonly conn?: string;
  /** Events `record` dropped in the window because writing fell behind. */
  readonly dropped?: number;
}

export interface HealthSummary {
  /** Windows measured, and the time they cover (ms). */
  readonly samples: number;
  readonly coveredMs: number;
  readonly answers: number;
  /** The worst window's p99 and the longest answer, µs: what matters against the 5 s rule. */
  readonly worstP99Us?: number;
  readonly maxUs?: number;
  /** The server's ping cadence, ms (mean over the windows that measured one). */
  readonly pingIntervalMs?: number;
  /** Events per second: over everything sampled, and in the busiest window. */
  readonly eventsPerSecond: number;
  readonly peakEventsPerSecond: number;
  /** Events the recorder dropped because writing fell behind (from its samples). */
  readonly dropped: number;
  /** From the markers: connections after the first, and times away. */
  readonly reconnects: number;
  readonly gaps: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** A `health` annotation as a sample, or undefined when it is not a well-formed one. */
export function readHealthSample(a: Annotation): HealthSample | undefined {
  if (a.line !== 'health' || !finite(a.ts) || !finite(a.windowMs) || !finite(a.answers) || !finite(a.pings) || !finite(a.events)) return undefined;
  const optional = (key: string) => (finite(a[key]) ? { [key]: a[key] as number } : {});
  return {
    ts: a.ts,
    ...(typeof a.conn === 'string' ? { conn: a.conn } : {}),
    windowMs: a.windowMs,
    answers: a.answers,
    pings: a.pings,
    events: a.events,
    ...optional('answerP50Us'),
    ...optional('answerP99Us'),
    ...optional('answerMaxUs'),
    ...optional('pingIntervalMs'),
    ...optional('dropped'),
  };
}

export function healthSamples(store: EventStore): HealthSample[] {
  const samples: HealthSample[] = [];
  for (const a of store.annotations()) {
    const sample = a.line === 'health' ? readHealthSample(a) : undefined;
    if (sample) samples.push(sample);
  }
  return samples;
}

export function healthSummary(store: EventStore, samples = healthSamples(store)): HealthSummary {
  let coveredMs = 0;
  let answers = 0;
  let events = 0;
  let worstP99Us: number | undefined;
  let maxUs: number | undefined;
  let pingSum = 0;
  let pingWindows = 0;
  let peak = 0;
  let dropped = 0;
  for (const s of samples) {
    dropped += s.dropped ?? 0;
    coveredMs += s.windowMs;
    answers += s.answers;
    events += s.events;
    if (s.answerP99Us !== undefined) worstP99Us = Math.max(worstP99Us ?? 0, s.answerP99Us);
    if (s.answerMaxUs !== undefined) maxUs = Math.max(maxUs ?? 0, s.answerMaxUs);
    if (s.pingIntervalMs !== undefined) {
      pingSum += s.pingIntervalMs;
      pingWindows++;
    }
    if (s.windowMs > 0) peak = Math.max(peak, (s.events * 1000) / s.windowMs);
  }
  const markers = store.markers();
  const connects = markers.filter((m) => m.kind === 'connect').length;
  return {
    samples: samples.length,
    coveredMs,
    answers,
    ...(worstP99Us !== undefined ? { worstP99Us } : {}),
    ...(maxUs !== undefined ? { maxUs } : {}),
    ...(pingWindows > 0 ? { pingIntervalMs: Math.round(pingSum / pingWindows) } : {}),
    eventsPerSecond: coveredMs > 0 ? Math.round((events * 10_000) / coveredMs) / 10 : 0,
    peakEventsPerSecond: Math.round(peak * 10) / 10,
    dropped,
    reconnects: Math.max(0, connects - 1),
    gaps: markers.filter((m) => m.kind === 'gap').length,
  };
}

/** `answers p99 ≤ 0.2 ms (max 3.1 ms) · pings every 5.0 s · 120 ev/s (peak 410) · 1 reconnect` */
export function healthText(summary: HealthSummary): string {
  if (summary.samples === 0) return 'not measured yet';
  const parts: string[] = [];
  if (summary.worstP99Us !== undefined) parts.push(`answers p99 ${microseconds(summary.worstP99Us)} (max ${microseconds(summary.maxUs ?? summary.worstP99Us)})`);
  else parts.push('no answers');
  parts.push(summary.pingIntervalMs !== undefined ? `pings every ${(summary.pingIntervalMs / 1000).toFixed(1)} s` : 'no server pings');
  parts.push(`${summary.eventsPerSecond} ev/s (peak ${summary.peakEventsPerSecond})`);
  if (summary.dropped > 0) parts.push(`${summary.dropped} event${summary.dropped === 1 ? '' : 's'} dropped by the recorder`);
  if (summary.reconnects > 0) parts.push(`${summary.reconnects} reconnect${summary.reconnects === 1 ? '' : 's'}`);
  if (summary.gaps > 0) parts.push(`${summary.gaps} gap${summary.gaps === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function microseconds(us: number): string {
  return us < 1000 ? `${Math.round(us)} µs` : us < 1_000_000 ? `${(us / 1000).toFixed(1)} ms` : `${(us / 1_000_000).toFixed(2)} s`;
}

const cache = new WeakMap<EventStore, { annotations: number; markers: number; summary: HealthSummary }>();

/** healthSummary, worked out again only when the store has new annotations or markers (a tree row asks often). */
export function currentHealthSummary(store: EventStore): HealthSummary {
  const annotations = store.annotations().length;
  const markers = store.markers().length;
  const cached = cache.get(store);
  if (cached && cached.annotations === annotations && cached.markers === markers) return cached.summary;
  const summary = healthSummary(store);
  cache.set(store, { annotations, markers, summary });
  return summary;
}

/** The worst window's answer p99 in a few characters: `p99 120 µs`. */
export function shortHealthText(summary: HealthSummary): string | undefined {
  return summary.worstP99Us === undefined ? undefined : `answers p99 ${microseconds(summary.worstP99Us)}`;
}
