// The trace file format (docs/trace-format.md): JSON Lines, optionally gzipped.
//   line 1      header   {"format":"nkmedia-trace","version":1,"created":…,"source":{…},"subscriptions":[…]}
//   then        events   {"seq":1,"ts":1732752000123,"conn":"demo","event":{…event data as received…}}
//               markers  {"marker":"connect"|"disconnect"|"gap","ts":…,"until":…,"conn":…,"reason":…}
import { z } from 'zod';
import { eventDataSchema, subscriptionSchema } from '../protocol/frames';

export const TRACE_FORMAT = 'nkmedia-trace';
export const TRACE_VERSION = 1;
/** Extensions a trace may have; each may also end in `.gz`. */
export const TRACE_EXTENSIONS = ['.nkmtrace', '.jsonl', '.ndjson'];

export const traceHeaderSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  version: z.number(),
  created: z.string(),
  source: z
    .object({
      url: z.string().optional(),
      user: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  subscriptions: z.array(subscriptionSchema).optional(),
  tool: z.string().optional(),
  /** The server's era (a DialectId, docs/protocol.md), as configured or detected; absent in older traces. */
  dialect: z.string().optional(),
});
export type TraceHeader = z.infer<typeof traceHeaderSchema>;

export const traceEventLineSchema = z.object({
  seq: z.number(),
  ts: z.number(),
  conn: z.string().optional(),
  event: eventDataSchema,
});
export type TraceEventLine = z.infer<typeof traceEventLineSchema>;

export const markerKinds = ['connect', 'disconnect', 'gap', 'invalid'] as const;
export type MarkerKind = (typeof markerKinds)[number];

export const traceMarkerLineSchema = z.object({
  marker: z.enum(markerKinds),
  ts: z.number(),
  until: z.number().optional(),
  conn: z.string().optional(),
  reason: z.string().optional(),
  /** On invalid: the frame the server sent, as text. */
  frame: z.string().optional(),
  session_id: z.string().optional(),
  /** On connect: the server's era as known then (a DialectId). */
  dialect: z.string().optional(),
});
export type TraceMarkerLine = z.infer<typeof traceMarkerLineSchema>;

/**
 * An annotation line as written: `line` names its kind, the other fields are the kind's own
 * (docs/trace-format.md, "Annotation lines"). Readers get them back as trace/traceLines.ts
 * AnnotationLine, and skip the kinds they do not know.
 */
export interface TraceAnnotationLine {
  readonly line: string;
  readonly [field: string]: unknown;
}

export function makeHeader(fields: Omit<TraceHeader, 'format' | 'version' | 'created'> & { created?: Date }): TraceHeader {
  const { created, ...rest } = fields;
  return { format: TRACE_FORMAT, version: TRACE_VERSION, created: (created ?? new Date()).toISOString(), ...rest };
}
