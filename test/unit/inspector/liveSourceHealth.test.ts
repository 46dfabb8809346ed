// #14 part 3: a live source samples its connection's health into the store (`health`
// annotations), so the tree can summarise it and Save Trace keeps it; `stats` reads the same
// summary back from the file. Samples from a file are checked field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventStore } from '../../../src/core';
import { LiveSource } from '../../../src/inspector/liveSource';
import { nullLogger } from '../../../src/shared/logger';
import { NkMediaSimulator } from '../../../src/simulator';
import { healthSamples, healthSummary, healthText, readHealthSample } from '../../../src/core/healthSummary';
import { saveTrace } from '../../../src/trace/saveTrace';
import { formatTraceStats, readTraceStats } from '../../../src/trace/stats';
import { waitUntil } from '../protocol/fakeServer';

test('a live source samples answer latency, ping cadence and rate; a saved trace gives stats the same health', { timeout: 30_000 }, async () => {
  const sim = new NkMediaSimulator({ port: 0, seed: 4, rate: 300, pingSeconds: 1 });
  const { url } = await sim.start();
  const source = new LiveSource({ id: 'sim', name: 'sim', logger: nullLogger, healthSampleMs: 1500, client: { url, user: 'admin', password: 'admin', reconnect: false } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-health-'));
  try {
    await source.connect();
    await waitUntil(() => healthSamples(source.store).filter((s) => s.pings >= 1).length >= 2, 'two samples with server pings', 20_000);
    const summary = healthSummary(source.store);
    assert.ok(summary.worstP99Us !== undefined && summary.worstP99Us < 1_000_000, `answers p99 under a second: ${summary.worstP99Us} µs`);
    assert.ok(summary.pingIntervalMs !== undefined && Math.abs(summary.pingIntervalMs - 1000) < 300, `pings every second: ${summary.pingIntervalMs}`);
    assert.ok(summary.eventsPerSecond > 50, `the rate: ${summary.eventsPerSecond}`);
    assert.match(healthText(summary), /^answers p99 \d+(\.\d)? (µs|ms) \(max .+\) · pings every 1\.\d s · [\d.]+ ev\/s \(peak [\d.]+\)$/);
    await source.disconnect();
    const file = path.join(dir, 'health.nkmtrace');
    await saveTrace(source.store, file);
    const stats = await readTraceStats(file);
    assert.equal(stats.health.samples, healthSamples(source.store).length, 'every sample in the file, the last one taken at disconnect');
    assert.equal(stats.health.worstP99Us, healthSummary(source.store).worstP99Us);
    assert.match(formatTraceStats(stats), /^health \(\d+ samples over \d+ s\): answers p99 /m);
  } finally {
    await source.dispose();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a health line from a file that is not a sample is skipped; one without latency says so', { timeout: 5_000 }, () => {
  assert.equal(readHealthSample({ line: 'health', ts: 1, windowMs: 'x', answers: 1, pings: 0, events: 1 }), undefined);
  assert.equal(readHealthSample({ line: 'health', ts: 1, windowMs: 10_000, answers: -1, pings: 0, events: 1 }), undefined);
  assert.deepEqual(readHealthSample({ line: 'health', ts: 1, windowMs: 10_000, answers: 0, pings: 0, events: 0, answerP99Us: '<img>' }), { ts: 1, windowMs: 10_000, answers: 0, pings: 0, events: 0 });
  const store = new EventStore();
  try {
    store.addAnnotation({ line: 'health', ts: 1, windowMs: 10_000, answers: 0, pings: 0, events: 0 });
    assert.equal(healthText(healthSummary(store)), 'no answers · no server pings · 0 ev/s (peak 0)');
    store.addAnnotation({ line: 'health', ts: 2, windowMs: 10_000, answers: 0, pings: 0, events: 50, dropped: 7 });
    assert.equal(healthText(healthSummary(store)), 'no answers · no server pings · 2.5 ev/s (peak 5) · 7 events dropped by the recorder');
  } finally {
    store.dispose();
  }
});
