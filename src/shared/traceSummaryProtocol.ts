// The messages between the trace editor's summary page and the extension host, declared once
// for both sides (no `vscode`, no DOM, no Node types here).
//
// Flow: the page says `ready`; the host answers with the latest of `loading` (percent read),
// `summary` or `error`, and sends each later one as it comes. The buttons post `showTimeline`
// and `openInInspector`.
//
// Both directions are zod schemas, and the types are inferred from them. The host validates
// what the page sends (the webview is untrusted); the page validates what it receives, as a
// second line behind textContent. `zod/mini` keeps the page's bundle small (about 20 kB
// instead of the 450 kB the classic API pulls in), and its schemas work the same on the host.
import * as z from 'zod/mini';

const count = z.number();
const objectKinds = ['session', 'room', 'call', 'other'] as const;

/** The part of a trace's stats the page shows, with its long lists cut. */
export const traceSummaryViewSchema = z.object({
  header: z.object({
    version: z.number(),
    created: z.string(),
    tool: z.optional(z.string()),
    source: z.optional(z.object({ name: z.optional(z.string()), url: z.optional(z.string()), user: z.optional(z.string()) })),
    subscriptions: z.optional(
      z.array(z.object({ class: z.string(), subclass: z.optional(z.string()), type: z.optional(z.string()), obj_id: z.optional(z.string()) })),
    ),
  }),
  compressed: z.boolean(),
  events: count,
  markers: z.record(z.enum(['connect', 'disconnect', 'gap', 'invalid']), count),
  timeSpan: z.optional(z.object({ first: z.number(), last: z.number(), seconds: z.number() })),
  dialect: z.object({ label: z.string(), how: z.enum(['set', 'detected', 'unknown']) }),
  endCounts: z.record(z.enum(['normal', 'declined', 'fault']), count),
  objectCounts: z.object({ session: count, room: count, call: count, other: count, total: count }),
  /** kind → state → count */
  objectStates: z.record(z.enum(objectKinds), z.record(z.string(), count)),
  types: z.array(z.object({ class: z.string(), subclass: z.string(), type: z.string(), count, known: z.boolean() })),
  /** Every anomaly of the trace; `anomalies` lists the first of them. */
  anomalyCount: count,
  anomalies: z.array(z.object({ ts: z.number(), objectKey: z.string(), message: z.string() })),
  /** Every bad line of the trace; `invalidLines` lists the first of them. */
  invalidLineCount: count,
  invalidLines: z.array(z.object({ line: z.number(), reason: z.string() })),
  /** Every note of the trace (absent: none); `notes` lists the first of them, by time. */
  noteCount: z.optional(count),
  notes: z.optional(z.array(z.object({ ts: z.number(), objectKey: z.string(), eventType: z.optional(z.string()), text: z.string() }))),
  /** Why reading stopped early (a damaged gzip), if it did. */
  streamError: z.optional(z.string()),
});
export type TraceSummaryView = z.infer<typeof traceSummaryViewSchema>;

/** What the host sends the page. */
export const toTraceSummaryPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading'), fileName: z.string(), percent: z.number() }),
  z.object({ type: z.literal('summary'), fileName: z.string(), summary: traceSummaryViewSchema }),
  z.object({ type: z.literal('error'), fileName: z.string(), message: z.string() }),
]);
export type ToTraceSummaryPage = z.infer<typeof toTraceSummaryPageSchema>;

/** What the page sends the host; untrusted, so the host parses it with this schema first. */
export const fromTraceSummaryPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('showTimeline') }),
  z.object({ type: z.literal('openInInspector') }),
]);
export type FromTraceSummaryPage = z.infer<typeof fromTraceSummaryPageSchema>;
