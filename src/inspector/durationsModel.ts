// What the Durations panel shows of a store's duration distributions (src/core/durations.ts):
// per span its count, percentiles, one bar per doubling of time and its longest objects. Bars
// are doublings, as in `stats`' text form: a log axis keeps 20 ms answers and hour-long calls
// on one chart, and each bar's range is a filter (`span:`) that selects exactly its objects.
import { DURATION_SPANS, formatDuration, histogramOf, type EventFilter, type EventStore, type HistogramSnapshot } from '../core';
import { describeFilter, isEmptyFilter } from '../core';
import { parseSpanCondition } from '../core/spanFilter';
import type { DurationBarView, DurationsPageModel, DurationSpanView } from '../shared/durationsProtocol';
import type { Source } from './source';

export function durationsModel(source: Source, filter: EventFilter): DurationsPageModel {
  const durations = source.store.durations();
  const byType = source.store.durationsByType();
  const selected = filter.span ? parseSpanCondition(filter.span) : undefined;
  const spans = DURATION_SPANS.map((span): DurationSpanView => {
    const histogram = histogramOf(durations, span);
    const id = `${span.kind}.${span.span}`;
    const bars = doublingBars(histogram.buckets).map((bar): DurationBarView => ({
      ...bar,
      range: `${formatDuration(bar.fromMs)} – ${formatDuration(bar.toMs)}`,
      selected: selected !== undefined && `${selected.span.kind}.${selected.span.span}` === id && selected.fromMs === bar.fromMs && selected.toMs === bar.toMs,
    }));
    return {
      id,
      label: span.label,
      from: span.from,
      to: span.to,
      count: histogram.count,
      percentiles: percentiles(histogram),
      bars,
      types: (byType[id] ?? []).length < 2 ? [] : (byType[id] ?? []).slice(0, TYPES_SHOWN).map((t) => ({ type: t.type, count: t.histogram.count, percentiles: percentiles(t.histogram) })),
      outliers: histogram.outliers.map((o) => ({ objectKey: o.objectKey, name: nameOf(source.store, o.objectKey), duration: formatDuration(o.ms), inStore: o.inStore })),
      ...('onlyWhere' in span ? { note: `measured only in ${span.onlyWhere}` } : {}),
    };
  });
  return { sourceId: source.id, sourceName: source.name, spans, ...(isEmptyFilter(filter) ? {} : { filter: describeFilter(filter) }) };
}

/** Types shown per span; `stats --json` has them all. */
const TYPES_SHOWN = 12;

function percentiles(histogram: HistogramSnapshot): Array<{ name: string; value: string }> {
  return histogram.count === 0 ? [] : (['p50', 'p90', 'p99', 'max'] as const).map((name) => ({ name, value: formatDuration(histogram[name] ?? 0) }));
}

/**
 * The histogram's buckets summed per doubling, from the shortest to the longest, empty
 * doublings included (a gap in the shape is information). Bucket edges never straddle a
 * doubling; the first bar starts at 0 when spans under 1 ms were measured.
 */
export function doublingBars(buckets: ReadonlyArray<{ fromMs: number; toMs: number; count: number }>): Array<{ fromMs: number; toMs: number; count: number }> {
  if (buckets.length === 0) return [];
  const doublingOf = (fromMs: number) => (fromMs < 1 ? -1 : Math.floor(Math.log2(fromMs)));
  const start = (k: number) => (k < 0 ? 0 : 2 ** k);
  const first = doublingOf(buckets[0].fromMs);
  const last = doublingOf(buckets[buckets.length - 1].fromMs);
  const bars = [];
  for (let k = first; k <= last; k++) bars.push({ fromMs: start(k), toMs: start(k + 1), count: 0 });
  for (const bucket of buckets) bars[doublingOf(bucket.fromMs) - first].count += bucket.count;
  return bars;
}

function nameOf(store: EventStore, objectKey: string): string {
  return store.getObject(objectKey)?.objId ?? objectKey.slice(objectKey.lastIndexOf('/') + 1);
}
