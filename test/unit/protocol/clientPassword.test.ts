// The password must never show: not in log lines, error messages, state reasons or warnings,
// even when a hostile server echoes it back in its own texts.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, sampleEvent, waitUntil } from './fakeServer';

const PASSWORD = 'Tr0ub4dor&3-sekrit';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Everything a user could ever read from the client. */
function collect(client: NkServiceClient, logger: MemoryLogger): () => string {
  const texts: string[] = [];
  client.onDidChangeState((s) => texts.push(JSON.stringify(s)));
  client.onDidWarn((w) => texts.push(w.message));
  client.onInvalidFrame((i) => texts.push(i.reason, i.excerpt));
  client.onInvalidEvent((i) => texts.push(i.reason, i.excerpt));
  client.onDidDisconnect((d) => texts.push(d.reason));
  client.onDidGap((g) => texts.push(g.reason));
  return () => [...texts, ...logger.entries.map((e) => e.message)].join('\n');
}

describe('NkServiceClient keeps the password secret', () => {
  test('a hostile server echoing the password in errors, bad frames and close reasons', async () => {
    const srv = await FakeServer.start({
      password: PASSWORD,
      reply: (frame) =>
        frame.cmd === 'subscribe' ? { result: 'error', data: { error: `no subscriptions for password ${PASSWORD}`, code: 9 } } : undefined,
    });
    const logger = new MemoryLogger();
    // Credentials in the URL too: they must be redacted wherever the URL is shown.
    const url = srv.url.replace('ws://', `ws://admin:${encodeURIComponent(PASSWORD)}@`);
    const client = new NkServiceClient({ url, user: 'admin', password: PASSWORD, logger, reconnect: { initialDelayMs: 10 }, loginMeta: { note: PASSWORD } });
    cleanups.push(async () => {
      await client.disconnect();
      client.dispose();
      await srv.close();
    });
    const everything = collect(client, logger);
    await client.connect();
    assert.equal(client.displayUrl, srv.url);
    srv.peer.sendRaw(`not json, but your password is ${PASSWORD}`);
    srv.peer.sendEvent({ type: 'stop', body: { leaked: PASSWORD } });
    srv.peer.sendRequest('media', 'call', 'invite', { password: PASSWORD });
    srv.peer.sendEvent(sampleEvent(1));
    await waitUntil(() => client.stats.events === 1 && client.stats.invalidEvents === 1, 'the frames');
    srv.peer.ws.close(4000, `bye ${PASSWORD}`);
    await waitUntil(() => client.stats.reconnects === 1, 'the reconnection');
    await client.disconnect();

    const text = everything();
    assert.ok(text.includes('no subscriptions for password ***'), 'the server text is shown, masked');
    assert.ok(text.includes('bye ***'));
    assert.equal(text.includes(PASSWORD), false, 'password nowhere');
    assert.equal(text.includes(encodeURIComponent(PASSWORD)), false, 'encoded password nowhere');
  });

  test('a login refusal that repeats the password: the rejected error and state are masked', async () => {
    const srv = await FakeServer.start({
      reply: (frame) => (frame.cmd === 'login' ? { result: 'error', data: { error: `wrong password ${frame.data.password}`, code: 1001 } } : undefined),
    });
    const logger = new MemoryLogger();
    const client = new NkServiceClient({ url: srv.url, user: 'admin', password: PASSWORD, logger });
    cleanups.push(async () => {
      client.dispose();
      await srv.close();
    });
    const everything = collect(client, logger);
    await assert.rejects(client.connect(), (error: Error) => {
      assert.equal(error.message, 'login refused by server: wrong password *** (code 1001)');
      return true;
    });
    assert.equal(everything().includes(PASSWORD), false);
  });

  test('connection errors do not contain the password either', async () => {
    const logger = new MemoryLogger();
    const client = new NkServiceClient({ url: `ws://admin:${PASSWORD}@127.0.0.1:9`, user: 'admin', password: PASSWORD, logger });
    cleanups.push(async () => client.dispose());
    const everything = collect(client, logger);
    await assert.rejects(client.connect(), (error: Error) => {
      assert.match(error.message, /^cannot connect to ws:\/\/127\.0\.0\.1:9: /);
      assert.equal(error.message.includes(PASSWORD), false);
      return true;
    });
    assert.equal(everything().includes(PASSWORD), false);
  });
});
