// Field-by-field differences between two event bodies. Each body is flattened into paths
// (`answer.sdp_type`, `members.39ce4076.role`, `list[2]`) with a plain value at each; the
// differences are the paths whose values differ or that only one body has.
//
// An SDP (any string field that is one: sdpSummary.ts) is not compared as text: its raw
// lines differ in every ufrag, fingerprint and port between any two calls. It becomes four
// paths, `<field>:media`, `:codecs`, `:candidates` and `:direction` (the colon says "derived
// from the field", and no plain key is written with one: see joinKey).
import { looksLikeSdp, sdpFields, summarizeSdp } from './sdpSummary';

/** A flattened value: a JSON primitive, or an empty object / array (which has no paths below it). */
export type FieldValue = string | number | boolean | null | Record<string, never> | never[];

export interface FieldDifference {
  path: string;
  /** Absent: body A has no such field. */
  a?: FieldValue;
  /** Absent: body B has no such field. */
  b?: FieldValue;
}

/** The body's fields, in the order they appear; SDP strings summarised. */
export function flattenBody(body: unknown): Map<string, FieldValue> {
  const fields = new Map<string, FieldValue>();
  if (body === undefined) return fields;
  flattenInto(fields, '', body);
  return fields;
}

function flattenInto(fields: Map<string, FieldValue>, path: string, value: unknown): void {
  if (Array.isArray(value)) {
    if (value.length === 0) fields.set(path, []);
    value.forEach((item, i) => flattenInto(fields, `${path}[${i}]`, item));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) fields.set(path, {});
    for (const [key, item] of entries) flattenInto(fields, joinKey(path, key), item);
  } else if (typeof value === 'string' && looksLikeSdp(value)) {
    const sdp = sdpFields(summarizeSdp(value));
    fields.set(`${path}:media`, sdp.media);
    fields.set(`${path}:codecs`, sdp.codecs);
    fields.set(`${path}:candidates`, sdp.candidates);
    fields.set(`${path}:direction`, sdp.direction);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    fields.set(path, value);
  }
}

/** `path.key` when the key is plain (ids included), else `path["the key"]`, JSON-quoted. */
function joinKey(path: string, key: string): string {
  if (!/^[A-Za-z0-9_$@-]+$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The fields whose values differ or that one body lacks: A's order first, then B's own. */
export function diffBodies(a: unknown, b: unknown): FieldDifference[] {
  const fa = flattenBody(a);
  const fb = flattenBody(b);
  const differences: FieldDifference[] = [];
  for (const [path, va] of fa) {
    if (!fb.has(path)) differences.push({ path, a: va });
    else if (!sameValue(va, fb.get(path)!)) differences.push({ path, a: va, b: fb.get(path)! });
  }
  for (const [path, vb] of fb) if (!fa.has(path)) differences.push({ path, b: vb });
  return differences;
}

/** 1 and "1" differ; {} and [] differ; primitives by value. */
function sameValue(x: FieldValue, y: FieldValue): boolean {
  if (typeof x === 'object' && x !== null) return typeof y === 'object' && y !== null && Array.isArray(x) === Array.isArray(y);
  return x === y;
}
