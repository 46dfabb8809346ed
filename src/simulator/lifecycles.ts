// The life stories of NkMEDIA objects, written as generator scripts: each `yield` is the next
// change of that object, in the simulator's own canonical terms (world.ts), or `undefined`
// while it waits for others (a room waits for its members to leave, a publisher for its
// listeners). An era writer (eras/) turns each change into that era's events, so one script
// serves every era. The traffic generator interleaves many scripts; the shared state keeps
// them consistent with each other (rooms and their members: roomLifecycles.ts). Faults happen
// at `faultRate`: sessions that fail, a publisher's session failing while listeners watch it,
// a call failing before its answer.
//
// This module is what the traffic generator starts: standalone sessions, calls, players, and
// the incidental events about live objects; the steps they share are in lifecycleSteps.ts.
import type { IdFactory } from './ids';
import { userName } from './ids';
import { LifecycleSteps, type LifecycleOptions, type Script } from './lifecycleSteps';
import type { Random } from './random';
import { RoomLifecycles } from './roomLifecycles';
import type { EndKind, SimCall, SimRoom, SimSession, Step, World } from './world';

/** Calls not taken: rejected, not answered in time, cancelled. Ordinary outcomes, not faults. */
const DECLINED_RATE = 0.12;
const DECLINED: readonly EndKind[] = ['callRejected', 'ringTimeout', 'noAnswer', 'originatorCancel'];

export class Lifecycles {
  private readonly steps: LifecycleSteps;
  private readonly rooms: RoomLifecycles;

  constructor(
    private readonly random: Random,
    private readonly ids: IdFactory,
    /** Starts another script (rooms start their members' sessions this way). */
    spawn: (script: Script) => void,
    readonly world: World,
    private readonly options: LifecycleOptions,
  ) {
    this.steps = new LifecycleSteps(random, ids, world, options);
    this.rooms = new RoomLifecycles(this.steps, spawn);
  }

  /** A session on its own: created, answered, changes type once or twice, stops. */
  *session(): Script {
    const [type, typeExt] = this.steps.standaloneType();
    const session = this.steps.newSession(type, typeExt);
    yield { kind: 'session.created', session };
    if (this.steps.fault()) {
      // Setup failed before any answer: the end is its only event (besides develop's created).
      yield this.steps.sessionEnd(session, 'failure');
      return;
    }
    yield this.steps.answer(session);
    yield* this.steps.idle(0, 3);
    yield this.steps.retype(session, this.steps.standaloneType());
    if (this.random.chance(0.3)) {
      yield* this.steps.idle(0, 3);
      yield this.steps.retype(session, this.steps.standaloneType());
    }
    yield* this.steps.idle(0, 4);
    yield this.steps.sessionEnd(session, this.steps.fault() ? 'failure' : 'normal');
  }

  /** An SFU room (a media room, or an nkcollab develop room): created, members come and go, destroyed. */
  room(collab = false): Script {
    return this.rooms.room(collab);
  }

  /** A call: rings, usually answered then hung up; sometimes not taken, now and then failed. */
  *call(collab = false): Script {
    const call: SimCall = { id: this.ids.next(), caller: userName(this.random), callee: userName(this.random), collab, answered: false };
    this.world.calls.set(call.id, call);
    yield { kind: 'call.created', call };
    yield { kind: 'call.ringing', call };
    yield* this.steps.idle(0, 3);
    if (this.random.chance(DECLINED_RATE)) {
      yield this.steps.callEnd(call, this.random.pick(DECLINED));
      return;
    }
    if (this.steps.fault()) {
      yield this.steps.callEnd(call, 'callFailure');
      return;
    }
    call.answered = true;
    call.sdp = this.steps.answerSdp();
    yield { kind: 'call.answered', call };
    yield* this.steps.idle(1, 6);
    yield this.steps.callEnd(call, 'callNormal');
  }

  /** An nkcollab master room: users join as presenters or viewers, then it is destroyed. */
  collabRoom2016(): Script {
    return this.rooms.collabRoom2016();
  }

  /** A media player, a subclass no era sends (option unknownTypes). */
  *player(): Script {
    const id = this.ids.next();
    yield this.steps.unknown({ class: 'media', subclass: 'player', type: 'started', obj_id: id, body: { file: `/var/media/${this.random.alphanumeric(8)}.webm`, loop: this.random.chance(0.5) } });
    yield* this.steps.idle(0, 3);
    yield this.steps.unknown({ class: 'media', subclass: 'player', type: 'position', obj_id: id, body: { position_ms: this.random.int(1000, 60000) } });
    yield* this.steps.idle(0, 3);
    yield this.steps.unknown({ class: 'media', subclass: 'player', type: 'stopped', obj_id: id, body: { code: 0, reason: 'End of file' } });
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
      return this.steps.unknown({ class: cls, subclass: 'room', type: 'updated', obj_id: room.id, body: { bitrate: this.random.pick([128000, 256000, 512000]), audio_codec: 'opus', video_codec: this.random.pick(['vp8', 'vp9', 'h264']) } });
    }
    return this.steps.unknown({ class: cls, subclass: 'room', type: 'started_recorder', obj_id: room.id, body: { recorder_id: this.ids.next(), path: `/var/recordings/${room.id}.mjr` } });
  }

  /** A `core/user` login/logout event, which no era sends (option unknownTypes). */
  coreUserEvent(): Step {
    return this.steps.unknown({
      class: 'core',
      subclass: 'user',
      type: this.random.pick(['login', 'logout']),
      obj_id: userName(this.random),
      body: { session_id: this.ids.next(), remote: `wss:198.51.100.${this.random.int(2, 254)}:${this.random.int(30000, 60000)}` },
    });
  }
}
