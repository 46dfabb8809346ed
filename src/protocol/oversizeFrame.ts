// What a frame over maxFrameBytes is, read from its two ends only.
//
// Such a frame is never parsed (that is the point of the limit), yet it may be a server
// request, and NkSERVICE closes a connection whose request goes unanswered for 5 s
// (docs/protocol.md, section 5). NkSERVICE writes its frames with jsx from Erlang maps, whose
// keys come out sorted: `{"class":…,"cmd":…,"data":{…},"subclass":…,"tid":17}`, so the
// request's class and cmd are at the head and its tid is the last member; a response is
// `{"data":…,"result":"ok","tid":17}`. A client-built frame may write the tid first instead.
// This reads the members with a plain (string or number) value that follow the opening `{`
// and those that precede the final `}`: those are top-level members for certain, whatever
// the middle holds. A `"tid"` anywhere else is never taken, as it may be inside `data`.
import type { AnswerTid, Tid } from './frames';
import { TidLiteral } from './rawTid';

/** How much of each end of the frame is looked at. */
export const OVERSIZE_WINDOW_BYTES = 256;

export interface OversizeFrame {
  /**
   * `request`: has a `cmd`; `event`: develop's `{"class":"event",…}` message (no answer
   * wanted); `response`: has a `result`; `unknown`: none of these could be seen.
   */
  kind: 'request' | 'event' | 'response' | 'unknown';
  /** The top-level tid, when it is the first or the last member. */
  tid?: Tid;
  /** The same tid to answer with: as written (a number JavaScript cannot hold stays a literal). */
  answerTid?: AnswerTid;
  /** `class/cmd` (or `class/subclass/cmd`) when seen and plain words, for messages. */
  name?: string;
}

interface Member {
  key: string;
  /** The value's JSON text: a string or a number (or true, false, null). */
  raw: string;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const SCALAR_CHAR = /[0-9A-Za-z+\-.]/;
/** At most this many members are read at each end. */
const MAX_MEMBERS = 6;

/** Reads the frame's ends (its bytes as received) without decoding the rest. */
export function readOversizeFrame(bytes: Buffer): OversizeFrame {
  // A window may cut a multi-byte character in two; the U+FFFD that makes is at the far edge,
  // where reading stops anyway.
  const head = bytes.subarray(0, OVERSIZE_WINDOW_BYTES).toString('utf8');
  const tail = bytes.subarray(Math.max(0, bytes.length - OVERSIZE_WINDOW_BYTES)).toString('utf8');
  const leading = leadingMembers(head);
  const trailing = trailingMembers(tail);
  const value = (key: string): unknown => {
    const member = leading.find((m) => m.key === key) ?? trailing.find((m) => m.key === key);
    return member === undefined ? undefined : JSON.parse(member.raw);
  };
  const tidMember = trailing[0]?.key === 'tid' ? trailing[0] : leading[0]?.key === 'tid' ? leading[0] : undefined;
  const tid = tidMember === undefined ? undefined : readTid(tidMember.raw);
  const cls = value('class');
  const subclass = value('subclass');
  const cmd = value('cmd');
  const hasResult = value('result') !== undefined;
  const found: OversizeFrame = { kind: 'unknown', ...tid };
  // The same order as classifyFrame (frames.ts): an event message, a request, a response.
  if (cls === 'event' && cmd === undefined && !hasResult) found.kind = 'event';
  else if (cmd !== undefined) found.kind = 'request';
  else if (hasResult) found.kind = 'response';
  if (isName(cls) && isName(cmd)) found.name = isName(subclass) ? `${cls}/${subclass}/${cmd}` : `${cls}/${cmd}`;
  return found;
}

/** A tid as it would be parsed, and as it is echoed (rawTid.ts): only a number or a string. */
function readTid(raw: string): { tid: Tid; answerTid: AnswerTid } | undefined {
  if (raw.startsWith('"')) {
    const tid = JSON.parse(raw) as string;
    return { tid, answerTid: tid };
  }
  if (!JSON_NUMBER.test(raw)) return undefined;
  const tid = Number(raw);
  return { tid, answerTid: Number.isSafeInteger(tid) ? tid : new TidLiteral(raw) };
}

/** The members with a plain value right after the opening `{`, in order, until one is not. */
function leadingMembers(text: string): Member[] {
  const members: Member[] = [];
  let at = skipSpace(text, 0);
  if (text[at] !== '{') return members;
  at++;
  while (members.length < MAX_MEMBERS) {
    at = skipSpace(text, at);
    const keyEnd = stringEnd(text, at);
    if (keyEnd === undefined) break;
    const key = parseString(text.slice(at, keyEnd));
    at = skipSpace(text, keyEnd);
    if (key === undefined || text[at] !== ':') break;
    const valueStart = skipSpace(text, at + 1);
    const valueEnd = text[valueStart] === '"' ? stringEnd(text, valueStart) : scalarEnd(text, valueStart);
    if (valueEnd === undefined) break;
    const raw = text.slice(valueStart, valueEnd);
    if (!isScalar(raw)) break;
    members.push({ key, raw });
    at = skipSpace(text, valueEnd);
    if (text[at] !== ',') break;
    at++;
  }
  return members;
}

/** The members with a plain value right before the final `}`, last first, until one is not. */
function trailingMembers(text: string): Member[] {
  const members: Member[] = [];
  let at = skipSpaceBack(text, text.length);
  if (text[at - 1] !== '}') return members;
  at--;
  while (members.length < MAX_MEMBERS) {
    const valueEnd = skipSpaceBack(text, at);
    const valueStart = text[valueEnd - 1] === '"' ? stringStartBack(text, valueEnd) : scalarStartBack(text, valueEnd);
    if (valueStart === undefined) break;
    const raw = text.slice(valueStart, valueEnd);
    at = skipSpaceBack(text, valueStart);
    if (!isScalar(raw) || text[at - 1] !== ':') break;
    const keyEnd = skipSpaceBack(text, at - 1);
    const keyStart = text[keyEnd - 1] === '"' ? stringStartBack(text, keyEnd) : undefined;
    if (keyStart === undefined) break;
    const key = parseString(text.slice(keyStart, keyEnd));
    if (key === undefined) break;
    members.push({ key, raw });
    at = skipSpaceBack(text, keyStart);
    if (text[at - 1] !== ',') break;
    at--;
  }
  return members;
}

/** A class, subclass or cmd fit for a log line as it is. */
function isName(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.-]{1,40}$/.test(value);
}

function isScalar(raw: string): boolean {
  if (raw.startsWith('"')) return parseString(raw) !== undefined;
  return JSON_NUMBER.test(raw) || raw === 'true' || raw === 'false' || raw === 'null';
}

function parseString(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text[at])) at++;
  return at;
}

/** `at` is just after something: the index just after the text before the whitespace there. */
function skipSpaceBack(text: string, at: number): number {
  while (at > 0 && isSpace(text[at - 1])) at--;
  return at;
}

/** `at` should be on a '"': the index after its closing quote, undefined if not within the text. */
function stringEnd(text: string, at: number): number | undefined {
  if (text[at] !== '"') return undefined;
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

/** The end of a number or literal at `at`; undefined if the text ends first (it may go on). */
function scalarEnd(text: string, at: number): number | undefined {
  let i = at;
  while (i < text.length && SCALAR_CHAR.test(text[i])) i++;
  return i < text.length && i > at ? i : undefined;
}

/**
 * `end` is just after a closing '"': the index of its opening quote, undefined if not within
 * the text. Inside a string a quote is always escaped, so the first quote back that an even
 * run of backslashes precedes opens it.
 */
function stringStartBack(text: string, end: number): number | undefined {
  for (let i = end - 2; i >= 0; i--) {
    if (text[i] !== '"') continue;
    let backslashes = 0;
    while (i - backslashes - 1 >= 0 && text[i - backslashes - 1] === '\\') backslashes++;
    // At the window's edge, what comes before (one more backslash?) is unknown: give up.
    if (i - backslashes === 0) return undefined;
    if (backslashes % 2 === 0) return i;
  }
  return undefined;
}

/** The start of a number or literal ending at `end`; undefined if the text starts first. */
function scalarStartBack(text: string, end: number): number | undefined {
  let i = end;
  while (i > 0 && SCALAR_CHAR.test(text[i - 1])) i--;
  return i > 0 && i < end ? i : undefined;
}
