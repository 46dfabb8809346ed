// The life stories of NkMEDIA objects, written as generator scripts: each `yield` is the next
// event of that object, or `undefined` while it waits for others (a room waits for its
// members to leave, a publisher for its listeners). The traffic generator interleaves many
// scripts; the shared state below keeps them consistent with each other:
//   - a room is started before any member event and destroyed after all of them;
//   - a member session is answered before it joins, and stops after it leaves;
//   - a listener's `peer` is a publisher that is in the room and whose session is live;
//   - the exceptions the inspector must flag happen on purpose, now and then: a publisher's
//     session stopping while listeners still watch it, a call hung up before being answered.
import type { EventData } from '../protocol/frames';
import type { IdFactory } from './ids';
import { userName } from './ids';
import type { Random } from './random';
import { sdpAnswer } from './sdp';

/** An event, or `undefined` when the object has nothing to say yet. */
export type Step = EventData | undefined;
export type Script = Generator<Step, void, void>;

export interface SessionState {
  id: string;
  user: string;
  answered: boolean;
  stopped: boolean;
  /** A publisher about to leave: new listeners must not pick it. */
  leaving: boolean;
}

export interface RoomState {
  id: string;
  publishers: Map<string, SessionState>;
  /** Listener session id → the publisher session id it watches. */
  listeners: Map<string, string>;
  /** Member scripts still running. */
  members: number;
}

interface EndReason {
  code: number;
  reason: string;
}

const USER_STOP: EndReason = { code: 0, reason: 'User stop' };
const SESSION_FAILURES: EndReason[] = [
  { code: 2001, reason: 'Peer hangup' },
  { code: 1504, reason: 'Session timeout' },
  { code: 2002, reason: 'Backend error' },
  { code: 1503, reason: 'ICE failure' },
];
const UNANSWERED_CALL_ENDS: EndReason[] = [
  { code: 486, reason: 'Busy' },
  { code: 487, reason: 'Cancelled' },
  { code: 480, reason: 'No answer' },
];
const ROOM_ENDS: EndReason[] = [
  { code: 0, reason: 'User stop' },
  { code: 0, reason: 'User stop' },
  { code: 0, reason: 'User stop' },
  { code: 1401, reason: 'Room timeout' },
];

/**
 * Distinct SDP answers per generator. Building one costs ~20 µs and a few KB of garbage; at
 * tens of thousands of events per second that dominated the simulator's CPU, so after this
 * many the generator reuses earlier ones (still seeded, so still deterministic).
 */
const SDP_POOL_SIZE = 256;

/** Standalone session types and the extra fields their `updated_type` carries. */
const STANDALONE_TYPES = ['park', 'echo', 'mcu', 'proxy'] as const;

export class Lifecycles {
  /** Sessions between their first and last event, for the generator's odd events. */
  readonly liveSessions = new Map<string, SessionState>();
  readonly liveRooms = new Map<string, RoomState>();
  private readonly sdpPool: string[] = [];

  constructor(
    private readonly random: Random,
    private readonly ids: IdFactory,
    /** Starts another script (rooms start their members' sessions this way). */
    private readonly spawn: (script: Script) => void,
  ) {}

  /** A session on its own: answered, changes type once or twice, stops. */
  *session(): Script {
    const session = this.newSession();
    if (this.random.chance(0.04)) {
      // Setup failed before any answer: the stop is the only event.
      yield this.sessionStop(session, this.random.pick(SESSION_FAILURES));
      return;
    }
    yield this.sessionAnswer(session);
    yield* this.idle(0, 3);
    yield this.sessionEvent(session, 'updated_type', this.standaloneType());
    if (this.random.chance(0.3)) {
      yield* this.idle(0, 3);
      yield this.sessionEvent(session, 'updated_type', this.standaloneType());
    }
    yield* this.idle(0, 4);
    yield this.sessionStop(session, this.endReason());
  }

  /** An SFU room: started, members come and go, destroyed once the last one has left. */
  *room(): Script {
    const room: RoomState = { id: this.ids.next(), publishers: new Map(), listeners: new Map(), members: 0 };
    this.liveRooms.set(room.id, room);
    yield this.roomEvent(room, 'started', { class: 'sfu', backend: 'nkmedia_janus' });
    const memberCount = this.random.int(2, 9);
    for (let started = 0; started < memberCount; ) {
      if (this.random.chance(0.35)) {
        const canListen = this.livePublishers(room).length > 0;
        const publish = !canListen || (room.publishers.size < 3 && this.random.chance(0.3));
        room.members++;
        this.spawn(publish ? this.publisher(room) : this.listener(room));
        started++;
      }
      yield undefined;
    }
    while (room.members > 0) yield undefined;
    this.liveRooms.delete(room.id);
    yield this.roomEvent(room, 'destroyed', { ...this.random.pick(ROOM_ENDS) });
  }

  /** A call: rings, usually answered then hung up; sometimes hung up unanswered. */
  *call(): Script {
    const id = this.ids.next();
    yield this.mediaEvent('call', 'ringing', id, {});
    yield* this.idle(0, 3);
    if (this.random.chance(0.12)) {
      yield this.mediaEvent('call', 'hangup', id, { ...this.random.pick(UNANSWERED_CALL_ENDS) });
      return;
    }
    yield this.mediaEvent('call', 'answer', id, { answer: this.answerSdp() });
    yield* this.idle(1, 6);
    yield this.mediaEvent('call', 'hangup', id, { ...this.endReason() });
  }

  /** A media player, a subclass the seed reference does not list. */
  *player(): Script {
    const id = this.ids.next();
    yield this.mediaEvent('player', 'started', id, { file: `/var/media/${this.random.alphanumeric(8)}.webm`, loop: this.random.chance(0.5) });
    yield* this.idle(0, 3);
    yield this.mediaEvent('player', 'position', id, { position_ms: this.random.int(1000, 60000) });
    yield* this.idle(0, 3);
    yield this.mediaEvent('player', 'stopped', id, { code: 0, reason: 'End of file' });
  }

  /** An event of an answered live session, of a type the seed reference does not list. */
  unlistedSessionEvent(session: SessionState): EventData {
    if (this.random.chance(0.6)) {
      const port = this.random.int(10000, 60000);
      return this.sessionEvent(session, 'candidate', {
        sdpMid: this.random.pick(['audio', 'video']),
        sdpMLineIndex: this.random.int(0, 1),
        candidate: `candidate:${this.random.int(1, 9)} 1 udp 2013266431 10.${this.random.int(0, 255)}.${this.random.int(0, 255)}.${this.random.int(2, 254)} ${port} typ host`,
      });
    }
    return this.sessionEvent(session, 'info', { info: this.random.pick(['dtmf:5', 'keyframe requested', 'slow link', 'bitrate limited to 256 kbps']) });
  }

  /** An event of a live room, of a type the seed reference does not list. */
  unlistedRoomEvent(room: RoomState): EventData {
    if (this.random.chance(0.5)) {
      return this.roomEvent(room, 'updated', { bitrate: this.random.pick([128000, 256000, 512000]), audio_codec: 'opus', video_codec: this.random.pick(['vp8', 'vp9', 'h264']) });
    }
    return this.roomEvent(room, 'started_recorder', { recorder_id: this.ids.next(), path: `/var/recordings/${room.id}.mjr` });
  }

  /** A `core` class event (user login/logout), as another NkSERVICE subsystem emits. */
  coreUserEvent(): EventData {
    return {
      class: 'core',
      subclass: 'user',
      type: this.random.pick(['login', 'logout']),
      obj_id: userName(this.random),
      body: { session_id: this.ids.next(), remote: `wss:198.51.100.${this.random.int(2, 254)}:${this.random.int(30000, 60000)}` },
    };
  }

  private *publisher(room: RoomState): Script {
    const session = this.newSession();
    yield this.sessionAnswer(session);
    yield this.sessionEvent(session, 'updated_type', { type: 'publish', room_id: room.id, backend: 'nkmedia_janus' });
    room.publishers.set(session.id, session);
    yield this.roomEvent(room, 'started_publisher', { session_id: session.id, user: session.user });
    yield* this.idle(2, 10);
    if (this.watchersOf(room, session.id) > 0 && this.random.chance(0.08)) {
      // The anomaly: the session dies while listeners still watch it; the room notices after.
      yield this.sessionStop(session, this.random.pick(SESSION_FAILURES));
      room.publishers.delete(session.id);
      yield this.roomEvent(room, 'stopped_publisher', { session_id: session.id, user: session.user });
    } else {
      session.leaving = true;
      while (this.watchersOf(room, session.id) > 0) yield undefined;
      room.publishers.delete(session.id);
      yield this.roomEvent(room, 'stopped_publisher', { session_id: session.id, user: session.user });
      yield this.sessionStop(session, this.endReason());
    }
    room.members--;
  }

  private *listener(room: RoomState): Script {
    const session = this.newSession();
    yield this.sessionAnswer(session);
    // Chosen at the moment of joining, so the peer is live when the event says so.
    const candidates = this.livePublishers(room);
    if (candidates.length === 0) {
      yield this.sessionStop(session, USER_STOP);
      room.members--;
      return;
    }
    const peer = this.random.pick(candidates).id;
    room.listeners.set(session.id, peer);
    yield this.roomEvent(room, 'started_listener', { session_id: session.id, user: session.user, peer });
    yield this.sessionEvent(session, 'updated_type', { type: 'listen', room_id: room.id, publisher_id: peer });
    yield* this.idle(1, 8);
    room.listeners.delete(session.id);
    yield this.roomEvent(room, 'stopped_listener', { session_id: session.id, user: session.user });
    yield this.sessionStop(session, this.endReason());
    room.members--;
  }

  /** Gives other objects turns: `min`..`max` picks of this script produce nothing. */
  private *idle(min: number, max: number): Generator<undefined, void, void> {
    for (let turns = this.random.int(min, max); turns > 0; turns--) yield undefined;
  }

  private answerSdp(): string {
    if (this.sdpPool.length < SDP_POOL_SIZE) {
      const sdp = sdpAnswer(this.random);
      this.sdpPool.push(sdp);
      return sdp;
    }
    return this.random.pick(this.sdpPool);
  }

  private newSession(): SessionState {
    const session: SessionState = { id: this.ids.next(), user: userName(this.random), answered: false, stopped: false, leaving: false };
    this.liveSessions.set(session.id, session);
    return session;
  }

  private sessionAnswer(session: SessionState): EventData {
    session.answered = true;
    return this.sessionEvent(session, 'answer', { answer: this.answerSdp() });
  }

  private sessionStop(session: SessionState, end: EndReason): EventData {
    session.stopped = true;
    this.liveSessions.delete(session.id);
    return this.sessionEvent(session, 'stop', { ...end });
  }

  private sessionEvent(session: SessionState, type: string, body: Record<string, unknown>): EventData {
    return this.mediaEvent('session', type, session.id, body);
  }

  private roomEvent(room: RoomState, type: string, body: Record<string, unknown>): EventData {
    return this.mediaEvent('room', type, room.id, body);
  }

  private mediaEvent(subclass: string, type: string, objId: string, body: Record<string, unknown>): EventData {
    return { class: 'media', subclass, type, obj_id: objId, body };
  }

  private standaloneType(): Record<string, unknown> {
    const type = this.random.pick(STANDALONE_TYPES);
    switch (type) {
      case 'park':
        return { type };
      case 'echo':
        return { type, bitrate: this.random.pick([256000, 512000, 1024000]), record: this.random.chance(0.2) };
      case 'mcu':
        return { type, room_id: this.ids.next(), backend: 'nkmedia_kms' };
      case 'proxy':
        return { type, backend: 'nkmedia_janus', peer_id: this.ids.next() };
    }
  }

  /** Most ends are normal (code 0); a minority are failures. */
  private endReason(): EndReason {
    return this.random.chance(0.85) ? { ...USER_STOP } : { ...this.random.pick(SESSION_FAILURES) };
  }

  /** Publishers a new listener may watch: in the room, session live, not on their way out. */
  private livePublishers(room: RoomState): SessionState[] {
    return [...room.publishers.values()].filter((p) => !p.stopped && !p.leaving);
  }

  private watchersOf(room: RoomState, publisherId: string): number {
    let count = 0;
    for (const peer of room.listeners.values()) if (peer === publisherId) count++;
    return count;
  }
}
