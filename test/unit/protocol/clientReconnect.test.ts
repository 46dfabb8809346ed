// Drops after a successful connection: reconnect with backoff, login and subscribe again,
// report the gap, keep receiving; and the cases that must end in 'disconnected' instead.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient, type ClientState, type GapInfo, type NkServiceClientOptions, type ReceivedEvent } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, sampleEvent, waitUntil, type FakeServerOptions } from './fakeServer';
import { holdsFor } from '../holdsFor';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Harness {
  srv: FakeServer;
  client: NkServiceClient;
  logger: MemoryLogger;
  events: ReceivedEvent[];
  states: ClientState[];
  gaps: GapInfo[];
  marks: string[];
}

async function harness(serverOptions: FakeServerOptions = {}, clientOptions: Partial<NkServiceClientOptions> = {}): Promise<Harness> {
  const srv = await FakeServer.start(serverOptions);
  const logger = new MemoryLogger();
  const client = new NkServiceClient({
    url: srv.url,
    user: 'admin',
    password: 'admin',
    logger,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    ...clientOptions,
  });
  cleanups.push(async () => {
    await client.disconnect();
    client.dispose();
    await srv.close();
  });
  const h: Harness = { srv, client, logger, events: [], states: [], gaps: [], marks: [] };
  client.onEvent((e) => h.events.push(e));
  client.onDidChangeState((s) => h.states.push(s));
  client.onDidGap((g) => {
    h.gaps.push(g);
    h.marks.push('gap');
  });
  client.onDidConnect(() => h.marks.push('connect'));
  client.onDidDisconnect(() => h.marks.push('disconnect'));
  return h;
}

describe('NkServiceClient reconnection', () => {
  test('a socket dropped mid-stream: reconnects with backoff, logs in and subscribes again, reports the gap', async () => {
    const h = await harness({}, { subscriptions: [{ class: 'media', subclass: 'session' }, { class: 'media', subclass: 'room' }], snapshot: false });
    await h.client.connect();
    const first = h.srv.peer;
    for (let i = 0; i < 50; i++) first.sendEvent(sampleEvent(i));
    await waitUntil(() => h.events.length === 50, 'the first 50 events');
    const beforeDrop = Date.now();
    first.ws.terminate(); // no close frame: like a crashed server or a cut cable
    await waitUntil(() => h.srv.peers.length === 2 && h.client.state.kind === 'connected', 'the reconnection');
    const second = h.srv.peer;
    assert.deepEqual(second.received.map((f) => `${f.subclass}/${f.cmd}`), ['user/login', 'undefined/ping', 'event/subscribe', 'event/subscribe']);
    assert.deepEqual(second.requests('subscribe').map((f) => f.data), [{ class: 'media', subclass: 'session' }, { class: 'media', subclass: 'room' }]);
    for (let i = 50; i < 100; i++) second.sendEvent(sampleEvent(i));
    await waitUntil(() => h.events.length === 100, 'the events after the reconnection');
    assert.deepEqual(h.events.map((e) => e.data.obj_id), Array.from({ length: 100 }, (_, i) => sampleEvent(i).obj_id));

    assert.equal(h.gaps.length, 1);
    const gap = h.gaps[0];
    assert.ok(gap.from >= beforeDrop && gap.to >= gap.from, `gap ${gap.from}..${gap.to} starts at the drop`);
    assert.match(gap.reason, /connection lost \(1006/);
    const kinds = h.states.map((s) => s.kind);
    assert.deepEqual(kinds, ['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
    const reconnecting = h.states[2] as Extract<ClientState, { kind: 'reconnecting' }>;
    assert.equal(reconnecting.attempt, 1);
    assert.ok(reconnecting.delayMs >= 16 && reconnecting.delayMs <= 24, `first delay ${reconnecting.delayMs} is 20 ms ± 20 %`);
    assert.deepEqual(h.marks, ['connect', 'disconnect', 'gap', 'connect']);
    assert.equal(h.client.stats.reconnects, 1);
    assert.match(h.logger.text('warn'), /lost connection to ws:\/\/127\.0\.0\.1:\d+: connection lost/);
  });

  test('while the server is down, retries back off; when it is back, the client returns', async () => {
    const h = await harness({}, { reconnect: { initialDelayMs: 20, maxDelayMs: 200, factor: 2, jitter: 0 } });
    await h.client.connect();
    const port = h.srv.port;
    await h.srv.close();
    await waitUntil(() => h.states.filter((s) => s.kind === 'reconnecting').length >= 4, 'several failed retries');
    const delays = h.states.filter((s): s is Extract<ClientState, { kind: 'reconnecting' }> => s.kind === 'reconnecting').map((s) => s.delayMs);
    assert.deepEqual(delays.slice(0, 4), [20, 40, 80, 160]);
    const failedRetry = h.states.filter((s) => s.kind === 'reconnecting')[1] as Extract<ClientState, { kind: 'reconnecting' }>;
    assert.match(failedRetry.reason, /cannot connect to .*ECONNREFUSED/);
    const back = await FakeServer.start({ port });
    cleanups.push(() => back.close());
    await waitUntil(() => h.client.state.kind === 'connected', 'the reconnection to the restarted server', 15_000);
    back.peer.sendEvent(sampleEvent(7));
    await waitUntil(() => h.events.length === 1, 'an event from the restarted server');
    assert.equal(h.gaps.length, 1);
  });

  test('a server that drops every connection right after login: the backoff keeps growing', async () => {
    const h = await harness(
      {
        reply: (frame, peer) => {
          if (frame.cmd === 'subscribe') setTimeout(() => peer.ws.terminate(), 10);
          return undefined;
        },
      },
      { reconnect: { initialDelayMs: 20, maxDelayMs: 1000, jitter: 0 } },
    );
    await h.client.connect();
    await waitUntil(() => h.states.filter((s) => s.kind === 'reconnecting').length >= 4, 'four drops');
    const delays = h.states.filter((s): s is Extract<ClientState, { kind: 'reconnecting' }> => s.kind === 'reconnecting').map((s) => s.delayMs);
    assert.deepEqual(delays.slice(0, 4), [20, 40, 80, 160], 'connections shorter than 10 s do not reset the backoff');
    assert.ok(h.gaps.length >= 3, 'each short-lived reconnection still reports its gap');
  });

  test('login refused during a reconnect ends in disconnected, without further retries', async () => {
    let refuse = false;
    const h = await harness({
      reply: (frame) => (refuse && frame.cmd === 'login' ? { result: 'error', data: { error: 'User disabled', code: 1003 } } : undefined),
    });
    await h.client.connect();
    refuse = true;
    h.srv.peer.ws.terminate();
    await waitUntil(() => h.client.state.kind === 'disconnected', 'the final state');
    assert.deepEqual(h.client.state, { kind: 'disconnected', reason: 'login refused by server: User disabled (code 1003)' });
    await holdsFor(() => h.srv.peers.length === 2, 150, 'a retry would come within the first backoff steps of 20 and 40 ms');
    assert.equal(h.gaps.length, 0, 'no gap: the connection did not come back');
  });

  test('disconnect() while waiting to reconnect stops the retries', async () => {
    const h = await harness({}, { reconnect: { initialDelayMs: 300, jitter: 0 } });
    await h.client.connect();
    h.srv.peer.ws.terminate();
    await waitUntil(() => h.client.state.kind === 'reconnecting', 'the reconnecting state');
    await h.client.disconnect();
    assert.deepEqual(h.client.state, { kind: 'disconnected', reason: 'disconnected by user' });
    await holdsFor(() => h.srv.peers.length === 1, 500, 'the cancelled retry was due 300 ms after the drop');
  });

  test('reconnect: false turns a drop into disconnected', async () => {
    const h = await harness({}, { reconnect: false });
    await h.client.connect();
    h.srv.peer.ws.close(1001, 'shutting down');
    await waitUntil(() => h.client.state.kind === 'disconnected', 'the final state');
    assert.deepEqual(h.client.state, { kind: 'disconnected', reason: 'server closed the connection (1001 going away: shutting down)' });
    assert.deepEqual(h.marks, ['connect', 'disconnect']);
  });

  test('an absurdly large frame is cut by ws: the drop is logged clearly and the client reconnects', async () => {
    const h = await harness({}, { maxFrameBytes: 1000 });
    await h.client.connect();
    h.srv.peer.sendRaw('x'.repeat(5000)); // over 4 × maxFrameBytes
    await waitUntil(() => h.gaps.length === 1 && h.client.state.kind === 'connected', 'the reconnection after the cut');
    assert.match(h.gaps[0].reason, /over the 4000-byte WebSocket limit/);
    assert.match(h.logger.text('warn'), /over the 4000-byte WebSocket limit/);
    h.srv.peer.sendEvent(sampleEvent(1));
    await waitUntil(() => h.events.length === 1, 'an event after the reconnection');
  });

  test('a silently dead server (no pongs, no frames) is detected by WebSocket pings and dropped', async () => {
    const h = await harness({ autoPong: false }, { liveness: { pingIntervalMs: 100, pongTimeoutMs: 200 } });
    await h.client.connect();
    await waitUntil(() => h.marks.includes('disconnect'), 'the liveness drop');
    const drop = h.states.find((s) => s.kind === 'reconnecting') as Extract<ClientState, { kind: 'reconnecting' }>;
    assert.match(drop.reason, /server stopped answering: no pong nor any frame within 200 ms of a WebSocket ping/);
    await waitUntil(() => h.srv.peers.length >= 2, 'the reconnection attempt');
  });

  test('a quiet server that answers WebSocket pings stays connected', async () => {
    const h = await harness({}, { liveness: { pingIntervalMs: 100, pongTimeoutMs: 300 } });
    await h.client.connect();
    await waitUntil(() => h.srv.peer.pings >= 3, 'three pings answered');
    assert.deepEqual(h.marks, ['connect']);
    assert.equal(h.client.state.kind, 'connected');
  });
});
