// Opens the WebSocket of one connection attempt and turns its failures into clear messages.
import WebSocket from 'ws';
import { describeConnectError } from './connectErrors';
import type { SocketTlsOptions } from './tls';

export interface OpenSocketOptions {
  maxPayloadBytes: number;
  handshakeTimeoutMs: number;
  tls?: SocketTlsOptions;
}

export interface OpeningSocket {
  /** Terminate it to abandon the attempt. */
  ws: WebSocket | undefined;
  /** Resolves once open; rejects with a user-readable Error (no credentials in it). */
  opened: Promise<WebSocket>;
}

export function openSocket(url: string, redactedUrl: string, options: OpenSocketOptions): OpeningSocket {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, {
      maxPayload: options.maxPayloadBytes,
      // Compression would make ws write answers asynchronously (defeating the per-tick
      // batching) and costs more CPU than it saves on small event frames.
      perMessageDeflate: false,
      // ws would close the connection (1007) over one byte that is not UTF-8, e.g. a
      // Latin-1 name from a SIP header, losing every event after it. The frame is decoded
      // with U+FFFD in place of such bytes instead, and reported (incomingFrame.ts).
      skipUTF8Validation: true,
      handshakeTimeout: options.handshakeTimeoutMs,
      ...(options.tls ?? {}),
    });
  } catch (error) {
    // ws's own message repeats the URL, credentials included: do not pass it on.
    const what = error instanceof SyntaxError ? 'invalid URL' : (error as Error).name;
    return { ws: undefined, opened: Promise.reject(new Error(`cannot connect to ${redactedUrl}: ${what}`)) };
  }
  const opened = new Promise<WebSocket>((resolve, reject) => {
    let settled = false;
    ws.once('open', () => {
      settled = true;
      resolve(ws);
    });
    // Stays attached for the socket's whole life: an 'error' without any listener would crash
    // the process, and the connection's own listener is only added after the open.
    ws.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(new Error(describeConnectError(redactedUrl, error)));
    });
  });
  return { ws, opened };
}
