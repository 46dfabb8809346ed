// The simulated server's side of the conversation with one client: the login (and the
// session id it gives), the subscriptions, and the answer to every request, as one era's
// servers give them (eras/serverRules.ts). Separate from clientConnection.ts, which owns the
// socket, its timers and deadlines: this module decides what to answer, and hands frames to
// its connection (RequestHost) to send. Everything the client sends is untrusted: no handler
// here may throw on bad input.
import { randomUUID } from 'node:crypto';
import { ackFrame, okResponse, type EventData, type RequestFrame, type Subscription, type Tid } from '../protocol/frames';
import type { Logger } from '../shared/logger';
import { logValue } from '../shared/terminalText';
import { CLOSE_SESSION_REFUSED, CLOSE_TOO_MANY_LOGINS } from './closeCodes';
import { errorData, type CommandReply, type ServerRules } from './eras';
import { SubscriptionList, type Delivery } from './subscriptionList';

/** Failed logins one connection may make; the last one's answer is followed by a close. */
export const MAX_LOGIN_FAILURES = 5;
/** Subscriptions one connection may hold; more get an error (each is matched against every event). */
export const MAX_SUBSCRIPTIONS = 1000;

/** The internal service id get_subscriptions reports (an atom on a real server). */
export const SIMULATOR_SERVICE_ID = 'nkmedia_sim';

export interface RequestSettings {
  rules: ServerRules;
  /** When set, a login must give it as `password` or `pass`; any user may log in. */
  password: string | undefined;
  logger: Logger;
}

/** What answering needs from the connection. */
export interface RequestHost {
  readonly id: number;
  /** Queues a frame for the client. */
  send(frame: string): void;
  /** Queues an event in the era's frame; `dataJson` is the serialized event `data`. */
  sendEvent(dataJson: string): void;
  /** Handles nothing for `ms`, then runs `then` and what arrived meanwhile. */
  hold(ms: number, then: () => void): void;
  /** Closes the connection once the frames queued so far are written. */
  closeAfterFlush(code: number, reason: string): void;
  /** The login succeeded: pings start, the server hears of it. */
  loggedIn(): void;
  /** Takes a session id the client chose; false when another connection has it. */
  claimSessionId(sessionId: string): boolean;
  /** A snapshot command (`media/session/get_list`…), or undefined when the era has none. */
  command(cls: string, subclass: string, cmd: string, data: Record<string, unknown>): CommandReply | undefined;
}

export class ClientRequests {
  private loggedInAs: string | undefined;
  private sessionIdValue: string | undefined;
  /** develop picks the session id when the connection opens (nkservice@ee00943:src/nkservice_api_server.erl:362). */
  private readonly openSessionId = randomUUID();
  private readonly subscriptions: SubscriptionList;
  private loginFailures = 0;

  constructor(
    private readonly settings: RequestSettings,
    private readonly host: RequestHost,
  ) {
    this.subscriptions = new SubscriptionList(settings.rules.wildcard);
  }

  get loggedIn(): boolean {
    return this.loggedInAs !== undefined;
  }

  get user(): string | undefined {
    return this.loggedInAs;
  }

  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  /** How many subscriptions the client made (events may be for it only when some). */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  deliveryOf(event: EventData): Delivery {
    return this.subscriptions.deliveryOf(event);
  }

  /** Answers one request of the client (each gets exactly one reply, or a held one; none once it is closing). */
  handle(request: RequestFrame): void {
    // Closing after too many failed logins: what the guesser queued meanwhile gets nothing.
    if (this.loginFailures >= MAX_LOGIN_FAILURES) return;
    const { rules } = this.settings;
    const { tid } = request;
    const subclass = request.subclass ?? rules.defaultSubclass;
    const data = request.data ?? {};
    // nkservice@79bf10d:src/nkservice_api_server.erl:547 (2016), nkservice@ee00943:src/nkservice_api.erl:79 (develop):
    // the login is core/user/login; a missing subclass is "core" (2016) or empty (develop), which is no login.
    if (request.class === 'core' && subclass === 'user' && request.cmd === 'login') {
      this.login(request);
      return;
    }
    if (!this.loggedIn) {
      this.replyError(tid, rules.notLoggedIn);
      return;
    }
    if (request.class === 'core' && subclass === 'event') {
      switch (request.cmd) {
        case 'subscribe':
          this.subscribe(tid, data, true);
          return;
        case 'unsubscribe':
          this.subscribe(tid, data, false);
          return;
        case 'get_subscriptions':
          this.getSubscriptions(tid);
          return;
      }
    }
    // 2016: a client's own core/event request is answered ok (nkservice@79bf10d:src/nkservice_api_server.erl:572-590).
    if (rules.family === '2016' && request.class === 'core' && subclass === 'core' && request.cmd === 'event' && typeof data.class === 'string') {
      this.host.send(okResponse(tid));
      return;
    }
    const hasPlugin = request.class === 'core' || request.class === 'media' || (request.class === 'collab' && rules.dialect.collab);
    if (!hasPlugin) {
      // No plugin takes the class: nkservice's default api_server_cmd (nkservice@79bf10d:src/nkservice_callbacks.erl:243-244).
      this.replyError(tid, 'not_implemented');
      return;
    }
    const reply = request.class === 'core' ? undefined : this.host.command(request.class, subclass, request.cmd, data);
    if (reply === undefined) {
      // {unknown_command, Cmd} from 29 Sep 2016 (nkservice@79bf10d:src/nkservice_api.erl:238), plain before (b780fbf:216).
      this.replyError(tid, 'unknown_command', request.cmd);
    } else if ('ok' in reply) {
      this.host.send(okResponseOf(tid, reply.ok));
    } else {
      this.replyError(tid, reply.error, ...(reply.args ?? []));
    }
  }

  private login(request: RequestFrame): void {
    const { rules } = this.settings;
    const { tid } = request;
    if (rules.acksLogin) this.host.send(ackFrame(tid));
    if (this.loggedIn && !rules.reloginAllowed) {
      this.replyError(tid, 'already_authenticated');
      return;
    }
    const data = request.data ?? {};
    const user = data.user;
    const password = this.settings.password;
    const accepted =
      typeof user === 'string' &&
      user !== '' &&
      (!rules.loginNeedsPass || 'pass' in data) &&
      (password === undefined || data.password === password || data.pass === password);
    if (!accepted) {
      this.loginFailures++;
      const delay = rules.loginFailureDelayMs(this.loginFailures);
      const last = this.loginFailures >= MAX_LOGIN_FAILURES;
      this.settings.logger.info(
        `client ${this.host.id}: failed login${typeof user === 'string' ? ` as ${logValue(user)}` : ''}; replying in ${delay} ms${last ? `, then closing: ${MAX_LOGIN_FAILURES} failed logins` : ''}`,
      );
      // The server process sleeps before it replies: nothing else is handled meanwhile.
      this.host.hold(delay, () => {
        this.replyError(tid, 'unauthorized');
        // A password guesser gets a few tries per connection, not thousands of answers (and log lines).
        if (last) this.host.closeAfterFlush(CLOSE_TOO_MANY_LOGINS, 'too many failed logins');
      });
      return;
    }
    let sessionId: string = rules.family === 'develop' ? this.openSessionId : randomUUID();
    if (rules.clientSessionId && 'session_id' in data) {
      const given = data.session_id;
      // nkservice@79bf10d:src/nkservice_api_server.erl:616-645: both refusals stop the connection.
      if (typeof given !== 'string' || given === '') {
        this.refuseSession(tid, 'invalid_session_id');
        return;
      }
      if (given !== this.sessionIdValue && !this.host.claimSessionId(given)) {
        this.refuseSession(tid, 'duplicated_session_id');
        return;
      }
      sessionId = given;
    }
    this.loggedInAs = user;
    this.sessionIdValue = sessionId;
    this.host.send(okResponse(tid, { session_id: sessionId }));
    this.settings.logger.info(`client ${this.host.id}: logged in as ${logValue(user)}`);
    this.host.loggedIn();
  }

  private refuseSession(tid: Tid, atom: string): void {
    this.replyError(tid, atom);
    this.host.closeAfterFlush(CLOSE_SESSION_REFUSED, atom.replace(/_/g, ' '));
  }

  /** Subscribe or unsubscribe; bad fields get the era's syntax error, unknown ones are reported. */
  private subscribe(tid: Tid, data: Record<string, unknown>, subscribe: boolean): void {
    const { rules } = this.settings;
    if (data.class === undefined) {
      this.replyError(tid, 'missing_field', 'class');
      return;
    }
    const types = rules.typeLists && Array.isArray(data.type) ? data.type : [data.type];
    const bad = ['class', 'subclass', 'obj_id', ...(rules.wildcard === '*' ? ['service'] : [])].find((field) => data[field] !== undefined && typeof data[field] !== 'string');
    const badType = types.some((type) => type !== undefined && typeof type !== 'string') || (rules.typeLists && Array.isArray(data.type) && data.type.length === 0);
    const badBody = data.body !== undefined && (typeof data.body !== 'object' || data.body === null || Array.isArray(data.body));
    if (bad || badType || badBody) {
      this.replyError(tid, 'syntax_error', bad ?? (badType ? 'type' : 'body'));
      return;
    }
    if (subscribe && this.subscriptions.size + types.length > MAX_SUBSCRIPTIONS) {
      // Not a real server's reason: the era's fallback code for an unknown one carries it.
      this.replyError(tid, 'too_many_subscriptions');
      return;
    }
    for (const type of types as Array<string | undefined>) {
      const sub: Subscription = { class: data.class as string };
      for (const field of ['subclass', 'obj_id', 'service'] as const) if (typeof data[field] === 'string') sub[field] = data[field] as string;
      if (type !== undefined) sub.type = type;
      if (subscribe && data.body !== undefined) sub.body = data.body as Record<string, unknown>;
      // Removing nothing is not an error: the wanted end state (not subscribed) holds.
      if (subscribe) this.subscriptions.add(sub);
      else this.subscriptions.remove(sub);
    }
    this.host.send(okResponse(tid));
    const known = subscribe ? rules.subscribeKeys : rules.subscribeKeys.filter((key) => key !== 'body' || rules.family === 'develop');
    const unknown = Object.keys(data).filter((key) => !known.includes(key));
    if (unknown.length > 0 && rules.reportsUnrecognizedFields) {
      // To the connection's own core/session_event subscription, made at login
      // (nkservice@79bf10d:src/nkservice_api.erl:89-101; nkservice@ee00943:src/nkservice_api_lib.erl:144-161).
      this.host.sendEvent(JSON.stringify({
        class: 'core',
        subclass: 'session_event',
        type: 'unrecognized_fields',
        obj_id: this.sessionIdValue,
        body: { class: 'core', subclass: 'event', cmd: subscribe ? 'subscribe' : 'unsubscribe', fields: unknown },
      }));
    }
  }

  /**
   * Acked first, then the list, newest first, with the two subscriptions every login makes
   * (core/user_event/<user>, core/session_event/<session id>): nkservice@79bf10d:src/nkservice_api.erl:155-157,
   * src/nkservice_api_server.erl:348-364,616-637; develop adds each one's body
   * (nkservice@ee00943:src/nkservice_api_server.erl:478-490,750-761).
   */
  private getSubscriptions(tid: Tid): void {
    const { rules } = this.settings;
    const develop = rules.family === 'develop';
    const entry = (cls: string, subclass: string | undefined, type: string | undefined, objId: string | undefined, body: Record<string, unknown> | undefined) => {
      const item: Record<string, unknown> = {
        class: cls,
        subclass: this.subscriptions.stored(subclass),
        type: this.subscriptions.stored(type),
        obj_id: this.subscriptions.stored(objId),
        service: SIMULATOR_SERVICE_ID,
      };
      if (develop) item.body = body ?? {};
      return item;
    };
    const list = this.subscriptions.list().map((sub) => entry(sub.class, sub.subclass, sub.type, sub.obj_id, sub.body));
    list.push(entry('core', 'session_event', undefined, this.sessionIdValue, undefined), entry('core', 'user_event', undefined, this.loggedInAs, undefined));
    this.host.send(ackFrame(tid));
    this.host.send(okResponse(tid, list));
  }

  private replyError(tid: Tid, atom: string, ...args: string[]): void {
    this.host.send(JSON.stringify({ result: 'error', tid, data: errorData(this.settings.rules.dialect, atom, ...args) }));
  }
}

/** An ok reply with data; an empty map is sent with no data key, a list (even empty) with it (nkservice@79bf10d:src/nkservice_api_server.erl:773-784). */
function okResponseOf(tid: Tid, data: Record<string, unknown> | unknown[]): string {
  return !Array.isArray(data) && Object.keys(data).length === 0 ? okResponse(tid) : okResponse(tid, data);
}
