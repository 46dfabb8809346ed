// How a server of one era turns a reason atom into the `{code, …}` of an error reply or of an
// event body, from that era's table (src/protocol/dialects/codeTables/, read-only here).
//
// Event bodies (`destroyed`, `stop`, `hangup`) carry `{code, reason}` from
// nkservice_util:error_code in every era (nkservice@79bf10d:src/nkservice_util.erl:165-178,
// nkservice@ee00943:src/nkservice_util.erl:262-273). Error replies carry `{code, error}`:
// numeric codes of the same table on 2016 servers (nkservice@79bf10d:src/nkservice_api_server.erl:791-801),
// and on develop the error atom itself as a string code with the table's text
// (nkservice_util:error_reason, nkservice@ee00943:src/nkservice_util.erl:280-302, used at
// nkservice@ee00943:src/nkservice_api_server.erl:942-956).
import type { CodeEntry, Dialect } from '../../protocol/dialects';

export interface EndBody {
  code: number;
  reason: string;
}

export interface ErrorData {
  code: number | string;
  error: string;
}

/**
 * The table entry of an atom. With an inserted value, an entry whose text takes one is
 * preferred (`internal_error` has a plain one and a `~s` one at 79bf10d and ee00943).
 */
export function codeEntry(dialect: Dialect, atom: string, withArg = false): CodeEntry | undefined {
  let first: CodeEntry | undefined;
  for (const entry of dialect.codes) {
    if (entry.atom !== atom) continue;
    if (!withArg || /~[sp]/.test(entry.text)) return entry;
    first ??= entry;
  }
  return first;
}

/**
 * The text as the server formats it: `~s` / `~p` take the values in order (io_lib:format), and
 * the Aug 2016 texts that end in `: ` have the value appended, as
 * `error_code({syntax_error, Txt}) -> {1046, <<"Syntax error: ", Txt/binary>>}` does
 * (nkservice@b780fbf:src/nkservice_callbacks.erl:172-173).
 */
export function formatText(text: string, args: readonly string[]): string {
  let index = 0;
  const formatted = text.replace(/~[sp]/g, () => args[index++] ?? '');
  if (index === 0 && args.length > 0 && text.endsWith(': ')) return text + args.join(' ');
  return formatted;
}

/**
 * `{Code, Text}` of a reason the era's table lacks: its fallback clause. July and Aug 2016
 * give 9999 (nkservice@cbdd973:src/nkservice_callbacks.erl:169-170 adds "Unknown Error: ",
 * nkservice@b780fbf:src/nkservice_callbacks.erl:184-185 the bare atom), Oct 2016 gives 100999
 * with the atom (nkservice@79bf10d:src/nkservice_callbacks.erl:204-205), develop 100003
 * with a random reference (nkservice@ee00943:src/nkservice_callbacks.erl:223-226).
 */
function fallback(dialect: Dialect, atom: string): EndBody {
  switch (dialect.era) {
    case '2016-07':
      return { code: 9999, reason: `Unknown Error: ${atom}` };
    case '2016-08':
      return { code: 9999, reason: atom };
    case '2016-10':
      return { code: 100999, reason: atom };
    case '2017':
      return { code: 100003, reason: 'Internal error code: 5e1b9c2a' };
  }
}

/** `{code, reason}` of a terminal event: the era's numeric code and formatted text. */
export function endBody(dialect: Dialect, atom: string, ...args: string[]): EndBody {
  const entry = codeEntry(dialect, atom, args.length > 0);
  if (!entry) return fallback(dialect, atom);
  return { code: entry.code, reason: formatText(entry.text, args) };
}

/** The `data` of an error reply: numeric code in 2016, the atom as a string code on develop. */
export function errorData(dialect: Dialect, atom: string, ...args: string[]): ErrorData {
  const { code, reason } = endBody(dialect, atom, ...args);
  return { code: dialect.stringErrorCodes ? atom : code, error: reason };
}

/** Does the era's table have this atom? (an era that lacks a reason cannot send it) */
export function hasAtom(dialect: Dialect, atom: string): boolean {
  return dialect.codes.some((entry) => entry.atom === atom);
}
