// The tree's filter (core `EventFilter`) applied to marks, event by event, as fast as the
// columnar scan allows: type and subclass become a lookup by type index, the text a search
// in the raw JSON. Same meaning as the core's `eventMatches`, which the tests check.
import { isEmptyFilter, type EventFilter, type EventStore } from '../core';

export interface MarkPredicate {
  /** Every event passes: chunks can skip per-event checks and sequence numbers. */
  readonly all: boolean;
  matches(seq: number, objectIndex: number, typeIndex: number): boolean;
}

export const EVERY_MARK: MarkPredicate = { all: true, matches: () => true };

export function markPredicate(store: EventStore, filter: EventFilter): MarkPredicate {
  if (isEmptyFilter(filter)) return EVERY_MARK;
  const text = filter.text?.trim().toLowerCase() || undefined;
  const caseless = text !== undefined && text === text.toUpperCase();
  const types = filter.types?.length ? new Set(filter.types) : undefined;
  const subclasses = filter.subclasses?.length ? new Set(filter.subclasses) : undefined;
  // Per type index: 1 allowed, 2 not allowed, 0 not decided yet (types keep appearing live).
  let typeVerdict = new Uint8Array(64);
  const typeAllowed = (typeIndex: number): boolean => {
    if (typeIndex >= typeVerdict.length) {
      const grown = new Uint8Array(Math.max(typeIndex + 1, typeVerdict.length * 2));
      grown.set(typeVerdict);
      typeVerdict = grown;
    }
    if (typeVerdict[typeIndex] === 0) {
      const info = store.typeInfo(typeIndex);
      const ok =
        info !== undefined &&
        (subclasses === undefined || subclasses.has(info.subclass)) &&
        (types === undefined || types.has(info.type) || types.has(info.name));
      typeVerdict[typeIndex] = ok ? 1 : 2;
    }
    return typeVerdict[typeIndex] === 1;
  };
  // Per object index: does the object's own id/state/user contain the text? Not cached:
  // state and user change as events arrive, and the check is a few short strings.
  const fieldsContain = (objectIndex: number): boolean => {
    if (text === undefined) return true;
    const object = store.objectAt(objectIndex);
    if (!object) return false;
    return object.objId.toLowerCase().includes(text) || object.state.includes(text) || (object.user?.toLowerCase().includes(text) ?? false);
  };
  return {
    all: false,
    matches(seq, objectIndex, typeIndex) {
      if (!typeAllowed(typeIndex)) return false;
      if (text === undefined) return true;
      if (store.rawIncludes(seq, text, !caseless)) return true;
      return fieldsContain(objectIndex);
    },
  };
}
