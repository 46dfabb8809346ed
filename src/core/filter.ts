// The event filter of the tree and timeline: free text, event types, subclasses, users, and
// a measured span's range (spanFilter.ts: what a Durations bar selects).
//
// An object matches if its subclass is allowed, it has a stored event of an allowed type (when
// types are given), its user is one of the users (exactly, ignoring case: `user3` is not
// `user30`; a room matches by any of its members' users), and the text (case-insensitive)
// occurs in its id, state or user, or in the raw JSON of one of its events. An event is shown
// if its type is allowed, its object's user is, and it contains the text (or its object's own
// fields do, so that filtering by a user name still shows that user's sessions with their
// events). The tree asks per object and per event; the timeline scans marks with the same
// rules compiled once (`eventPredicate`).
//
// Text search runs over the stored raw JSON, never over parsed events (`EventStore.rawIncludes`):
// a needle without letters is searched in the stored UTF-8 bytes directly; one with letters
// needs each event decoded and lower-cased, which still scans at about 1 GB/s.
import type { EventStore } from './eventStore';
import { formatDuration } from './displayText';
import { parseSpanCondition, spanConditionHolds, type SpanCondition } from './spanFilter';
import type { ObjectState, RoomMember } from './types';

/** Treat a filter as immutable: its compiled form is cached per filter object. */
export interface EventFilter {
  /** Free text, matched case-insensitively. */
  text?: string;
  /** Event types: a bare type ('stop') or a full 'class/subclass/type' name. */
  types?: string[];
  /** Subclasses ('session', 'room', 'call', or any other; '' for events without one). */
  subclasses?: string[];
  /** Users, matched exactly (ignoring case) against an object's user or a room member's. */
  users?: string[];
  /** Only objects whose measured span is in a range: `call.length:1024-2048` (spanFilter.ts). */
  span?: string;
}

interface CompiledFilter {
  /** Lower-cased needle, or undefined for no text condition. */
  text: string | undefined;
  /** The needle has no letters: plain `includes` on the raw text is already case-insensitive. */
  caseless: boolean;
  types: ReadonlySet<string> | undefined;
  subclasses: ReadonlySet<string> | undefined;
  /** Lower-cased users. */
  users: ReadonlySet<string> | undefined;
  /** `null`: a span condition that names no span, which nothing passes. */
  span: SpanCondition | null | undefined;
}

// Views call the match functions once per object or event with the same filter object.
const compiledFilters = new WeakMap<EventFilter, CompiledFilter>();

function compile(filter: EventFilter): CompiledFilter {
  let compiled = compiledFilters.get(filter);
  if (compiled === undefined) {
    const text = filter.text?.trim().toLowerCase() || undefined;
    compiled = {
      text,
      caseless: text !== undefined && text === text.toUpperCase(),
      types: filter.types?.length ? new Set(filter.types) : undefined,
      subclasses: filter.subclasses?.length ? new Set(filter.subclasses) : undefined,
      users: filter.users?.length ? new Set(filter.users.map((u) => u.toLowerCase())) : undefined,
      span: filter.span?.trim() ? (parseSpanCondition(filter.span) ?? null) : undefined,
    };
    compiledFilters.set(filter, compiled);
  }
  return compiled;
}

export function isEmptyFilter(filter: EventFilter): boolean {
  const compiled = compile(filter);
  return compiled.text === undefined && compiled.types === undefined && compiled.subclasses === undefined && compiled.users === undefined && compiled.span === undefined;
}

/** A short text for a view's description, e.g. `"user1" · type: stop, hangup · session`. */
export function describeFilter(filter: EventFilter): string {
  const parts: string[] = [];
  const text = filter.text?.trim();
  if (text) parts.push(`"${text}"`);
  if (filter.types?.length) parts.push(`type: ${filter.types.join(', ')}`);
  if (filter.subclasses?.length) parts.push(filter.subclasses.map((s) => s || '(none)').join(', '));
  if (filter.users?.length) parts.push(`user: ${filter.users.join(', ')}`);
  if (filter.span?.trim()) parts.push(describeSpan(filter.span));
  return parts.join(' · ');
}

/** `call length 1.02 s – 2.05 s`, or the text as given when it names no span. */
function describeSpan(text: string): string {
  const condition = parseSpanCondition(text);
  if (!condition) return `span: ${text.trim()} (names no span: nothing matches)`;
  const to = Number.isFinite(condition.toMs) ? formatDuration(condition.toMs) : '…';
  return `${condition.span.label} ${formatDuration(condition.fromMs)} – ${to}`;
}

export function objectMatches(store: EventStore, object: ObjectState, filter: EventFilter): boolean {
  const compiled = compile(filter);
  if (!objectPassesTypeAndSubclass(store, object, compiled) || !userMatches(object, compiled) || !spanMatches(object, compiled)) return false;
  if (compiled.text === undefined || fieldsContain(object, compiled.text)) return true;
  for (const seq of store.eventsOf(object.key)) {
    if (rawContains(store, seq, compiled)) return true;
  }
  return false;
}

export function eventMatches(store: EventStore, seq: number, filter: EventFilter): boolean {
  const typeIndex = store.typeIndexOf(seq);
  const key = store.objectKeyOf(seq);
  const object = key === undefined ? undefined : store.getObject(key);
  if (typeIndex === undefined) return false;
  return eventPasses(store, compile(filter), seq, typeIndex, object);
}

/**
 * `eventMatches` compiled for a scan over many events: the verdict on each event type is
 * worked out once, and the caller passes the indexes the columnar scan already has.
 */
export function eventPredicate(store: EventStore, filter: EventFilter): (seq: number, objectIndex: number, typeIndex: number) => boolean {
  const compiled = compile(filter);
  // Per type index: 1 allowed, 2 not allowed, 0 not decided yet (types keep appearing live).
  let typeVerdict = new Uint8Array(64);
  const typeAllowed = (typeIndex: number): boolean => {
    if (typeIndex >= typeVerdict.length) {
      const grown = new Uint8Array(Math.max(typeIndex + 1, typeVerdict.length * 2));
      grown.set(typeVerdict);
      typeVerdict = grown;
    }
    if (typeVerdict[typeIndex] === 0) typeVerdict[typeIndex] = typePasses(store, typeIndex, compiled) ? 1 : 2;
    return typeVerdict[typeIndex] === 1;
  };
  return (seq, objectIndex, typeIndex) => {
    if (!typeAllowed(typeIndex)) return false;
    if (compiled.text === undefined && compiled.users === undefined && compiled.span === undefined) return true;
    // Not cached per object: state, user and members change as events arrive.
    return eventPassesText(store, compiled, seq, store.objectAt(objectIndex));
  };
}

function eventPasses(store: EventStore, compiled: CompiledFilter, seq: number, typeIndex: number, object: ObjectState | undefined): boolean {
  return typePasses(store, typeIndex, compiled) && eventPassesText(store, compiled, seq, object);
}

function typePasses(store: EventStore, typeIndex: number, compiled: CompiledFilter): boolean {
  const info = store.typeInfo(typeIndex);
  if (!info) return false;
  if (compiled.subclasses !== undefined && !compiled.subclasses.has(info.subclass)) return false;
  return compiled.types === undefined || compiled.types.has(info.type) || compiled.types.has(info.name);
}

/** The user and text conditions of one event of `object`. */
function eventPassesText(store: EventStore, compiled: CompiledFilter, seq: number, object: ObjectState | undefined): boolean {
  if (compiled.users !== undefined && (object === undefined || !userMatches(object, compiled))) return false;
  if (compiled.span !== undefined && (object === undefined || !spanMatches(object, compiled))) return false;
  if (compiled.text === undefined || rawContains(store, seq, compiled)) return true;
  return object !== undefined && fieldsContain(object, compiled.text);
}

/**
 * The keys of every matching object, with one pass over the stored events for the text
 * (faster than `objectMatches` per object when most objects need their events searched).
 */
export function matchingObjectKeys(store: EventStore, filter: EventFilter): Set<string> {
  const compiled = compile(filter);
  const matching = new Set<string>();
  // Objects still waiting for an event containing the text, by object index.
  const searching = new Uint8Array(store.objectIndexLimit);
  let searchingCount = 0;
  for (const object of store.objects()) {
    if (!objectPassesTypeAndSubclass(store, object, compiled) || !userMatches(object, compiled) || !spanMatches(object, compiled)) continue;
    if (compiled.text === undefined || fieldsContain(object, compiled.text)) matching.add(object.key);
    else if (object.eventCount > 0) {
      searching[object.index] = 1;
      searchingCount++;
    }
  }
  if (searchingCount === 0) return matching;
  store.forEachEvent((seq, _ts, _conn, objectIndex) => {
    if (searching[objectIndex] !== 1 || !rawContains(store, seq, compiled)) return;
    searching[objectIndex] = 0;
    const object = store.objectAt(objectIndex);
    if (object) matching.add(object.key);
  });
  return matching;
}

function objectPassesTypeAndSubclass(store: EventStore, object: ObjectState, compiled: CompiledFilter): boolean {
  if (compiled.subclasses !== undefined && !compiled.subclasses.has(object.subclass)) return false;
  if (compiled.types === undefined) return true;
  const types = compiled.types;
  return store.typeIndexesOf(object.key).some((index) => {
    const info = store.typeInfo(index);
    return info !== undefined && (types.has(info.type) || types.has(info.name));
  });
}

function userMatches(object: ObjectState, compiled: CompiledFilter): boolean {
  const users = compiled.users;
  if (users === undefined) return true;
  if (object.user !== undefined && users.has(object.user.toLowerCase())) return true;
  return membersMatch(object.publishers, users) || membersMatch(object.listeners, users);
}

/** Called per event by a live `user:` watch (StoreWatcher): no array or iterator for the many objects without members. */
function membersMatch(members: ReadonlyMap<string, RoomMember>, users: ReadonlySet<string>): boolean {
  if (members.size === 0) return false;
  for (const member of members.values()) if (member.user !== undefined && users.has(member.user.toLowerCase())) return true;
  return false;
}

function spanMatches(object: ObjectState, compiled: CompiledFilter): boolean {
  if (compiled.span === undefined) return true;
  return compiled.span !== null && spanConditionHolds(compiled.span, object);
}

function fieldsContain(object: ObjectState, needle: string): boolean {
  return (
    object.objId.toLowerCase().includes(needle) ||
    object.state.includes(needle) ||
    (object.user !== undefined && object.user.toLowerCase().includes(needle))
  );
}

function rawContains(store: EventStore, seq: number, compiled: CompiledFilter): boolean {
  return compiled.text !== undefined && store.rawIncludes(seq, compiled.text, !compiled.caseless);
}
