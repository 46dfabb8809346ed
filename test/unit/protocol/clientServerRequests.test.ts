// The tests share one connection; each asserts what it caused (events found by id, counters
// compared with their value when it began), so that any one of them runs alone by name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient, type ReceivedEvent } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, sampleEvent, waitUntil } from './fakeServer';

let srv: FakeServer;
let client: NkServiceClient;
let logger: MemoryLogger;
const events: ReceivedEvent[] = [];

before(async () => {
  srv = await FakeServer.start();
  logger = new MemoryLogger();
  client = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', logger });
  client.onEvent((e) => events.push(e));
  await client.connect();
});

after(async () => {
  await client.disconnect();
  client.dispose();
  await srv.close();
});

describe('NkServiceClient answers every server request', () => {
  test('an event is answered ok with its tid, once, and delivered as sent', async () => {
    const data = sampleEvent(1);
    const tid = srv.peer.sendEvent(data);
    await waitUntil(() => srv.peer.answersTo(tid).length > 0 && events.some((e) => e.data.obj_id === data.obj_id), 'the answer and the event');
    assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
    const last = events.find((e) => e.data.obj_id === data.obj_id)!;
    assert.deepEqual(last.data, data);
    assert.equal(last.raw, JSON.stringify({ class: 'core', cmd: 'event', data, tid }));
    assert.ok(Math.abs(last.ts - Date.now()) < 60_000, 'ts is a receive time in ms since epoch');
  });

  test('a ping is answered ok and is not an event', async () => {
    const before = client.stats.events;
    const tid = srv.peer.sendRequest('core', undefined, 'ping', { time: 5 });
    await waitUntil(() => srv.peer.answersTo(tid).length > 0, 'the ping answer');
    assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
    assert.equal(client.stats.events, before);
  });

  test('a request the inspector does not implement gets an error answer, is counted and logged', async () => {
    const before = client.stats.unknownRequests;
    const tid = srv.peer.sendRequest('media', 'call', 'invite', { call_id: 'c1', offer: { sdp: 'v=0' } });
    await waitUntil(() => srv.peer.answersTo(tid).length > 0, 'the invite answer');
    assert.deepEqual(srv.peer.answersTo(tid), [
      { result: 'error', data: { error: 'not implemented by NkMEDIA Inspector: media/call/invite', code: 1001 }, tid },
    ]);
    assert.equal(client.stats.unknownRequests - before, 1);
    assert.match(logger.text('warn'), /server request media\/call\/invite is not implemented/);
  });

  test('string tids are echoed as strings', async () => {
    srv.peer.sendRaw(JSON.stringify({ class: 'core', cmd: 'event', data: sampleEvent(2), tid: 'abc-7' }));
    await waitUntil(() => srv.peer.answersTo('abc-7').length > 0, 'the answer to tid "abc-7"');
    assert.deepEqual(srv.peer.answersTo('abc-7'), [{ result: 'ok', tid: 'abc-7' }]);
  });

  test('a burst of 1000 events in one write: all delivered in order, each answered once with its tid', async () => {
    const start = events.length;
    const tids: number[] = [];
    srv.peer.burst(() => {
      for (let i = 0; i < 1000; i++) tids.push(srv.peer.sendEvent(sampleEvent(100 + i)));
    });
    await waitUntil(() => tids.every((tid) => srv.peer.answersTo(tid).length > 0), 'answers to the 1000 events');
    await waitUntil(() => events.length - start === 1000, 'the 1000 events');
    for (const tid of tids) assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
    const received = events.slice(start).map((e) => e.data.obj_id);
    assert.deepEqual(received, tids.map((_, i) => sampleEvent(100 + i).obj_id));
    // Every request answered exactly once overall: no duplicates anywhere.
    for (const [tid, answers] of srv.peer.answers) assert.equal(answers.length, 1, `tid ${String(tid)} answered once`);
  });

  test('the client\'s own requests: ok resolves, error rejects with the server message and code', async () => {
    const ok = await client.request('core', 'event', 'subscribe', { class: 'core' });
    assert.equal(ok.result, 'ok');
    await assert.rejects(client.request('media', 'session', 'start', { type: 'echo' }), (error: Error & { code?: unknown; serverMessage?: string }) => {
      assert.equal(error.message, 'request media/session/start failed: Not implemented (code 1002)');
      assert.equal(error.code, 1002);
      assert.equal(error.serverMessage, 'Not implemented');
      return true;
    });
    const tids = srv.peer.received.filter((f) => 'cmd' in f).map((f) => f.tid as number);
    assert.deepEqual(tids, [...tids].sort((a, b) => a - b), 'tids increase');
    assert.equal(new Set(tids).size, tids.length, 'tids are unique');
  });
});
