// The building blocks of the lifecycle scripts (lifecycles.ts, roomLifecycles.ts): the state
// they share (the random source, ids, the world, the SDP pool and nkcollab's clock) and the
// steps that change one object (create, answer, retype, end). Separate so that each script
// module holds only stories, and every story changes an object the same way.
import type { EventData } from '../protocol/frames';
import type { EraFeatures } from './eras';
import type { IdFactory } from './ids';
import { userName } from './ids';
import type { Random } from './random';
import { sdpAnswer } from './sdp';
import type { End, EndKind, SimCall, SimSession, Step, World } from './world';

export type Script = Generator<Step | undefined, void, void>;

export interface LifecycleOptions {
  /** Share of objects that end in a fault, 0..1. */
  faultRate: number;
  features: EraFeatures;
}

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

export class LifecycleSteps {
  private readonly sdpPool: string[] = [];
  private clockUs = CLOCK_START_US;

  constructor(
    readonly random: Random,
    readonly ids: IdFactory,
    readonly world: World,
    readonly options: LifecycleOptions,
  ) {}

  /** Gives other objects turns: `min`..`max` picks of this script produce nothing. */
  *idle(min: number, max: number): Generator<undefined, void, void> {
    for (let turns = this.random.int(min, max); turns > 0; turns--) yield undefined;
  }

  fault(): boolean {
    return this.options.faultRate > 0 && this.random.chance(this.options.faultRate);
  }

  end(kind: EndKind): End {
    return { kind, variant: this.random.float() };
  }

  answerSdp(): string {
    if (this.sdpPool.length < SDP_POOL_SIZE) {
      const sdp = sdpAnswer(this.random);
      this.sdpPool.push(sdp);
      return sdp;
    }
    return this.random.pick(this.sdpPool);
  }

  tickClock(): number {
    this.clockUs += this.random.int(50_000, 900_000);
    return this.clockUs;
  }

  newSession(type: string, typeExt: Record<string, unknown> = {}): SimSession {
    const session: SimSession = { id: this.ids.next(), user: userName(this.random), answered: false, stopped: false, leaving: false, type, typeExt };
    this.world.sessions.set(session.id, session);
    return session;
  }

  answer(session: SimSession): Step {
    session.answered = true;
    session.sdp = this.answerSdp();
    return { kind: 'session.answered', session };
  }

  retype(session: SimSession, [type, ext]: readonly [string, Record<string, unknown>]): Step {
    session.type = type;
    session.typeExt = ext;
    return { kind: 'session.type', session };
  }

  sessionEnd(session: SimSession, kind: EndKind): Step {
    session.stopped = true;
    this.world.sessions.delete(session.id);
    return { kind: 'session.ended', session, end: this.end(kind) };
  }

  callEnd(call: SimCall, kind: EndKind): Step {
    this.world.calls.delete(call.id);
    return { kind: 'call.ended', call, end: this.end(kind) };
  }

  unknown(event: EventData): Step {
    return { kind: 'unknown', event };
  }

  standaloneType(): readonly [string, Record<string, unknown>] {
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
}
