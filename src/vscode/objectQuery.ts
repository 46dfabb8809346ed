// What the tree lists under the current filter: the objects of a group and the events of an
// object, both in the order they started. Oldest first keeps rows still under the pointer
// while live traffic appends below (newest first made every row slide down several times a
// second, so clicks landed on the wrong row). A text filter can mean scanning every stored event (about a
// second at a million), so matches are computed once per filter and then kept up to date
// from the objects each store change names; lists are cached until the next refresh,
// because VS Code asks for the same children several times per refresh.
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
    this.eventLists = new Map();
  }

  forget(store: EventStore): void {
    this.matches.delete(store);
    this.objectLists.delete(store);
    this.eventLists.delete(store);
  }

  objectsOf(store: EventStore, kind: ObjectKind): ObjectState[] {
    let perKind = this.objectLists.get(store);
    if (!perKind) this.objectLists.set(store, (perKind = new Map()));
    let list = perKind.get(kind);
    if (!list) {
      const all = store.objectsOfKind(kind);
      if (this.filtering) {
        const matched = this.matchesOf(store);
        list = all.filter((o) => matched.has(o.key));
      } else {
        list = all;
      }
      perKind.set(kind, list);
    }
    return list;
  }

  matchesObject(store: EventStore, object: ObjectState): boolean {
    return !this.filtering || this.matchesOf(store).has(object.key);
  }

  eventsOf(store: EventStore, key: string): number[] {
    let perObject = this.eventLists.get(store);
    if (!perObject) this.eventLists.set(store, (perObject = new Map()));
    let list = perObject.get(key);
    if (!list) {
      const all = store.eventsOf(key);
      list = this.filtering ? all.filter((seq) => eventMatches(store, seq, this._filter)) : all;
      perObject.set(key, list);
    }
    return list;
  }

  private matchesOf(store: EventStore): Set<string> {
    let matched = this.matches.get(store);
    if (!matched) this.matches.set(store, (matched = matchingObjectKeys(store, this._filter)));
    return matched;
  }
}
