// The one owner of the current event filter. The tree and every timeline read it and follow
// its changes; commands and the timelines' filter boxes write to it. Before it, each view kept
// its own copy and forwarded changes to the others, so one filter typed in a timeline reached
// each timeline twice (two `init`s, each a full re-send of its lanes).
//
// A filter is normalised once here (trimmed text, no empty or repeated values, no empty
// conditions), so "the same filter" means the same conditions: `type:stop,hangup` and
// `type:hangup,stop` are equal, and setting an equal filter notifies nobody. The stored filter
// is frozen: the core caches each filter object's compiled form (src/core/filter.ts).
import type { EventFilter } from './filter';
import { Emitter, type Disposable, type Event } from '../shared/events';

/** Who changed the filter (the log says so). */
export type FilterOrigin = 'command' | 'timeline' | 'api';

export interface FilterChange {
  readonly filter: EventFilter;
  readonly origin: FilterOrigin;
}

type ListField = 'types' | 'subclasses' | 'users';
const LIST_FIELDS: readonly ListField[] = ['types', 'subclasses', 'users'];

export class FilterState implements Disposable {
  private current: EventFilter = Object.freeze({});
  private readonly _onDidChange = new Emitter<FilterChange>();
  /** Fires once per real change, after `filter` holds the new value. */
  readonly onDidChange: Event<FilterChange> = this._onDidChange.event;

  /** The current filter, normalised and frozen; `{}` when nothing is filtered. */
  get filter(): EventFilter {
    return this.current;
  }

  /** Makes `filter` the current one; false (and no notification) when it equals the current one. */
  set(filter: EventFilter, origin: FilterOrigin = 'api'): boolean {
    const next = normalizeFilter(filter);
    if (filtersEqual(next, this.current)) return false;
    this.current = next;
    this._onDidChange.fire({ filter: next, origin });
    return true;
  }

  clear(origin: FilterOrigin = 'api'): boolean {
    return this.set({}, origin);
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}

/**
 * A frozen copy with only real conditions: text trimmed (empty means none), list values trimmed,
 * without empties or repeats, in their first order (the order the view describes them in).
 * `''` stays a valid subclass: it selects events without one, so it is not trimmed away.
 */
export function normalizeFilter(filter: EventFilter): EventFilter {
  const result: EventFilter = {};
  const text = filter.text?.trim();
  if (text) result.text = text;
  const span = filter.span?.trim();
  if (span) result.span = span;
  for (const field of LIST_FIELDS) {
    const values = filter[field];
    if (!values) continue;
    const trimmed = values.map((v) => v.trim());
    const kept = [...new Set(field === 'subclasses' ? trimmed : trimmed.filter(Boolean))];
    if (kept.length === 0) continue;
    Object.freeze(kept);
    result[field] = kept;
  }
  return Object.freeze(result);
}

/** Same conditions, whatever the order of list values (both sides normalised). */
export function filtersEqual(a: EventFilter, b: EventFilter): boolean {
  if (a.text !== b.text || a.span !== b.span) return false;
  return LIST_FIELDS.every((field) => sameSet(a[field], b[field]));
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((v) => set.has(v));
}
