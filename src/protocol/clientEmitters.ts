// The events an NkServiceClient fires, and what each promises its listeners. A base class of
// their own so that client.ts holds only the connection's state machine, and the client's
// public events read in one place.
import { Emitter, type Event } from '../shared/events';
import type { ClientState } from './clientState';
import type { ClientWarning, ConnectInfo, DisconnectInfo, GapInfo, InvalidEventInfo, InvalidFrameInfo, LoginInfo, ReceivedEvent, SnapshotInfo } from './clientEvents';
import type { DetectedDialect } from './dialects';

export abstract class ClientEventSource {
  protected readonly stateEmitter = new Emitter<ClientState>();
  protected readonly eventEmitter = new Emitter<ReceivedEvent>();
  protected readonly connectEmitter = new Emitter<ConnectInfo>();
  protected readonly disconnectEmitter = new Emitter<DisconnectInfo>();
  protected readonly gapEmitter = new Emitter<GapInfo>();
  protected readonly warnEmitter = new Emitter<ClientWarning>();
  protected readonly invalidFrameEmitter = new Emitter<InvalidFrameInfo>();
  protected readonly invalidEventEmitter = new Emitter<InvalidEventInfo>();
  protected readonly dialectEmitter = new Emitter<DetectedDialect>();
  protected readonly loginEmitter = new Emitter<LoginInfo>();
  protected readonly snapshotEmitter = new Emitter<SnapshotInfo>();

  readonly onDidChangeState: Event<ClientState> = this.stateEmitter.event;
  /** Every valid event, in arrival order. */
  readonly onEvent: Event<ReceivedEvent> = this.eventEmitter.event;
  /**
   * Logged in and subscribed (first connection and every reconnection). `ts` is the login
   * time: events accepted by an early subscription may already have arrived, with ts ≥ it.
   */
  readonly onDidConnect: Event<ConnectInfo> = this.connectEmitter.event;
  /** An established connection ended (drop or disconnect()). */
  readonly onDidDisconnect: Event<DisconnectInfo> = this.disconnectEmitter.event;
  /** After a reconnection: the period without events. Fired just before onDidConnect. */
  readonly onDidGap: Event<GapInfo> = this.gapEmitter.event;
  /** Non-fatal problems, e.g. a refused subscription. */
  readonly onDidWarn: Event<ClientWarning> = this.warnEmitter.event;
  readonly onInvalidFrame: Event<InvalidFrameInfo> = this.invalidFrameEmitter.event;
  /** `core/event` requests whose data failed validation (answered ok, not delivered). */
  readonly onInvalidEvent: Event<InvalidEventInfo> = this.invalidEventEmitter.event;
  /** The server's era, as it becomes known (login, first frames, error codes). */
  readonly onDidDetectDialect: Event<DetectedDialect> = this.dialectEmitter.event;
  /** Logged in, before subscribing (every connection): a recorder opens its file here. */
  readonly onDidLogin: Event<LoginInfo> = this.loginEmitter.event;
  /** An object that already existed when we connected (after each connection, once subscribed). */
  readonly onSnapshot: Event<SnapshotInfo> = this.snapshotEmitter.event;

  /** Stops every event (the client is disposed). */
  protected disposeEmitters(): void {
    for (const emitter of [
      this.stateEmitter,
      this.eventEmitter,
      this.connectEmitter,
      this.disconnectEmitter,
      this.gapEmitter,
      this.warnEmitter,
      this.invalidFrameEmitter,
      this.invalidEventEmitter,
      this.dialectEmitter,
      this.loginEmitter,
      this.snapshotEmitter,
    ]) {
      emitter.dispose();
    }
  }
}
