// Shared by the integration tests (bundled into each compiled test file).
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import type { InspectorApi } from '../../src/extension';

export const EXTENSION_ID = 'nkmedia-inspector.nkmedia-inspector';

/** What the extension's activate() returns (a type-only import: nothing of src is bundled). */
export type NkMediaApi = InspectorApi;

/** Activates the extension (if needed) and returns its API. */
export async function activate(): Promise<NkMediaApi> {
  const extension = vscode.extensions.getExtension<NkMediaApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Frames a client receives: responses are matched to requests by tid. */
export interface Frame {
  result?: string;
  tid?: number | string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Opens a WebSocket to `url`, sends `request` and resolves with the response carrying the same
 * tid (requests the server sends meanwhile, e.g. pings, are answered "ok" as a client must).
 */
export function request(url: string, request: Record<string, unknown> & { tid: number }, timeoutMs = 10_000): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no response to tid ${request.tid} from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify(request)));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      if ('cmd' in frame && frame.tid !== undefined) {
        ws.send(JSON.stringify({ result: 'ok', tid: frame.tid }));
        return;
      }
      if (frame.tid === request.tid && 'result' in frame) {
        clearTimeout(timer);
        ws.close();
        resolve(frame);
      }
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The login a user's client sends first. */
export function login(url: string, user = 'admin', password = 'admin'): Promise<Frame> {
  return request(url, { class: 'core', subclass: 'user', cmd: 'login', data: { user, password }, tid: 1 });
}

/** True when 127.0.0.1:port accepts a TCP connection. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
