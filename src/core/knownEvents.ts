// The event types the inspector knows, from docs/nkmedia-events.md. Anything else is kept
// and shown like the rest, and flagged once as 'unknown-type' so people notice a server
// version that speaks more than we understand. Add types here as servers grow.
import type { ObjectKind } from './types';

/** class -> subclass -> known types. */
const KNOWN_EVENT_TYPES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  media: {
    session: ['answer', 'stop', 'updated_type'],
    room: ['started', 'destroyed', 'started_publisher', 'stopped_publisher', 'started_listener', 'stopped_listener'],
    call: ['ringing', 'answer', 'hangup'],
  },
};

/** The event that ends an object of each kind; 'other' objects have none. */
export const TERMINAL_EVENT_TYPE: Readonly<Record<Exclude<ObjectKind, 'other'>, string>> = {
  session: 'stop',
  room: 'destroyed',
  call: 'hangup',
};

export function isKnownEventType(cls: string, subclass: string, type: string): boolean {
  const bySubclass = Object.prototype.hasOwnProperty.call(KNOWN_EVENT_TYPES, cls) ? KNOWN_EVENT_TYPES[cls] : undefined;
  if (!bySubclass || !Object.prototype.hasOwnProperty.call(bySubclass, subclass)) return false;
  return bySubclass[subclass].includes(type);
}

/**
 * The kind of the object an event is about. Without an id there is no object to follow,
 * so such events are grouped as 'other' even when their subclass is a known one.
 */
export function objectKindOf(cls: string, subclass: string, objId: string): ObjectKind {
  if (cls !== 'media' || objId === '') return 'other';
  return subclass === 'session' || subclass === 'room' || subclass === 'call' ? subclass : 'other';
}
