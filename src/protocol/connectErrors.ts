// Turns low-level socket and ws errors into sentences a user can act on.
import { describeTlsError } from './tls';

type ErrorWithCode = Error & { code?: string };

const NETWORK_HINTS: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed, temporarily',
  ETIMEDOUT: 'no answer from the host',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the server reset the connection',
};

/** Why opening the WebSocket to `redactedUrl` failed, e.g. `cannot connect to ws://127.0.0.1:9: ECONNREFUSED`. */
export function describeConnectError(redactedUrl: string, error: ErrorWithCode): string {
  const tls = describeTlsError(redactedUrl, error);
  if (tls) return tls;
  const code = error.code;
  if (code === 'ECONNREFUSED') return `cannot connect to ${redactedUrl}: ECONNREFUSED`;
  if (code && NETWORK_HINTS[code]) return `cannot connect to ${redactedUrl}: ${code} (${NETWORK_HINTS[code]})`;
  const http = /^Unexpected server response: (\d+)/.exec(error.message);
  if (http) {
    const status = Number(http[1]);
    const hint =
      status === 401 || status === 403
        ? 'the server refused the WebSocket upgrade: check the URL credentials or the proxy'
        : 'is this the NkSERVICE API port and path?';
    return `cannot connect to ${redactedUrl}: the server answered HTTP ${status} instead of accepting a WebSocket (${hint})`;
  }
  if (/handshake has timed out/i.test(error.message)) return `cannot connect to ${redactedUrl}: no WebSocket handshake answer in time`;
  return `cannot connect to ${redactedUrl}: ${code ? `${code} ` : ''}${error.message}`.trim();
}

/** Why a socket error ended an open connection. */
export function describeSocketError(error: ErrorWithCode, maxPayloadBytes: number): string {
  switch (error.code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return `the server sent a frame over the ${maxPayloadBytes}-byte WebSocket limit; the connection was closed to protect memory`;
    case 'WS_ERR_INVALID_UTF8':
      return 'the server sent a text frame that is not valid UTF-8';
    default:
      return error.code?.startsWith('WS_ERR_')
        ? `the server broke the WebSocket protocol: ${error.message}`
        : `socket error: ${error.code ? `${error.code} ` : ''}${error.message}`;
  }
}

/** `server closed the connection (1001 going away: shutting down)` */
export function describeClose(code: number, reason: string): string {
  const name = CLOSE_CODE_NAMES[code];
  const detail = `${code}${name ? ` ${name}` : ''}${reason ? `: ${reason}` : ''}`;
  return code === 1006 ? `connection lost (${detail})` : `server closed the connection (${detail})`;
}

const CLOSE_CODE_NAMES: Record<number, string> = {
  1000: 'normal',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status',
  1006: 'no close frame',
  1007: 'invalid data',
  1008: 'policy violation',
  1009: 'message too big',
  1011: 'server error',
  1012: 'service restart',
  1013: 'try again later',
};
