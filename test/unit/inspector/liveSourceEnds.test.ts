// How a live source ends, against a scriptable server: a subscription that is never answered,
// a dropped connection and a refused re-login. The user must see each for what it is: never
// "connected" with no events, and sessions left open flagged as never ended.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LiveSource } from '../../../src/inspector/liveSource';
import type { SourceStatus } from '../../../src/inspector/source';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, waitUntil, type FakeServerOptions } from '../protocol/fakeServer';
import type { NkServiceClientOptions } from '../../../src/protocol/client';

const OPEN_SESSION = { class: 'media', subclass: 'session', type: 'answer', obj_id: '39ce4076-391a-1260-75db-0000000000a1', body: { answer: { sdp: 'v=0' } } };

async function withSource(
  serverOptions: FakeServerOptions,
  clientOptions: Partial<NkServiceClientOptions>,
  body: (srv: FakeServer, source: LiveSource, statuses: SourceStatus[]) => Promise<void>,
): Promise<void> {
  const srv = await FakeServer.start(serverOptions);
  const source = new LiveSource({ id: 'live', name: 'live', logger: new MemoryLogger(), client: { url: srv.url, user: 'admin', password: 'admin', ...clientOptions } });
  const statuses: SourceStatus[] = [];
  source.onDidChangeStatus((s) => statuses.push(s));
  try {
    await body(srv, source, statuses);
  } finally {
    await source.dispose();
    await srv.close();
  }
}

/** The anomalies of the open session, once the store has taken in what arrived. */
function anomaliesOfOpenSession(source: LiveSource): string[] {
  source.store.flush();
  const session = source.store.objects().find((o) => o.objId === OPEN_SESSION.obj_id);
  assert.ok(session, 'the session is in the store');
  return session.anomalies.map((a) => a.kind);
}

describe('a live source that ends', { timeout: 20_000 }, () => {
  test('a subscription the server never answers fails the connect with the reason, never "connected, 0 events"', async () => {
    await withSource({ reply: (frame) => (frame.cmd === 'subscribe' ? 'silent' : undefined) }, { requestTimeoutMs: 300, reconnect: false }, async (_srv, source, statuses) => {
      await assert.rejects(source.connect(), /subscribe timed out after 300 ms/);
      assert.ok(!statuses.some((s) => s.kind === 'connected'), `never shown as connected: ${JSON.stringify(statuses)}`);
      assert.equal(source.status.kind, 'disconnected');
      assert.match(source.status.detail ?? '', /subscribe timed out/);
    });
  });

  test('a dropped connection (no reconnect) flags the sessions left open as never ended', async () => {
    await withSource({}, { reconnect: false, snapshot: false }, async (srv, source) => {
      await source.connect();
      srv.peer.sendEvent(OPEN_SESSION);
      await waitUntil(() => source.client.stats.events === 1, 'the session event');
      assert.deepEqual(anomaliesOfOpenSession(source), [], 'not flagged while the data flows');
      srv.peer.ws.terminate();
      await waitUntil(() => source.status.kind === 'disconnected', 'the drop');
      assert.deepEqual(anomaliesOfOpenSession(source), ['no-terminal-event']);
    });
  });

  test('a refused re-login after a drop flags the sessions left open as never ended', async () => {
    let refuse = false;
    const refuseRelogin: FakeServerOptions['reply'] = (frame) => (refuse && frame.cmd === 'login' ? { result: 'error', data: { error: 'User disabled', code: 1003 } } : undefined);
    await withSource({ reply: refuseRelogin }, { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, snapshot: false }, async (srv, source) => {
      await source.connect();
      srv.peer.sendEvent(OPEN_SESSION);
      await waitUntil(() => source.client.stats.events === 1, 'the session event');
      refuse = true;
      srv.peer.ws.terminate();
      await waitUntil(() => source.status.kind === 'disconnected', 'the refused re-login');
      assert.match(source.status.detail ?? '', /login refused by server: User disabled/);
      assert.equal(srv.peers.length, 2, 'one re-login, refused');
      assert.deepEqual(anomaliesOfOpenSession(source), ['no-terminal-event']);
    });
  });
});
