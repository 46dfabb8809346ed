// The one-line filter syntax of "NkMEDIA: Filter Events…":
//   free text            matches ids, states, users and event JSON (case-insensitive)
//   type:stop,hangup     only these event types
//   subclass:room        only these subclasses (session, room, call, or any other)
// e.g. `user3 type:stop subclass:session`.
import type { EventFilter } from '../core';

export function parseFilter(input: string): EventFilter {
  const filter: EventFilter = {};
  const words: string[] = [];
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const match = /^(type|types|subclass|subclasses):(.*)$/i.exec(token);
    if (!match) {
      words.push(token);
      continue;
    }
    const values = match[2].split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) continue;
    if (match[1].toLowerCase().startsWith('type')) filter.types = [...(filter.types ?? []), ...values];
    else filter.subclasses = [...(filter.subclasses ?? []), ...values];
  }
  if (words.length) filter.text = words.join(' ');
  return filter;
}

export function formatFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.text) parts.push(filter.text);
  if (filter.types?.length) parts.push(`type:${filter.types.join(',')}`);
  if (filter.subclasses?.length) parts.push(`subclass:${filter.subclasses.join(',')}`);
  return parts.join(' ');
}
