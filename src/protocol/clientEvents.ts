// Payloads of the events an NkServiceClient fires, and its counters.
import type { DetectedDialect } from './dialects';
import type { EventData, Subscription } from './frames';
import type { SnapshotEntry } from './snapshot';

/** One NkMEDIA event as received from the server. */
export interface ReceivedEvent {
  /** Receive time, ms since epoch. */
  ts: number;
  /** The event exactly as the server sent it (unknown fields kept): `JSON.parse(raw).data`. */
  data: EventData;
  /** The whole request frame text. */
  raw: string;
  /**
   * The same frame as UTF-8 bytes, when the client has them (the socket's message Buffer).
   * Valid only while the listener runs: copy it to keep it.
   */
  bytes?: Buffer;
}

/** Logged in, before subscribing: what is known of the server so far. */
export interface LoginInfo {
  ts: number;
  sessionId?: string;
  dialect: DetectedDialect;
}

/** An object that existed when we connected, read with the era's info command. */
export interface SnapshotInfo extends SnapshotEntry {
  ts: number;
}

/** The link was down from `from` to `to` (ms since epoch): events of that period are missing. */
export interface GapInfo {
  from: number;
  to: number;
  reason: string;
}

export interface ConnectInfo {
  ts: number;
  sessionId?: string;
}

export interface DisconnectInfo {
  ts: number;
  reason: string;
}

/** A frame (or an event inside a valid frame) that was refused. */
export interface InvalidFrameInfo {
  reason: string;
  excerpt: string;
}

/** An event the server sent that is not a valid NkMEDIA event: answered, and kept as evidence. */
export interface InvalidEventInfo extends InvalidFrameInfo {
  /** Receive time, ms since the epoch. */
  ts: number;
  /** The whole frame as received (secrets scrubbed): what a forensic trace keeps. */
  frame: string;
}

/** Something went wrong without breaking the connection, e.g. a refused subscription. */
export interface ClientWarning {
  message: string;
  subscription?: Subscription;
}

export interface ClientStats {
  /** Valid events delivered through onEvent. */
  events: number;
  /** Of those, events that came as develop's {class:"event"} messages (no tid, no answer). */
  eventMessages: number;
  /** Frames refused: not JSON, not an object, no tid, binary, too large. */
  invalidFrames: number;
  /**
   * Of those, frames over maxFrameBytes (read only at their ends: a request answered with an
   * error, a response failing its request, an event message dropped, or a reconnection).
   */
  oversizeFrames: number;
  /** `core/event` requests whose data failed validation (they are still answered ok). */
  invalidEvents: number;
  /** Answers sent to server requests (events, pings and refusals alike). */
  answered: number;
  /** Server requests the inspector does not implement (answered with an error). */
  unknownRequests: number;
  /** Successful reconnections after a drop. */
  reconnects: number;
  /** Payload bytes of every frame received. */
  bytesReceived: number;
}

export function emptyStats(): ClientStats {
  return { events: 0, eventMessages: 0, invalidFrames: 0, oversizeFrames: 0, invalidEvents: 0, answered: 0, unknownRequests: 0, reconnects: 0, bytesReceived: 0 };
}
