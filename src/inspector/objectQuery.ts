// What the tree lists under the current filter: the objects of a group, live ones first, and
// the events of an object in the order they arrived. Live objects are what a user opens the
// tree for, so they come first, newest first, and are never behind "Show more…"; ended
// objects follow, the most recently ended first (sngrep's call list reads the same way).
// A text filter can mean scanning every stored event (about a second at a million), so
// matches are computed once per filter and then kept up to date from the objects each store
// change names; lists are cached until the next refresh, because VS Code asks for the same
// children several times per refresh.
import {
  EventStore,
  type EventFilter,
  type ObjectKind,
  type ObjectState,
  type StoreChange,
  isEmptyFilter,
  objectMatches,
  eventMatches,
  matchingObjectKeys,
} from '../core';

export class ObjectQuery {
  private _filter: EventFilter = {};
  /** Keys of the matching objects per store; absent until first asked (then a full scan). */
  private matches = new Map<EventStore, Set<string>>();
  private objectLists = new Map<EventStore, Map<ObjectKind, ObjectState[]>>();
  private splitLists = new Map<EventStore, Map<ObjectKind, LiveAndEnded>>();
  private eventLists = new Map<EventStore, Map<string, number[]>>();

  get filter(): EventFilter {
    return this._filter;
  }

  get filtering(): boolean {
    return !isEmptyFilter(this._filter);
  }

  setFilter(filter: EventFilter): void {
    this._filter = filter;
    this.matches.clear();
    this.invalidate();
  }

  /** Brings the matches of a store up to date with a change; called once per refresh. */
  applyChange(store: EventStore, change: StoreChange): void {
    const matched = this.matches.get(store);
    if (!matched) return;
    if (change.cleared) {
      this.matches.delete(store);
      return;
    }
    for (const key of change.removedObjects) matched.delete(key);
    // An object only gains events and fields, so one that matched keeps matching: only the
    // others are looked at again.
    for (const keys of [change.addedObjects, change.changedObjects]) {
      for (const key of keys) {
        if (matched.has(key)) continue;
        const object = store.getObject(key);
        if (object && objectMatches(store, object, this._filter)) matched.add(key);
      }
    }
  }

  /** Drops cached lists (not matches): called once per refresh. */
  invalidate(): void {
    this.objectLists = new Map();
    this.splitLists = new Map();
    this.eventLists = new Map();
  }

  forget(store: EventStore): void {
    this.matches.delete(store);
    this.objectLists.delete(store);
    this.splitLists.delete(store);
    this.eventLists.delete(store);
  }

  /** The matching objects of a kind, in the order they were first seen (for counts). */
  objectsOf(store: EventStore, kind: ObjectKind): ObjectState[] {
    return cached(this.objectLists, store, kind, () => {
      const all = store.objectsOfKind(kind);
      if (!this.filtering) return all;
      const matched = this.matchesOf(store);
      return all.filter((o) => matched.has(o.key));
    });
  }

  /**
   * The matching objects of a kind as the tree lists them: live ones newest first (by first
   * event), then ended ones by end, most recent first. Objects of no known kind never end,
   * so they are all in `live`, newest first.
   */
  liveAndEnded(store: EventStore, kind: ObjectKind): LiveAndEnded {
    return cached(this.splitLists, store, kind, () => splitLiveFirst(this.objectsOf(store, kind)));
  }

  matchesObject(store: EventStore, object: ObjectState): boolean {
    return !this.filtering || this.matchesOf(store).has(object.key);
  }

  eventsOf(store: EventStore, key: string): number[] {
    return cached(this.eventLists, store, key, () => {
      const all = store.eventsOf(key);
      return this.filtering ? all.filter((seq) => eventMatches(store, seq, this._filter)) : all;
    });
  }

  private matchesOf(store: EventStore): Set<string> {
    let matched = this.matches.get(store);
    if (!matched) this.matches.set(store, (matched = matchingObjectKeys(store, this._filter)));
    return matched;
  }
}

export interface LiveAndEnded {
  readonly live: ObjectState[];
  readonly ended: ObjectState[];
}

/** Live objects newest first, then ended ones most recently ended first; ties keep arrival order reversed. */
export function splitLiveFirst(objects: readonly ObjectState[]): LiveAndEnded {
  const live: ObjectState[] = [];
  const ended: ObjectState[] = [];
  // Walking backwards gives "newest first" for objects that arrived in order; the stable sort
  // then only has to move the few that did not (snapshot objects carry older first events).
  for (let i = objects.length - 1; i >= 0; i--) (objects[i].ended ? ended : live).push(objects[i]);
  live.sort((a, b) => b.firstTs - a.firstTs);
  ended.sort((a, b) => endOf(b) - endOf(a));
  return { live, ended };
}

function endOf(object: ObjectState): number {
  return object.endTs ?? object.lastTs;
}

/** The value cached for (store, key), computed on first use until the next invalidate(). */
function cached<K, V>(lists: Map<EventStore, Map<K, V>>, store: EventStore, key: K, compute: () => V): V {
  let perStore = lists.get(store);
  if (!perStore) lists.set(store, (perStore = new Map()));
  let value = perStore.get(key);
  if (value === undefined) {
    value = compute();
    perStore.set(key, value);
  }
  return value;
}
