// A source is where events come from: a live connection or a loaded trace file. Each has its
// own EventStore; the tree shows one top-level node per source when there are several.
import type { EventStore } from '../core';
import type { Event } from '../shared/events';

export type SourceKind = 'live' | 'trace';

export type SourceStatus =
  | { kind: 'connecting'; detail?: string }
  | { kind: 'connected'; detail?: string }
  | { kind: 'reconnecting'; detail?: string }
  | { kind: 'disconnected'; detail?: string }
  | { kind: 'loaded'; detail?: string };

export interface Source {
  readonly id: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly store: EventStore;
  readonly status: SourceStatus;
  readonly onDidChangeStatus: Event<SourceStatus>;
  /** Events per second received lately (0 for a trace). */
  eventRate(): number;
  dispose(): void | Promise<void>;
}
