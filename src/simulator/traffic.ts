// Deterministic NkMEDIA traffic in one era's words: many object lifecycles (sessions, SFU
// rooms with publishers and listeners, calls, and nkcollab's rooms and calls where the era has
// them) interleaved like on a busy server, written by the era's writer (eras/). Same seed and
// options ⇒ same sequence of events, so anything seen in the inspector can be replayed.
//
// Every event type sent exists in the era's sources. Types that no era sends (media/player,
// room `updated` / `started_recorder`, core/user login/logout, made-up body fields) come only
// with `unknownTypes`, to exercise the inspector's "unknown" path.
import type { DialectId } from '../protocol/dialects';
import type { EventData } from '../protocol/frames';
import { DEFAULT_SIMULATOR_DIALECT, eraWriter, type EraWriter } from './eras';
import { IdFactory } from './ids';
import { Lifecycles } from './lifecycles';
import type { Script } from './lifecycleSteps';
import { Random } from './random';
import { World, type Step } from './world';

/** A few percent, as on a healthy server: session failures, stranded listeners, failed calls. */
export const DEFAULT_FAULT_RATE = 0.03;

export interface TrafficOptions {
  /** Default 1. */
  seed?: number;
  /** Objects alive at once stay around this number (rooms add their members); default 30. */
  liveObjects?: number;
  /** The era whose events to write; default 2016-08 (the seed reference). */
  dialect?: DialectId;
  /** Share of objects that end in a fault, 0..1; default DEFAULT_FAULT_RATE. */
  faultRate?: number;
  /** Also send event types no era has (see above); default false. */
  unknownTypes?: boolean;
  /** With unknownTypes: share of events that are of unknown types; default 0.004. */
  unlistedRate?: number;
  /** Share of events that are the era's incidental ones (info, candidates, status); default 0.01. */
  extrasRate?: number;
}

type TopLevel = 'session' | 'room' | 'call' | 'collabCall' | 'collabRoom';

/** A script that produced nothing this many times in a row means everyone is waiting. */
const MAX_IDLE_PICKS = 64;

export class TrafficGenerator {
  /** The live objects, for the server's snapshot commands. */
  readonly world = new World();
  readonly writer: EraWriter;
  private readonly random: Random;
  private readonly lifecycles: Lifecycles;
  private readonly scripts: Script[] = [];
  private readonly targetLive: number;
  private readonly unknownTypes: boolean;
  private readonly unlistedRate: number;
  private readonly extrasRate: number;
  private readonly weights: ReadonlyArray<readonly [TopLevel, number]>;
  /** Events written but not handed out yet (one change can make several events). */
  private pending: EventData[] = [];
  private pendingIndex = 0;
  private readonly deferred: EventData[] = [];
  private produced = 0;

  constructor(options: TrafficOptions = {}) {
    this.random = new Random(options.seed ?? 1);
    this.targetLive = Math.max(1, options.liveObjects ?? 30);
    this.writer = eraWriter(options.dialect ?? DEFAULT_SIMULATOR_DIALECT);
    this.unknownTypes = options.unknownTypes ?? false;
    this.unlistedRate = options.unlistedRate ?? 0.004;
    this.extrasRate = options.extrasRate ?? 0.01;
    const faultRate = options.faultRate ?? DEFAULT_FAULT_RATE;
    if (!(faultRate >= 0 && faultRate <= 1)) throw new RangeError(`faultRate must be between 0 and 1, not ${faultRate}`);
    const { features } = this.writer;
    this.lifecycles = new Lifecycles(this.random, new IdFactory(this.random), (script) => this.scripts.push(script), this.world, { faultRate, features });
    const weights: Array<readonly [TopLevel, number]> = [
      ['session', 45],
      ['room', 12],
    ];
    if (features.mediaCalls) weights.push(['call', features.collabCalls ? 18 : 35]);
    if (features.collabCalls) weights.push(['collabCall', features.mediaCalls ? 17 : 35]);
    if (features.collabRooms) weights.push(['collabRoom', 8]);
    this.weights = weights;
  }

  /** Events produced so far. */
  get count(): number {
    return this.produced;
  }

  /** Objects (sessions, rooms, calls…) currently between their first and last change. */
  get liveObjects(): number {
    return this.scripts.length;
  }

  /** The next event. */
  next(): EventData {
    while (this.pendingIndex >= this.pending.length) {
      this.pending.length = 0;
      this.pendingIndex = 0;
      const step = this.nextStep();
      this.writer.write(step, this.pending);
      // The rest of what a change wrote when its first event was taken for made-up fields.
      if (this.deferred.length > 0) this.pending.push(...this.deferred.splice(0));
    }
    this.produced++;
    return this.pending[this.pendingIndex++];
  }

  /** The next `count` events. */
  take(count: number): EventData[] {
    const events: EventData[] = [];
    for (let i = 0; i < count; i++) events.push(this.next());
    return events;
  }

  private nextStep(): Step {
    if (this.unknownTypes && this.random.chance(this.unlistedRate)) {
      const odd = this.unknownStep();
      if (odd) return odd;
    }
    if (this.random.chance(this.extrasRate)) {
      const extra = this.extraStep();
      if (extra) return extra;
    }
    return this.nextScriptedStep();
  }

  private nextScriptedStep(): Step {
    for (let idlePicks = 0; ; idlePicks++) {
      const belowTarget = this.scripts.length < this.targetLive;
      if (this.scripts.length === 0 || (belowTarget && this.random.chance(0.3)) || idlePicks >= MAX_IDLE_PICKS) {
        this.scripts.push(this.newTopLevel());
        if (idlePicks >= MAX_IDLE_PICKS) idlePicks = 0;
      }
      const index = this.random.int(0, this.scripts.length - 1);
      const step = this.scripts[index].next();
      if (step.done) {
        // Swap-remove: order does not matter, picks are random.
        this.scripts[index] = this.scripts[this.scripts.length - 1];
        this.scripts.pop();
        continue;
      }
      if (step.value) return step.value;
    }
  }

  private newTopLevel(): Script {
    switch (this.random.weighted(this.weights)) {
      case 'session':
        return this.lifecycles.session();
      case 'room':
        return this.lifecycles.room();
      case 'call':
        return this.lifecycles.call(false);
      case 'collabCall':
        return this.lifecycles.call(true);
      case 'collabRoom':
        return this.writer.features.collabRooms === '2016' ? this.lifecycles.collabRoom2016() : this.lifecycles.room(true);
    }
  }

  /** An incidental event of the era about a live object: session info, candidates, status; room info. */
  private extraStep(): Step | undefined {
    const { features } = this.writer;
    if (features.roomInfo && this.random.chance(0.2)) {
      const rooms = [...this.world.rooms.values()];
      return rooms.length > 0 ? this.lifecycles.roomExtra(this.random.pick(rooms)) : undefined;
    }
    const answered = [...this.world.sessions.values()].filter((s) => s.answered && !s.stopped);
    return answered.length > 0 ? this.lifecycles.sessionExtra(this.random.pick(answered)) : undefined;
  }

  /**
   * Something no era sends: a room type no era has, a media/player lifecycle, a core/user
   * event, or made-up fields on a normal event. Undefined when the chosen kind has no live
   * object to be about (the caller falls back to normal traffic).
   */
  private unknownStep(): Step | undefined {
    const kind = this.random.weighted<'roomType' | 'player' | 'core' | 'extraFields'>([
      ['roomType', 30],
      ['player', 20],
      ['core', 25],
      ['extraFields', 25],
    ]);
    switch (kind) {
      case 'roomType': {
        const rooms = [...this.world.rooms.values()];
        return rooms.length > 0 ? this.lifecycles.unknownRoomEvent(this.random.pick(rooms)) : undefined;
      }
      case 'player': {
        // A whole player lifecycle joins the mix; its first change is the one returned now.
        const player = this.lifecycles.player();
        const first = player.next();
        this.scripts.push(player);
        return first.done ? undefined : first.value;
      }
      case 'core':
        return this.lifecycles.coreUserEvent();
      case 'extraFields': {
        const out: EventData[] = [];
        for (let tries = 0; out.length === 0 && tries < 100; tries++) this.writer.write(this.nextScriptedStep(), out);
        const [first, ...rest] = out;
        if (!first) return undefined;
        // Fields no era's body has; the rest of what the change wrote follows as it is.
        const event: EventData = { ...first, body: { ...first.body, janus_handle: this.random.int(1_000_000, 9_999_999), trickle: this.random.chance(0.7) } };
        this.deferred.push(...rest);
        return { kind: 'unknown', event };
      }
    }
  }
}
