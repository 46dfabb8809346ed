// The connection state of an NkServiceClient, as a value the UI can show and listen to.
//
//   idle ──connect()──▶ connecting ──▶ connected ──drop──▶ reconnecting ──▶ connecting …
//                           │                                   │
//                           └──first attempt fails──▶ disconnected ◀──login refused / disconnect()
//
// 'disconnected' is final: only an explicit connect() leaves it.

export type ClientState =
  | { kind: 'idle' }
  /** `attempt` counts tries since the last successful connection: 1 for the first. */
  | { kind: 'connecting'; attempt: number }
  /** `since` is when the login succeeded (ms since epoch); refused subscriptions are listed. */
  | { kind: 'connected'; sessionId?: string; since: number; refusedSubscriptions?: readonly SubscriptionRefusal[] }
  /** Waiting `delayMs` before try number `attempt`; `reason` says why the link went away. */
  | { kind: 'reconnecting'; attempt: number; delayMs: number; reason: string }
  | { kind: 'disconnected'; reason: string };

import type { SubscriptionRefusal } from './handshake';

export type ClientStateKind = ClientState['kind'];

/** A short human description, e.g. for a status bar tooltip or a log line. */
export function describeState(state: ClientState): string {
  switch (state.kind) {
    case 'idle':
      return 'not connected';
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting';
    case 'connected':
      return `${state.sessionId ? `connected (session ${state.sessionId})` : 'connected'}${state.refusedSubscriptions?.length ? `, ${state.refusedSubscriptions.length} subscription${state.refusedSubscriptions.length > 1 ? 's' : ''} refused` : ''}`;
    case 'reconnecting':
      return `reconnecting in ${state.delayMs} ms (attempt ${state.attempt}): ${state.reason}`;
    case 'disconnected':
      return `disconnected: ${state.reason}`;
  }
}
