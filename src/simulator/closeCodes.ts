// The WebSocket close codes the simulated server ends a connection with, and why. Their own
// module because the connection, its request handling, the server and the tests all name them.

/** Close code used when a request of ours got no answer in time (4000-4999: application codes). */
export const CLOSE_ANSWER_TIMEOUT = 4000;
/** Close code used when the client reads so slowly that its send buffer passes the hard limit. */
export const CLOSE_TOO_SLOW = 4001;
/**
 * Close code used when no frame went either way for the idle timeout. (A real server's
 * transport just stops the connection, nkpacket@d25a6be:src/nkpacket_connection.erl:538-549;
 * the code and reason are the simulator's, to say why.)
 */
export const CLOSE_IDLE_TIMEOUT = 4002;
/** Close code used after a login whose session id was refused (duplicated or invalid). */
export const CLOSE_SESSION_REFUSED = 4003;
/** Close code used after MAX_LOGIN_FAILURES failed logins on one connection. */
export const CLOSE_TOO_MANY_LOGINS = 4004;
export const CLOSE_SERVER_STOPPING = 1001;
