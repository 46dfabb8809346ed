// The tree's filter (core `EventFilter`) applied to marks: the core's compiled predicate, so
// the timeline and the tree can never disagree on what matches.
import { eventPredicate, isEmptyFilter, type EventFilter, type EventStore } from '../core';

export interface MarkPredicate {
  /** Every event passes: chunks can skip per-event checks and sequence numbers. */
  readonly all: boolean;
  matches(seq: number, objectIndex: number, typeIndex: number): boolean;
}

export const EVERY_MARK: MarkPredicate = { all: true, matches: () => true };

export function markPredicate(store: EventStore, filter: EventFilter): MarkPredicate {
  if (isEmptyFilter(filter)) return EVERY_MARK;
  return { all: false, matches: eventPredicate(store, filter) };
}
