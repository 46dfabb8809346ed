// How an NkSERVICE server of each era runs an API connection, as far as a client can see:
// the login, the event frames, deadlines and the idle timeout, the subscription wildcard.
// Read from the sources named in each field; the dialect tables (src/protocol/dialects) give
// the codes and names.
import { DIALECTS, type Dialect, type DialectId } from '../../protocol/dialects';

export interface ServerRules {
  readonly dialect: Dialect;
  /** The nkservice generation: 2016 master, or develop (from nkservice@007f18c, 2016-12-07). */
  readonly family: '2016' | 'develop';
  /**
   * `{ack: tid}` before the login reply: 2016 acks every login first
   * (nkservice@79bf10d:src/nkservice_api_server.erl:549, nkservice@b780fbf same line,
   * nkservice@cbdd973:src/nkservice_api_server.erl:525); develop logs in through the normal
   * request pipeline with no ack (nkservice@ee00943:src/nkservice_api_server.erl:697-718).
   */
  readonly acksLogin: boolean;
  /**
   * 2016: events are `core/event` requests with a tid (nkservice@79bf10d:src/nkservice_api_server.erl:408-436);
   * develop: `{class:"event", data}` with no tid (nkservice@ee00943:src/nkservice_api_server.erl:886-922).
   */
  readonly eventFrames: 'request' | 'message';
  /** A server request unanswered this long closes the connection (OP_TIME 5 s; develop api_cmd_timeout 10 s). */
  readonly answerTimeoutMs: number;
  /** No frame either way for this long closes it (api_server_timeout 30 s; develop's misspelled key, 180 s). */
  readonly idleTimeoutMs: number;
  /**
   * The login data may name the session id (2016 from nkservice@b780fbf: src/nkservice_api_server.erl:551-554);
   * July makes a new one always (nkservice@cbdd973:src/nkservice_api_server.erl:526), develop
   * when the connection opens (nkservice@ee00943:src/nkservice_api_server.erl:362).
   */
  readonly clientSessionId: boolean;
  /**
   * July has no already_authenticated clause: a second login logs in again
   * (nkservice@cbdd973:src/nkservice_api_server.erl:520-562); later eras refuse it.
   */
  readonly reloginAllowed: boolean;
  /**
   * The July sample service's login callback matches `#{<<"user">>, <<"pass">>}`
   * (nkmedia@bb1dc51:src/nkmedia_test_api.erl:205); from Aug only `user`
   * (nkmedia@3215f72:src/samples/nkmedia_test_api.erl:241, nkmedia@4394517:src/samples/nkmedia_test_api.erl:254,
   * nkcollab@85db3e1:src/samples/nkcollab_test_api.erl:259).
   */
  readonly loginNeedsPass: boolean;
  /**
   * What a failed login waits before its reply: 2016 sleeps retry_time, 100 ms doubling on each
   * failure (nkservice@79bf10d:src/nkservice_api_server.erl:222,560-564); develop sleeps 1 s
   * (nkservice@ee00943:src/nkservice_api.erl:79-87).
   */
  loginFailureDelayMs(failures: number): number;
  /**
   * A command before login: 2016 answers not_authenticated
   * (nkservice@79bf10d:src/nkservice_api_server.erl:569-570); develop has no such check, only
   * api_server_allow, which a service that requires a login answers with unauthorized (the
   * default callback refuses everything: nkservice@ee00943:src/nkservice_callbacks.erl:269-273).
   */
  readonly notLoggedIn: 'not_authenticated' | 'unauthorized';
  /**
   * Subscription wildcard: "*" in 2016 (missing fields default to it,
   * nkservice@79bf10d:src/nkservice_api_syntax.erl:106-121); on develop the empty string
   * (missing fields default to it) and "*" is a literal (nkservice@ee00943:src/nkservice_api_syntax.erl:133-149).
   */
  readonly wildcard: '*' | '';
  /** A request without subclass: "core" in 2016 (nkservice@79bf10d:src/nkservice_api_server.erl:276), empty on develop (ee00943:417). */
  readonly defaultSubclass: string;
  /** Server pings, when the service starts them: every 60 s after login in the samples and on develop. */
  readonly pingSecondsAfterLogin: number;
  /** Keys the subscribe syntax knows; others are reported in an unrecognized_fields event. */
  readonly subscribeKeys: readonly string[];
  /**
   * A core/session_event `unrecognized_fields` event for a command's unknown keys: added by
   * nkservice@0ea847a (2016-09-28; nkservice@79bf10d:src/nkservice_api.erl:63-101), so not on
   * July or Aug servers (nkservice@b780fbf has no send_unrecognized_fields); develop
   * nkservice@ee00943:src/nkservice_api_lib.erl:77-83,144-161.
   */
  readonly reportsUnrecognizedFields: boolean;
  /** develop takes `type` as a string or a list of strings (nkservice@ee00943:src/nkservice_api_syntax.erl:47-53). */
  readonly typeLists: boolean;
}

const TWO_THOUSAND_SIXTEEN = {
  family: '2016',
  acksLogin: true,
  eventFrames: 'request',
  // nkservice@79bf10d:src/nkservice_api_server.erl:46 (OP_TIME 5), src/nkservice_util.erl:32,96-100 (30 s)
  answerTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  clientSessionId: true,
  reloginAllowed: false,
  loginNeedsPass: false,
  loginFailureDelayMs: (failures: number) => 100 * 2 ** Math.max(0, failures - 1),
  notLoggedIn: 'not_authenticated',
  wildcard: '*',
  defaultSubclass: 'core',
  // nkmedia@3215f72:src/samples/nkmedia_test_api.erl:242 start_ping(self(), 60)
  pingSecondsAfterLogin: 60,
  // nkservice@79bf10d:src/nkservice_api_syntax.erl:36-41,106-121
  subscribeKeys: ['class', 'subclass', 'type', 'obj_id', 'service', 'body'],
  reportsUnrecognizedFields: true,
  typeLists: false,
} as const;

const DEVELOP = {
  family: 'develop',
  acksLogin: false,
  eventFrames: 'message',
  // nkservice@ee00943:src/nkservice_syntax.erl:37,47 (api_cmd_timeout 10); src/nkservice_util.erl:439-444 (180 s)
  answerTimeoutMs: 10_000,
  idleTimeoutMs: 180_000,
  clientSessionId: false,
  reloginAllowed: false,
  loginNeedsPass: false,
  loginFailureDelayMs: () => 1000,
  notLoggedIn: 'unauthorized',
  wildcard: '',
  defaultSubclass: '',
  // nkservice@ee00943:src/nkservice_api_server.erl:762 with api_ping_timeout 60 (src/nkservice_syntax.erl:36,46)
  pingSecondsAfterLogin: 60,
  // nkservice@ee00943:src/nkservice_api_syntax.erl:133-149 (service commented out)
  subscribeKeys: ['class', 'subclass', 'type', 'obj_id', 'body'],
  reportsUnrecognizedFields: true,
  typeLists: true,
} as const;

export function serverRules(id: DialectId): ServerRules {
  const dialect = DIALECTS[id];
  switch (dialect.era) {
    case '2016-07':
      return { ...TWO_THOUSAND_SIXTEEN, dialect, clientSessionId: false, reloginAllowed: true, loginNeedsPass: true, reportsUnrecognizedFields: false };
    case '2016-08':
      return { ...TWO_THOUSAND_SIXTEEN, dialect, reportsUnrecognizedFields: false };
    case '2016-10':
      return { ...TWO_THOUSAND_SIXTEEN, dialect };
    case '2017':
      return { ...DEVELOP, dialect };
  }
}
