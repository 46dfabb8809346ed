// Builds realistic NkMEDIA event sequences for the store tests: each helper appends one event
// as a live `core/event` frame (raw JSON text, rawField 'data'), 10 ms after the previous one.
import type { EventData } from '../../../src/protocol/frames';
import type { EventStore } from '../../../src/core';

export const T0 = 1_700_000_000_000;

// Ids shaped like the documentation's samples (UUID-like, not RFC 4122).
export const ROOM = '11c92417-6c97-6f35-971b-2954afab410b';
export const PUB = '39ce4076-391a-1260-75db-38c9862f00d9';
export const LISTENER = '5a1e0f3b-391a-1260-75db-38c9862f00d9';
export const CALL = '90076c74-391a-153c-f6c7-38c9862f00d9';

export class Feed {
  ts = T0;
  private tid = 0;

  constructor(
    readonly store: EventStore,
    readonly conn = 'wss://media1:9010',
  ) {}

  /** Appends any event as a live frame; returns its sequence number. */
  event(data: EventData, options: { ts?: number; conn?: string } = {}): number {
    this.ts = options.ts ?? this.ts + 10;
    const raw = JSON.stringify({ class: 'core', cmd: 'event', data, tid: ++this.tid });
    return this.store.append({ conn: options.conn ?? this.conn, ts: this.ts, data, raw, rawField: 'data' });
  }

  session(type: string, id: string, body?: Record<string, unknown>): number {
    return this.event({ class: 'media', subclass: 'session', type, obj_id: id, ...(body ? { body } : {}) });
  }

  room(type: string, id: string, body?: Record<string, unknown>): number {
    return this.event({ class: 'media', subclass: 'room', type, obj_id: id, ...(body ? { body } : {}) });
  }

  call(type: string, id: string, body?: Record<string, unknown>): number {
    return this.event({ class: 'media', subclass: 'call', type, obj_id: id, ...(body ? { body } : {}) });
  }

  answer(sessionId: string): number {
    return this.session('answer', sessionId, { answer: { sdp: `v=0\r\no=- ${this.tid} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n` } });
  }

  stop(sessionId: string, code: number | string = 0, reason = 'User stop'): number {
    return this.session('stop', sessionId, { code, reason });
  }

  roomStarted(roomId: string): number {
    return this.room('started', roomId, { class: 'sfu', backend: 'nkmedia_janus' });
  }

  publisherJoins(roomId: string, sessionId: string, user: string): number {
    return this.room('started_publisher', roomId, { session_id: sessionId, user });
  }

  publisherLeaves(roomId: string, sessionId: string, user: string): number {
    return this.room('stopped_publisher', roomId, { session_id: sessionId, user });
  }

  listenerJoins(roomId: string, sessionId: string, user: string, peer: string): number {
    return this.room('started_listener', roomId, { session_id: sessionId, user, peer });
  }

  listenerLeaves(roomId: string, sessionId: string, user: string): number {
    return this.room('stopped_listener', roomId, { session_id: sessionId, user });
  }

  roomDestroyed(roomId: string, code: number | string = 0, reason = 'Room stopped'): number {
    return this.room('destroyed', roomId, { code, reason });
  }

  /** A publisher and a listener watching it, in an sfu room: the common case. */
  publishAndListen(): void {
    this.roomStarted(ROOM);
    this.session('updated_type', PUB, { type: 'publish', room_id: ROOM });
    this.answer(PUB);
    this.publisherJoins(ROOM, PUB, 'user1@nkmedia');
    this.session('updated_type', LISTENER, { type: 'listen', publisher_id: PUB });
    this.answer(LISTENER);
    this.listenerJoins(ROOM, LISTENER, 'user2@nkmedia', PUB);
  }
}

export const sessionKeyOf = (id: string) => `media/session/${id}`;
export const roomKeyOf = (id: string) => `media/room/${id}`;
export const callKeyOf = (id: string) => `media/call/${id}`;
