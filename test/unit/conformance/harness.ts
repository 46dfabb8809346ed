// The conformance checks every era runs against the product: the client (NkServiceClient), the
// live source (LiveSource + EventStore) and the recorder (runRecord + loadTrace), each talking
// to that era's fake server (servers/<era>.ts, written from the Erlang sources).
//
// What is asserted is what a user would notice: the connection comes up, every event the
// server sent is there, objects end the way the server says (normal / declined / fault, with
// no false alarms), listeners point at their publishers, a quiet connection is not dropped by
// the server's idle timer, and the era is recognised.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NkServiceClient } from '../../../src/protocol/client';
import { LiveSource } from '../../../src/inspector/liveSource';
import type { EventStore } from '../../../src/core';
import { MemoryLogger } from '../../../src/shared/logger';
import { holdsFor } from '../holdsFor';
import { runRecord } from '../../../src/cli/recordCommand';
import { loadTrace } from '../../../src/trace/loadTrace';
import type { EraId, EraServer, EraServerOptions, ExpectedOutcome } from './servers/base';

export type StartServer = (options?: EraServerOptions) => Promise<EraServer>;

export const USER = 'admin';
export const PASSWORD = 'admin';
const TEST_TIMEOUT = 20_000;

/** Polls until `condition` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Anomalies that would be a false alarm on a normal or declined end. */
const END_ALARMS = new Set(['fault-end', 'nonzero-code', 'hangup-before-answer']);

/**
 * Compares the store with the server's expected outcome. Collects every mismatch, so one
 * failure lists all of them.
 */
export function outcomeMismatches(store: EventStore, expected: ExpectedOutcome): string[] {
  const problems: string[] = [];
  const counts = store.counts();
  if (JSON.stringify(counts) !== JSON.stringify(expected.counts)) {
    problems.push(`object counts ${JSON.stringify(counts)}, expected ${JSON.stringify(expected.counts)}`);
  }
  for (const want of expected.objects) {
    const obj = store.getObject(want.key);
    if (!obj) {
      problems.push(`${want.key}: missing`);
      continue;
    }
    const wrong: string[] = [];
    if (obj.kind !== want.kind) wrong.push(`kind ${obj.kind} (want ${want.kind})`);
    if (!obj.ended) wrong.push('not ended');
    if (obj.state !== want.state) wrong.push(`state ${obj.state} (want ${want.state})`);
    if (want.verdict !== undefined && obj.endVerdict !== want.verdict) wrong.push(`endVerdict ${String(obj.endVerdict)} (want ${want.verdict})`);
    if (want.code !== undefined && obj.code !== want.code) wrong.push(`code ${String(obj.code)} (want ${want.code})`);
    const kinds = obj.anomalies.map((a) => a.kind);
    if (want.verdict === 'fault' && !kinds.includes('fault-end')) wrong.push(`no fault-end anomaly (has ${JSON.stringify(kinds)})`);
    if ((want.verdict === 'normal' || want.verdict === 'declined') && kinds.some((k) => END_ALARMS.has(k))) {
      wrong.push(`false alarm ${JSON.stringify(kinds.filter((k) => END_ALARMS.has(k)))} on a ${want.verdict} end`);
    }
    if (wrong.length > 0) problems.push(`${want.key}: ${wrong.join('; ')} -- because ${want.why}`);
  }
  for (const want of expected.rooms) {
    const room = store.getObject(want.key);
    if (!room) {
      problems.push(`${want.key}: room missing`);
      continue;
    }
    const pubs = [...room.publishers.keys()].sort();
    if (JSON.stringify(pubs) !== JSON.stringify([...want.publishers].sort())) problems.push(`${want.key}: publishers ${JSON.stringify(pubs)}, expected ${JSON.stringify(want.publishers)} (${want.why})`);
    const lis = [...room.listeners.keys()].sort();
    if (JSON.stringify(lis) !== JSON.stringify(Object.keys(want.listeners).sort())) problems.push(`${want.key}: listeners ${JSON.stringify(lis)}, expected ${JSON.stringify(Object.keys(want.listeners))} (${want.why})`);
    for (const [listener, peer] of Object.entries(want.listeners)) {
      const member = room.listeners.get(listener);
      if (member && member.peer !== peer) problems.push(`${want.key}: listener ${listener} peer ${String(member.peer)}, expected ${String(peer)} (${want.why})`);
    }
  }
  return problems;
}

interface Live {
  server: EraServer;
  source: LiveSource;
  logger: MemoryLogger;
}

async function startLive(start: StartServer, serverOptions: EraServerOptions, clientOptions: Record<string, unknown> = {}): Promise<Live> {
  const server = await start(serverOptions);
  const logger = new MemoryLogger();
  const source = new LiveSource({
    id: 'conformance',
    name: 'conformance',
    client: { url: server.url, user: USER, password: PASSWORD, dialect: 'auto', ...clientOptions },
    logger,
  });
  return { server, source, logger };
}

async function stopLive(live: Live | undefined): Promise<void> {
  if (!live) return;
  await live.source.dispose().catch(() => undefined);
  await live.server.close();
}

/** Waits until the script ran and the store holds as many events as the server sent. */
async function waitForScript(live: Live): Promise<void> {
  await live.server.scriptDone;
  await waitFor(() => live.source.store.size >= live.server.eventsSent(), `${live.server.eventsSent()} events in the store (has ${live.source.store.size})`).catch(() => undefined);
  // Anything more would be a duplicate the product made: it fails here, as it arrives.
  await holdsFor(() => live.source.store.size <= live.server.eventsSent(), 150, 'the fake server sends within a few ms on loopback: a duplicate of its last events would arrive in it');
}

/**
 * The checks every era runs. `era` is the product's dialect id of that server.
 */
export function conformanceSuite(era: EraId, start: StartServer, label = ''): void {
  describe(`conformance ${era}${label ? ` (${label})` : ''}: the product against a fake ${era} server`, () => {
    test(`1a. logs in with dialect "auto"`, { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ script: false });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'auto', reconnect: false });
      try {
        await client.connect();
        assert.equal(client.state.kind, 'connected');
        assert.equal(server.conns.length, 1, 'one connection, no retry');
        assert.equal(server.conns[0].loggedIn, true, `the server accepted the login data ${JSON.stringify(redacted(server.conns[0].loginData))}`);
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test(`1b. logs in with dialect "${era}"`, { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ script: false });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: era, reconnect: false });
      try {
        await client.connect();
        assert.equal(client.state.kind, 'connected');
        assert.equal(server.conns[0].loggedIn, true, `the server accepted the login data ${JSON.stringify(redacted(server.conns[0].loginData))}`);
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test('1c. health: the meter counts the server\'s own pings at their cadence, and every request is answered', { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ pingIntervalMs: 250 });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'auto', reconnect: false });
      try {
        await client.connect();
        client.health.sample(); // the login's window
        const conn = server.conns[0];
        const before = conn.pingsSent;
        await waitFor(() => conn.pingsSent >= before + 4, 'four more server pings', 10_000);
        const sample = client.health.sample();
        assert.ok(sample.pings >= 3, `the meter saw the era's pings: ${sample.pings} (server sent ${conn.pingsSent - before})`);
        assert.ok(sample.pingIntervalMs !== undefined && Math.abs(sample.pingIntervalMs - 250) < 150, `at the server's cadence: ${sample.pingIntervalMs} ms`);
        assert.ok(sample.answers >= sample.pings, `every ping answered: ${sample.answers} answers`);
        assert.ok(sample.answerP99Us !== undefined && sample.answerP99Us < 1_000_000, `well inside the 5 s rule: p99 ${sample.answerP99Us} µs`);
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test('2. every scripted event is recorded (live store)', { timeout: TEST_TIMEOUT }, async () => {
      let live: Live | undefined;
      try {
        live = await startLive(start, {});
        await live.source.connect();
        await waitForScript(live);
        assert.equal(live.server.eventsSent(), live.server.expected.events, 'the server delivered the whole script: the default subscriptions cover classes media and collab');
        assert.equal(live.source.store.size, live.server.eventsSent(), 'store.size equals the events the server sent');
        assert.equal(live.source.client.stats.invalidEvents, 0, 'no event refused as invalid');
      } finally {
        await stopLive(live);
      }
    });

    test('3. object counts, end states, verdicts and listener -> publisher links', { timeout: TEST_TIMEOUT }, async () => {
      let live: Live | undefined;
      try {
        live = await startLive(start, {});
        await live.source.connect();
        await waitForScript(live);
        assert.deepEqual(outcomeMismatches(live.source.store, live.server.expected), []);
      } finally {
        await stopLive(live);
      }
    });

    test('4a. a quiet connection outlives the server idle timeout (keepaliveMs 400, idle 1500 ms)', { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ idleTimeoutMs: 1500, script: false });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'auto', keepaliveMs: 400 });
      try {
        await client.connect();
        await holdsFor(() => server.conns[0].plumb.closeCause === undefined, 5200, 'over three server idle timeouts of 1500 ms');
        assert.equal(server.conns[0].plumb.closeCause, undefined, `the server closed the connection: ${server.conns[0].plumb.closeCause}`);
        assert.equal(server.conns.length, 1, 'no second connection');
        assert.equal(client.stats.reconnects, 0);
        assert.equal(client.state.kind, 'connected');
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test('4b. negative control: without keepalive the server closes it, WebSocket pings do not count', { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ idleTimeoutMs: 1500, script: false });
      const client = new NkServiceClient({
        url: server.url,
        user: USER,
        password: PASSWORD,
        dialect: 'auto',
        keepaliveMs: false,
        reconnect: false,
        liveness: { pingIntervalMs: 250, pongTimeoutMs: 5000 },
      });
      try {
        await client.connect();
        await waitFor(() => server.conns[0].plumb.closeCause !== undefined, 'the server to close the idle connection', 6000);
        assert.equal(server.conns[0].plumb.closeCause, 'idle-timeout');
        assert.ok(server.conns[0].plumb.wsPings > 0, 'the client sent WebSocket pings, and they did not keep the connection');
        await waitFor(() => client.state.kind === 'disconnected', 'the client to see the drop');
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test('5. the recorder records the same events, and the trace gives the same states', { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({});
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nkm-conf-${era}-`));
      const file = path.join(dir, 'trace.nkmtrace');
      const out: string[] = [];
      const err: string[] = [];
      try {
        const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: { NKMEDIA_PASSWORD: PASSWORD } as NodeJS.ProcessEnv };
        const code = await runRecord(['--url', server.url, '--out', file, '--dialect', 'auto', '--duration', '3', '--quiet'], io);
        assert.equal(code, 0, err.join(''));
        assert.equal(server.eventsSent(), server.expected.events, 'the recorder subscribed to everything the script sends');
        const loaded = await loadTrace(file);
        try {
          assert.equal(loaded.events, server.eventsSent(), 'trace event count equals the events the server sent');
          assert.deepEqual(outcomeMismatches(loaded.store, server.expected), []);
        } finally {
          loaded.store.dispose();
        }
      } finally {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test(`6. the detected dialect is ${era}`, { timeout: TEST_TIMEOUT }, async () => {
      let live: Live | undefined;
      try {
        live = await startLive(start, {});
        const detections: Array<string | undefined> = [];
        assert.equal(typeof live.source.client.onDidDetectDialect, 'function', 'NkServiceClient.onDidDetectDialect is missing');
        live.source.client.onDidDetectDialect((d: { id?: string }) => detections.push(d.id));
        await live.source.connect();
        await waitForScript(live);
        assert.equal(live.source.client.detectedDialect.id, era, `detected ${JSON.stringify(live.source.client.detectedDialect)}`);
        assert.equal(detections[detections.length - 1], era, 'the last onDidDetectDialect names the era');
      } finally {
        await stopLive(live);
      }
    });
  });
}

function redacted(data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!data) return data;
  const copy: Record<string, unknown> = { ...data };
  for (const key of ['password', 'pass']) if (key in copy) copy[key] = '***';
  return copy;
}

/** A request's error as the product client reports it (RequestError has `code`). */
export async function requestError(client: NkServiceClient, cls: string, sub: string | undefined, cmd: string, data?: object): Promise<{ code?: unknown; message: string }> {
  try {
    await client.request(cls, sub, cmd, data);
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error(`${cls}/${sub ?? ''}/${cmd} did not fail`);
}

export interface EraFacts {
  era: EraId;
  start: StartServer;
  /** The error code a client core/ping gets (unknown_command of the era). */
  unknownCommandCode: number | string;
  /** The error code of a refused subscription (unauthorized of the era). */
  unauthorizedCode: number | string;
}

/** Era facts every server shows through the product client: error codes and refusals. */
export function protocolSuite(facts: EraFacts): void {
  const { era, start } = facts;
  describe(`protocol ${era}: error codes the product sees`, () => {
    test(`a client core/ping is an unknown command (code ${facts.unknownCommandCode}) and the connection stays`, { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ script: false });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: era, reconnect: false, keepaliveMs: false });
      try {
        await client.connect();
        const error = await requestError(client, 'core', undefined, 'ping');
        assert.equal(error.code, facts.unknownCommandCode, error.message);
        await holdsFor(() => server.conns[0].plumb.closeCause === undefined, 100, 'a server closing on an unknown command does so as it answers');
        assert.equal(client.state.kind, 'connected');
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });

    test(`a refused subscription is a warning with code ${facts.unauthorizedCode}; the others still work`, { timeout: TEST_TIMEOUT }, async () => {
      const server = await start({ subscribeAllow: (s) => s.class !== 'collab' });
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: era, reconnect: false, subscriptions: [{ class: 'media' }, { class: 'collab' }] });
      const warnings: string[] = [];
      client.onDidWarn((w) => warnings.push(w.message));
      let events = 0;
      client.onEvent(() => events++);
      try {
        await client.connect();
        assert.equal(client.state.kind, 'connected');
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        // The code, and what it means in the era's table (unauthorized in every era).
        assert.match(warnings[0], new RegExp(`subscription collab refused by server: .*\\(code ${facts.unauthorizedCode}: unauthorized: `));
        assert.equal(client.state.kind === 'connected' && client.state.refusedSubscriptions?.[0]?.code, facts.unauthorizedCode, 'the refusal is in the connected state, for the tree');
        await server.scriptDone;
        await waitFor(() => events >= server.eventsSent(), 'the media events');
        assert.ok(server.eventsSent() > 0);
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });
  });
}
