// The JSON text of a stored event, cut out of the text it arrived in, so that saving a trace
// copies strings instead of parsing and stringifying every event again.
//
// The store keeps each event inside its original text (EventStore.rawOf):
//   'event'  a trace line  {"seq":1,"ts":1764299565245,"conn":"a","event":{…}}
//   'data'   a live frame  {"class":"core","cmd":"event","data":{…},"tid":7}
//   'self'   the event itself
// A cut is only made when the surrounding text is exactly the expected shape; anything else
// (other key orders, spaces, extra keys) gets `undefined`, and the caller stringifies the
// parsed event instead. Both give the same event when read back.
import type { RawField } from '../core';

/**
 * A trace line's leading members, token by token: `{"seq":NUMBER,"ts":NUMBER[,"conn":STRING],"event":`.
 * After it the parser is in the same state whatever the numbers and the string were, so a
 * writer can put its own seq, ts and conn in front of the rest of the line.
 */
const NUMBER = '-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
const STRING = '"(?:[^"\\\\\\u0000-\\u001f]|\\\\.)*"';
const TRACE_LINE_PREFIX = new RegExp(`\\{"seq":${NUMBER},"ts":${NUMBER}(?:,"conn":${STRING})?,"event":`, 'y');
/** What the simulator (and NkSERVICE) send: the frame's members in this order. */
const EVENT_FRAME_PREFIX = '{"class":"core","cmd":"event","data":';
const EVENT_FRAME_SUFFIX = new RegExp(`,"tid":(?:${NUMBER}|${STRING})\\}$`, 'y');

const CLOSE_BRACE = 0x7d;

/**
 * The text to write after `"event":` in a trace line, minus the line's closing brace: the
 * event's JSON (possibly followed by the original line's later members, which read back the
 * same). Undefined when the raw text is not of a shape this can cut safely.
 */
export function eventTextForTraceLine(raw: string, field: RawField): string | undefined {
  const range = eventTextRange(raw, field);
  return range === undefined ? undefined : range[0] === 0 && range[1] === raw.length ? raw : raw.slice(range[0], range[1]);
}

/**
 * Where `eventTextForTraceLine` would cut: [start, end) in `raw`. On text decoded as latin1
 * (one character per byte) these are byte offsets into the UTF-8 bytes it came from, since
 * every delimiter looked for is ASCII: saving copies the stored bytes without decoding them.
 */
export function eventTextRange(raw: string, field: RawField): [number, number] | undefined {
  switch (field) {
    case 'self':
      return [0, raw.length];
    case 'event': {
      if (raw.charCodeAt(raw.length - 1) !== CLOSE_BRACE) return undefined;
      // Sticky `test` leaves lastIndex at the end of the match and allocates no match array.
      TRACE_LINE_PREFIX.lastIndex = 0;
      return TRACE_LINE_PREFIX.test(raw) ? [TRACE_LINE_PREFIX.lastIndex, raw.length - 1] : undefined;
    }
    case 'data': {
      if (!raw.startsWith(EVENT_FRAME_PREFIX)) return undefined;
      const start = EVENT_FRAME_PREFIX.length;
      const end = jsonObjectEnd(raw, start);
      if (end < 0) return undefined;
      EVENT_FRAME_SUFFIX.lastIndex = end;
      return EVENT_FRAME_SUFFIX.test(raw) ? [start, end] : undefined;
    }
  }
}

/**
 * The index just past the JSON object starting at `start`, or -1. The text is known to be
 * valid JSON (it was parsed when it arrived), so this only has to match braces outside strings;
 * strings are skipped with indexOf, which keeps it fast on long SDP bodies.
 */
export function jsonObjectEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x7b) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === CLOSE_BRACE || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Index of the quote closing the string that opens at `open`. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
