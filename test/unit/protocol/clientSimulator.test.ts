// The client against the real embedded simulator (src/simulator): events of sessions, rooms
// and calls arrive exactly as published, pings keep the link up, and a simulator restart on
// the same port is survived with a reconnection and a gap.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkMediaSimulator } from '../../../src/simulator';
import { NkServiceClient, type GapInfo, type ReceivedEvent } from '../../../src/protocol/client';
import type { EventData } from '../../../src/protocol/frames';
import { MemoryLogger } from '../../../src/shared/logger';
import { waitUntil } from './fakeServer';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Starts a simulator and records what it delivered to clients. */
async function startSimulator(port = 0): Promise<{ sim: NkMediaSimulator; url: string; port: number; delivered: EventData[] }> {
  const sim = new NkMediaSimulator({ port, seed: 1, rate: 500, pingSeconds: 1 });
  const delivered: EventData[] = [];
  sim.onDidPublish((p) => {
    if (p.deliveredTo > 0) delivered.push(p.event);
  });
  const address = await sim.start();
  let stopped = false;
  const stop = sim.stop.bind(sim);
  sim.stop = async () => {
    if (stopped) return;
    stopped = true;
    await stop();
  };
  cleanups.push(() => sim.stop());
  return { sim, ...address, delivered };
}

describe('NkServiceClient against the NkMEDIA simulator', () => {
  test('receives session, room and call events, stays up through pings, survives a restart', async () => {
    const first = await startSimulator();
    const logger = new MemoryLogger();
    const client = new NkServiceClient({
      url: first.url,
      user: 'admin',
      password: 'admin',
      logger,
      reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
    });
    cleanups.push(async () => {
      await client.disconnect();
      client.dispose();
    });
    const events: ReceivedEvent[] = [];
    const gaps: GapInfo[] = [];
    const disconnects: string[] = [];
    client.onEvent((e) => events.push(e));
    client.onDidGap((g) => gaps.push(g));
    client.onDidDisconnect((d) => disconnects.push(d.reason));

    await client.connect();
    assert.equal(client.state.kind, 'connected');
    await waitUntil(
      () => ['session', 'room', 'call'].every((subclass) => events.some((e) => e.data.class === 'media' && e.data.subclass === subclass)),
      'events of sessions, rooms and calls',
    );

    // Pings every second: wait until the client has answered a few, still on the first link.
    const pingsAnswered = () => client.stats.answered - client.stats.events - client.stats.invalidEvents - client.stats.unknownRequests;
    await waitUntil(() => pingsAnswered() >= 3, 'three pings answered', 15_000);
    assert.deepEqual(disconnects, [], 'no drop while pings are answered');
    assert.equal(client.stats.invalidFrames, 0);
    assert.equal(client.stats.invalidEvents, 0);

    // A still point first: events the server queued but had not sent when it stops are lost
    // with the socket, by any client, so compare only once everything queued has arrived.
    first.sim.setRate(0);
    await waitUntil(() => events.length === first.delivered.length, 'every delivered event to arrive');
    // Everything the first simulator delivered arrived, once and unchanged.
    assert.deepEqual(
      events.map((e) => e.data),
      first.delivered,
    );
    // Restart on the same port: stop, then start a new simulator there.
    await first.sim.stop();
    await waitUntil(() => disconnects.length === 1, 'the drop to be noticed');
    const beforeRestart = events.length;
    const second = await startSimulator(first.port);
    await waitUntil(() => client.state.kind === 'connected' && gaps.length === 1, 'the reconnection to the restarted simulator', 15_000);
    assert.ok(gaps[0].to >= gaps[0].from, 'the gap has a start and an end');
    assert.equal(client.stats.reconnects, 1);
    await waitUntil(() => events.length >= beforeRestart + 50, 'events from the restarted simulator');
    second.sim.setRate(0); // a still point, to compare everything delivered with everything received
    await waitUntil(() => events.length - beforeRestart === second.delivered.length, 'every delivered event to arrive');
    assert.deepEqual(
      events.slice(beforeRestart).map((e) => e.data),
      second.delivered,
    );
    assert.equal(logger.text('error'), '');
  });
});
