// Deterministic NkMEDIA traffic: many object lifecycles (sessions, SFU rooms with publishers
// and listeners, calls) interleaved like on a busy server, plus a few events per thousand
// that the seed reference does not list, so the inspector's "unknown" path always runs.
// Same seed ⇒ same sequence of events, so anything seen in the inspector can be replayed.
import type { EventData } from '../protocol/frames';
import { IdFactory } from './ids';
import { Lifecycles, type Script } from './lifecycles';
import { Random } from './random';

export interface TrafficOptions {
  /** Default 1. */
  seed?: number;
  /** Objects alive at once stay around this number (rooms add their members); default 30. */
  liveObjects?: number;
  /** Share of events that are off the seed reference (unlisted types, subclasses, fields); default 0.004. */
  unlistedRate?: number;
}

type TopLevel = 'session' | 'room' | 'call';
const TOP_LEVEL_WEIGHTS: ReadonlyArray<readonly [TopLevel, number]> = [
  ['session', 45],
  ['call', 35],
  ['room', 12],
];

/** A script that produced nothing this many times in a row means everyone is waiting. */
const MAX_IDLE_PICKS = 64;

export class TrafficGenerator {
  private readonly random: Random;
  private readonly lifecycles: Lifecycles;
  private readonly scripts: Script[] = [];
  private readonly targetLive: number;
  private readonly unlistedRate: number;
  private produced = 0;

  constructor(options: TrafficOptions = {}) {
    this.random = new Random(options.seed ?? 1);
    this.targetLive = Math.max(1, options.liveObjects ?? 30);
    this.unlistedRate = options.unlistedRate ?? 0.004;
    this.lifecycles = new Lifecycles(this.random, new IdFactory(this.random), (script) => this.scripts.push(script));
  }

  /** Events produced so far. */
  get count(): number {
    return this.produced;
  }

  /** Objects (sessions, rooms, calls…) currently between their first and last event. */
  get liveObjects(): number {
    return this.scripts.length;
  }

  /** The next event. */
  next(): EventData {
    this.produced++;
    if (this.random.chance(this.unlistedRate)) {
      const odd = this.unlistedEvent();
      if (odd) return odd;
    }
    return this.nextScriptedEvent();
  }

  /** The next `count` events. */
  take(count: number): EventData[] {
    const events: EventData[] = [];
    for (let i = 0; i < count; i++) events.push(this.next());
    return events;
  }

  private nextScriptedEvent(): EventData {
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
    switch (this.random.weighted(TOP_LEVEL_WEIGHTS)) {
      case 'session':
        return this.lifecycles.session();
      case 'call':
        return this.lifecycles.call();
      case 'room':
        return this.lifecycles.room();
    }
  }

  /**
   * Something a newer server version might send: an unlisted type on a live object, an
   * unlisted subclass, a `core` event, or extra body fields on a normal event. Undefined
   * when the chosen kind has no live object to be about (the caller falls back to normal).
   */
  private unlistedEvent(): EventData | undefined {
    const kind = this.random.weighted<'sessionType' | 'roomType' | 'player' | 'core' | 'extraFields'>([
      ['sessionType', 35],
      ['roomType', 20],
      ['player', 10],
      ['core', 15],
      ['extraFields', 20],
    ]);
    switch (kind) {
      case 'sessionType': {
        const answered = [...this.lifecycles.liveSessions.values()].filter((s) => s.answered);
        return answered.length > 0 ? this.lifecycles.unlistedSessionEvent(this.random.pick(answered)) : undefined;
      }
      case 'roomType': {
        const rooms = [...this.lifecycles.liveRooms.values()];
        return rooms.length > 0 ? this.lifecycles.unlistedRoomEvent(this.random.pick(rooms)) : undefined;
      }
      case 'player': {
        // A whole player lifecycle joins the mix; its first event is the one returned now.
        const player = this.lifecycles.player();
        const first = player.next();
        this.scripts.push(player);
        return first.done ? undefined : first.value;
      }
      case 'core':
        return this.lifecycles.coreUserEvent();
      case 'extraFields': {
        const event = this.nextScriptedEvent();
        event.body = { ...event.body, janus_handle: this.random.int(1_000_000, 9_999_999), trickle: this.random.chance(0.7) };
        return event;
      }
    }
  }
}
