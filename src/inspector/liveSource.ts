// A live connection: an NkServiceClient feeding an EventStore. The client answers the server
// before anything here runs; this only records what arrived, and when the connection came
// and went (connect / disconnect / gap markers) so the gaps can be shown.
//
// It also keeps what the user must see about the server: its era (as set or detected), the
// subscriptions it refused, and a hint when a connection brings no event at all.
import { EventStore, shortenedFrame } from '../core';
import { NkServiceClient, type ClientOptions, type ClientState, type SnapshotInfo } from '../protocol/client';
import { redactUrl } from '../protocol/client';
import { SNAPSHOT_EVENT_TYPE, vocabularyFor, type EndCodeOverrides } from '../protocol/dialects';
import type { EventData } from '../protocol/frames';
import { Emitter } from '../shared/events';
import type { Logger } from '../shared/logger';
import { RateMeter } from './rateMeter';
import type { ServerInfo, Source, SourceStatus } from './source';

export interface LiveSourceOptions {
  id: string;
  name: string;
  client: ClientOptions;
  maxEvents?: number;
  /** The user's own end codes (setting `nkmedia.endCodes`). */
  endCodes?: EndCodeOverrides;
  logger: Logger;
  /** How long a connection may bring no event before the user gets a hint (default 30 s). */
  silenceHintMs?: number;
  /** How often connection health is sampled into the store (default 10 s). */
  healthSampleMs?: number;
}

export const DEFAULT_SILENCE_HINT_MS = 30_000;
/** A health window: short enough to see a stall, long enough for a p99 of a quiet server. */
export const DEFAULT_HEALTH_SAMPLE_MS = 10_000;

export class LiveSource implements Source {
  readonly kind = 'live' as const;
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly store: EventStore;
  readonly client: NkServiceClient;
  private readonly rate = new RateMeter();
  private _status: SourceStatus = { kind: 'connecting' };
  private hint: string | undefined;
  /** Set at each connection, cleared by its first event; checked once per event (a boolean). */
  private awaitingFirstEvent = false;
  private silenceTimer: NodeJS.Timeout | undefined;
  private readonly silenceHintMs: number;
  private readonly healthSampleMs: number;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly _onDidChangeStatus = new Emitter<SourceStatus>();
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  constructor(options: LiveSourceOptions) {
    this.id = options.id;
    this.name = options.name;
    this.url = redactUrl(options.client.url);
    this.silenceHintMs = options.silenceHintMs ?? DEFAULT_SILENCE_HINT_MS;
    this.healthSampleMs = options.healthSampleMs ?? DEFAULT_HEALTH_SAMPLE_MS;
    // A dialect set by the user gives its era's tables; `auto` reads with every era's.
    this.store = new EventStore({ maxEvents: options.maxEvents, vocabulary: vocabularyFor(options.client.dialect, options.endCodes) });
    this.client = new NkServiceClient({ ...options.client, logger: options.logger });
    const conn = this.id;
    this.client.onEvent((e) => {
      this.rate.count();
      if (this.awaitingFirstEvent) this.firstEvent();
      // The frame's bytes, when there: the store copies them instead of keeping the string.
      this.store.append({ conn, ts: e.ts, data: e.data, raw: e.raw, bytes: e.bytes, rawField: 'data' });
    });
    this.client.onSnapshot((s) => this.storeSnapshot(s));
    this.client.onDidConnect((e) => {
      this.store.addMarker({ kind: 'connect', ts: e.ts, conn });
      this.watchForSilence();
      this.startHealthSamples();
    });
    this.client.onDidDisconnect((e) => {
      this.stopSilenceWatch();
      this.stopHealthSamples();
      this.store.addMarker({ kind: 'disconnect', ts: e.ts, conn, reason: e.reason });
    });
    this.client.onDidGap((g) => this.store.addMarker({ kind: 'gap', ts: g.from, until: g.to, conn, reason: g.reason }));
    // Answered and not an event: kept beside the events, so that a saved trace shows it too.
    this.client.onInvalidEvent((e) => this.store.addMarker({ kind: 'invalid', ts: e.ts, conn, reason: e.reason, frame: shortenedFrame(e.frame) }));
    this.client.onDidChangeState((state) => this.onClientState(state));
    this.client.onDidDetectDialect(() => this.changed());
  }

  get status(): SourceStatus {
    return this._status;
  }

  get server(): ServerInfo {
    const state = this.client.state;
    return {
      dialect: this.client.detectedDialect,
      refusedSubscriptions: state.kind === 'connected' ? (state.refusedSubscriptions ?? []) : [],
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }

  eventRate(): number {
    return this.rate.perSecond();
  }

  /** Connects; rejects with the client's clear error when the first attempt fails. */
  connect(): Promise<void> {
    return this.client.connect();
  }

  async disconnect(): Promise<void> {
    await this.client.disconnect();
    // Frames already on their way when the user disconnected are still stored; the data ends
    // after them, so the end is marked again once the socket is closed (markEnd is idempotent).
    this.store.markEnd();
  }

  /**
   * An object that existed when we connected: stored as an `inspector:snapshot` record whose
   * body is the server's info reply as received (src/core/snapshot.ts reads it).
   */
  private storeSnapshot(snapshot: SnapshotInfo): void {
    const data: EventData = { class: snapshot.class, subclass: snapshot.subclass, type: SNAPSHOT_EVENT_TYPE, obj_id: snapshot.objId, body: snapshot.body };
    this.store.append({ conn: this.id, ts: snapshot.ts, data, raw: JSON.stringify(data) });
  }

  /**
   * Every healthSampleMs while connected, the client's health window goes into the store as a
   * `health` annotation: the tree summarises them, and Save Trace keeps them.
   */
  private startHealthSamples(): void {
    this.stopHealthSamples();
    this.client.health.sample(); // the login's window is not the server's traffic
    this.healthTimer = setInterval(() => this.sampleHealth(), this.healthSampleMs);
    this.healthTimer.unref();
  }

  private stopHealthSamples(): void {
    if (this.healthTimer === undefined) return;
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    this.sampleHealth();
  }

  private sampleHealth(): void {
    const sample = this.client.health.sample();
    if (sample.windowMs <= 0) return;
    this.store.addAnnotation({ line: 'health', ts: Date.now(), conn: this.id, ...sample });
    this.changed();
  }

  private watchForSilence(): void {
    this.stopSilenceWatch();
    this.awaitingFirstEvent = true;
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = undefined;
      if (!this.awaitingFirstEvent) return;
      const subscribed = this.client.subscriptions.map((s) => s.class).join(', ');
      this.hint = `connected, but no event in the ${Math.round(this.silenceHintMs / 1000)} s since subscribing: the server may be idle, or send no events of the classes subscribed to (${subscribed}), or its service may not let them through`;
      this.changed();
    }, this.silenceHintMs);
    this.silenceTimer.unref();
  }

  private stopSilenceWatch(): void {
    if (this.silenceTimer !== undefined) clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    this.awaitingFirstEvent = false;
  }

  private firstEvent(): void {
    this.stopSilenceWatch();
    if (this.hint !== undefined) {
      this.hint = undefined;
      this.changed();
    }
  }

  private onClientState(state: ClientState): void {
    let status: SourceStatus;
    switch (state.kind) {
      case 'idle':
      case 'connecting':
        status = { kind: 'connecting' };
        break;
      case 'connected':
        status = { kind: 'connected' };
        break;
      case 'reconnecting':
        status = { kind: 'reconnecting', detail: state.reason };
        break;
      case 'disconnected':
        status = { kind: 'disconnected', detail: state.reason };
        // The data has ended: objects still open now never got their terminal event.
        this.store.markEnd();
        break;
    }
    if (state.kind !== 'connected') this.hint = undefined;
    this._status = status;
    this._onDidChangeStatus.fire(status);
  }

  private changed(): void {
    this._onDidChangeStatus.fire(this._status);
  }

  async dispose(): Promise<void> {
    this.stopSilenceWatch();
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    await this.client.disconnect().catch(() => undefined);
    this.client.dispose();
    this.store.dispose();
    this._onDidChangeStatus.dispose();
  }
}
