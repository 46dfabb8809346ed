import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'net';
import { NkServiceClient, type ClientState } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FAKE_SESSION_ID, FakeServer, waitUntil } from './fakeServer';
import { holdsFor } from '../holdsFor';

const clients: NkServiceClient[] = [];
const servers: FakeServer[] = [];

function track(client: NkServiceClient): { client: NkServiceClient; states: ClientState[] } {
  clients.push(client);
  const states: ClientState[] = [];
  client.onDidChangeState((s) => states.push(s));
  return { client, states };
}

async function server(options: Parameters<typeof FakeServer.start>[0] = {}): Promise<FakeServer> {
  const s = await FakeServer.start(options);
  servers.push(s);
  return s;
}

after(async () => {
  for (const client of clients) {
    await client.disconnect();
    client.dispose();
  }
  for (const s of servers) await s.close();
});

describe('NkServiceClient login and subscriptions', () => {
  test('logs in with subclass "user" and the password as pass and password, probes the era, subscribes to media and collab, and reports the session', async () => {
    const srv = await server();
    const { client, states } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', snapshot: false }));
    const connects: Array<{ sessionId?: string }> = [];
    client.onDidConnect((e) => connects.push(e));
    await client.connect();
    const [loginFrame, pingFrame, mediaFrame, collabFrame, ...rest] = srv.peer.received;
    assert.deepEqual(loginFrame, { class: 'core', subclass: 'user', cmd: 'login', data: { user: 'admin', pass: 'admin', password: 'admin' }, tid: 1 });
    assert.deepEqual(pingFrame, { class: 'core', cmd: 'ping', tid: 2 }, 'the first keepalive ping: its error code tells the era');
    assert.deepEqual(mediaFrame, { class: 'core', subclass: 'event', cmd: 'subscribe', data: { class: 'media' }, tid: 3 });
    assert.deepEqual(collabFrame, { class: 'core', subclass: 'event', cmd: 'subscribe', data: { class: 'collab' }, tid: 4 });
    assert.equal(rest.length, 0);
    assert.equal(client.state.kind, 'connected');
    assert.equal(client.state.kind === 'connected' && client.state.sessionId, FAKE_SESSION_ID);
    assert.deepEqual(states.map((s) => s.kind), ['connecting', 'connected']);
    assert.equal(connects.length, 1);
    assert.equal(connects[0].sessionId, FAKE_SESSION_ID);
  });

  test('older servers: login without subclass, with extra metadata that cannot override the credentials', async () => {
    const srv = await server();
    const { client } = track(
      new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', loginSubclass: false, loginMeta: { client: 'inspector', password: 'other' } }),
    );
    await client.connect();
    const login = srv.peer.requests('login')[0];
    assert.equal('subclass' in login, false);
    assert.deepEqual(login.data, { client: 'inspector', user: 'admin', pass: 'admin', password: 'admin' });
  });

  test('subscriptions are sent as configured, each with its own tid', async () => {
    const srv = await server();
    const subscriptions = [{ class: 'media', subclass: 'session' }, { class: 'media', subclass: 'room', type: 'started', obj_id: '*' }, { class: 'core' }];
    const { client } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', subscriptions }));
    await client.connect();
    const sent = srv.peer.requests('subscribe');
    // A "*" field is left out: both eras read a missing field as any, and develop has no "*" wildcard.
    assert.deepEqual(sent.map((f) => f.data), [{ class: 'media', subclass: 'session' }, { class: 'media', subclass: 'room', type: 'started' }, { class: 'core' }]);
    assert.equal(new Set(sent.map((f) => f.tid)).size, 3);
  });

  test('a refused subscription is a warning; the connection still comes up with the others', async () => {
    const srv = await server({
      reply: (frame) => (frame.cmd === 'subscribe' && frame.data.subclass === 'nope' ? { result: 'error', data: { error: 'Unauthorized', code: 1030 } } : undefined),
    });
    const logger = new MemoryLogger();
    const { client } = track(
      new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', logger, subscriptions: [{ class: 'media', subclass: 'nope' }, { class: 'media' }] }),
    );
    const warnings: string[] = [];
    client.onDidWarn((w) => warnings.push(w.message));
    await client.connect();
    assert.equal(client.state.kind, 'connected');
    // 1030 is `unauthorized` in the Aug 2016 table (nkservice@b780fbf:src/nkservice_callbacks.erl:159).
    const expected = "subscription media/nope refused by server: Unauthorized (code 1030: unauthorized: the service's api_allow / api_subscribe_allow callback refused it (NkSERVICE refuses every command by default; the service must allow it))";
    assert.deepEqual(warnings, [expected]);
    assert.ok(logger.text('warn').includes(expected));
    assert.equal(client.state.kind === 'connected' && client.state.refusedSubscriptions?.length, 1, 'the connected state names the refusal');
  });

  test('login refused: connect() rejects with the server message, state is disconnected, no reconnect loop', async () => {
    const srv = await server();
    const { client, states } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'wrong', reconnect: { initialDelayMs: 10 } }));
    await assert.rejects(client.connect(), { message: 'login refused by server: Invalid password (code 1001)' });
    assert.deepEqual(client.state, { kind: 'disconnected', reason: 'login refused by server: Invalid password (code 1001)' });
    await holdsFor(() => srv.peers.length === 1, 200, 'a (wrong) retry loop with initialDelayMs 10 would try several times');
    assert.ok(!states.some((s) => s.kind === 'reconnecting'));
  });

  test('nothing listening: connect() rejects with ECONNREFUSED and does not retry', async () => {
    const port = await closedPort();
    const { client, states } = track(new NkServiceClient({ url: `ws://127.0.0.1:${port}`, user: 'admin', password: 'admin', reconnect: { initialDelayMs: 10 } }));
    await assert.rejects(client.connect(), { message: `cannot connect to ws://127.0.0.1:${port}: ECONNREFUSED` });
    assert.equal(client.state.kind, 'disconnected');
    await holdsFor(() => states.length === 2, 100, 'a (wrong) retry with initialDelayMs 10 would show as a new state');
    assert.deepEqual(states.map((s) => s.kind), ['connecting', 'disconnected']);
  });

  test('an HTTP server that is not a WebSocket endpoint is named as such', async () => {
    const http = await import('http');
    const plain = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const port = (plain.address() as net.AddressInfo).port;
      const { client } = track(new NkServiceClient({ url: `ws://127.0.0.1:${port}/ws`, user: 'admin', password: 'admin' }));
      await assert.rejects(client.connect(), /the server answered HTTP 404 instead of accepting a WebSocket/);
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  test('a server that never answers the login: connect() rejects with a timeout, not a hang', async () => {
    const srv = await server({ reply: () => 'silent' });
    const { client } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', requestTimeoutMs: 200 }));
    await assert.rejects(client.connect(), { message: 'request core/user/login timed out after 200 ms' });
    assert.equal(client.state.kind, 'disconnected');
    await waitUntil(() => !srv.peer.open, 'the abandoned socket to be closed');
  });

  test('a url that is not ws:// or wss:// is refused at once, without credentials in the message', () => {
    assert.throws(() => new NkServiceClient({ url: 'http://admin:hunter22@host/', user: 'admin', password: 'hunter22' }), (error: Error) => {
      assert.equal(error.message, 'NkSERVICE url must start with ws:// or wss:// (got "http://host/")');
      return true;
    });
  });

  test('disconnect() closes cleanly, reports the disconnect, and stops for good', async () => {
    const srv = await server();
    const { client } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', reconnect: { initialDelayMs: 10 } }));
    const disconnects: string[] = [];
    client.onDidDisconnect((e) => disconnects.push(e.reason));
    await client.connect();
    await client.disconnect();
    assert.deepEqual(client.state, { kind: 'disconnected', reason: 'disconnected by user' });
    assert.deepEqual(disconnects, ['disconnected by user']);
    await waitUntil(() => !srv.peer.open, 'the server side to see the close');
    await holdsFor(() => srv.peers.length === 1, 100, 'a (wrong) reconnection with initialDelayMs 10 would come within it');
    await assert.rejects(client.request('core', undefined, 'ping'), /not connected/);
  });

  test('connect() right after disconnect() starts a fresh connection', async () => {
    const srv = await server();
    const { client } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin' }));
    const disconnects: string[] = [];
    client.onDidDisconnect((e) => disconnects.push(e.reason));
    await client.connect();
    const closing = client.disconnect();
    await client.connect();
    await closing;
    assert.equal(client.state.kind, 'connected');
    assert.equal(srv.peers.length, 2);
    assert.deepEqual(disconnects, ['disconnected by user']);
    let got = 0;
    client.onEvent(() => got++);
    srv.peer.sendEvent({ class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c1' });
    await waitUntil(() => got === 1, 'an event on the new connection');
  });

  test('disconnect() during the first attempt cancels it', async () => {
    const srv = await server({ reply: () => 'silent' });
    const { client } = track(new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', requestTimeoutMs: 5000 }));
    const connecting = client.connect();
    await waitUntil(() => srv.peers.length === 1 && srv.peer.received.length === 1, 'the login request');
    await client.disconnect();
    await assert.rejects(connecting, /cancelled: disconnected by user/);
    assert.deepEqual(client.state, { kind: 'disconnected', reason: 'disconnected by user' });
  });
});

/** A port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
