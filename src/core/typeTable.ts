// Interns event types and finds objects without building a key string per event. Events
// are looked up class -> subclass -> (type, obj_id) in nested Maps: an event costs a few Map
// lookups and no allocation; the `class/subclass/obj_id` key is built only for new objects.
import type { EventMeaning, TrackedKind, Vocabulary } from '../protocol/dialects';
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
    /** The kind of its objects, from the vocabulary (before the object id is known). */
    readonly kind: TrackedKind | 'other',
  ) {
    this.keyPrefix = objectKey(cls, subclass, '');
  }
}

export class TypeTable {
  private readonly classes = new Map<string, Map<string, SubclassEntry>>();
  private readonly entryList: SubclassEntry[] = [];
  private readonly infos: EventTypeInfo[] = [];
  /** Type index -> canonical meaning (undefined: a type no era's tables list). */
  private readonly meanings: Array<EventMeaning | undefined> = [];

  constructor(private readonly vocabulary: Vocabulary) {}

  entry(cls: string, subclass: string): SubclassEntry {
    let subclasses = this.classes.get(cls);
    if (subclasses === undefined) {
      subclasses = new Map();
      this.classes.set(cls, subclasses);
    }
    let entry = subclasses.get(subclass);
    if (entry === undefined) {
      entry = new SubclassEntry(cls, subclass, this.vocabulary.kindOf(cls, subclass));
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
    const lookup = this.vocabulary.lookup(entry.cls, entry.subclass, type);
    const info: EventTypeInfo = {
      index: this.infos.length,
      name: `${entry.cls}/${entry.subclass}/${type}`,
      class: entry.cls,
      subclass: entry.subclass,
      type,
      known: lookup.known,
    };
    this.infos.push(info);
    this.meanings.push(lookup.meaning);
    entry.types.set(type, info.index);
    return info.index;
  }

  get count(): number {
    return this.infos.length;
  }

  /** What events of this type mean, looked up once when the type was first seen. */
  meaningOf(index: number): EventMeaning | undefined {
    return this.meanings[index];
  }

  info(index: number): EventTypeInfo | undefined {
    return this.infos[index];
  }

  all(): EventTypeInfo[] {
    return this.infos.slice();
  }
}
