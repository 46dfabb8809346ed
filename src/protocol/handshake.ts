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

export type RequestFn = (cls: string, subclass: string | undefined, cmd: string, data?: object) => Promise<ResponseFrame>;

export interface LoginSettings {
  user: string;
  password: string;
  loginSubclass: boolean;
  loginMeta: Record<string, unknown>;
}

/** Logs in; resolves with the session id (when the server gives one). */
export async function login(request: RequestFn, settings: LoginSettings): Promise<string | undefined> {
  // Metadata first so that it can never override the credentials.
  const data = { ...settings.loginMeta, user: settings.user, password: settings.password };
  let response: ResponseFrame;
  try {
    response = await request('core', settings.loginSubclass ? 'user' : undefined, 'login', data);
  } catch (error) {
    if (error instanceof RequestError) {
      throw new LoginRefusedError(`login refused by server: ${describeServerError(error.serverMessage, error.code)}`, error.code);
    }
    throw error;
  }
  if (response.result !== 'ok') throw new LoginRefusedError(`login refused by server: result "${response.result}"`);
  const sessionId = (response.data as { session_id?: unknown } | undefined)?.session_id;
  return typeof sessionId === 'string' ? sessionId : undefined;
}

/**
 * Sends every subscription at once and waits for all answers. A refusal is a warning (the
 * other subscriptions still work); a timeout or a drop fails the whole handshake.
 */
export async function subscribeAll(request: RequestFn, subscriptions: Subscription[], warn: (warning: ClientWarning) => void): Promise<void> {
  const results = await Promise.allSettled(subscriptions.map((sub) => request('core', 'event', 'subscribe', sub)));
  let failure: unknown;
  results.forEach((result, index) => {
    const subscription = subscriptions[index];
    if (result.status === 'fulfilled') {
      if (result.value.result !== 'ok') {
        warn({ message: `subscription ${formatSubscription(subscription)} refused by server: result "${result.value.result}"`, subscription });
      }
    } else if (result.reason instanceof RequestError) {
      warn({ message: `subscription ${formatSubscription(subscription)} refused by server: ${describeServerError(result.reason.serverMessage, result.reason.code)}`, subscription });
    } else {
      failure ??= result.reason;
    }
  });
  if (failure !== undefined) throw failure;
}
