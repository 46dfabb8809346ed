// What an error reply's code means, for people: the reason atom behind it in the era's table
// (numeric codes) or the atom itself (develop's string codes), and for the refusals a user
// can act on, what to do about them.
import { ANY_ERA_CODES } from './unionCodes';
import { EndCodeJudge } from './endCodes';
import type { Dialect } from './types';

/** Why a server says these, in the words of the NkSERVICE sources (docs/protocol.md). */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  unauthorized:
    "the service's api_allow / api_subscribe_allow callback refused it (NkSERVICE refuses every command by default; the service must allow it)",
  not_authenticated: 'the command came before a successful login',
  already_authenticated: 'this connection is logged in already',
  invalid_password: 'the password is wrong',
  unknown_command: 'this server version has no such command',
  syntax_error: 'the server could not parse a field of the request',
  missing_field: 'a field the server requires is missing',
  duplicated_session_id: 'another connection uses the same session id',
  invalid_session_id: 'the session id is not valid',
  service_not_found: 'no such service on the server',
};

const judges = new WeakMap<Dialect, EndCodeJudge>();
const anyEraJudge = new EndCodeJudge(ANY_ERA_CODES.codes, ANY_ERA_CODES.ambiguous);

/**
 * `unauthorized: the service's api_allow … refused it`, or undefined for a code no table has.
 * `text` (the reply's error text) names the reason where the code cannot: July 2016 gave
 * every reason the code 1000.
 */
export function meaningOfErrorCode(code: number | string | undefined, dialect?: Dialect, text?: string): string | undefined {
  if (code === undefined) return undefined;
  let atom: string | undefined;
  if (typeof code === 'string' && !/^\s*-?\d+\s*$/.test(code)) {
    atom = code.trim();
  } else {
    let judge: EndCodeJudge | undefined;
    if (dialect) {
      judge = judges.get(dialect) ?? new EndCodeJudge(dialect.codes, dialect.ambiguousCodes);
      judges.set(dialect, judge);
    }
    atom = judge?.entryOfCode(code)?.atom ?? anyEraJudge.entryOfCode(code)?.atom;
    if (atom === undefined && text) atom = (judge ?? anyEraJudge).entryOfText(text)?.atom ?? anyEraJudge.entryOfText(text)?.atom;
  }
  if (atom === undefined) return undefined;
  const explanation = EXPLANATIONS[atom];
  return explanation ? `${atom}: ${explanation}` : atom;
}
