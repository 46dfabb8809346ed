// A live connection: an NkServiceClient feeding an EventStore. The client answers the server
// before anything here runs; this only records what arrived, and when the connection came
// and went (connect / disconnect / gap markers) so the gaps can be shown.
import { EventStore } from '../core';
import { NkServiceClient, type ClientOptions, type ClientState } from '../protocol/client';
import { redactUrl } from '../protocol/client';
import { Emitter } from '../shared/events';
import type { Logger } from '../shared/logger';
import { RateMeter } from './rateMeter';
import type { Source, SourceStatus } from './source';

export interface LiveSourceOptions {
  id: string;
  name: string;
  client: ClientOptions;
  maxEvents?: number;
  logger: Logger;
}

export class LiveSource implements Source {
  readonly kind = 'live' as const;
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly store: EventStore;
  readonly client: NkServiceClient;
  private readonly rate = new RateMeter();
  private _status: SourceStatus = { kind: 'connecting' };
  private readonly _onDidChangeStatus = new Emitter<SourceStatus>();
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  constructor(options: LiveSourceOptions) {
    this.id = options.id;
    this.name = options.name;
    this.url = redactUrl(options.client.url);
    this.store = new EventStore({ maxEvents: options.maxEvents });
    this.client = new NkServiceClient({ ...options.client, logger: options.logger });
    const conn = this.id;
    this.client.onEvent((e) => {
      this.rate.count();
      // The frame's bytes, when there: the store copies them instead of keeping the string.
      this.store.append({ conn, ts: e.ts, data: e.data, raw: e.raw, bytes: e.bytes, rawField: 'data' });
    });
    this.client.onDidConnect((e) => this.store.addMarker({ kind: 'connect', ts: e.ts, conn }));
    this.client.onDidDisconnect((e) => this.store.addMarker({ kind: 'disconnect', ts: e.ts, conn, reason: e.reason }));
    this.client.onDidGap((g) => this.store.addMarker({ kind: 'gap', ts: g.from, until: g.to, conn, reason: g.reason }));
    this.client.onDidChangeState((state) => this.onClientState(state));
  }

  get status(): SourceStatus {
    return this._status;
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
    this._status = status;
    this._onDidChangeStatus.fire(status);
  }

  async dispose(): Promise<void> {
    await this.client.disconnect().catch(() => undefined);
    this.client.dispose();
    this.store.dispose();
    this._onDidChangeStatus.dispose();
  }
}
