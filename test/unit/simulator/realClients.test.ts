// The real public clients against `nkmedia-inspect demo` and `nkmedia-inspect replay` in every
// dialect, as models that send their frames (realClientModels.ts, with the citations):
// NcClient (NetComposer/NcClient@7af69fa) and nkservice's Erlang client (nkservice@79bf10d).
//
// What really happens, as the models show it:
//   - 2016 dialects: both log in (the login is acked first), receive the core/event requests
//     and answer every one (NcClient with its error 333 when no handler is registered: any
//     result counts as an answer), answer the pings, and stay connected.
//   - develop dialects (2017, nkcollab-2017): NcClient logs in (no ack) but recognises none of
//     the {class:"event", data} messages: each throws in its message handler (WsMngr.handle
//     is never defined) and nothing is sent back; since develop events need no answer and its
//     pings are still core/ping requests, which NcClient answers, the connection stays up and
//     the application simply gets no events. (docs/protocol-dialects.md §10 infers instead that
//     NcClient replies with a tid-less error and the server closes: it does not, at 7af69fa.)
//     The 2016 Erlang client treats the first event message as an unrecognized message and
//     closes the connection itself.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { DIALECT_IDS, type DialectId } from '../../../src/protocol/dialects';
import { runDemo } from '../../../src/cli/demoCommand';
import { runReplay } from '../../../src/cli/replayCommand';
import { NkMediaSimulator } from '../../../src/simulator/simulator';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { TraceWriter } from '../../../src/trace/writer';
import { captureIo, record, removeTempDirs, tempDir, type CapturedIo } from '../trace/traceFixtures';
import { sleep } from './testClient';
import { ErlangClientModel, NcClientModel } from './realClientModels';

const DEVELOP = new Set<DialectId>(['2017', 'nkcollab-2017']);
const WANTED = 25;

after(removeTempDirs);

async function urlOf(io: CapturedIo): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const url = /(ws:\/\/127\.0\.0\.1:\d+)/.exec(io.out)?.[1];
    if (url) return url;
    await sleep(10);
  }
  throw new Error(`no URL printed: ${io.out}${io.err}`);
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function loginBoth(url: string, dialect: DialectId): Promise<{ nc: NcClientModel; erlang: ErlangClientModel }> {
  const nc = new NcClientModel(url, { user: 'nc@nkmedia', pass: 'admin', session_id: `device-${dialect}`, meta: { app: 'NcClient model' } });
  const erlang = new ErlangClientModel(url, 'erl@nkmedia', 'admin');
  const [ncLogin, erlangLogin] = await Promise.all([nc.connect(), erlang.connect()]);
  assert.equal(ncLogin.result, 'ok', `NcClient login: ${JSON.stringify(ncLogin)}`);
  assert.equal(erlangLogin.result, 'ok', `Erlang client login: ${JSON.stringify(erlangLogin)}`);
  const develop = DEVELOP.has(dialect);
  assert.equal(nc.log.acks > 0, !develop, develop ? 'develop sends no login ack' : '2016 acks the login');
  assert.equal(erlang.log.acks > 0, !develop);
  // 2016 takes NcClient's session_id (its device id); July and develop choose their own.
  const sessionId = (ncLogin.data as { session_id?: string }).session_id;
  if (dialect === '2016-08' || dialect === '2016-10' || dialect === 'nkcollab-2016') assert.equal(sessionId, `device-${dialect}`);
  else assert.notEqual(sessionId, `device-${dialect}`);
  assert.equal((await nc.request('core', 'event', 'subscribe', { class: 'media' })).result, 'ok');
  assert.equal((await erlang.cmd('core', 'event', 'subscribe', { class: 'media' })).result, 'ok');
  return { nc, erlang };
}

/** What each client does with the era's events, once enough have come. */
/**
 * Connected still, or (a replay that has finished) closed only by the server stopping:
 * never dropped for a missing answer.
 */
async function stillUp(client: NcClientModel | ErlangClientModel): Promise<boolean> {
  if (client.isOpen) return true;
  await client.waitClosed();
  return client.log.closed?.code === 1001;
}

async function expectEraBehaviour(dialect: DialectId, nc: NcClientModel, erlang: ErlangClientModel, wanted: number): Promise<void> {
  if (!DEVELOP.has(dialect)) {
    await until(() => nc.log.events.length >= wanted && erlang.log.events.length >= wanted, `${wanted} events at both clients`);
    assert.deepEqual(nc.log.unhandled, [], 'NcClient recognises every 2016 event');
    assert.ok(nc.log.events.every((e) => e.class === 'media' && typeof e.subclass === 'string' && typeof e.type === 'string'));
    // Every event got a reply (a 333 error where no handler is registered): none is left to time out.
    await until(() => nc.log.replies.length - nc.log.pingsAnswered >= nc.log.events.length, 'NcClient replies to every event');
    assert.ok(nc.log.replies.filter((r) => !('ping' in r)).every((r) => r.result === 'ok' || (r.data as { code?: number }).code === 333 || (r.data as { code?: number }).code === 400));
    assert.equal(erlang.log.replies.length - erlang.log.pingsAnswered, erlang.log.events.length, 'the Erlang client answers every event');
    assert.ok((await stillUp(nc)) && (await stillUp(erlang)), 'both stay connected');
    return;
  }
  await until(() => nc.log.unhandled.length >= wanted, `${wanted} event messages at NcClient`);
  assert.deepEqual(nc.log.events, [], 'NcClient recognises no develop event');
  assert.ok(nc.log.unhandled.every((f) => f.class === 'event' && f.tid === undefined && typeof f.data === 'object'));
  assert.equal(nc.log.replies.length, nc.log.pingsAnswered, 'NcClient sends nothing back for them');
  assert.ok(await stillUp(nc), `a develop server needs no answer: NcClient stays connected, without events (${JSON.stringify(nc.log.closed)})`);
  await erlang.waitClosed();
  assert.deepEqual(erlang.log.closed?.by, 'client', 'the Erlang client stops on the first event message');
  assert.equal(erlang.log.unhandled.length, 1);
  assert.equal(erlang.log.events.length, 0);
}

describe('real clients against nkmedia-inspect demo', { timeout: 60_000, concurrency: true }, () => {
  for (const dialect of DIALECT_IDS) {
    test(`${dialect}: NcClient and the Erlang client log in, then ${DEVELOP.has(dialect) ? 'cannot read the event messages' : 'receive and answer events and pings'}`, { timeout: 30_000 }, async () => {
      const controller = new AbortController();
      const io = captureIo(controller.signal);
      const exit = runDemo(['--port', '0', '--dialect', dialect, '--rate', '400', '--seed', '2', '--ping', '1'], io);
      let clients: { nc: NcClientModel; erlang: ErlangClientModel } | undefined;
      try {
        const url = await urlOf(io);
        clients = await loginBoth(url, dialect);
        await expectEraBehaviour(dialect, clients.nc, clients.erlang, WANTED);
        await until(() => clients!.nc.log.pingsAnswered >= 1, 'a ping answered by NcClient', 5000);
        assert.ok(clients.nc.isOpen, 'still connected after pings');
      } finally {
        await Promise.all([clients?.nc.close(), clients?.erlang.close()]);
        controller.abort();
        assert.equal(await exit, 0, io.err);
      }
    });
  }
});

describe('real clients against nkmedia-inspect replay', { timeout: 90_000, concurrency: true }, () => {
  const traces = new Map<DialectId, { file: string; mediaEvents: number }>();

  before(async () => {
    // One trace per dialect, recorded from the simulator by the inspector's client, the
    // dialect in its header as the recorder writes it.
    await Promise.all(
      DIALECT_IDS.map(async (dialect) => {
        const simulator = new NkMediaSimulator({ port: 0, seed: 3, rate: 2000, pingSeconds: 0, dialect });
        const { url } = await simulator.start();
        try {
          const recording = await record(url, (n) => n >= 150, { subscriptions: [{ class: 'media' }] });
          recording.events.splice(150);
          const file = path.join(tempDir(), `${dialect}.nkmtrace`);
          const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:1', user: 'admin' }, dialect }));
          recording.events.forEach((e, i) => writer.writeEvent(i + 1, e.ts, e.data));
          await writer.close();
          traces.set(dialect, { file, mediaEvents: recording.events.length });
        } finally {
          await simulator.stop();
        }
      }),
    );
  });

  for (const dialect of DIALECT_IDS) {
    test(`${dialect}: the replay speaks the trace's dialect to both clients`, { timeout: 30_000 }, async () => {
      const { file, mediaEvents } = traces.get(dialect)!;
      const controller = new AbortController();
      const io = captureIo(controller.signal);
      const exit = runReplay([file, '--port', '0', '--max', '--clients', '2', '--ping', '0'], io);
      let clients: { nc: NcClientModel; erlang: ErlangClientModel } | undefined;
      try {
        const url = await urlOf(io);
        assert.match(io.out, new RegExp(`dialect: ${dialect} `));
        clients = await loginBoth(url, dialect);
        await expectEraBehaviour(dialect, clients.nc, clients.erlang, mediaEvents);
        assert.equal(await exit, 0, io.err);
        assert.ok(await stillUp(clients.nc), 'NcClient was only closed by the end of the replay');
        assert.match(io.out, new RegExp(`replay finished: ${mediaEvents} events`));
      } finally {
        await Promise.all([clients?.nc.close(), clients?.erlang.close()]);
        controller.abort();
        await exit;
      }
    });
  }
});
