// Self-checks of the conformance fake servers, with a bare WebSocket client (no product code):
// the era behaviours the product tests rely on, as the Erlang sources show them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { EraServer, EraServerOptions, Json } from './servers/base';
import * as jul from './servers/2016-07';
import * as aug from './servers/2016-08';
import * as oct from './servers/2016-10';
import * as dev from './servers/2017';
import * as c16 from './servers/nkcollab-2016';
import * as c17 from './servers/nkcollab-2017';

type Start = (o?: EraServerOptions) => Promise<EraServer>;
const ALL: Array<[string, Start]> = [
  ['2016-07', jul.startServer],
  ['2016-08', aug.startServer],
  ['2016-10', oct.startServer],
  ['2017', dev.startServer],
  ['nkcollab-2016', c16.startServer],
  ['nkcollab-2017', c17.startServer],
];
const DEVELOP = new Set(['2017', 'nkcollab-2017']);

/** A raw client: records frames, answers server requests unless told not to. */
class Raw {
  readonly frames: Json[] = [];
  answer = true;
  private tid = 1;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      this.frames.push(f);
      if (this.answer && 'cmd' in f && 'tid' in f) ws.send(JSON.stringify({ result: 'ok', tid: f.tid }));
    });
  }
  static async open(url: string): Promise<Raw> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Raw(ws);
  }
  /** Sends a request; resolves with its reply (not an ack). */
  async request(cls: string, sub: string | undefined, cmd: string, data?: Json): Promise<Json> {
    const tid = this.tid++;
    const frame: Json = { class: cls, cmd, tid };
    if (sub !== undefined) frame.subclass = sub;
    if (data !== undefined) frame.data = data;
    this.ws.send(JSON.stringify(frame));
    await waitFor(() => this.frames.some((f) => f.tid === tid && 'result' in f), `reply to ${cls}/${sub}/${cmd}`);
    return this.frames.find((f) => f.tid === tid && 'result' in f)!;
  }
  login(data: Json = { user: 'admin', password: 'admin', pass: 'admin' }): Promise<Json> {
    return this.request('core', 'user', 'login', data);
  }
  events(): Json[] {
    return this.frames.filter((f) => f.cmd === 'event' || (f.class === 'event' && !('cmd' in f))).map((f) => f.data);
  }
  close(): void {
    this.ws.terminate();
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Waits until every frame the server sent on its first connection has reached `raw`: what the
 * test then reads is all there is. Server and client share this process, so a frame the server
 * means to send for what it handled is in `sent` before the client's reply even reaches it.
 */
async function allArrived(server: EraServer, raw: Raw): Promise<void> {
  const sent = () => server.conns[0].plumb.sent.length;
  await waitFor(() => raw.frames.length === sent(), `the ${sent()} frames the server sent (${raw.frames.length} arrived)`);
}

async function withServer(start: Start, options: EraServerOptions, fn: (server: EraServer, raw: Raw) => Promise<void>): Promise<void> {
  const server = await start(options);
  const raw = await Raw.open(server.url);
  try {
    await fn(server, raw);
  } finally {
    raw.close();
    await server.close();
  }
}

describe('fake servers: login', () => {
  for (const [era, start] of ALL) {
    test(`${era}: ${DEVELOP.has(era) ? 'no {ack}' : '{ack: tid} first'}, then {session_id}`, { timeout: 10_000 }, async () => {
      await withServer(start, { script: false }, async (_server, raw) => {
        const reply = await raw.login();
        assert.equal(reply.result, 'ok');
        assert.equal(typeof reply.data.session_id, 'string');
        const acks = raw.frames.filter((f) => 'ack' in f);
        assert.equal(acks.length, DEVELOP.has(era) ? 0 : 1);
      });
    });
  }

  test('2016-07: without pass the sample refuses, {1000, "Unauthorized"} after the retry delay', { timeout: 10_000 }, async () => {
    await withServer(jul.startServer, { script: false }, async (_server, raw) => {
      const started = Date.now();
      const reply = await raw.login({ user: 'admin', password: 'admin' });
      assert.deepEqual(reply.data, { code: 1000, error: 'Unauthorized' });
      assert.ok(Date.now() - started >= 90, 'retry_time 100 ms');
      assert.equal((await raw.login({ user: 'admin', pass: 'x' })).result, 'ok', 'same connection, with pass');
    });
  });

  test('2016-10: a later sample reads only user (password not checked)', { timeout: 10_000 }, async () => {
    await withServer(oct.startServer, { script: false }, async (_server, raw) => {
      assert.equal((await raw.login({ user: 'admin' })).result, 'ok');
      assert.deepEqual((await raw.login({ user: 'admin' })).data, { code: 100032, error: 'Already authenticated' });
    });
  });

  test('2017: a failed login waits 1 s and answers the string code', { timeout: 10_000 }, async () => {
    await withServer(dev.startServer, { script: false }, async (_server, raw) => {
      const started = Date.now();
      const reply = await raw.login({ password: 'admin' });
      assert.ok(Date.now() - started >= 950);
      assert.deepEqual(reply.data, { code: 'unauthorized', error: 'Unauthorized' });
    });
  });

  test('2017: unknown login keys are dropped; their unrecognized_fields report cannot reach the connection yet, a later one does', { timeout: 10_000 }, async () => {
    await withServer(dev.startServer, { script: false }, async (server, raw) => {
      assert.equal((await raw.login({ user: 'admin', password: 'admin', pass: 'admin' })).result, 'ok');
      await allArrived(server, raw);
      assert.equal(server.conns[0].eventsSent, 0, 'the login report was published before the session_event registration');
      assert.equal(raw.events().length, 0);
      assert.equal((await raw.request('core', 'event', 'subscribe', { class: 'media', service: 'sample' })).result, 'ok');
      await waitFor(() => raw.events().length === 1, 'the unrecognized_fields event');
      assert.deepEqual(raw.events()[0], {
        class: 'core',
        subclass: 'session_event',
        type: 'unrecognized_fields',
        obj_id: (server.conns[0] as unknown as { sessionId: string }).sessionId,
        body: { class: 'core', subclass: 'event', cmd: 'subscribe', fields: ['service'] },
      });
    });
  });
});

describe('fake servers: framing, timers and subscriptions', () => {
  for (const [era, start] of ALL) {
    test(`${era}: the first server ping comes right after the login, then every interval`, { timeout: 10_000 }, async () => {
      await withServer(start, { script: false, pingIntervalMs: 300 }, async (_server, raw) => {
        await raw.login();
        await waitFor(() => raw.frames.filter((f) => f.cmd === 'ping').length >= 1, 'the first ping', 200);
        await waitFor(() => raw.frames.filter((f) => f.cmd === 'ping').length >= 2, 'the second ping', 1000);
        const ping = raw.frames.find((f) => f.cmd === 'ping')!;
        assert.deepEqual({ ...ping, tid: 0 }, { class: 'core', cmd: 'ping', data: { time: 0 }, tid: 0 });
      });
    });

    test(`${era}: an unanswered server request closes the connection after the op timeout`, { timeout: 10_000 }, async () => {
      await withServer(start, { opTimeoutMs: 300, pingIntervalMs: DEVELOP.has(era) ? 60_000 : false }, async (server, raw) => {
        raw.answer = false;
        await raw.login();
        await raw.request('core', 'event', 'subscribe', { class: 'media' });
        await waitFor(() => server.conns[0].plumb.closeCause !== undefined, 'the close', 4000);
        assert.equal(server.conns[0].plumb.closeCause, 'op-timeout');
        if (DEVELOP.has(era)) assert.ok(raw.frames.every((f) => f.class !== 'event' || !('tid' in f)), 'develop events carry no tid: only the ping timed out');
      });
    });

    test(`${era}: the idle timer ignores WebSocket pings and counts application frames`, { timeout: 10_000 }, async () => {
      await withServer(start, { script: false, idleTimeoutMs: 400, pingIntervalMs: false }, async (server, raw) => {
        await raw.login();
        const pinger = setInterval(() => raw.ws.ping(), 50);
        try {
          await waitFor(() => server.conns[0].plumb.closeCause !== undefined, 'the idle close', 2000);
        } finally {
          clearInterval(pinger);
        }
        assert.equal(server.conns[0].plumb.closeCause, 'idle-timeout');
      });
    });

    test(`${era}: "*" ${DEVELOP.has(era) ? 'is a literal and matches nothing' : 'is the wildcard'}; overlapping subscriptions duplicate`, { timeout: 10_000 }, async () => {
      await withServer(start, {}, async (server, raw) => {
        await raw.login();
        await raw.request('core', 'event', 'subscribe', { class: 'media', subclass: '*' });
        await server.scriptDone;
        await allArrived(server, raw);
        if (DEVELOP.has(era)) assert.equal(raw.events().length, 0);
        else assert.ok(raw.events().length > 0 && raw.events().every((e) => e.class === 'media'));
      });
      await withServer(start, {}, async (server, raw) => {
        await raw.login();
        await raw.request('core', 'event', 'subscribe', { class: 'media' });
        await raw.request('core', 'event', 'subscribe', { class: 'media', subclass: 'session' });
        await server.scriptDone;
        await allArrived(server, raw);
        const sessionEvents = raw.events().filter((e) => e.subclass === 'session');
        const distinct = new Set(sessionEvents.map((e) => JSON.stringify(e)));
        assert.ok(distinct.size > 0);
        assert.equal(sessionEvents.length, 2 * distinct.size, 'each session event twice (class-only and class+subclass registries)');
      });
    });
  }

  test('2016-10: an event body is left out when empty (candidate_end)', { timeout: 10_000 }, async () => {
    await withServer(oct.startServer, {}, async (server, raw) => {
      await raw.login();
      await raw.request('core', 'event', 'subscribe', { class: 'media' });
      await server.scriptDone;
      await allArrived(server, raw);
      const end = raw.events().find((e) => e.type === 'candidate_end')!;
      assert.equal('body' in end, false);
    });
  });

  test('2016: a frame that is neither request, reply nor ack (a develop-style event) closes the connection', { timeout: 10_000 }, async () => {
    await withServer(oct.startServer, { script: false }, async (server, raw) => {
      await raw.login();
      raw.ws.send(JSON.stringify({ class: 'event', data: { class: 'media' } }));
      await waitFor(() => server.conns[0].plumb.closeCause !== undefined, 'the close');
      assert.equal(server.conns[0].plumb.closeCause, 'unrecognized-frame');
    });
  });
});
