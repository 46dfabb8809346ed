// The duration distributions (src/core/durations.ts) as `nkmedia-inspect stats` prints them:
// one line per span with its count, p50 / p90 / p99 / max, and a bar of block characters, one
// per doubling of time from the shortest span to the longest. Doublings rather than the
// histogram's own buckets (16 per doubling): a terminal line has room for a shape, not for
// 640 buckets, and a log axis keeps the fast answers and the slow ones on the same bar.
import { DURATION_SPANS, formatDuration, histogramOf, type DurationBucket, type DurationsByType, type DurationsSnapshot, type HistogramSnapshot } from '../core';

/** ▁ to █: a column's height is its share of the fullest column, in eighths (at least one). */
const LEVELS = '▁▂▃▄▅▆▇█';
/** A doubling with no span in it. */
const EMPTY = '·';
/** Past this many doublings, each column stands for two (then four…). */
const MAX_COLUMNS = 24;

/** Types listed under a span in the text form; --json has them all. */
const TYPES_LISTED = 8;

export function formatDurationLines(durations: DurationsSnapshot, byType: DurationsByType = {}): string[] {
  const out = ['durations (nearest-rank percentiles; bar: spans per doubling of time, shortest to longest):'];
  const width = Math.max(...DURATION_SPANS.map((s) => s.label.length));
  for (const span of DURATION_SPANS) {
    const histogram = histogramOf(durations, span);
    const label = `  ${span.label.padEnd(width)}`;
    if (histogram.count === 0) {
      out.push(`${label}  none${'onlyWhere' in span ? ` (measured only in ${span.onlyWhere})` : ''}`);
      continue;
    }
    out.push(`${label}  ${spanFigures(histogram)} ${durationBar(histogram)}`);
    const typed = byType[`${span.kind}.${span.span}`] ?? [];
    // One type only says nothing the line above did not.
    if (typed.length < 2) continue;
    for (const { type, histogram: h } of typed.slice(0, TYPES_LISTED)) out.push(`    ${type.slice(0, width - 2).padEnd(width - 2)}  ${spanFigures(h)}`);
    if (typed.length > TYPES_LISTED) out.push(`    … and ${typed.length - TYPES_LISTED} more types (--json lists them all)`);
  }
  return out;
}

/** `   3130  p50 211 ms    p90 623 ms    p99 1.2 s     max 1.9 s    ` */
function spanFigures(histogram: HistogramSnapshot): string {
  // Padded so that the columns line up while values are under an hour ('10 h 03 min' is longer).
  const figures = (['p50', 'p90', 'p99', 'max'] as const).map((p) => `${p} ${formatDuration(histogram[p] ?? 0).padEnd(9)}`).join(' ');
  return `${String(histogram.count).padStart(6)}  ${figures}`;
}

/** `64 ms ██·█ 1.0 s`: the bar, between the bounds of its first and last column. */
export function durationBar(histogram: Pick<HistogramSnapshot, 'buckets'>): string {
  const buckets = histogram.buckets;
  if (buckets.length === 0) return '';
  const first = doublingOf(buckets[0]);
  const last = doublingOf(buckets[buckets.length - 1]);
  let span = 1;
  while ((last - first + 1) / span > MAX_COLUMNS) span *= 2;
  const columns = new Array<number>(Math.floor((last - first) / span) + 1).fill(0);
  for (const bucket of buckets) columns[Math.floor((doublingOf(bucket) - first) / span)] += bucket.count;
  const fullest = Math.max(...columns);
  const bar = columns.map((n) => (n === 0 ? EMPTY : LEVELS[Math.max(1, Math.ceil((n / fullest) * LEVELS.length)) - 1])).join('');
  return `${formatDuration(doublingStart(first))} ${bar} ${formatDuration(doublingStart(first + columns.length * span))}`;
}

/** k for a bucket inside [2^k, 2^(k+1)) ms; -1 for the bucket under 1 ms. (No bucket straddles a doubling.) */
function doublingOf(bucket: DurationBucket): number {
  return bucket.fromMs < 1 ? -1 : Math.floor(Math.log2(bucket.fromMs));
}

function doublingStart(k: number): number {
  return k < 0 ? 0 : 2 ** k;
}
