// The messages between the "Compare Objects" panel and the extension host, declared once for
// both sides (no `vscode`, no DOM, no Node types here).
//
// Flow: the page says `ready`; the host answers with the latest `diff` (or `error`), and
// sends a new one after each `refresh`. A click on a step posts `reveal` with its side and
// seq; the host finds the object behind the side, so the page names no source or key.
//
// The host computes the diff (src/trace/objectDiff.ts) and turns it into this view
// (src/trace/diffView.ts): every text is made there, the page only places it. Both
// directions are zod schemas (zod/mini, as the other pages): the host validates what the
// page sends, the page what it receives, as a second line behind textContent.
import * as z from 'zod/mini';

const sideLabel = z.enum(['A', 'B']);

/** One side's header: which object of which source, and how it went. */
export const diffSideViewSchema = z.object({
  label: sideLabel,
  /** The source's name (a trace's file name, a connection's name). */
  source: z.string(),
  live: z.boolean(),
  /** `session 39ce4076-…`. */
  title: z.string(),
  key: z.string(),
  /** `stopped · 3 events · 5.200 s · code 1013 User stop (normal) · NkMEDIA Aug 2016`. */
  detail: z.string(),
});
export type DiffSideView = z.infer<typeof diffSideViewSchema>;

/** One side of a step: the event, and its time since the object's first event. */
export const diffStepEventSchema = z.object({
  seq: z.number(),
  type: z.string(),
  /** `0.340 s`. */
  offset: z.string(),
});
export type DiffStepEvent = z.infer<typeof diffStepEventSchema>;

/** A body field that differs, each value as shown (JSON, or `(absent)`), cut when long. */
export const diffFieldViewSchema = z.object({ path: z.string(), a: z.string(), b: z.string() });
export type DiffFieldView = z.infer<typeof diffFieldViewSchema>;

export const diffRowViewSchema = z.object({
  side: z.enum(['both', 'onlyA', 'onlyB']),
  a: z.optional(diffStepEventSchema),
  b: z.optional(diffStepEventSchema),
  /** Shared steps: B's offset minus A's, `+0.172 s`. */
  delta: z.optional(z.string()),
  fields: z.array(diffFieldViewSchema),
  /** Fields that differ beyond those listed. */
  moreFields: z.number(),
});
export type DiffRowView = z.infer<typeof diffRowViewSchema>;

export const diffViewSchema = z.object({
  a: diffSideViewSchema,
  b: diffSideViewSchema,
  /** `3 in both, 0 only in A (−), 1 only in B (+); 6 field differences in 2 steps`. */
  summary: z.string(),
  /** Things to know before reading the rows: different kinds, an approximate alignment, live sides. */
  notes: z.array(z.string()),
  rows: z.array(diffRowViewSchema),
  /** Steps beyond those listed. */
  moreRows: z.number(),
});
export type DiffView = z.infer<typeof diffViewSchema>;

/** What the host sends the page. */
export const toDiffPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('diff'), view: diffViewSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ToDiffPage = z.infer<typeof toDiffPageSchema>;

/** What the page sends the host; untrusted, so the host parses it with this schema first. */
export const fromDiffPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('reveal'), side: sideLabel, seq: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)) }),
]);
export type FromDiffPage = z.infer<typeof fromDiffPageSchema>;
