// The client against servers of each era, on the points where eras differ: whether the login
// is acked, how events are framed, which codes errors carry, the idle timeout, and the
// snapshot commands. (test/unit/conformance runs whole era servers written from the sources.)
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient, type NkServiceClientOptions, type SnapshotInfo } from '../../../src/protocol/client';
import { FakeServer, waitUntil, type Frame, type FakePeer, type Reply } from './fakeServer';
import { holdsFor } from '../holdsFor';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const release of cleanup.splice(0).reverse()) await release();
});

async function serve(reply: (frame: Frame, peer: FakePeer) => Reply | undefined): Promise<FakeServer> {
  const srv = await FakeServer.start({ reply });
  cleanup.push(() => srv.close());
  return srv;
}

function client(srv: FakeServer, options: Partial<NkServiceClientOptions> = {}): NkServiceClient {
  const c = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', reconnect: false, liveness: false, ...options });
  cleanup.push(async () => {
    await c.disconnect();
    c.dispose();
  });
  return c;
}

/** A 2016 server: acks the login first, numeric codes of `table` for unknown commands. */
function server2016(unknownCommandCode: number) {
  return (frame: Frame, peer: FakePeer): Reply | undefined => {
    if (frame.cmd === 'login') {
      peer.ws.send(JSON.stringify({ ack: frame.tid }));
      return { result: 'ok', data: { session_id: 's-2016' } };
    }
    if (frame.cmd === 'subscribe') return { result: 'ok' };
    return { result: 'error', data: { code: unknownCommandCode, error: 'Unknown command' } };
  };
}

/** A develop server: no ack, string codes (nkservice@f9f688f on). */
function serverDevelop(frame: Frame): Reply | undefined {
  if (frame.cmd === 'login') return { result: 'ok', data: { session_id: 's-2017' } };
  if (frame.cmd === 'subscribe') return { result: 'ok' };
  return { result: 'error', data: { code: 'unknown_command', error: "Unknown command 'ping'" } };
}

describe('NkServiceClient and the eras', { timeout: 30_000 }, () => {
  test('the era is detected from the login ack and the code of the probe ping: July, Aug, Oct 2016', async () => {
    const cases: Array<[number, string]> = [
      [1000, '2016-07'],
      [1041, '2016-08'],
      [100042, '2016-10'],
    ];
    for (const [code, era] of cases) {
      const srv = await serve(server2016(code));
      const c = client(srv, { snapshot: false });
      await c.connect();
      assert.equal(c.detectedDialect.id, era, `unknown_command code ${code}`);
      assert.equal(c.detectedDialect.how, 'detected');
      assert.ok(c.detectedDialect.evidence.some((e) => e.includes('acked')));
    }
  });

  test('develop: no login ack and string codes; events as {class:"event"} messages are stored like the rest and not answered', async () => {
    const srv = await serve(serverDevelop);
    const c = client(srv, { snapshot: false });
    const received: string[] = [];
    c.onEvent((e) => received.push(`${e.data.subclass}/${e.data.type}`));
    await c.connect();
    assert.equal(c.detectedDialect.id, '2017');
    const peer = srv.peer;
    peer.sendRaw(JSON.stringify({ class: 'event', data: { class: 'media', subclass: 'session', type: 'created', obj_id: 's1', body: { type: 'echo' } } }));
    peer.sendRaw(JSON.stringify({ class: 'event', data: { class: 'media', subclass: 'session', type: 'candidate_end', obj_id: 's1' } }));
    peer.sendEvent({ class: 'media', subclass: 'session', type: 'destroyed', obj_id: 's1', body: { code: 100011, reason: 'User stop' } });
    await waitUntil(() => received.length === 3, 'three events');
    assert.deepEqual(received, ['session/created', 'session/candidate_end', 'session/destroyed']);
    assert.equal(c.stats.eventMessages, 2);
    await waitUntil(() => peer.answers.size === 1, 'the answer to the one request');
    assert.equal(peer.received.filter((f) => 'result' in f).length, 1, 'event messages get no answer');
  });

  test('a message with bad event data is an invalid event, not a crash', async () => {
    const srv = await serve(serverDevelop);
    const c = client(srv, { snapshot: false });
    const invalid: string[] = [];
    c.onInvalidEvent((i) => invalid.push(i.reason));
    await c.connect();
    srv.peer.sendRaw(JSON.stringify({ class: 'event', data: { subclass: 'session' } }));
    await waitUntil(() => invalid.length === 1, 'the invalid event');
    assert.match(invalid[0], /class/);
    assert.equal(c.state.kind, 'connected');
  });

  test('nkcollab: collab events make it nkcollab of the detected era', async () => {
    const srv = await serve(server2016(100042));
    const c = client(srv, { snapshot: false });
    await c.connect();
    srv.peer.sendEvent({ class: 'collab', subclass: 'call', type: 'ringing', obj_id: 'c1', body: { callee: 'bob' } });
    await waitUntil(() => c.detectedDialect.id === 'nkcollab-2016', 'nkcollab detected');
  });

  test('a dialect set by the user is kept, and a server that looks otherwise is named', async () => {
    const srv = await serve(serverDevelop);
    const c = client(srv, { dialect: '2016-08', snapshot: false });
    await c.connect();
    assert.equal(c.detectedDialect.id, '2016-08');
    assert.equal(c.detectedDialect.how, 'set');
    assert.match(c.detectedDialect.mismatch ?? '', /develop 2017/);
  });
});

describe('keepalive', { timeout: 30_000 }, () => {
  /** Closes a connection that neither received nor sent a frame for idleMs (nkpacket's idle timer). */
  async function idleClosingServer(idleMs: number): Promise<FakeServer> {
    const last = new Map<FakePeer, number>();
    const srv = await serve((frame, peer) => {
      last.set(peer, Date.now());
      return server2016(100042)(frame, peer);
    });
    const timer = setInterval(() => {
      for (const peer of srv.peers) {
        if (peer.open && Date.now() - (last.get(peer) ?? Date.now()) > idleMs) peer.ws.close(1000, 'idle timeout');
      }
    }, 50);
    cleanup.push(() => clearInterval(timer));
    return srv;
  }

  test('a quiet connection stays open past the server idle timeout: the client sends core/ping', async () => {
    const srv = await idleClosingServer(1500);
    const c = client(srv, { keepaliveMs: 400, snapshot: false });
    let drops = 0;
    c.onDidDisconnect(() => drops++);
    await c.connect();
    await holdsFor(() => drops === 0 && c.state.kind === 'connected', 4000, 'over twice the server idle timeout of 1500 ms');
    assert.ok(srv.peer.received.filter((f) => f.cmd === 'ping').length >= 5, 'pings went out while idle');
  });

  test('without keepalive the same server closes the connection (the fake enforces the timeout)', async () => {
    const srv = await idleClosingServer(1500);
    const c = client(srv, { keepaliveMs: false, snapshot: false });
    const reasons: string[] = [];
    c.onDidDisconnect((d) => reasons.push(d.reason));
    await c.connect();
    await waitUntil(() => reasons.length === 1, 'the idle close', 5000);
    assert.match(reasons[0], /idle timeout/);
  });

  test('a busy connection sends no pings: its answers are frames too', async () => {
    const srv = await serve(server2016(100042));
    const c = client(srv, { keepaliveMs: 300, snapshot: false });
    await c.connect();
    const peer = srv.peer;
    const pings = () => peer.received.filter((f) => f.cmd === 'ping').length;
    const pingsAtStart = pings();
    const sendEvent = () => peer.sendEvent({ class: 'media', subclass: 'session', type: 'info', obj_id: 's', body: { info: 'x' } });
    sendEvent();
    const traffic = setInterval(sendEvent, 50);
    try {
      await holdsFor(() => pings() === pingsAtStart, 1500, 'five keepalive intervals of 300 ms: a connection that counted no traffic would ping in each');
    } finally {
      clearInterval(traffic);
    }
  });
});

describe('snapshot on connect', { timeout: 30_000 }, () => {
  test('Oct 2016: get_list then get_info of each session and room; the objects are reported as snapshots', async () => {
    const srv = await serve((frame, peer) => {
      if (frame.cmd === 'get_list' && frame.subclass === 'session') return { result: 'ok', data: [{ session_id: 's1' }] };
      if (frame.cmd === 'get_list' && frame.subclass === 'room') return { result: 'ok', data: [{ room_id: 'r1', class: 'sfu' }] };
      if (frame.cmd === 'get_info' && frame.subclass === 'session') return { result: 'ok', data: { session_id: frame.data.session_id, type: 'publish' } };
      if (frame.cmd === 'get_info' && frame.subclass === 'room') return { result: 'ok', data: { class: 'sfu', members: { s1: { role: 'publisher', user_id: 'u' } } } };
      return server2016(100042)(frame, peer);
    });
    const c = client(srv);
    const entries: SnapshotInfo[] = [];
    c.onSnapshot((e) => entries.push(e));
    await c.connect();
    await waitUntil(() => entries.length === 2, 'two snapshot entries');
    assert.deepEqual(entries.map((e) => `${e.class}/${e.subclass}/${e.objId}`), ['media/session/s1', 'media/room/r1']);
    assert.deepEqual(entries[1].body, { class: 'sfu', members: { s1: { role: 'publisher', user_id: 'u' } } });
    const infos = srv.peer.received.filter((f) => f.cmd === 'get_info');
    assert.deepEqual(infos.map((f) => f.data), [{ session_id: 's1' }, { room_id: 'r1' }]);
    assert.equal(srv.peer.received.filter((f) => f.cmd === 'list').length, 0, 'the Oct 2016 names, known from the probe');
  });

  test('Aug 2016: list and info', async () => {
    const srv = await serve((frame, peer) => {
      if (frame.cmd === 'list' && frame.subclass === 'room') return { result: 'ok', data: [{ room_id: 'r1', class: 'sfu' }] };
      if (frame.cmd === 'list' && frame.subclass === 'session') return { result: 'ok', data: [] };
      if (frame.cmd === 'info' && frame.subclass === 'room') return { result: 'ok', data: { class: 'sfu', publishers: {}, listeners: {} } };
      return server2016(1041)(frame, peer);
    });
    const c = client(srv);
    const entries: SnapshotInfo[] = [];
    c.onSnapshot((e) => entries.push(e));
    await c.connect();
    await waitUntil(() => entries.length === 1, 'the room snapshot');
    assert.equal(entries[0].objId, 'r1');
  });

  test('with the era unknown, each command name is tried in turn', async () => {
    const srv = await serve((frame) => {
      if (frame.cmd === 'login') return { result: 'ok', data: { session_id: 'x' } };
      if (frame.cmd === 'subscribe') return { result: 'ok' };
      if (frame.cmd === 'list' && frame.subclass === 'room') return { result: 'ok', data: [{ room_id: 'r1' }] };
      if (frame.cmd === 'info' && frame.subclass === 'room') return { result: 'ok', data: { class: 'sfu' } };
      return 'silent' === frame.cmd ? undefined : { result: 'error', data: { error: 'no' } };
    });
    const c = client(srv);
    const entries: SnapshotInfo[] = [];
    c.onSnapshot((e) => entries.push(e));
    await c.connect();
    await waitUntil(() => entries.length === 1, 'the room found with the older name');
    const tried = srv.peer.received.filter((f) => f.subclass === 'room').map((f) => f.cmd);
    assert.deepEqual(tried, ['get_list', 'list', 'info']);
  });
});
