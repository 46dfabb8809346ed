// #14 part 3, connection health as the client measures it: each answer's latency (frame read
// → answer written), the server's ping cadence and the events, per window; against a clock we
// drive, then for real against the simulator, whose pings and events the meter must see.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { HealthMeter } from '../../../src/protocol/healthMeter';
import { NkMediaSimulator } from '../../../src/simulator';
import { nullLogger } from '../../../src/shared/logger';
import { waitUntil } from './fakeServer';

const T = { timeout: 20_000 };

describe('health meter', () => {
  test('answer latency from read to write, ping cadence and events, per window', T, () => {
    let now = 1000;
    const meter = new HealthMeter(() => now);
    meter.answerQueued(now); // read at 1000
    now += 0.2;
    meter.answerQueued(now); // read at 1000.2
    now += 0.3;
    meter.answersWritten(); // both written at 1000.5: 500 µs and 300 µs
    meter.serverPing(1000);
    meter.serverPing(6000);
    meter.serverPing(11_000);
    meter.event();
    meter.event();
    now = 11_000;
    const first = meter.sample();
    assert.deepEqual(first, { windowMs: 10_000, answers: 2, answerP50Us: 300, answerP99Us: 500, answerMaxUs: 500, pings: 3, pingIntervalMs: 5000, events: 2 });
    now = 21_000;
    assert.deepEqual(meter.sample(), { windowMs: 10_000, answers: 0, pings: 0, events: 0 }, 'a quiet window says so, with no latency');
    meter.answerQueued(now);
    meter.dropQueued();
    now += 5;
    meter.answersWritten();
    assert.equal(meter.sample().answers, 0, 'answers lost with their connection have no latency');
  });

  test("against the simulator: the server's pings every second, its events and sub-second answers", T, async () => {
    const sim = new NkMediaSimulator({ port: 0, seed: 2, rate: 200, pingSeconds: 1 });
    const { url } = await sim.start();
    const client = new NkServiceClient({ url, user: 'admin', password: 'admin', logger: nullLogger, reconnect: false });
    try {
      await client.connect();
      client.health.sample(); // the login's window
      let events = 0;
      client.onEvent(() => events++);
      await waitUntil(() => events >= 300, '300 events');
      const started = Date.now();
      await waitUntil(() => Date.now() - started > 2_600, 'three pings more');
      const sample = client.health.sample();
      assert.ok(sample.pings >= 2, `pings seen: ${sample.pings}`);
      assert.ok(sample.pingIntervalMs !== undefined && Math.abs(sample.pingIntervalMs - 1000) < 300, `the cadence is the server's 1 s: ${sample.pingIntervalMs}`);
      assert.ok(sample.events > 0 && sample.answers >= sample.events, `every event answered: ${sample.answers} answers, ${sample.events} events`);
      assert.ok(sample.answerP99Us !== undefined && sample.answerP99Us > 0 && sample.answerP99Us < 1_000_000, `answers well inside the 5 s rule: p99 ${sample.answerP99Us} µs`);
    } finally {
      await client.disconnect();
      client.dispose();
      await sim.stop();
    }
  });
});
