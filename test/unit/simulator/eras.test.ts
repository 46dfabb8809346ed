// The simulator in each era's dialect, over a real socket: the frames it sends, the login (ack
// or not, pass or password, a failure answered late), error codes, the idle close, snapshot
// replies, and the subscription wildcard. Expected values are those of the era's sources
// (see src/simulator/eras/*.ts for the citations).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_IDS, DIALECTS, type DialectId } from '../../../src/protocol/dialects';
import type { EventData } from '../../../src/protocol/frames';
import { NkServiceServer, type NkServiceServerOptions } from '../../../src/simulator/nkServiceServer';
import { CLOSE_IDLE_TIMEOUT } from '../../../src/simulator/closeCodes';
import { TestClient, isEventFrame, withSimulator, type Frame } from './testClient';
import { SIP_CODES, TrafficChecker } from './trafficChecker';
import { holdsFor } from '../holdsFor';

const DEVELOP = new Set<DialectId>(['2017', 'nkcollab-2017']);

/** What each era answers to a command it lacks, a client's core/ping included. */
const UNKNOWN_PING: Record<DialectId, Frame> = {
  '2016-07': { code: 1000, error: 'Unknown command' },
  '2016-08': { code: 1041, error: 'Unknown command' },
  '2016-10': { code: 100042, error: "Unknown command 'ping'" },
  'nkcollab-2016': { code: 100042, error: "Unknown command 'ping'" },
  '2017': { code: 'unknown_command', error: "Unknown command 'ping'" },
  'nkcollab-2017': { code: 'unknown_command', error: "Unknown command 'ping'" },
};

const UNAUTHORIZED: Record<DialectId, Frame> = {
  '2016-07': { code: 1000, error: 'Unauthorized' },
  '2016-08': { code: 1030, error: 'Unauthorized' },
  '2016-10': { code: 100030, error: 'Unauthorized' },
  'nkcollab-2016': { code: 100030, error: 'Unauthorized' },
  '2017': { code: 'unauthorized', error: 'Unauthorized' },
  'nkcollab-2017': { code: 'unauthorized', error: 'Unauthorized' },
};

/** The era's snapshot commands: [subclass, list, info, id field]; the other names must be unknown. */
function snapshotNames(dialect: DialectId): { list: string; info: string; other: [string, string]; idField: (subclass: string) => string } {
  if (dialect === '2016-07') return { list: 'list', info: 'info', other: ['get_list', 'get_info'], idField: () => 'id' };
  if (dialect === '2016-08') return { list: 'list', info: 'info', other: ['get_list', 'get_info'], idField: (s) => `${s}_id` };
  return { list: 'get_list', info: 'get_info', other: ['list', 'info'], idField: (s) => `${s}_id` };
}

const sample: EventData = { class: 'media', subclass: 'session', type: 'answer', obj_id: 'aaaaaaaa-0000-0000-0000-000000000001', body: { answer: { sdp: 'v=0\r\n', sdp_type: 'webrtc' } } };

async function withServer(options: NkServiceServerOptions, body: (server: NkServiceServer, url: string) => Promise<void>): Promise<void> {
  const server = new NkServiceServer({ port: 0, pingSeconds: 0, ...options });
  const { url } = await server.start();
  try {
    await body(server, url);
  } finally {
    await server.stop();
  }
}

async function connect(url: string, clients: TestClient[], autoAnswer = true): Promise<TestClient> {
  const client = await TestClient.connect(url, { autoAnswer });
  clients.push(client);
  return client;
}

for (const dialect of DIALECT_IDS) {
  const develop = DEVELOP.has(dialect);
  describe(`simulator in dialect ${dialect}`, { timeout: 30_000, concurrency: true }, () => {
    test(`login: ${develop ? 'no ack' : 'acked first'}; password as password or pass; refused login answered late with the era's code`, async () => {
      const clients: TestClient[] = [];
      await withServer({ dialect, password: 'pw' }, async (_server, url) => {
        try {
          const a = await connect(url, clients);
          const ok = await a.request('core', 'user', 'login', { user: 'alice', pass: 'pw' });
          assert.equal(ok.result, 'ok');
          assert.equal(typeof (ok.data as Frame).session_id, 'string');
          const acked = a.frames.some((f) => f.ack === ok.tid);
          assert.equal(acked, !develop, develop ? 'develop sends no ack' : '2016 acks before the reply');
          // July's sample login reads `pass` (nkmedia@bb1dc51:src/nkmedia_test_api.erl:205): password alone is refused there.
          const b = await connect(url, clients);
          const byPassword = await b.request('core', 'user', 'login', { user: 'bob', password: 'pw' });
          assert.equal(byPassword.result, dialect === '2016-07' ? 'error' : 'ok');
          const c = await connect(url, clients);
          const started = Date.now();
          const refused = await c.request('core', 'user', 'login', { user: 'carol', pass: 'nope', password: 'nope' });
          assert.equal(refused.result, 'error');
          assert.deepEqual(refused.data, UNAUTHORIZED[dialect]);
          assert.ok(Date.now() - started >= (develop ? 950 : 90), 'a refused login is answered after a delay');
          assert.equal(c.isOpen, true);
          const again = await a.request('core', 'user', 'login', { user: 'alice', pass: 'pw' });
          if (dialect === '2016-07') assert.equal(again.result, 'ok', 'July logs in again');
          else assert.equal((again.data as Frame).error, 'Already authenticated');
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
    });

    test(`events come as ${develop ? '{class:"event", data} with no tid, needing no answer' : 'core/event requests with a tid, answered within 5 s'}`, async () => {
      const clients: TestClient[] = [];
      await withServer({ dialect, answerTimeoutMs: 300 }, async (server, url) => {
        try {
          const client = await connect(url, clients, false);
          await client.login();
          await client.subscribe({ class: 'media' });
          server.publish(sample);
          const [frame] = await client.waitFor(isEventFrame, 'an event').then(() => client.frames.filter(isEventFrame));
          if (develop) {
            assert.deepEqual(frame, { class: 'event', data: sample });
            await holdsFor(() => client.isOpen, 800, 'over twice answerTimeoutMs (300 ms): an answer deadline would have closed it');
          } else {
            assert.equal(frame.class, 'core');
            assert.equal(frame.cmd, 'event');
            assert.equal(typeof frame.tid, 'number');
            assert.deepEqual(frame.data, sample);
            assert.equal((await client.waitForClose()).reason, 'answer timeout');
          }
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
    });

    test('error replies carry the era\'s codes: a client core/ping is an unknown command', async () => {
      const clients: TestClient[] = [];
      await withServer({ dialect }, async (_server, url) => {
        try {
          const client = await connect(url, clients);
          const early = await client.request('core', 'event', 'subscribe', { class: 'media' });
          assert.equal(early.result, 'error');
          assert.equal((early.data as Frame).error, develop ? 'Unauthorized' : 'Not authenticated');
          await client.login();
          const ping = await client.request('core', undefined, 'ping', { time: 1 });
          assert.equal(ping.result, 'error');
          assert.deepEqual(ping.data, UNKNOWN_PING[dialect]);
          const collab = await client.request('collab', 'room', 'get_list');
          if (DIALECTS[dialect].collab) assert.equal(collab.result, 'ok');
          else assert.match(String((collab.data as Frame).error), /Not implemented/, 'no plugin takes class collab');
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
    });

    test(`idle close after the idle timeout (era default ${DIALECTS[dialect].keepalive.idleTimeoutMs / 1000} s); WebSocket pings do not count, frames do`, async () => {
      const clients: TestClient[] = [];
      await withServer({ dialect, idleTimeoutMs: 400 }, async (_server, url) => {
        try {
          const quiet = await connect(url, clients);
          await quiet.login();
          const pinging = await connect(url, clients);
          await pinging.login();
          const talking = await connect(url, clients);
          await talking.login();
          const timer = setInterval(() => {
            pinging.wsPing();
            void talking.request('core', undefined, 'ping').catch(() => undefined);
          }, 100);
          try {
            assert.deepEqual(await quiet.waitForClose(), { code: CLOSE_IDLE_TIMEOUT, reason: 'idle timeout' });
            assert.equal((await pinging.waitForClose()).reason, 'idle timeout');
            await holdsFor(() => talking.isOpen, 500, 'past the 400 ms idle timeout again: application frames keep it open');
          } finally {
            clearInterval(timer);
          }
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
      assert.equal(new NkServiceServer({ dialect }).dialect, dialect);
    });

    test(`subscriptions: ${develop ? 'empty or missing fields are wildcards, "*" is a literal' : '"*" and missing fields are wildcards'}`, async () => {
      const clients: TestClient[] = [];
      await withServer({ dialect }, async (server, url) => {
        try {
          const star = await connect(url, clients);
          await star.login();
          await star.subscribe({ class: 'media', subclass: '*', type: '*' });
          const empty = await connect(url, clients);
          await empty.login();
          await empty.subscribe({ class: 'media', subclass: '', type: '' });
          const missing = await connect(url, clients);
          await missing.login();
          await missing.subscribe({ class: 'media' });
          const delivered = server.publish(sample);
          await missing.waitForEvents(1);
          assert.equal(delivered, 2);
          // The second delivery, to the one of them that matches: then nothing else is on its way.
          await (develop ? empty : star).waitForEvents(1);
          assert.equal(star.events.length, develop ? 0 : 1);
          assert.equal(empty.events.length, develop ? 1 : 0);
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
    });

    test('the traffic is this era\'s, and snapshot commands answer from the live objects with the era\'s names and shapes', async () => {
      const clients: TestClient[] = [];
      // Paused until both subscriptions are in, so that no object's first events are missed.
      await withSimulator({ dialect, rate: 0, seed: 5, faultRate: 0.1 }, async (simulator, url) => {
        try {
          const client = await connect(url, clients);
          await client.login();
          await client.subscribe({ class: 'media' });
          if (DIALECTS[dialect].collab) await client.subscribe({ class: 'collab' });
          simulator.setRate(3000);
          const events = (await client.waitForEvents(1500, 15_000)).slice(0, 1500);
          const checker = new TrafficChecker(dialect);
          for (const event of events) checker.check(event as EventData);
          assert.deepEqual(checker.violations.slice(0, 5), []);
          assert.deepEqual([...checker.unlisted.keys()], [], 'only types of the era');
          assert.ok(checker.endCodes.every((code) => !SIP_CODES.includes(code as number)));
          // Still objects, so that what is listed is there when it is read.
          simulator.setRate(0);

          const names = snapshotNames(dialect);
          const subclasses = dialect === '2016-07' ? ['room'] : ['session', 'room'];
          for (const subclass of subclasses) {
            const list = await client.request('media', subclass, names.list);
            assert.equal(list.result, 'ok', `media/${subclass}/${names.list}`);
            const ids = dialect === '2016-07' ? ((list.data as Frame).ids as string[]) : (list.data as Frame[]).map((item) => item[`${subclass}_id`] as string);
            assert.ok(ids.length > 0, `media/${subclass}/${names.list} lists live objects`);
            if (subclass === 'room' && dialect !== '2016-07') assert.ok((list.data as Frame[]).every((item) => item.class === 'sfu'));
            const info = await client.request('media', subclass, names.info, { [names.idField(subclass)]: ids[0] });
            assert.equal(info.result, 'ok', JSON.stringify(info));
            const data = info.data as Frame;
            if (subclass === 'room') {
              if (dialect === '2016-07') assert.ok(Array.isArray(data.publish) && typeof data.listen === 'object' && 'room_bitrate' in data);
              else if (dialect === '2016-08') assert.ok(typeof data.publishers === 'object' && typeof data.listeners === 'object' && data.class === 'sfu');
              else assert.ok(typeof data.members === 'object' && data.class === 'sfu' && data.backend === 'nkmedia_janus');
            } else {
              assert.equal(data.session_id, ids[0]);
              assert.equal(typeof data.type, 'string');
            }
            const missing = await client.request('media', subclass, names.info, { [names.idField(subclass)]: 'no-such-object' });
            assert.equal(missing.result, 'error');
            assert.match(String((missing.data as Frame).error), /not found/i);
            for (const other of names.other) {
              const wrong = await client.request('media', subclass, other);
              assert.equal(wrong.result, 'error', `media/${subclass}/${other} is not a command of ${dialect}`);
              assert.equal((wrong.data as Frame).code, UNKNOWN_PING[dialect].code);
            }
          }
          if (DIALECTS[dialect].collab) {
            for (const [subclass, idField] of [['room', 'room_id'], ['call', 'call_id']] as const) {
              const list = await client.request('collab', subclass, 'get_list');
              assert.equal(list.result, 'ok');
              const ids = (list.data as Frame[]).map((item) => item[idField] as string);
              if (ids.length === 0) continue;
              const info = await client.request('collab', subclass, 'get_info', { [idField]: ids[0] });
              assert.equal(info.result, 'ok');
              if (subclass === 'call') assert.equal((info.data as Frame).call_id, ids[0]);
            }
          }
        } finally {
          await Promise.all(clients.map((client) => client.close()));
        }
      });
    });
  });
}

describe('simulator: session ids and reports of 2016 and develop', { timeout: 20_000 }, () => {
  test('2016: a client-chosen session id is used; a duplicated one is refused and the connection closed', async () => {
    const clients: TestClient[] = [];
    await withServer({ dialect: '2016-10' }, async (_server, url) => {
      try {
        const a = await connect(url, clients);
        const ok = await a.request('core', 'user', 'login', { user: 'a', session_id: 'device-1' });
        assert.deepEqual(ok.data, { session_id: 'device-1' });
        const b = await connect(url, clients);
        const dup = await b.request('core', 'user', 'login', { user: 'b', session_id: 'device-1' });
        assert.deepEqual(dup.data, { code: 100034, error: 'Duplicated session id' });
        assert.equal((await b.waitForClose()).reason, 'duplicated session id');
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });
  });

  test('develop: the server picks the session id; unknown subscribe keys come back as unrecognized_fields', async () => {
    const clients: TestClient[] = [];
    await withServer({ dialect: '2017' }, async (_server, url) => {
      try {
        const a = await connect(url, clients);
        const ok = await a.request('core', 'user', 'login', { user: 'a', session_id: 'device-1' });
        const sessionId = (ok.data as Frame).session_id;
        assert.notEqual(sessionId, 'device-1');
        await a.subscribe({ class: 'media', service: 'other' });
        const [report] = await a.waitForEvents(1);
        assert.deepEqual(report, {
          class: 'core',
          subclass: 'session_event',
          type: 'unrecognized_fields',
          obj_id: sessionId,
          body: { class: 'core', subclass: 'event', cmd: 'subscribe', fields: ['service'] },
        });
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });
  });

  test('develop pings every 60 s by default, with a 10 s answer deadline', () => {
    const server = new NkServiceServer({ dialect: '2017' });
    const settings = (server as unknown as { settings: { pingSeconds: number; answerTimeoutMs: number; idleTimeoutMs: number } }).settings;
    assert.deepEqual([settings.pingSeconds, settings.answerTimeoutMs, settings.idleTimeoutMs], [60, 10_000, 180_000]);
    const old = (new NkServiceServer({ dialect: '2016-08' }) as unknown as { settings: { pingSeconds: number; answerTimeoutMs: number; idleTimeoutMs: number } }).settings;
    assert.deepEqual([old.pingSeconds, old.answerTimeoutMs, old.idleTimeoutMs], [5, 5_000, 30_000]);
  });
});
