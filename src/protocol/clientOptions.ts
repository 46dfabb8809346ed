// Options of NkServiceClient and their defaults, resolved once in the constructor.
import { DEFAULT_MAX_FRAME_BYTES, type Subscription } from './frames';
import { resolveBackoff, type BackoffOptions } from './backoff';
import type { TlsOptions } from './tls';
import { nullLogger, type Logger } from '../shared/logger';
import { redactUrl } from './redactUrl';
import type { DialectSetting } from './dialects';

export interface LivenessOptions {
  /** How often to send a WebSocket-level ping. */
  pingIntervalMs?: number;
  /** The link is declared dead when nothing (no pong, no frame) arrives this long after a ping. */
  pongTimeoutMs?: number;
}

export interface NkServiceClientOptions {
  /** `ws://host:port/path` or `wss://…`. */
  url: string;
  user: string;
  /** Never logged, never put in an error message or a state reason. */
  password: string;
  /** true (default): login with `subclass: "user"`; false: the older form without subclass. */
  loginSubclass?: boolean;
  /**
   * Which era's server this is (docs/protocol.md); default `auto`: detected from the login
   * exchange and the first frames.
   */
  dialect?: DialectSetting;
  /**
   * Idle time after which the client sends an application-level `core/ping`, so that the
   * server's idle timeout (30 s on 2016 servers) never closes a quiet connection. Default: a
   * third of the dialect's idle timeout; `false` turns it off.
   */
  keepaliveMs?: number | false;
  /**
   * After each (re)connection, list and read the objects that already exist (`get_list` /
   * `get_info`, or `list` / `info` on older servers) so they appear with their state. Default true.
   */
  snapshot?: boolean;
  /** Extra fields for the login `data` (passed to the server's login logic). */
  loginMeta?: Record<string, unknown>;
  /** Default `[{ class: 'media' }, { class: 'collab' }]`: every NkMEDIA and nkcollab subclass and type. */
  subscriptions?: Subscription[];
  /** Deadline for the client's own requests (login, subscribe…) and for opening the socket. */
  requestTimeoutMs?: number;
  /** Backoff between reconnect attempts; `false` turns reconnection off. */
  reconnect?: BackoffOptions | false;
  tls?: TlsOptions;
  /** Text frames larger than this are refused unparsed. */
  maxFrameBytes?: number;
  /** WebSocket ping/pong to detect a silently dead link; `false` turns it off. */
  liveness?: LivenessOptions | false;
  logger?: Logger;
  /** Clock for event and marker timestamps (ms since epoch); for tests. */
  now?: () => number;
  /** Random source for backoff jitter, [0, 1); for tests. */
  random?: () => number;
}

/**
 * NkMEDIA's own events, and nkcollab's calls and rooms, which are class `collab` and so not in
 * a `media` subscription. A server without nkcollab simply sends none; a refusal is shown.
 */
export const DEFAULT_SUBSCRIPTIONS: readonly Subscription[] = [{ class: 'media' }, { class: 'collab' }];
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
export const DEFAULT_PING_INTERVAL_MS = 15_000;
export const DEFAULT_PONG_TIMEOUT_MS = 10_000;
/**
 * ws itself cuts frames above this multiple of maxFrameBytes. Between the two limits we refuse
 * the frame ourselves with a clear message and keep the connection; above it, buffering the
 * frame would cost too much memory, so ws closes the connection (and we reconnect).
 */
export const WS_MAX_PAYLOAD_FACTOR = 4;

export type ResolvedClientOptions = Required<Omit<NkServiceClientOptions, 'loginMeta' | 'tls' | 'reconnect' | 'liveness' | 'keepaliveMs'>> & {
  loginMeta: Record<string, unknown>;
  /** undefined: derived from the dialect (see keepalive.ts). */
  keepaliveMs: number | false | undefined;
  tls: TlsOptions;
  reconnect: ReturnType<typeof resolveBackoff> | false;
  liveness: Required<LivenessOptions> | false;
};

export function resolveClientOptions(options: NkServiceClientOptions): ResolvedClientOptions {
  if (!/^wss?:\/\//i.test(options.url)) {
    throw new Error(`NkSERVICE url must start with ws:// or wss:// (got "${redactUrl(options.url)}")`);
  }
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!(maxFrameBytes > 0)) throw new Error(`maxFrameBytes must be positive (got ${maxFrameBytes})`);
  return {
    url: options.url,
    user: options.user,
    password: options.password,
    loginSubclass: options.loginSubclass ?? true,
    dialect: options.dialect ?? 'auto',
    snapshot: options.snapshot ?? true,
    keepaliveMs: options.keepaliveMs,
    loginMeta: options.loginMeta ?? {},
    subscriptions: options.subscriptions ?? DEFAULT_SUBSCRIPTIONS.map((s) => ({ ...s })),
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    reconnect: options.reconnect === false ? false : resolveBackoff(options.reconnect),
    tls: options.tls ?? {},
    maxFrameBytes,
    liveness: options.liveness === false ? false : resolveLiveness(options.liveness),
    logger: options.logger ?? nullLogger,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

function resolveLiveness(options: LivenessOptions = {}): Required<LivenessOptions> {
  return {
    pingIntervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    pongTimeoutMs: options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS,
  };
}
