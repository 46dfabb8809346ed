// The lifecycles of rooms and their members: an SFU room (a media room, or an nkcollab develop
// room) with its publishers and listeners, and an nkcollab master room with its presenters and
// viewers. Separate from lifecycles.ts because a room's story is a cast of scripts that keep
// each other consistent through the room's state:
//   - a room is created before any member joins and destroyed after all of them left;
//   - a media room's member session is answered before it joins, and stops after it leaves;
//   - a listener's publisher is in the room and its session is live when the listener joins;
//   - a publisher's session may fail while listeners watch it (the room then stops them,
//     reason publisher stop: the inspector flags them as stranded).
import type { IdFactory } from './ids';
import { userName } from './ids';
import type { LifecycleSteps, Script } from './lifecycleSteps';
import type { Random } from './random';
import type { CollabMember, SimCollabRoom2016, SimRoom, SimSession, Step, World } from './world';

export class RoomLifecycles {
  private readonly random: Random;
  private readonly ids: IdFactory;
  private readonly world: World;

  constructor(
    private readonly steps: LifecycleSteps,
    /** Starts another script (rooms start their members' sessions this way). */
    private readonly spawn: (script: Script) => void,
  ) {
    this.random = steps.random;
    this.ids = steps.ids;
    this.world = steps.world;
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
    yield { kind: 'room.destroyed', room, end: this.steps.end(this.random.chance(0.75) ? 'roomNormal' : 'roomEmpty') };
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
    yield { kind: 'collabRoom.destroyed', room, end: this.steps.end('roomNormal') };
  }

  private *publisher(room: SimRoom): Script {
    const session = this.steps.newSession('publish', { room_id: room.id, backend: room.backend });
    this.member(session, room, 'publisher');
    yield { kind: 'session.created', session };
    if (room.collab) {
      // An nkcollab room announces the publisher as soon as its session starts; the answer follows.
      yield this.join(room, session);
      yield this.steps.answer(session);
    } else {
      yield this.steps.answer(session);
      yield { kind: 'session.type', session };
      yield this.join(room, session);
    }
    yield* this.steps.idle(2, 10);
    if (!room.collab && this.watchersOf(room, session.id).length > 0 && this.steps.fault()) {
      // The anomaly: the session dies while listeners watch it; the room notices, then stops
      // those listeners with reason publisher stop (nkmedia@3215f72:src/nkmedia_room.erl:296-300,411-420;
      // nkmedia@4394517:src/plugins/nkmedia_room.erl:401-430).
      yield this.steps.sessionEnd(session, 'failure');
      yield this.leave(room, session);
      // One at a time, skipping listeners already on their way out by themselves.
      for (;;) {
        const listener = this.watchersOf(room, session.id).find((l) => !l.leaving);
        if (!listener) break;
        listener.leaving = true;
        yield this.leave(room, listener);
        yield this.steps.sessionEnd(listener, 'publisherGone');
      }
    } else {
      session.leaving = true;
      while (this.watchersOf(room, session.id).length > 0) yield undefined;
      yield this.leave(room, session);
      yield this.steps.sessionEnd(session, 'normal');
    }
    room.members--;
  }

  private *listener(room: SimRoom): Script {
    const session = this.steps.newSession('listen', { room_id: room.id });
    yield { kind: 'session.created', session };
    if (!room.collab) yield this.steps.answer(session);
    // Chosen at the moment of joining, so the publisher is live when the event says so.
    const candidates = this.livePublishers(room);
    if (candidates.length === 0) {
      yield this.steps.sessionEnd(session, 'normal');
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
      yield room.collab ? this.steps.answer(session) : { kind: 'session.type', session };
      for (let turns = this.random.int(1, 8); turns > 0 && !session.leaving; turns--) yield undefined;
    }
    if (session.leaving) {
      room.members--;
      return;
    }
    session.leaving = true;
    if (!room.collab && this.steps.fault()) {
      yield this.steps.sessionEnd(session, 'failure');
      yield this.leave(room, session);
    } else {
      yield this.leave(room, session);
      yield this.steps.sessionEnd(session, 'normal');
    }
    room.members--;
  }

  private *collabMember(room: SimCollabRoom2016, first: boolean): Script {
    const member: CollabMember = { memberId: room.nextMemberId++, user: userName(this.random), role: first || this.random.chance(0.25) ? 'presenter' : 'viewer' };
    room.members.set(member.memberId, member);
    yield { kind: 'collabRoom.joined', room, member };
    yield* this.steps.idle(2, 10);
    room.members.delete(member.memberId);
    yield { kind: 'collabRoom.left', room, member };
    room.running--;
  }

  private join(room: SimRoom, session: SimSession): Step {
    const before = this.membersOf(room);
    if (session.role === 'publisher') room.publishers.set(session.id, session);
    else room.listeners.set(session.id, session);
    session.startedTime = this.steps.tickClock();
    return { kind: 'room.joined', room, session, before };
  }

  private leave(room: SimRoom, session: SimSession): Step {
    const before = this.membersOf(room);
    room.publishers.delete(session.id);
    room.listeners.delete(session.id);
    session.stoppedTime = this.steps.tickClock();
    return { kind: 'room.left', room, session, before };
  }

  private member(session: SimSession, room: SimRoom, role: 'publisher' | 'listener'): void {
    session.role = role;
    session.roomId = room.id;
    if (room.collab) session.connId = this.ids.next();
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
