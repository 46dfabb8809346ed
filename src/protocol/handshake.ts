// What follows every socket opening: log in, then subscribe to each configured subscription.
// NkSERVICE forgets subscriptions with the connection, so this runs again after a reconnect.
import { formatSubscription, type ResponseFrame, type Subscription } from './frames';
import { RequestError, describeServerError } from './pendingRequests';
import type { ClientWarning } from './clientEvents';

/** The server said no to the login: retrying with the same credentials is pointless. */
export class LoginRefusedError extends Error {
  constructor(message: string, readonly code?: number | string) {
    super(message);
    this.name = 'LoginRefusedError';
  }
}

export type RequestFn = (cls: string, subclass: string | undefined, cmd: string, data?: object, onAck?: () => void) => Promise<ResponseFrame>;

export interface LoginSettings {
  user: string;
  password: string;
  loginSubclass: boolean;
  loginMeta: Record<string, unknown>;
}

export interface LoginResult {
  /** The server's session id for this connection, when it gives one. */
  sessionId?: string;
  /** The server acked the login before replying, as 2016 servers do and develop does not. */
  acked: boolean;
}

/**
 * Logs in. The password goes as `pass`, which 2016 login callbacks read (the July 2016 sample
 * requires it: nkmedia@bb1dc51:src/nkmedia_test_api.erl:205; nkservice's own client and
 * NcClient send only it), and as `password`, which develop's login syntax declares
 * (nkservice@ee00943:src/nkservice_api_syntax.erl:33-42). Neither era refuses the other key:
 * 2016 hands the raw data to the callback, develop drops unknown keys and tells the connection
 * with a core/session_event `unrecognized_fields` event.
 */
export async function login(request: RequestFn, settings: LoginSettings): Promise<LoginResult> {
  // Metadata first so that it can never override the credentials.
  const data = { ...settings.loginMeta, user: settings.user, pass: settings.password, password: settings.password };
  let acked = false;
  let response: ResponseFrame;
  try {
    response = await request('core', settings.loginSubclass ? 'user' : undefined, 'login', data, () => (acked = true));
  } catch (error) {
    if (error instanceof RequestError) {
      throw new LoginRefusedError(`login refused by server: ${describeServerError(error.serverMessage, error.code)}`, error.code);
    }
    throw error;
  }
  if (response.result !== 'ok') throw new LoginRefusedError(`login refused by server: result "${response.result}"`);
  const sessionId = (response.data as { session_id?: unknown } | undefined)?.session_id;
  return { sessionId: typeof sessionId === 'string' ? sessionId : undefined, acked };
}

/** A subscription the server said no to, with what its code means (shown on the source's row). */
export interface SubscriptionRefusal {
  subscription: Subscription;
  /** The server's text, or the result word. */
  reason: string;
  code?: number | string;
  /** What the code means in the era's table, e.g. `unauthorized: the service's api_allow … refused it`. */
  meaning?: string;
}

/**
 * The subscription as sent: a field that is `"*"` is left out. Both eras read a missing field
 * as "any" (2016 defaults it to "*", nkservice@79bf10d:src/nkservice_api_syntax.erl:106-121),
 * but develop has no "*" wildcard: it would subscribe to a type literally named "*" and
 * receive nothing (nkservice@ee00943:src/nkservice_api_syntax.erl:133-149).
 */
export function wireSubscription(sub: Subscription): Subscription {
  const wire: Subscription = { ...sub };
  for (const field of ['subclass', 'type', 'obj_id', 'service'] as const) if (wire[field] === '*') delete wire[field];
  return wire;
}

/**
 * Sends every subscription at once and waits for all answers. A refusal is a warning (the
 * other subscriptions still work) and is returned; a timeout or a drop fails the whole handshake.
 */
export async function subscribeAll(
  request: RequestFn,
  subscriptions: Subscription[],
  warn: (warning: ClientWarning) => void,
  meaningOf: (code: number | string | undefined, text: string) => string | undefined = () => undefined,
): Promise<SubscriptionRefusal[]> {
  const results = await Promise.allSettled(subscriptions.map((sub) => request('core', 'event', 'subscribe', wireSubscription(sub))));
  let failure: unknown;
  const refusals: SubscriptionRefusal[] = [];
  results.forEach((result, index) => {
    const subscription = subscriptions[index];
    let refusal: SubscriptionRefusal | undefined;
    if (result.status === 'fulfilled') {
      if (result.value.result !== 'ok') refusal = { subscription, reason: `result "${result.value.result}"` };
    } else if (result.reason instanceof RequestError) {
      const code = result.reason.code;
      refusal = { subscription, reason: result.reason.serverMessage, code, meaning: meaningOf(code, result.reason.serverMessage) };
    } else {
      failure ??= result.reason;
    }
    if (refusal) {
      refusals.push(refusal);
      warn({ message: `subscription ${formatSubscription(subscription)} refused by server: ${describeRefusal(refusal)}`, subscription });
    }
  });
  if (failure !== undefined) throw failure;
  return refusals;
}

/** `Unauthorized (code 1030: unauthorized: the service's api_allow … refused it)` */
export function describeRefusal(refusal: Pick<SubscriptionRefusal, 'reason' | 'code' | 'meaning'>): string {
  if (refusal.code === undefined) return refusal.reason;
  return `${refusal.reason} (code ${refusal.code}${refusal.meaning ? `: ${refusal.meaning}` : ''})`;
}
