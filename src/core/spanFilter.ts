// The `span:` condition of the filter: objects whose measured span (durations.ts) lies in a
// range, e.g. `span:call.length:1024-2048` for calls that lasted 1024 ms to just under 2048.
// It is what a bar of the Durations panel selects, written as text so that the tree, the
// timeline's filter box and the log all show it like any other condition.
import { DURATION_SPANS, type DurationSpan } from './durations';
import type { ObjectState } from './types';

export interface SpanCondition {
  readonly span: DurationSpan;
  readonly fromMs: number;
  /** Exclusive; Infinity for no upper bound. */
  readonly toMs: number;
}

const SPAN_TEXT = /^([a-z]+)\.([A-Za-z]+):(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)?$/;

/** The condition a `span:` value names, or undefined when it names none (it then matches nothing). */
export function parseSpanCondition(text: string): SpanCondition | undefined {
  const match = SPAN_TEXT.exec(text.trim());
  if (!match) return undefined;
  const span = DURATION_SPANS.find((s) => s.kind === match[1] && s.span === match[2]);
  if (!span) return undefined;
  const fromMs = Number(match[3]);
  const toMs = match[4] === undefined ? Infinity : Number(match[4]);
  return toMs > fromMs ? { span, fromMs, toMs } : undefined;
}

/** The `span:` value of a range: `call.length:1024-2048`, `room.lifetime:60000-` */
export function spanConditionText(span: Pick<DurationSpan, 'kind' | 'span'>, fromMs: number, toMs: number): string {
  return `${span.kind}.${span.span}:${fromMs}-${Number.isFinite(toMs) ? toMs : ''}`;
}

/** Whether the object's measured span is in the range (an object not measured never is). */
export function spanConditionHolds(condition: SpanCondition, object: ObjectState): boolean {
  if (object.kind !== condition.span.kind) return false;
  const ms = condition.span.span === 'setup' || condition.span.span === 'toAnswer' ? object.openingMs : object.lengthMs;
  return ms >= 0 && ms >= condition.fromMs && ms < condition.toMs;
}
