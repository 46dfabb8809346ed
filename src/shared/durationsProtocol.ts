// Messages between the Durations panel (src/vscode/durationsPanel.ts) and its page
// (src/webview/durationsPage). The host sends the whole model, at most once a second while
// traffic flows; the page sends clicks. What the page sends is untrusted and checked here.
import { z } from 'zod';

export interface DurationBarView {
  /** [fromMs, toMs): a doubling of time. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
  /** `64 ms – 128 ms` */
  readonly range: string;
  /** The current filter selects this bar. */
  readonly selected: boolean;
}

export interface DurationOutlierView {
  readonly objectKey: string;
  /** The object's id, as the tree shows it. */
  readonly name: string;
  readonly duration: string;
  readonly inStore: boolean;
}

export interface DurationSpanView {
  /** `call.length`: what a bar's filter names (src/core/spanFilter.ts). */
  readonly id: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** p50, p90, p99 and max as text; empty when nothing was measured. */
  readonly percentiles: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly bars: readonly DurationBarView[];
  readonly outliers: readonly DurationOutlierView[];
  /** Sessions by type, rooms by class (two or more; calls have none), the most measured first. */
  readonly types: ReadonlyArray<{ readonly type: string; readonly count: number; readonly percentiles: ReadonlyArray<{ readonly name: string; readonly value: string }> }>;
  /** Why nothing may be measured here (an era without the start event). */
  readonly note?: string;
}

export interface DurationsPageModel {
  readonly sourceId: string;
  readonly sourceName: string;
  readonly spans: readonly DurationSpanView[];
  /** The filter as the tree shows it, when one is set. */
  readonly filter?: string;
}

export type ToDurationsPage = { readonly type: 'model'; readonly model: DurationsPageModel } | { readonly type: 'sourceGone'; readonly message: string };

const spanId = z.string().max(40);
const ms = z.number().finite().nonnegative().max(2 ** 53);

export const fromDurationsPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('selectBar'), span: spanId, fromMs: ms, toMs: z.union([ms, z.null()]) }),
  z.object({ type: z.literal('clearSelection') }),
  z.object({ type: z.literal('reveal'), objectKey: z.string().max(1000) }),
]);

export type FromDurationsPage = z.infer<typeof fromDurationsPageSchema>;

// ---- to the page: checked there too, so a message of another shape is dropped, not half drawn ----

const text = z.string().max(2000);
const barSchema = z.object({ fromMs: z.number(), toMs: z.number(), count: z.number(), range: text, selected: z.boolean() });
const outlierSchema = z.object({ objectKey: text, name: text, duration: text, inStore: z.boolean() });
const spanSchema = z.object({
  id: text,
  label: text,
  from: text,
  to: text,
  count: z.number(),
  percentiles: z.array(z.object({ name: text, value: text })),
  bars: z.array(barSchema).max(100),
  outliers: z.array(outlierSchema).max(100),
  types: z.array(z.object({ type: text, count: z.number(), percentiles: z.array(z.object({ name: text, value: text })) })).max(100),
  note: text.optional(),
});

export const toDurationsPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model'), model: z.object({ sourceId: text, sourceName: text, spans: z.array(spanSchema).max(20), filter: text.optional() }) }),
  z.object({ type: z.literal('sourceGone'), message: text }),
]);
