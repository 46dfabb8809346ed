// The embedded NkMEDIA simulator: public API. The protocol layer (NkServiceServer) is separate
// from the traffic (TrafficGenerator) so a trace replayer can feed the server its own events.
export { NkServiceServer } from './nkServiceServer';
export type { NkServiceServerOptions, ClientInfo, LoginInfo, DisconnectInfo, ListeningAddress } from './nkServiceServer';
export { ErrorCodes, CLOSE_ANSWER_TIMEOUT, CLOSE_TOO_SLOW, CLOSE_SERVER_STOPPING } from './clientConnection';
export { TrafficGenerator } from './traffic';
export type { TrafficOptions } from './traffic';
export { NkMediaSimulator } from './simulator';
export type { NkMediaSimulatorOptions, PublishedEvent } from './simulator';
export { Random, mulberry32 } from './random';
