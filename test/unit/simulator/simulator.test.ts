import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NkMediaSimulator } from '../../../src/simulator/simulator';
import { TrafficGenerator } from '../../../src/simulator/traffic';
import { TestClient, sleep, withSimulator } from './testClient';
import { holdsFor } from '../holdsFor';
import { TrafficChecker } from './trafficChecker';

async function subscribedClient(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  await client.login();
  await client.subscribe({ class: 'media' });
  return client;
}

describe('NkMediaSimulator', () => {
  test('no traffic is generated until a client is logged in and subscribed', async () => {
    await withSimulator({ rate: 1000 }, async (simulator, url) => {
      const client = await TestClient.connect(url);
      try {
        await client.login();
        await holdsFor(() => simulator.eventsPublished === 0, 200, 'at 1000 events/s, ~200 would be published in it');
        await client.subscribe({ class: 'media' });
        await client.waitForEvents(20);
        assert.ok(simulator.eventsPublished >= 20);
      } finally {
        await client.close();
      }
    });
  });

  test('a subscribed client receives the seed\'s events in order, from the start of each object', async () => {
    await withSimulator({ rate: 2000, seed: 9 }, async (_simulator, url) => {
      const client = await subscribedClient(url);
      try {
        const events = (await client.waitForEvents(300)).slice(0, 300);
        const expected = new TrafficGenerator({ seed: 9 }).take(400).filter((e) => e.class === 'media').slice(0, 300);
        assert.deepEqual(events, expected);
        const checker = new TrafficChecker();
        for (const event of events) checker.check(event);
        assert.deepEqual(checker.violations, []);
      } finally {
        await client.close();
      }
    });
  });

  test('onDidPublish reports each event and how many clients got it', async () => {
    await withSimulator({ rate: 500 }, async (simulator, url) => {
      const published: number[] = [];
      simulator.onDidPublish((p) => published.push(p.deliveredTo));
      const client = await subscribedClient(url);
      try {
        await client.waitForEvents(10);
        assert.ok(published.length >= 10);
        assert.ok(published.every((n) => n === 0 || n === 1));
        assert.ok(published.includes(1));
        assert.equal(simulator.eventsPublished, published.length);
      } finally {
        await client.close();
      }
    });
  });

  test('setRate(0) pauses the traffic and a new rate resumes it', async () => {
    await withSimulator({ rate: 1000 }, async (simulator, url) => {
      const client = await subscribedClient(url);
      try {
        await client.waitForEvents(10);
        simulator.setRate(0);
        assert.equal(simulator.rate, 0);
        // No tick can be under way: a tick runs to its end synchronously, and the next one reads the rate.
        const paused = simulator.eventsPublished;
        await holdsFor(() => simulator.eventsPublished === paused, 300, 'at the old 1000 events/s, ~300 would be published in it');
        simulator.setRate(1000);
        await client.waitForEvents(client.events.length + 10);
        assert.ok(simulator.eventsPublished > paused);
      } finally {
        await client.close();
      }
    });
  });

  test('traffic follows a client that stops reading instead of piling up memory', async () => {
    await withSimulator({ rate: 100_000, answerTimeoutMs: 60_000 }, async (simulator, url) => {
      const client = await subscribedClient(url);
      try {
        await client.waitForEvents(100);
        client.pauseReading();
        // Once the socket buffers are full, generation stops: the count settles.
        const settled = await settledCount(() => simulator.eventsPublished);
        assert.ok(settled < 200_000, `${settled} events generated for a client that reads nothing`);
        client.resumeReading();
        await waitUntil(() => simulator.eventsPublished > settled + 1000, 'traffic again once the client reads');
        assert.equal(client.isOpen, true);
      } finally {
        await client.close();
      }
    });
  });

  test('a negative or non-numeric rate is refused', () => {
    const simulator = new NkMediaSimulator({ port: 0 });
    assert.throws(() => simulator.setRate(-1), RangeError);
    assert.throws(() => simulator.setRate(Number.NaN), RangeError);
    assert.throws(() => new NkMediaSimulator({ rate: Infinity }), RangeError);
  });
});

/** Waits until `read()` stops changing for 500 ms, and returns the value it settled at. */
async function settledCount(read: () => number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const now = read();
    if (now !== value) {
      value = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 500) {
      return value;
    }
  }
  throw new Error(`the count never settled (still moving at ${value})`);
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
