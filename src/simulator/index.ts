// The embedded NkMEDIA simulator: public API. The protocol layer (NkServiceServer) is separate
// from the traffic (TrafficGenerator) so a trace replayer can feed the server its own events.
export { NkServiceServer } from './nkServiceServer';
export type { NkServiceServerOptions, ClientInfo, LoginInfo, DisconnectInfo, ListeningAddress } from './nkServiceServer';
export { CLOSE_ANSWER_TIMEOUT, CLOSE_TOO_SLOW, CLOSE_IDLE_TIMEOUT, CLOSE_SESSION_REFUSED, CLOSE_SERVER_STOPPING } from './closeCodes';
export { SIMULATOR_SERVICE_ID } from './clientRequests';
export { TrafficGenerator, DEFAULT_FAULT_RATE } from './traffic';
export type { TrafficOptions } from './traffic';
export { NkMediaSimulator } from './simulator';
export type { NkMediaSimulatorOptions, PublishedEvent } from './simulator';
export { Random, mulberry32 } from './random';
export { DEFAULT_SIMULATOR_DIALECT, eraWriter, serverRules } from './eras';
export type { EraWriter, ServerRules } from './eras';
export { World } from './world';
