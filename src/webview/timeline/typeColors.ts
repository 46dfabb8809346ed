// Which colour an event type gets: by what it means for the object (start, end, answer…),
// so the same meaning has the same colour in every subclass. Pure: tested in Node.
import type { TimelineEventType } from '../../shared/timelineProtocol';

export type ColorRole = 'start' | 'end' | 'answer' | 'ringing' | 'update' | 'join' | 'leave' | 'unknown' | 'other';

export const COLOR_ROLES: readonly ColorRole[] = ['start', 'answer', 'ringing', 'update', 'join', 'leave', 'end', 'unknown', 'other'];

export const ROLE_LABELS: Readonly<Record<ColorRole, string>> = {
  start: 'started',
  answer: 'answer',
  ringing: 'ringing',
  update: 'updated',
  join: 'member joined',
  leave: 'member left',
  end: 'stop / hangup / destroyed',
  unknown: 'unknown type',
  other: 'other',
};

export function colorRoleOf(type: Pick<TimelineEventType, 'type' | 'known'>): ColorRole {
  switch (type.type) {
    case 'stop':
    case 'hangup':
    case 'destroyed':
      return 'end';
    case 'started':
      return 'start';
    case 'answer':
      return 'answer';
    case 'ringing':
      return 'ringing';
    case 'updated_type':
      return 'update';
    case 'started_publisher':
    case 'started_listener':
      return 'join';
    case 'stopped_publisher':
    case 'stopped_listener':
      return 'leave';
    default:
      return type.known ? 'other' : 'unknown';
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
