import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { NkServiceServer, type NkServiceServerOptions } from '../../../src/simulator/nkServiceServer';
import { MemoryLogger } from '../../../src/shared/logger';
import { TestClient, sleep } from './testClient';

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function startServer(options: NkServiceServerOptions = {}) {
  const logger = new MemoryLogger();
  const server = new NkServiceServer({ port: 0, pingSeconds: 0, logger, ...options });
  const { url, port } = await server.start();
  return { server, url, port, logger };
}

describe('NkServiceServer: login', () => {
  let server: NkServiceServer;
  let url: string;
  const clients: TestClient[] = [];
  const connect = async () => {
    const client = await TestClient.connect(url);
    clients.push(client);
    return client;
  };

  before(async () => {
    ({ server, url } = await startServer({ user: 'ops', password: 's3cret' }));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
  });

  test('core/user/login with the right password answers ok with a session id', async () => {
    const client = await connect();
    const response = await client.login('ops', 's3cret');
    assert.equal(response.result, 'ok');
    assert.match(String((response.data as { session_id?: string }).session_id), UUID_LIKE);
  });

  // A missing subclass is "core" on every era's server (nkservice@79bf10d:src/nkservice_api_server.erl:279),
  // so core/login is not the login command: the simulator used to accept it, no server did.
  test('a login without subclass is not the login: refused as not authenticated', async () => {
    const client = await connect();
    const response = await client.request('core', undefined, 'login', { user: 'ops', password: 's3cret' });
    assert.equal(response.result, 'error');
    assert.deepEqual(response.data, { code: 1031, error: 'Not authenticated' });
  });

  test('a wrong password gets unauthorized (Aug 2016: 1030) and the connection stays open for a retry', async () => {
    const client = await connect();
    const refused = await client.login('ops', 'wrong');
    assert.equal(refused.result, 'error');
    assert.deepEqual(refused.data, { code: 1030, error: 'Unauthorized' });
    assert.equal(client.isOpen, true);
    const retried = await client.login('ops', 's3cret');
    assert.equal(retried.result, 'ok');
  });

  test('any user may log in, with the password as password or pass', async () => {
    for (const data of [{ user: 'someone', password: 's3cret' }, { user: 'other', pass: 's3cret' }]) {
      const client = await connect();
      assert.equal((await client.request('core', 'user', 'login', data)).result, 'ok', JSON.stringify(data));
    }
  });

  test('a login without user or password strings is refused', async () => {
    const client = await connect();
    const response = await client.request('core', 'user', 'login', { user: 'ops' });
    assert.equal(response.result, 'error');
  });

  test('any other request before login gets an error response', async () => {
    const client = await connect();
    const subscribe = await client.subscribe({ class: 'media' });
    assert.equal(subscribe.result, 'error');
    assert.deepEqual(subscribe.data, { code: 1031, error: 'Not authenticated' });
    const other = await client.request('media', 'session', 'start', {});
    assert.equal(other.result, 'error');
  });

  test('a client that failed to log in receives no events', async () => {
    const client = await connect();
    await client.subscribe({ class: 'media' });
    const delivered = server.publish({ class: 'media', subclass: 'session', type: 'stop', obj_id: 'x', body: { code: 0 } });
    assert.equal(delivered, 0);
  });
});

describe('NkServiceServer: commands and bad input', () => {
  // The era's unknown_command: 1041 "Unknown command" in Aug 2016 (nkservice@b780fbf:src/nkservice_callbacks.erl:167),
  // not the simulator's old 1001 "unknown command media/session/start", which no server sent.
  test('unknown commands get the era\'s unknown_command error', async () => {
    const { server, url } = await startServer();
    const client = await TestClient.connect(url);
    try {
      await client.login();
      const response = await client.request('media', 'session', 'start', { type: 'echo' });
      assert.equal(response.result, 'error');
      assert.deepEqual(response.data, { code: 1041, error: 'Unknown command' });
    } finally {
      await client.close();
      await server.stop();
    }
  });

  test('invalid frames are logged and ignored; the connection keeps working', async () => {
    const { server, url, logger } = await startServer();
    const client = await TestClient.connect(url);
    let disconnects = 0;
    server.onDidDisconnect(() => disconnects++);
    try {
      client.sendRaw('this is not json');
      client.sendRaw('[1,2,3]');
      client.sendRaw('{"hello":"world"}');
      client.sendRaw('{"class":"core","cmd":"login"}');
      client.sendRaw('{"ack":{"nested":true}}');
      client.sendRaw(Buffer.from([1, 2, 3]));
      client.send({ result: 'ok', tid: 987654 });
      client.send({ ack: 424242 });
      const response = await client.login();
      assert.equal(response.result, 'ok');
      assert.equal(client.isOpen, true);
      assert.equal(disconnects, 0);
      const warnings = logger.text('warn');
      assert.match(warnings, /not JSON/);
      assert.match(warnings, /binary frame/);
      assert.match(warnings, /bad request/);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  test('connect, login and disconnect are reported with a reason', async () => {
    const { server, url } = await startServer();
    const seen: string[] = [];
    server.onDidConnect((c) => seen.push(`connect ${c.clientId}`));
    server.onDidLogin((l) => seen.push(`login ${l.clientId} ${l.user}`));
    server.onDidDisconnect((d) => seen.push(`disconnect ${d.clientId} ${d.reason}`));
    try {
      const client = await TestClient.connect(url);
      await client.login();
      assert.equal(server.clientCount, 1);
      client.close();
      await waitUntil(() => server.clientCount === 0, 'the server to drop the closed client');
      assert.deepEqual(seen.slice(0, 2), ['connect 1', 'login 1 admin']);
      assert.match(seen[2], /^disconnect 1 /);
    } finally {
      await server.stop();
    }
  });
});

describe('NkServiceServer: start and stop', () => {
  test('a port in use gives a clear one-line error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const server = new NkServiceServer({ port, pingSeconds: 0 });
    try {
      await assert.rejects(server.start(), { message: `port ${port} on 127.0.0.1 is already in use` });
    } finally {
      await server.stop();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('start returns the ws:// url of the chosen free port', async () => {
    const { server, url, port } = await startServer();
    try {
      assert.ok(port > 0);
      assert.equal(url, `ws://127.0.0.1:${port}`);
    } finally {
      await server.stop();
    }
  });

  test('stop closes every client with "server stopping" and can be called twice', async () => {
    const { server, url } = await startServer();
    const a = await TestClient.connect(url);
    const b = await TestClient.connect(url);
    await a.login();
    const reasons: string[] = [];
    server.onDidDisconnect((d) => reasons.push(d.reason));
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    const [closedA, closedB] = await Promise.all([a.waitForClose(), b.waitForClose()]);
    assert.deepEqual(closedA, { code: 1001, reason: 'server stopping' });
    assert.equal(closedB.reason, 'server stopping');
    assert.deepEqual(reasons, ['server stopping', 'server stopping']);
    assert.equal(server.clientCount, 0);
    await assert.rejects(TestClient.connect(url));
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
