// A source is where events come from: a live connection or a loaded trace file. Each has its
// own EventStore; the tree shows one top-level node per source when there are several.
import type { EventStore } from '../core';
import type { Event } from '../shared/events';
import type { DetectedDialect } from '../protocol/dialects';
import type { SubscriptionRefusal } from '../protocol/handshake';

export type SourceKind = 'live' | 'trace';

export type SourceStatus =
  | { kind: 'connecting'; detail?: string }
  | { kind: 'connected'; detail?: string }
  | { kind: 'reconnecting'; detail?: string }
  | { kind: 'disconnected'; detail?: string }
  | { kind: 'loaded'; detail?: string };

/** What the inspector knows of the server behind a source, for its tree row and the status bar. */
export interface ServerInfo {
  /** The server's era: as set, detected, or read from a trace. */
  readonly dialect: DetectedDialect;
  /** Subscriptions the server refused on the current connection. */
  readonly refusedSubscriptions: readonly SubscriptionRefusal[];
  /** Something the user should look at, e.g. connected but no event for 30 s. */
  readonly hint?: string;
}

export interface Source {
  readonly id: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly store: EventStore;
  readonly status: SourceStatus;
  readonly server: ServerInfo;
  /** The status or the server info changed. */
  readonly onDidChangeStatus: Event<SourceStatus>;
  /** Events per second received lately (0 for a trace). */
  eventRate(): number;
  dispose(): void | Promise<void>;
}
