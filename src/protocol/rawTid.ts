// The tid of a server request, echoed as the server wrote it.
//
// JSON.parse turns `"tid":1e400` into Infinity and `"tid":12345678901234567890` into
// 12345678901234567000: an answer built from the parsed number says `"tid":null` or names
// another request, and the server waits 5 s for an answer that never comes, then closes the
// connection. Numbers JSON.parse keeps exactly (safe integers: every tid a real server uses)
// take the fast path; any other number is copied from the frame's text.

/** A tid as JSON text, copied from the frame: a number literal JSON.parse could not keep. */
export class TidLiteral {
  constructor(readonly json: string) {}
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** What to echo for `tid` (the parsed value) of the request whose text is `frameText`. */
export function echoTid(tid: number | string, frameText: string | undefined): number | string | TidLiteral {
  if (typeof tid === 'string' || Number.isSafeInteger(tid) || frameText === undefined) return tid;
  const raw = topLevelMember(frameText, 'tid');
  // Only a number literal goes out as it came: nothing else is ever spliced into an answer.
  return raw !== undefined && JSON_NUMBER.test(raw) ? new TidLiteral(raw) : tid;
}

/**
 * The text of member `key` of the JSON object `text` (valid JSON: it was parsed already),
 * at the top level only: a "tid" inside `data` is not the request's. The last one wins, as
 * with JSON.parse. Undefined if there is none.
 */
export function topLevelMember(text: string, key: string): string | undefined {
  let at = skipSpace(text, 0);
  if (text[at] !== '{') return undefined;
  at = skipSpace(text, at + 1);
  let found: string | undefined;
  while (at < text.length && text[at] === '"') {
    const keyEnd = skipString(text, at);
    const name = text.slice(at, keyEnd);
    at = skipSpace(text, keyEnd);
    at = skipSpace(text, at + 1); // the ':'
    const valueEnd = skipValue(text, at);
    // A key written with escapes (`"t\u0069d"`) is still "tid" to JSON.parse.
    if ((name.includes('\\') ? (JSON.parse(name) as string) : name.slice(1, -1)) === key) found = text.slice(at, valueEnd);
    at = skipSpace(text, valueEnd);
    if (text[at] !== ',') break;
    at = skipSpace(text, at + 1);
  }
  return found;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  return at;
}

/** `at` is on a '"': the index after its closing quote. */
function skipString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** The index after the value starting at `at`: nested objects and arrays by depth, without recursion. */
function skipValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return skipString(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && text[i] !== ',' && text[i] !== '}' && text[i] !== ']' && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = skipString(text, i) - 1;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
