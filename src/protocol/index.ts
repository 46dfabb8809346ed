// The protocol layer's public surface: the client, its types, and the shared frame helpers.
export * from './frames';
export { NkServiceClient, STABLE_CONNECTION_MS } from './client';
export type { NkServiceClientOptions, LivenessOptions } from './clientOptions';
export { DEFAULT_SUBSCRIPTIONS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_PING_INTERVAL_MS, DEFAULT_PONG_TIMEOUT_MS } from './clientOptions';
export type { ClientState, ClientStateKind } from './clientState';
export { describeState } from './clientState';
export type { ReceivedEvent, GapInfo, ConnectInfo, DisconnectInfo, InvalidFrameInfo, InvalidEventInfo, ClientWarning, ClientStats } from './clientEvents';
export type { BackoffOptions } from './backoff';
export type { TlsOptions } from './tls';
export { RequestError, RequestTimeoutError, ACK_EXTENSION_MS } from './pendingRequests';
export { LoginRefusedError } from './handshake';
export { redactUrl } from './redactUrl';
