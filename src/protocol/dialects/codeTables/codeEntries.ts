// The error-code tables of each era, as the servers' `error_code/1` callbacks define them:
// reason atom, code, text. The same table gives the codes of error replies and of the
// `{code, reason}` bodies of terminal events (nkservice_util:error_code). Each era's tables
// are in their own module here, named like the era's dialect module one folder up, and copied
// from the sources named above each table; `~s` and `~p` mark where the server inserts a value.
// See docs/protocol.md for how the inspector uses them (endCodes.ts judges ends by them).
//
// This module only turns the tables' compact rows into entries.
import type { CodeEntry } from '../types';

/** Rows as the Erlang sources list them: `[atom, code, text]`. */
export function codeEntries(rows: ReadonlyArray<readonly [string, number, string]>): readonly CodeEntry[] {
  return rows.map(([atom, code, text]) => ({ atom, code, text }));
}
