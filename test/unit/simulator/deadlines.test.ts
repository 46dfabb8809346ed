// Pings and answer deadlines over a real socket. Short timeouts keep the suite quick; the
// assertions only wait for conditions (never that something happened *fast*), and the server
// ignores one late check after its own process stalls, so a loaded machine does not flake.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { EventData } from '../../../src/protocol/frames';
import { NkServiceServer, type NkServiceServerOptions } from '../../../src/simulator/nkServiceServer';
import { MemoryLogger } from '../../../src/shared/logger';
import { TestClient, sleep } from './testClient';
import { holdsFor } from '../holdsFor';

const event: EventData = { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c0ffee00-0000-0000-0000-000000000001', body: {} };

async function withServer(options: NkServiceServerOptions, body: (server: NkServiceServer, url: string, logger: MemoryLogger) => Promise<void>) {
  const logger = new MemoryLogger();
  const server = new NkServiceServer({ port: 0, pingSeconds: 0, logger, ...options });
  const { url } = await server.start();
  try {
    await body(server, url, logger);
  } finally {
    await server.stop();
  }
}

async function subscribedClient(url: string, autoAnswer: boolean): Promise<TestClient> {
  const client = await TestClient.connect(url, { autoAnswer: true });
  await client.login();
  await client.subscribe({ class: 'media' });
  client.autoAnswer = autoAnswer;
  return client;
}

describe('NkServiceServer: pings and answer deadlines', { concurrency: true }, () => {
  // Pings start at login, as the 2016 sample services and develop servers start them
  // (nkmedia@3215f72:src/samples/nkmedia_test_api.erl:242; nkservice@ee00943:src/nkservice_api_server.erl:762).
  test('pings arrive every pingSeconds after login, with data.time and fresh tids', async () => {
    await withServer({ pingSeconds: 0.05 }, async (_server, url) => {
      const client = await TestClient.connect(url);
      try {
        await holdsFor(() => client.serverRequests.length === 0, 200, 'pings every 50 ms would show four times in it');
        await client.login();
        await client.waitFor(() => client.serverRequests.filter((f) => f.cmd === 'ping').length >= 3, '3 pings');
        const pings = client.serverRequests.filter((f) => f.cmd === 'ping');
        assert.deepEqual(pings[0].data, { time: 0.05 });
        assert.equal(pings[0].class, 'core');
        assert.equal(new Set(pings.map((p) => p.tid)).size, pings.length);
      } finally {
        await client.close();
      }
    });
  });

  test('an unanswered ping closes the connection with "answer timeout", and it is logged', async () => {
    await withServer({ pingSeconds: 0.05, answerTimeoutMs: 300 }, async (server, url, logger) => {
      const reasons: string[] = [];
      server.onDidDisconnect((d) => reasons.push(d.reason));
      const client = await TestClient.connect(url, { autoAnswer: false });
      await client.login();
      const closed = await client.waitForClose();
      assert.deepEqual(closed, { code: 4000, reason: 'answer timeout' });
      await waitFor(() => reasons.length === 1, "the server's disconnect event");
      assert.deepEqual(reasons, ['answer timeout']);
      assert.match(logger.text('warn'), /no answer in time.*answer timeout/);
    });
  });

  test('an unanswered event closes the connection', async () => {
    await withServer({ answerTimeoutMs: 300 }, async (server, url) => {
      const client = await subscribedClient(url, false);
      server.publish(event);
      await client.waitForEvents(1);
      assert.equal((await client.waitForClose()).reason, 'answer timeout');
    });
  });

  test('a response with another tid does not count as an answer', async () => {
    await withServer({ answerTimeoutMs: 300 }, async (server, url) => {
      const client = await subscribedClient(url, false);
      server.publish(event);
      const [request] = await client.waitForEvents(1).then(() => client.serverRequests);
      client.send({ result: 'ok', tid: (request.tid as number) + 100 });
      assert.equal((await client.waitForClose()).reason, 'answer timeout');
    });
  });

  test('a client that answers everything stays connected through a stream of events and pings', async () => {
    await withServer({ pingSeconds: 0.05, answerTimeoutMs: 1000 }, async (server, url) => {
      const client = await subscribedClient(url, true);
      try {
        // Keep publishing, 50 events every 75 ms, through pings every 50 ms.
        let published = 0;
        const burst = () => {
          for (let i = 0; i < 50; i++) server.publish(event);
          published += 50;
        };
        burst();
        const traffic = setInterval(burst, 75);
        try {
          await holdsFor(() => client.isOpen, 1500, 'one and a half answer timeouts (1000 ms): a request left unanswered in it would close the connection');
        } finally {
          clearInterval(traffic);
        }
        await client.waitForEvents(published);
        assert.equal(client.isOpen, true);
        assert.ok(client.serverRequests.some((f) => f.cmd === 'ping'));
      } finally {
        await client.close();
      }
    });
  });

  test('any result word counts as an answer, errors included', async () => {
    await withServer({ answerTimeoutMs: 300 }, async (server, url) => {
      const client = await subscribedClient(url, false);
      try {
        server.publish(event);
        const request = (await client.waitFor((f) => f.cmd === 'event', 'event'));
        client.send({ result: 'error', data: { error: 'not interested', code: 1 }, tid: request.tid });
        await holdsFor(() => client.isOpen, 1200, 'four times answerTimeoutMs: several deadline checks');
      } finally {
        await client.close();
      }
    });
  });

  test('an ack extends the deadline by ackExtensionMs, after which the request expires', async () => {
    await withServer({ answerTimeoutMs: 300, ackExtensionMs: 1500 }, async (server, url) => {
      const client = await subscribedClient(url, false);
      server.publish(event);
      const request = await client.waitFor((f) => f.cmd === 'event', 'event');
      client.send({ ack: request.tid });
      const ackedAt = Date.now();
      await holdsFor(() => client.isOpen, 800, 'well past answerTimeoutMs (300 ms): only the ack keeps it open');
      const closed = await client.waitForClose();
      assert.equal(closed.reason, 'answer timeout');
      // A lower bound only: a slow machine can make it later, never earlier.
      assert.ok(Date.now() - ackedAt >= 1400, 'the extension lasted about ackExtensionMs');
    });
  });
});

/** Polls `condition` every 10 ms for at most 5 s; fails with `what`. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  assert.ok(condition(), `timed out after 5 s waiting for ${what}`);
}
