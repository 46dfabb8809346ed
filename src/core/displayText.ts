// Small pure text helpers shared by the tree and the timeline, so both name objects and
// durations the same way.
import type { ObjectState } from './types';

const SHORT_ID_LENGTH = 8;

/** The first 8 characters of an id (UUID-like ids are unique enough there); '(none)' if empty. */
export function shortId(id: string | undefined): string {
  if (!id) return '(none)';
  return id.length <= SHORT_ID_LENGTH ? id : id.slice(0, SHORT_ID_LENGTH);
}

/** '850 ms', '12.3 s', '4 min 05 s', '2 h 03 min'. Negative or invalid durations read as 0. */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (Math.round(value) < 1000) return `${Math.round(value)} ms`;
  const tenths = Math.round(value / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad2(seconds % 60)} s`;
  const minutes = Math.round(value / 60_000);
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/** An offset from a reference time, in seconds with milliseconds: '+1.250 s', '-0.040 s'. */
export function formatRelative(ms: number): string {
  const value = Number.isFinite(ms) ? ms : 0;
  const sign = value < 0 ? '-' : '+';
  return `${sign}${(Math.abs(value) / 1000).toFixed(3)} s`;
}

/**
 * How the tree (and timeline labels) name an object: label '39ce4076 answered', description
 * 'user1@nkmedia · publish · 12.3 s'. The description leads with what tells objects apart at
 * a glance (the user, then the type), names an anomaly in a few words before the time (a
 * narrow side bar cuts the end), and ends with how long an ended object lasted, or since when
 * a live one exists ('since 07:48:12', UTC): a running duration would be stale the moment it
 * is drawn, and redrawing rows to keep it current cancels the tooltip under the pointer.
 * `now` gives a live object its duration instead (the timeline's labels).
 */
export function describeObject(object: ObjectState, now?: number): { label: string; description: string } {
  const label = `${shortId(object.objId)} ${object.state}`;
  const parts: string[] = [];
  if (object.user) parts.push(object.user);
  if (object.kind === 'other') parts.push(`${object.class}/${object.subclass || '(none)'}`);
  const what = object.kind === 'session' ? object.sessionType : object.kind === 'room' ? object.roomClass : undefined;
  if (what) parts.push(what);
  const problem = anomalySummary(object);
  if (problem) parts.push(problem);
  if (object.ended) parts.push(formatDuration((object.endTs ?? object.lastTs) - object.firstTs));
  else if (now !== undefined) parts.push(formatDuration(Math.max(now, object.lastTs) - object.firstTs));
  else parts.push(`since ${new Date(object.firstTs).toISOString().slice(11, 19)}`);
  return { label, description: parts.join(' · ') };
}

/**
 * An object's anomalies in a few words ('fault 100999', 'never ended +1'), or '' when it has
 * none. The full messages are in the tooltip and in the rows under the object.
 */
export function anomalySummary(object: ObjectState): string {
  const [first] = object.anomalies;
  if (!first) return '';
  const more = object.anomalies.length > 1 ? ` +${object.anomalies.length - 1}` : '';
  return `${ANOMALY_WORDS[first.kind](object)}${more}`;
}

const ANOMALY_WORDS: Record<ObjectState['anomalies'][number]['kind'], (object: ObjectState) => string> = {
  'fault-end': (o) => `fault ${String(o.code ?? o.reason ?? '')}`.trimEnd(),
  'hangup-before-answer': (o) => `failed unanswered ${String(o.code ?? '')}`.trimEnd(),
  'peer-stopped-first': () => 'publisher failed first',
  'no-terminal-event': () => 'never ended',
  'unknown-type': () => 'unknown event type',
};

/** Compact one-line JSON of a value, cut to `maxChars` with an ellipsis. */
export function excerptJson(value: unknown, maxChars: number): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // cycles or BigInt: still show something
  }
  const limit = Math.max(1, Math.floor(maxChars));
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
