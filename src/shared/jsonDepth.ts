// One rule for JSON nested too deep, applied where frames are parsed and trace lines read.
//
// JSON.parse takes any depth, but JSON.stringify, structured clone and every recursive walk
// after it overflow the stack on a 100,000-deep array: an event answered and then lost in a
// listener, a trace export or a replay aborted. So at the boundary a value nested deeper than
// MAX_JSON_DEPTH is cut: each array or object at that depth becomes the string CUT_TEXT, and
// the caller flags what it cut. No real NkMEDIA body comes near it (an SDP is one string; the
// deepest bodies the Erlang sources build are maps of maps, a handful of levels).

/** Levels of arrays and objects a value keeps; the top-level object is level 1. */
export const MAX_JSON_DEPTH = 100;

/** What stands where a deeper array or object was. */
export const CUT_TEXT = `‹nested deeper than ${MAX_JSON_DEPTH} levels: cut by NkMEDIA Inspector›`;

/**
 * True when `value` has arrays or objects nested more than `limit` levels. Recursive, but
 * never more than `limit` + 1 calls deep, however deep the input; no allocation (it runs on
 * every frame: ~0.1 µs for an ordinary event).
 */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return typeof value === 'object' && value !== null && deeperThan(value, 1, limit);
}

function deeperThan(node: object, depth: number, limit: number): boolean {
  if (depth > limit) return true;
  if (Array.isArray(node)) {
    for (const child of node) if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, limit)) return true;
    return false;
  }
  // JSON.parse makes plain objects: `for…in` sees exactly their own keys.
  for (const key in node) {
    const child = (node as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, limit)) return true;
  }
  return false;
}

/**
 * A copy of `value` with every array or object below `limit` levels replaced by CUT_TEXT.
 * Recursion is bounded by `limit`, however deep the input.
 */
export function cutDeepNesting(value: unknown, limit = MAX_JSON_DEPTH, depth = 1): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > limit) return CUT_TEXT;
  if (Array.isArray(value)) return value.map((item) => cutDeepNesting(item, limit, depth + 1));
  const copy: Record<string, unknown> = {};
  // defineProperty, not `copy[key] =`: a "__proto__" key stays a key, as JSON.parse made it.
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, { value: cutDeepNesting(item, limit, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** The field that says an event was cut, with why. */
export const CUT_FLAG = 'inspector:cut';

/**
 * `container` (a frame, or a trace line) cut to MAX_JSON_DEPTH, its `field` (the event in it)
 * flagged with CUT_FLAG; undefined when nothing is nested that deep (the usual case).
 */
export function cutIfTooDeep(container: unknown, field: 'data' | 'event'): Record<string, unknown> | undefined {
  if (!nestedDeeperThan(container)) return undefined;
  const cut = cutDeepNesting(container) as Record<string, unknown>;
  const event = cut[field];
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
    (event as Record<string, unknown>)[CUT_FLAG] = `nested deeper than ${MAX_JSON_DEPTH} levels: what was deeper is replaced by "${CUT_TEXT}"`;
  }
  return cut;
}
