// Which colour an event type gets: by what it means for the object (start, end, answer…),
// so the same meaning has the same colour in every subclass. Pure: tested in Node.
import type { TimelineEventType } from '../../../shared/timelineProtocol';

export type ColorRole = 'start' | 'end' | 'answer' | 'ringing' | 'update' | 'join' | 'leave' | 'unknown' | 'other';

export const COLOR_ROLES: readonly ColorRole[] = ['start', 'answer', 'ringing', 'update', 'join', 'leave', 'end', 'unknown', 'other'];

export const ROLE_LABELS: Readonly<Record<ColorRole, string>> = {
  start: 'created (or seen in a snapshot)',
  answer: 'answer',
  ringing: 'ringing',
  update: 'updated',
  join: 'member joined',
  leave: 'member left',
  end: 'stop / hangup / destroyed',
  unknown: 'unknown type',
  other: 'other',
};

/** By the type's meaning in its era (the host sends it), so `stop` and `destroyed` look alike. */
export function colorRoleOf(type: Pick<TimelineEventType, 'effect' | 'known'>): ColorRole {
  switch (type.effect) {
    case 'ended':
      return 'end';
    case 'created':
    case 'snapshot':
      return 'start';
    case 'answered':
      return 'answer';
    case 'ringing':
      return 'ringing';
    case 'updated':
      return 'update';
    case 'memberJoined':
      return 'join';
    case 'memberLeft':
      return 'leave';
    case undefined:
      return type.known ? 'other' : 'unknown';
    default:
      return 'other';
  }
}

/** When marks share a pixel, the most telling one gives the aggregate its colour. */
export function rolePriority(role: ColorRole): number {
  switch (role) {
    case 'end':
      return 6;
    case 'unknown':
      return 5;
    case 'start':
      return 4;
    case 'answer':
    case 'ringing':
      return 3;
    case 'join':
    case 'leave':
      return 2;
    default:
      return 1;
  }
}

/** Colour role per type index (the index marks carry). */
export function rolesOf(types: readonly TimelineEventType[]): ColorRole[] {
  const roles: ColorRole[] = [];
  for (const t of types) roles[t.index] = colorRoleOf(t);
  return roles;
}
