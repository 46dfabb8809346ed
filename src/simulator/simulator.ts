// The embedded NkMEDIA simulator: the NkSERVICE protocol server fed by the traffic generator
// at a given rate, both in one era's dialect (option `dialect`, default 2016-08). Used by the
// demo command, the "Start Demo Server" command and tests.
import type { EventData } from '../protocol/frames';
import { Emitter, type Event } from '../shared/events';
import { nullLogger, type Logger } from '../shared/logger';
import { NkServiceServer, type ListeningAddress, type NkServiceServerOptions } from './nkServiceServer';
import { TrafficGenerator } from './traffic';

export interface NkMediaSimulatorOptions extends NkServiceServerOptions {
  /** Same seed ⇒ same traffic. Default 1. */
  seed?: number;
  /** Events per second across all clients; default 20. 0 pauses the traffic. */
  rate?: number;
  /** Objects alive at once, roughly; see TrafficOptions.liveObjects. */
  liveObjects?: number;
  /** Share of objects that end in a fault (failed sessions, stranded listeners, failed calls), 0..1; default a few percent. */
  faultRate?: number;
  /** Also send event types no era has (media/player, room updated…, core/user login): off by default. */
  unknownTypes?: boolean;
}

export interface PublishedEvent {
  event: EventData;
  /** How many clients received it (0 when no subscription matched). */
  deliveredTo: number;
}

/** Traffic is generated in batches on this period: one timer for any rate, never one per event. */
const TICK_MS = 10;
/**
 * After a stall (GC, a loaded machine) we catch up at most this much of the missed time. A
 * big catch-up batch is a long synchronous tick, during which no socket I/O happens; at high
 * rates that starved the sockets and the backlog snowballed, so keep batches short.
 */
const MAX_CATCH_UP_MS = 50;
/**
 * While a subscribed client has more than this waiting to be sent, no new traffic is made:
 * the simulator runs at the configured rate or as fast as its slowest subscriber reads,
 * whichever is lower, instead of piling up memory. (A client that reads but never answers
 * is still closed by the answer timeout.)
 */
const PACE_BACKLOG_BYTES = 4 * 1024 * 1024;

export class NkMediaSimulator {
  /** The protocol layer, for its client events (onDidConnect, onDidLogin, onDidDisconnect). */
  readonly server: NkServiceServer;
  private readonly traffic: TrafficGenerator;
  private rateValue: number;
  private published = 0;
  private owed = 0;
  private lastTick = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  private pacedOnce = false;
  private readonly publishEmitter = new Emitter<PublishedEvent>();
  /** Fires for each event generated, once the server has sent it to the matching clients. */
  readonly onDidPublish: Event<PublishedEvent> = this.publishEmitter.event;

  constructor(options: NkMediaSimulatorOptions = {}) {
    this.server = new NkServiceServer(options);
    this.traffic = new TrafficGenerator({
      seed: options.seed ?? 1,
      liveObjects: options.liveObjects,
      dialect: options.dialect,
      faultRate: options.faultRate,
      unknownTypes: options.unknownTypes,
    });
    this.server.world = this.traffic.world;
    this.rateValue = checkedRate(options.rate ?? 20);
    this.logger = options.logger ?? nullLogger;
  }

  get rate(): number {
    return this.rateValue;
  }

  /** Events generated and handed to the server so far. */
  get eventsPublished(): number {
    return this.published;
  }

  async start(): Promise<ListeningAddress> {
    const address = await this.server.start();
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.safeTick(), TICK_MS);
    return address;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.server.stop();
    this.publishEmitter.dispose();
  }

  /** Changes the rate (events per second) from the next tick on. */
  setRate(eventsPerSecond: number): void {
    this.rateValue = checkedRate(eventsPerSecond);
  }

  /** A timer callback that throws would take the host process (the extension host) down. */
  private safeTick(): void {
    try {
      this.tick();
    } catch (error) {
      // Stop the traffic rather than log the same failure a hundred times a second.
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.logger.error(`simulator: generating traffic failed, traffic stopped: ${(error as Error).message}`);
    }
  }

  /**
   * Traffic only flows while some client is logged in and subscribed: a client that connects
   * to an idle simulator then sees objects from their first event, as the inspector shows
   * best, instead of joining halfway through lifecycles generated for nobody.
   */
  private tick(): void {
    const now = performance.now();
    const elapsed = Math.min(now - this.lastTick, MAX_CATCH_UP_MS);
    this.lastTick = now;
    if (this.rateValue === 0 || this.server.subscribedClientCount === 0) {
      this.owed = 0;
      return;
    }
    if (this.server.maxSubscriberBacklog > PACE_BACKLOG_BYTES) {
      this.owed = 0;
      if (!this.pacedOnce) {
        this.pacedOnce = true;
        this.logger.info(`simulator: a client reads slower than ${this.rateValue} events/s; traffic now follows its pace`);
      }
      return;
    }
    this.owed += (this.rateValue * elapsed) / 1000;
    const count = Math.floor(this.owed);
    this.owed -= count;
    const notify = this.publishEmitter.hasListeners;
    for (let i = 0; i < count; i++) {
      const event = this.traffic.next();
      const deliveredTo = this.server.publish(event);
      this.published++;
      if (notify) this.publishEmitter.fire({ event, deliveredTo });
    }
  }
}

function checkedRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`rate must be a number of events per second ≥ 0, not ${rate}`);
  return rate;
}
