// Interns event types and finds objects without building a key string per event. Events
// are looked up class -> subclass -> (type, obj_id) in nested Maps: an event costs a few Map
// lookups and no allocation; the `class/subclass/obj_id` key is built only for new objects.
import { isKnownEventType } from './knownEvents';
import { objectKey, type ObjectRecord } from './objectRecord';
import type { EventTypeInfo } from './types';

/** Everything known about one (class, subclass) pair. */
export class SubclassEntry {
  /** type -> type index */
  readonly types = new Map<string, number>();
  /** obj_id -> object */
  readonly objects = new Map<string, ObjectRecord>();
  /** What the keys of its objects start with (see objectKey). */
  readonly keyPrefix: string;
  constructor(
    readonly cls: string,
    readonly subclass: string,
  ) {
    this.keyPrefix = objectKey(cls, subclass, '');
  }
}

export class TypeTable {
  private readonly classes = new Map<string, Map<string, SubclassEntry>>();
  private readonly entryList: SubclassEntry[] = [];
  private readonly infos: EventTypeInfo[] = [];

  entry(cls: string, subclass: string): SubclassEntry {
    let subclasses = this.classes.get(cls);
    if (subclasses === undefined) {
      subclasses = new Map();
      this.classes.set(cls, subclasses);
    }
    let entry = subclasses.get(subclass);
    if (entry === undefined) {
      entry = new SubclassEntry(cls, subclass);
      subclasses.set(subclass, entry);
      this.entryList.push(entry);
    }
    return entry;
  }

  /** Every (class, subclass) seen, in the order first seen. */
  entries(): readonly SubclassEntry[] {
    return this.entryList;
  }

  existingEntry(cls: string, subclass: string): SubclassEntry | undefined {
    return this.classes.get(cls)?.get(subclass);
  }

  /** The index of a type, interning it if new (a new type gets the next index, `count - 1`). */
  typeIndex(entry: SubclassEntry, type: string): number {
    const index = entry.types.get(type);
    if (index !== undefined) return index;
    const info: EventTypeInfo = {
      index: this.infos.length,
      name: `${entry.cls}/${entry.subclass}/${type}`,
      class: entry.cls,
      subclass: entry.subclass,
      type,
      known: isKnownEventType(entry.cls, entry.subclass, type),
    };
    this.infos.push(info);
    entry.types.set(type, info.index);
    return info.index;
  }

  get count(): number {
    return this.infos.length;
  }

  info(index: number): EventTypeInfo | undefined {
    return this.infos[index];
  }

  all(): EventTypeInfo[] {
    return this.infos.slice();
  }
}
