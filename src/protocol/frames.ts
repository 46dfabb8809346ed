// The NkSERVICE external API frames (see docs/protocol.md): requests, responses and acks,
// JSON text over a WebSocket. Both the client and the simulator parse with these schemas.
//
// Schemas are plain `z.object`s on purpose: they check the fields we rely on and are cheap
// (about 0.5 µs per event). Validation never replaces the original object: what is stored
// and shown is what the peer sent, unknown fields included.
import { z } from 'zod';
import { TidLiteral } from './rawTid';
import { cutIfTooDeep } from '../shared/jsonDepth';

export type Tid = number | string;
/**
 * Any number or string. Not z.number(): it refuses Infinity, which is what JSON.parse makes of
 * a tid such as 1e400; such a request is still answered, with its tid as written (rawTid.ts).
 */
const tid = z.custom<Tid>((value) => typeof value === 'number' || typeof value === 'string', { message: 'expected a number or a string' });
/**
 * A JSON object (not null, not an array). Checked by hand rather than with
 * `z.record(z.string(), z.unknown())`, which visits every key: an event body carries SDP and
 * dozens of fields, and that walk was 60% of the cost of validating an event (0.37 of
 * 0.6 µs). JSON keys are always strings, so both accept exactly the same values.
 */
const dataObject = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  message: 'expected a JSON object',
});

export const requestSchema = z.object({
  class: z.string(),
  subclass: z.string().optional(),
  cmd: z.string(),
  data: dataObject.optional(),
  tid,
});
export type RequestFrame = z.infer<typeof requestSchema>;

export const responseSchema = z.object({
  result: z.string(),
  data: z.unknown().optional(),
  tid,
});
export type ResponseFrame = z.infer<typeof responseSchema>;

export const ackSchema = z.object({ ack: tid });
export type AckFrame = z.infer<typeof ackSchema>;

/**
 * The `data` of a `core/event` request. Only `class` is required by the protocol; the rest
 * is optional because real servers differ. Ids are plain strings: the documented sample ids
 * are not valid RFC 4122 UUIDs, and any string is allowed.
 */
export const eventDataSchema = z.object({
  class: z.string(),
  subclass: z.string().optional(),
  type: z.string().optional(),
  obj_id: z.string().optional(),
  body: dataObject.optional(),
  service: z.string().optional(),
});
/** An event as received: the validated fields plus anything else the server sent. */
export type EventData = z.infer<typeof eventDataSchema> & Record<string, unknown>;

/**
 * A `core/event` request and its event data in one schema: one safeParse per event instead
 * of two (request, then data). Anything it refuses is checked again the long way, so that
 * the answer and the error message stay those of the two separate schemas.
 */
const eventRequestSchema = z.object({
  class: z.literal('core'),
  subclass: z.string().optional(),
  cmd: z.literal('event'),
  data: eventDataSchema,
  tid,
});

export const errorDataSchema = z.object({
  error: z.string().optional(),
  code: z.union([z.number(), z.string()]).optional(),
});

/** Frames larger than this are refused unparsed (an SDP answer is a few KB). */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

export type ParsedFrame =
  /** `eventDataValid`: a `core/event` request whose `raw.data` already passed `eventDataSchema`. */
  | { kind: 'request'; frame: RequestFrame; raw: Record<string, unknown>; eventDataValid?: boolean }
  /**
   * An event as develop servers send it (nkservice@007f18c, Dec 2016 on): `{class:"event",
   * data}` with no cmd and no tid, so no answer. `eventDataValid` as for a request.
   */
  | { kind: 'event'; raw: Record<string, unknown>; eventDataValid: boolean }
  | { kind: 'response'; frame: ResponseFrame; raw: Record<string, unknown> }
  | { kind: 'ack'; frame: AckFrame }
  | { kind: 'invalid'; reason: string; excerpt: string };

/** A short, single-line excerpt of a bad frame for logs. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}… (${text.length} chars)` : flat;
}

/** Parses one text frame. Never throws: a bad frame comes back as `kind: 'invalid'`. */
export function parseFrame(text: string, maxBytes = DEFAULT_MAX_FRAME_BYTES): ParsedFrame {
  if (text.length > maxBytes) {
    return { kind: 'invalid', reason: `frame of ${text.length} bytes is over the ${maxBytes}-byte limit`, excerpt: excerpt(text) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `not JSON (${(error as Error).message})`, excerpt: excerpt(text) };
  }
  const cut = cutIfTooDeep(value, 'data');
  return cut ? classifyFrame(cut, JSON.stringify(cut)) : classifyFrame(value, text);
}

/** Classifies an already parsed value as a request, response or ack. */
export function classifyFrame(value: unknown, text = ''): ParsedFrame {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    return { kind: 'invalid', reason: `not a JSON object (${what})`, excerpt: excerpt(text || JSON.stringify(value) || '') };
  }
  const raw = value as Record<string, unknown>;
  if (raw.class === 'event' && !('cmd' in raw) && !('result' in raw) && 'data' in raw) {
    return { kind: 'event', raw, eventDataValid: eventDataSchema.safeParse(raw.data).success };
  }
  if ('cmd' in raw) {
    if (raw.cmd === 'event' && raw.class === 'core' && eventRequestSchema.safeParse(raw).success) {
      // Validated: the frame's fields are those the request schema checks (unknown ones are
      // harmless here); nothing reads zod's stripped copy.
      return { kind: 'request', frame: raw as RequestFrame, raw, eventDataValid: true };
    }
    const parsed = requestSchema.safeParse(raw);
    return parsed.success
      ? { kind: 'request', frame: parsed.data, raw }
      : { kind: 'invalid', reason: `bad request: ${issueSummary(parsed.error)}`, excerpt: excerpt(text || JSON.stringify(raw)) };
  }
  if ('result' in raw) {
    const parsed = responseSchema.safeParse(raw);
    return parsed.success
      ? { kind: 'response', frame: parsed.data, raw }
      : { kind: 'invalid', reason: `bad response: ${issueSummary(parsed.error)}`, excerpt: excerpt(text || JSON.stringify(raw)) };
  }
  if ('ack' in raw) {
    const parsed = ackSchema.safeParse(raw);
    return parsed.success
      ? { kind: 'ack', frame: parsed.data }
      : { kind: 'invalid', reason: `bad ack: ${issueSummary(parsed.error)}`, excerpt: excerpt(text || JSON.stringify(raw)) };
  }
  return { kind: 'invalid', reason: 'neither a request (cmd), a response (result), an ack nor an event ({class:"event", data})', excerpt: excerpt(text || JSON.stringify(raw)) };
}

/** One line naming what failed validation, e.g. `tid: Invalid input`. */
export function issueSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`)
    .join('; ');
}

/** A tid to answer with: as parsed, or (TidLiteral) copied from the request's text (rawTid.ts). */
export type AnswerTid = Tid | TidLiteral;

export function okResponse(tidValue: AnswerTid, data?: unknown): string {
  // The answer to every event: built by hand for the usual numeric tid (what JSON.stringify
  // would write for a finite number), which costs a fraction of stringifying an object.
  if (data === undefined && typeof tidValue === 'number' && Number.isFinite(tidValue)) return `{"result":"ok","tid":${tidValue}}`;
  if (tidValue instanceof TidLiteral) return withTid(data === undefined ? { result: 'ok' } : { result: 'ok', data }, tidValue);
  return data === undefined ? JSON.stringify({ result: 'ok', tid: tidValue }) : JSON.stringify({ result: 'ok', data, tid: tidValue });
}

export function errorResponse(tidValue: AnswerTid, error: string, code = 1001): string {
  if (tidValue instanceof TidLiteral) return withTid({ result: 'error', data: { error, code } }, tidValue);
  return JSON.stringify({ result: 'error', data: { error, code }, tid: tidValue });
}

/** `fields` as JSON with the literal tid appended as its last member, exactly as received. */
function withTid(fields: Record<string, unknown>, tid: TidLiteral): string {
  return `${JSON.stringify(fields).slice(0, -1)},"tid":${tid.json}}`;
}

export function ackFrame(tidValue: Tid): string {
  return JSON.stringify({ ack: tidValue });
}

/** Subscription filter fields; omitted or `"*"` matches everything. */
export const subscriptionSchema = z.object({
  class: z.string(),
  subclass: z.string().optional(),
  type: z.string().optional(),
  obj_id: z.string().optional(),
  service: z.string().optional(),
  body: dataObject.optional(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** Does an event match a subscription? Omitted fields and `"*"` match anything. */
export function subscriptionMatches(sub: Subscription, event: EventData): boolean {
  return (
    fieldMatches(sub.class, event.class) &&
    fieldMatches(sub.subclass, event.subclass) &&
    fieldMatches(sub.type, event.type) &&
    fieldMatches(sub.obj_id, event.obj_id) &&
    (sub.service === undefined || sub.service === '*' || sub.service === event.service)
  );
}

function fieldMatches(pattern: string | undefined, value: string | undefined): boolean {
  return pattern === undefined || pattern === '*' || pattern === value;
}

/** Parses `CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]]` as used by the command line. */
export function parseSubscriptionSpec(spec: string): Subscription {
  const [cls, subclass, type, objId] = spec.split('/');
  if (!cls) throw new Error(`subscription "${spec}" has no class (expected CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]])`);
  const sub: Subscription = { class: cls };
  if (subclass) sub.subclass = subclass;
  if (type) sub.type = type;
  if (objId) sub.obj_id = objId;
  return sub;
}

export function formatSubscription(sub: Subscription): string {
  return [sub.class, sub.subclass ?? '*', sub.type ?? '*', sub.obj_id ?? '*'].join('/').replace(/(\/\*)+$/, '');
}
