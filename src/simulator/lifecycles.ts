// The life stories of NkMEDIA objects, written as generator scripts: each `yield` is the next
// change of that object, in the simulator's own canonical terms (world.ts), or `undefined`
// while it waits for others (a room waits for its members to leave, a publisher for its
// listeners). An era writer (eras/) turns each change into that era's events, so one script
// serves every era. The traffic generator interleaves many scripts; the shared state keeps
// them consistent with each other:
//   - a room is created before any member joins and destroyed after all of them left;
//   - a media room's member session is answered before it joins, and stops after it leaves;
//   - a listener's publisher is in the room and its session is live when the listener joins;
//   - faults happen at `faultRate`: sessions that fail, a publisher's session failing while
//     listeners watch it (the room then stops them, reason publisher stop: the inspector
//     flags them as stranded), a call failing before its answer.
import type { EventData } from '../protocol/frames';
import type { EraFeatures } from './eras';
import type { IdFactory } from './ids';
import { userName } from './ids';
import type { Random } from './random';
import { sdpAnswer } from './sdp';
import type { CollabMember, End, EndKind, SimCall, SimCollabRoom2016, SimRoom, SimSession, Step, World } from './world';

export type Script = Generator<Step | undefined, void, void>;

export interface LifecycleOptions {
  /** Share of objects that end in a fault, 0..1. */
  faultRate: number;
  features: EraFeatures;
}

/** Calls not taken: rejected, not answered in time, cancelled. Ordinary outcomes, not faults. */
const DECLINED_RATE = 0.12;
const DECLINED: readonly EndKind[] = ['callRejected', 'ringTimeout', 'noAnswer', 'originatorCancel'];

/**
 * Distinct SDP answers per generator. Building one costs ~20 µs and a few KB of garbage; at
 * tens of thousands of events per second that dominated the simulator's CPU, so after this
 * many the generator reuses earlier ones (still seeded, so still deterministic).
 */
const SDP_POOL_SIZE = 256;

/** Standalone session types and the extra fields their type change carries. */
const STANDALONE_TYPES = ['park', 'echo', 'mcu', 'proxy'] as const;

/** The simulator's clock for nkcollab's µs timestamps: deterministic, from 2017-02-22. */
const CLOCK_START_US = 1_487_721_600_000_000;

export class Lifecycles {
  private readonly sdpPool: string[] = [];
  private clockUs = CLOCK_START_US;

  constructor(
    private readonly random: Random,
    private readonly ids: IdFactory,
    /** Starts another script (rooms start their members' sessions this way). */
    private readonly spawn: (script: Script) => void,
    readonly world: World,
    private readonly options: LifecycleOptions,
  ) {}

  /** A session on its own: created, answered, changes type once or twice, stops. */
  *session(): Script {
    const [type, typeExt] = this.standaloneType();
    const session = this.newSession(type, typeExt);
    yield { kind: 'session.created', session };
    if (this.fault()) {
      // Setup failed before any answer: the end is its only event (besides develop's created).
      yield this.sessionEnd(session, 'failure');
      return;
    }
    yield this.answer(session);
    yield* this.idle(0, 3);
    yield this.retype(session, this.standaloneType());
    if (this.random.chance(0.3)) {
      yield* this.idle(0, 3);
      yield this.retype(session, this.standaloneType());
    }
    yield* this.idle(0, 4);
    yield this.sessionEnd(session, this.fault() ? 'failure' : 'normal');
  }

  /** An SFU room (a media room, or an nkcollab develop room): created, members come and go, destroyed. */
  *room(collab = false): Script {
    const room: SimRoom = {
      id: this.ids.next(),
      class: 'sfu',
      backend: 'nkmedia_janus',
      audioCodec: 'opus',
      videoCodec: this.random.pick(['vp8', 'vp8', 'vp9', 'h264']),
      bitrate: this.random.pick([256000, 512000, 1024000]),
      publishers: new Map(),
      listeners: new Map(),
      members: 0,
      collab,
    };
    this.world.rooms.set(room.id, room);
    yield { kind: 'room.created', room };
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
    this.world.rooms.delete(room.id);
    yield { kind: 'room.destroyed', room, end: this.end(this.random.chance(0.75) ? 'roomNormal' : 'roomEmpty') };
  }

  /** A call: rings, usually answered then hung up; sometimes not taken, now and then failed. */
  *call(collab = false): Script {
    const call: SimCall = { id: this.ids.next(), caller: userName(this.random), callee: userName(this.random), collab, answered: false };
    this.world.calls.set(call.id, call);
    yield { kind: 'call.created', call };
    yield { kind: 'call.ringing', call };
    yield* this.idle(0, 3);
    if (this.random.chance(DECLINED_RATE)) {
      yield this.callEnd(call, this.random.pick(DECLINED));
      return;
    }
    if (this.fault()) {
      yield this.callEnd(call, 'callFailure');
      return;
    }
    call.answered = true;
    call.sdp = this.answerSdp();
    yield { kind: 'call.answered', call };
    yield* this.idle(1, 6);
    yield this.callEnd(call, 'callNormal');
  }

  /** An nkcollab master room: users join as presenters or viewers, then it is destroyed. */
  *collabRoom2016(): Script {
    const room: SimCollabRoom2016 = {
      id: this.ids.next(),
      audioCodec: 'opus',
      videoCodec: this.random.pick(['vp8', 'vp9', 'h264']),
      bitrate: this.random.pick([256000, 512000]),
      members: new Map(),
      nextMemberId: 1,
      running: 0,
    };
    this.world.collabRooms2016.set(room.id, room);
    yield { kind: 'collabRoom.created', room };
    const memberCount = this.random.int(2, 6);
    for (let started = 0; started < memberCount; ) {
      if (this.random.chance(0.35)) {
        room.running++;
        this.spawn(this.collabMember(room, started === 0));
        started++;
      }
      yield undefined;
    }
    while (room.running > 0) yield undefined;
    this.world.collabRooms2016.delete(room.id);
    yield { kind: 'collabRoom.destroyed', room, end: this.end('roomNormal') };
  }

  /** A media player, a subclass no era sends (option unknownTypes). */
  *player(): Script {
    const id = this.ids.next();
    yield this.unknown({ class: 'media', subclass: 'player', type: 'started', obj_id: id, body: { file: `/var/media/${this.random.alphanumeric(8)}.webm`, loop: this.random.chance(0.5) } });
    yield* this.idle(0, 3);
    yield this.unknown({ class: 'media', subclass: 'player', type: 'position', obj_id: id, body: { position_ms: this.random.int(1000, 60000) } });
    yield* this.idle(0, 3);
    yield this.unknown({ class: 'media', subclass: 'player', type: 'stopped', obj_id: id, body: { code: 0, reason: 'End of file' } });
  }

  /** An event the era sends about a live session besides its story: info, candidates, status. */
  sessionExtra(session: SimSession): Step {
    const { features } = this.options;
    const roll = this.random.float();
    if (features.candidates && roll < 0.5) {
      if (roll < 0.1) return { kind: 'session.candidateEnd', session };
      const port = this.random.int(10000, 60000);
      const line = `candidate:${this.random.int(1, 9)} 1 udp 2013266431 10.${this.random.int(0, 255)}.${this.random.int(0, 255)}.${this.random.int(2, 254)} ${port} typ host`;
      return { kind: 'session.candidate', session, mid: this.random.pick(['audio', 'video']), index: this.random.int(0, 1), line };
    }
    if (features.sessionStatus && roll < 0.75) {
      // e.g. Janus's slow_link report (nkmedia@10eb4c3:src/nkmedia_room.erl:95-110 names it for rooms)
      return { kind: 'session.status', session, status: { slow_link: { media: this.random.pick(['audio', 'video']), uplink: this.random.chance(0.5) } } };
    }
    return { kind: 'session.info', session, info: this.random.pick(['dtmf:5', 'keyframe requested', 'slow link', 'bitrate limited to 256 kbps']) };
  }

  /** A room `info` event, where the era has one. */
  roomExtra(room: SimRoom): Step {
    return { kind: 'room.info', room, info: this.random.pick(['recording started', 'layout changed', 'presenter changed']) };
  }

  /** Events of room types no era sends (option unknownTypes). */
  unknownRoomEvent(room: SimRoom): Step {
    const cls = room.collab ? 'collab' : 'media';
    if (this.random.chance(0.5)) {
      return this.unknown({ class: cls, subclass: 'room', type: 'updated', obj_id: room.id, body: { bitrate: this.random.pick([128000, 256000, 512000]), audio_codec: 'opus', video_codec: this.random.pick(['vp8', 'vp9', 'h264']) } });
    }
    return this.unknown({ class: cls, subclass: 'room', type: 'started_recorder', obj_id: room.id, body: { recorder_id: this.ids.next(), path: `/var/recordings/${room.id}.mjr` } });
  }

  /** A `core/user` login/logout event, which no era sends (option unknownTypes). */
  coreUserEvent(): Step {
    return this.unknown({
      class: 'core',
      subclass: 'user',
      type: this.random.pick(['login', 'logout']),
      obj_id: userName(this.random),
      body: { session_id: this.ids.next(), remote: `wss:198.51.100.${this.random.int(2, 254)}:${this.random.int(30000, 60000)}` },
    });
  }

  private *publisher(room: SimRoom): Script {
    const session = this.newSession('publish', { room_id: room.id, backend: room.backend });
    this.member(session, room, 'publisher');
    yield { kind: 'session.created', session };
    if (room.collab) {
      // An nkcollab room announces the publisher as soon as its session starts; the answer follows.
      yield this.join(room, session);
      yield this.answer(session);
    } else {
      yield this.answer(session);
      yield { kind: 'session.type', session };
      yield this.join(room, session);
    }
    yield* this.idle(2, 10);
    if (!room.collab && this.watchersOf(room, session.id).length > 0 && this.fault()) {
      // The anomaly: the session dies while listeners watch it; the room notices, then stops
      // those listeners with reason publisher stop (nkmedia@3215f72:src/nkmedia_room.erl:296-300,411-420;
      // nkmedia@4394517:src/plugins/nkmedia_room.erl:401-430).
      yield this.sessionEnd(session, 'failure');
      yield this.leave(room, session);
      // One at a time, skipping listeners already on their way out by themselves.
      for (;;) {
        const listener = this.watchersOf(room, session.id).find((l) => !l.leaving);
        if (!listener) break;
        listener.leaving = true;
        yield this.leave(room, listener);
        yield this.sessionEnd(listener, 'publisherGone');
      }
    } else {
      session.leaving = true;
      while (this.watchersOf(room, session.id).length > 0) yield undefined;
      yield this.leave(room, session);
      yield this.sessionEnd(session, 'normal');
    }
    room.members--;
  }

  private *listener(room: SimRoom): Script {
    const session = this.newSession('listen', { room_id: room.id });
    yield { kind: 'session.created', session };
    if (!room.collab) yield this.answer(session);
    // Chosen at the moment of joining, so the publisher is live when the event says so.
    const candidates = this.livePublishers(room);
    if (candidates.length === 0) {
      yield this.sessionEnd(session, 'normal');
      room.members--;
      return;
    }
    const publisher = this.random.pick(candidates);
    session.publisherId = publisher.id;
    session.typeExt = { room_id: room.id, publisher_id: publisher.id };
    this.member(session, room, 'listener');
    yield this.join(room, session);
    // `leaving` set by someone else: the room is stopping this listener (its publisher failed).
    if (!session.leaving) {
      yield room.collab ? this.answer(session) : { kind: 'session.type', session };
      for (let turns = this.random.int(1, 8); turns > 0 && !session.leaving; turns--) yield undefined;
    }
    if (session.leaving) {
      room.members--;
      return;
    }
    session.leaving = true;
    if (!room.collab && this.fault()) {
      yield this.sessionEnd(session, 'failure');
      yield this.leave(room, session);
    } else {
      yield this.leave(room, session);
      yield this.sessionEnd(session, 'normal');
    }
    room.members--;
  }

  private *collabMember(room: SimCollabRoom2016, first: boolean): Script {
    const member: CollabMember = { memberId: room.nextMemberId++, user: userName(this.random), role: first || this.random.chance(0.25) ? 'presenter' : 'viewer' };
    room.members.set(member.memberId, member);
    yield { kind: 'collabRoom.joined', room, member };
    yield* this.idle(2, 10);
    room.members.delete(member.memberId);
    yield { kind: 'collabRoom.left', room, member };
    room.running--;
  }

  private join(room: SimRoom, session: SimSession): Step {
    const before = this.membersOf(room);
    if (session.role === 'publisher') room.publishers.set(session.id, session);
    else room.listeners.set(session.id, session);
    session.startedTime = this.tickClock();
    return { kind: 'room.joined', room, session, before };
  }

  private leave(room: SimRoom, session: SimSession): Step {
    const before = this.membersOf(room);
    room.publishers.delete(session.id);
    room.listeners.delete(session.id);
    session.stoppedTime = this.tickClock();
    return { kind: 'room.left', room, session, before };
  }

  private member(session: SimSession, room: SimRoom, role: 'publisher' | 'listener'): void {
    session.role = role;
    session.roomId = room.id;
    if (room.collab) session.connId = this.ids.next();
  }

  /** Gives other objects turns: `min`..`max` picks of this script produce nothing. */
  private *idle(min: number, max: number): Generator<undefined, void, void> {
    for (let turns = this.random.int(min, max); turns > 0; turns--) yield undefined;
  }

  private fault(): boolean {
    return this.options.faultRate > 0 && this.random.chance(this.options.faultRate);
  }

  private end(kind: EndKind): End {
    return { kind, variant: this.random.float() };
  }

  private answerSdp(): string {
    if (this.sdpPool.length < SDP_POOL_SIZE) {
      const sdp = sdpAnswer(this.random);
      this.sdpPool.push(sdp);
      return sdp;
    }
    return this.random.pick(this.sdpPool);
  }

  private tickClock(): number {
    this.clockUs += this.random.int(50_000, 900_000);
    return this.clockUs;
  }

  private newSession(type: string, typeExt: Record<string, unknown> = {}): SimSession {
    const session: SimSession = { id: this.ids.next(), user: userName(this.random), answered: false, stopped: false, leaving: false, type, typeExt };
    this.world.sessions.set(session.id, session);
    return session;
  }

  private answer(session: SimSession): Step {
    session.answered = true;
    session.sdp = this.answerSdp();
    return { kind: 'session.answered', session };
  }

  private retype(session: SimSession, [type, ext]: readonly [string, Record<string, unknown>]): Step {
    session.type = type;
    session.typeExt = ext;
    return { kind: 'session.type', session };
  }

  private sessionEnd(session: SimSession, kind: EndKind): Step {
    session.stopped = true;
    this.world.sessions.delete(session.id);
    return { kind: 'session.ended', session, end: this.end(kind) };
  }

  private callEnd(call: SimCall, kind: EndKind): Step {
    this.world.calls.delete(call.id);
    return { kind: 'call.ended', call, end: this.end(kind) };
  }

  private unknown(event: EventData): Step {
    return { kind: 'unknown', event };
  }

  private standaloneType(): readonly [string, Record<string, unknown>] {
    const type = this.random.pick(STANDALONE_TYPES);
    switch (type) {
      case 'park':
        return [type, {}];
      case 'echo':
        return [type, { bitrate: this.random.pick([256000, 512000, 1024000]), record: this.random.chance(0.2) }];
      case 'mcu':
        return [type, { room_id: this.ids.next(), backend: 'nkmedia_kms' }];
      case 'proxy':
        return [type, { backend: 'nkmedia_janus', peer_id: this.ids.next() }];
    }
  }

  /** The room's sessions now (before a change). */
  private membersOf(room: SimRoom): SimSession[] {
    return [...room.publishers.values(), ...room.listeners.values()];
  }

  /** Publishers a new listener may watch: in the room, session live, not on their way out. */
  private livePublishers(room: SimRoom): SimSession[] {
    return [...room.publishers.values()].filter((p) => !p.stopped && !p.leaving);
  }

  private watchersOf(room: SimRoom, publisherId: string): SimSession[] {
    return [...room.listeners.values()].filter((l) => l.publisherId === publisherId);
  }
}
