// The one-line filter syntax of "NkMEDIA: Filter Events…" and the timeline's filter box:
//   free text            matches ids, states, users and event JSON (case-insensitive substring)
//   user:user3           only objects of exactly this user (a room: any member's), not user30
//   type:stop,hangup     only these event types
//   subclass:room        only these subclasses (session, room, call, or any other)
//   span:call.length:1024-2048
//                        only objects whose measured span lies in [1024, 2048) ms: what a
//                        bar of the Durations panel selects (an empty end: no upper bound)
// e.g. `user:user3 type:stop subclass:session`. Shared by the extension and the webview, so
// both read a typed filter the same way.

/** The fields of a filter (the core's `EventFilter` and the timeline's filter have this shape). */
export interface FilterFields {
  text?: string;
  types?: string[];
  subclasses?: string[];
  users?: string[];
  /** `SPAN:FROM-TO` in ms (src/core/filter.ts reads it); the spans are src/core/durations.ts's. */
  span?: string;
}

/** What the filter box says about its syntax, in one line. */
export const FILTER_SYNTAX_HELP =
  'Text matches ids, users and event JSON; user:user3 matches that user exactly; type:stop,hangup and subclass:room narrow by type and subclass';

const KEYS: Record<string, 'types' | 'subclasses' | 'users'> = {
  type: 'types',
  types: 'types',
  subclass: 'subclasses',
  subclasses: 'subclasses',
  user: 'users',
  users: 'users',
};

export function parseFilter(input: string): FilterFields {
  const filter: FilterFields = {};
  const words: string[] = [];
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([a-z]+):(.*)$/i.exec(token);
    if (match && match[1].toLowerCase() === 'span' && match[2] !== '') {
      filter.span = match[2];
      continue;
    }
    const field = match ? KEYS[match[1].toLowerCase()] : undefined;
    if (!match || !field) {
      words.push(token);
      continue;
    }
    const values = match[2].split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) continue;
    filter[field] = [...(filter[field] ?? []), ...values];
  }
  if (words.length) filter.text = words.join(' ');
  return filter;
}

export function formatFilter(filter: FilterFields): string {
  const parts: string[] = [];
  if (filter.text) parts.push(filter.text);
  if (filter.users?.length) parts.push(`user:${filter.users.join(',')}`);
  if (filter.types?.length) parts.push(`type:${filter.types.join(',')}`);
  if (filter.subclasses?.length) parts.push(`subclass:${filter.subclasses.join(',')}`);
  if (filter.span) parts.push(`span:${filter.span}`);
  return parts.join(' ');
}
