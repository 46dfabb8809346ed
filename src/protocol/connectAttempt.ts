// One connection attempt of an NkServiceClient: TLS settings, the socket, the login, the era
// probe and the subscriptions, in that order (docs/protocol.md). Separate from client.ts, whose
// state machine decides when to attempt and what a failure means (retry or give up): an
// attempt either ends with an established connection or throws.
import type WebSocket from 'ws';
import type { Logger } from '../shared/logger';
import type { ClientWarning, LoginInfo } from './clientEvents';
import { WS_MAX_PAYLOAD_FACTOR, type ResolvedClientOptions } from './clientOptions';
import type { ServerConnection } from './connection';
import type { DialectDetector } from './dialects';
import { login, subscribeAll, type SubscriptionRefusal } from './handshake';
import { openSocket } from './openSocket';
import { resolveTlsOptions } from './tls';

/** How long the first keepalive ping (whose error code tells the era) may hold up the subscriptions. */
const ERA_PROBE_WAIT_MS = 1000;

/** Thrown inside an attempt that disconnect() made obsolete. */
export class AttemptCancelled extends Error {}

export interface Established {
  connection: ServerConnection;
  sessionId?: string;
  /** When the login succeeded: the end of any gap. */
  ts: number;
  refusedSubscriptions: SubscriptionRefusal[];
}

/** What an attempt needs from its client. */
export interface AttemptHost {
  readonly options: ResolvedClientOptions;
  /** The URL without credentials, for every message. */
  readonly displayUrl: string;
  readonly logger: Logger;
  /** False once disconnect() (or a later connect()) made the attempts of `run` obsolete. */
  isCurrent(run: number): boolean;
  /** The socket being opened, then the connection logging in: what disconnect() must stop. */
  trackOpening(ws: WebSocket | undefined): void;
  trackHandshaking(connection: ServerConnection | undefined): void;
  /** Wires a new connection; its era detector is new too (a server may be upgraded). */
  newConnection(ws: WebSocket, maxPayloadBytes: number): ServerConnection;
  /** The era detector of the current connection. */
  detector(): DialectDetector;
  /** Logged in, before subscribing. */
  loggedIn(info: LoginInfo): void;
  warn(warning: ClientWarning): void;
  /** What an error code means in the era known so far. */
  meaningOf(code: number | string | undefined, text: string): string | undefined;
  /** The error's message, scrubbed of secrets. */
  messageOf(error: unknown): string;
}

/** One full attempt: TLS settings, socket, login, subscriptions. */
export async function establish(host: AttemptHost, run: number): Promise<Established> {
  const { options, displayUrl, logger } = host;
  const throwIfCancelled = () => {
    if (!host.isCurrent(run)) throw new AttemptCancelled();
  };
  const tls = await resolveTlsOptions(options.url, displayUrl, options.tls, logger);
  throwIfCancelled();
  const maxPayloadBytes = options.maxFrameBytes * WS_MAX_PAYLOAD_FACTOR;
  const opening = openSocket(options.url, displayUrl, { maxPayloadBytes, handshakeTimeoutMs: options.requestTimeoutMs, tls });
  host.trackOpening(opening.ws);
  let ws: WebSocket;
  try {
    ws = await opening.opened;
  } finally {
    host.trackOpening(undefined);
  }
  if (!host.isCurrent(run)) {
    ws.terminate();
    throw new AttemptCancelled();
  }
  const connection = host.newConnection(ws, maxPayloadBytes);
  host.trackHandshaking(connection);
  try {
    const request = connection.request.bind(connection);
    const { sessionId, acked } = await login(request, options);
    const ts = options.now();
    host.detector().loginAcked(acked);
    logger.info(`logged in to ${displayUrl}${sessionId ? ` (session ${sessionId})` : ''}`);
    // The first keepalive ping goes at once: no era has the command, and the code of the
    // error it gets tells the era (dialects/detect.ts). Subscriptions wait for it, briefly.
    await Promise.race([connection.ping(), delay(ERA_PROBE_WAIT_MS)]);
    throwIfCancelled();
    host.loggedIn({ ts, sessionId, dialect: host.detector().result });
    const meaningOf = (code: number | string | undefined, text: string) => host.meaningOf(code, text);
    const refusedSubscriptions = await subscribeAll(request, options.subscriptions, (warning) => host.warn(warning), meaningOf);
    throwIfCancelled();
    if (!connection.isOpen) throw new Error(`connection to ${displayUrl} closed right after subscribing`);
    return { connection, sessionId, ts, refusedSubscriptions };
  } catch (error) {
    connection.terminate(host.messageOf(error));
    throw error;
  } finally {
    host.trackHandshaking(undefined);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
