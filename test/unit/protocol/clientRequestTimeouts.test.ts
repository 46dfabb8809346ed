// A server that stops answering the client's own requests: requests time out with a clear
// error (never hang), an ack extends the deadline, and a drop fails what is pending.
// The drop has a connection of its own: the others must not depend on running before it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { FakeServer, waitUntil, type Frame, type Reply } from './fakeServer';

let srv: FakeServer;
let client: NkServiceClient;
/** How the server treats requests with cmd "work"; login and subscribe stay normal. */
let workReply: (frame: Frame) => Reply = () => 'silent';

before(async () => {
  srv = await FakeServer.start({ reply: (frame) => (frame.cmd === 'work' ? workReply(frame) : undefined) });
  client = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', requestTimeoutMs: 500, reconnect: false });
  await client.connect();
});

after(async () => {
  await client.disconnect();
  client.dispose();
  await srv.close();
});

describe('NkServiceClient own requests against a server that stops answering', () => {
  test('no response: the request rejects with a timeout naming it', async () => {
    workReply = () => 'silent';
    await assert.rejects(client.request('test', 'job', 'work', {}), { message: 'request test/job/work timed out after 500 ms' });
    assert.equal(client.state.kind, 'connected', 'a slow request is no reason to drop the link');
  });

  test('an ack extends the deadline beyond requestTimeoutMs', async () => {
    workReply = (frame) => {
      // Answer for real well after the 500 ms deadline; the ack is sent at once.
      setTimeout(() => srv.peer.ws.send(JSON.stringify({ result: 'ok', data: { done: true }, tid: frame.tid })), 900);
      return 'ack-only';
    };
    const response = await client.request('test', 'job', 'work');
    assert.deepEqual(response.data, { done: true });
  });

  test('pending requests reject when the connection drops', async () => {
    const silent = await FakeServer.start({ reply: (frame) => (frame.cmd === 'work' ? 'silent' : undefined) });
    const dropped = new NkServiceClient({ url: silent.url, user: 'admin', password: 'admin', requestTimeoutMs: 5_000, reconnect: false });
    try {
      await dropped.connect();
      const pending = dropped.request('test', 'job', 'work');
      // Drop once the request is on the server, so that it is pending when the link goes.
      await waitUntil(() => silent.peer.received.some((f) => f.cmd === 'work'), 'the request at the server');
      silent.peer.ws.terminate();
      await assert.rejects(pending, /closed before the answer: connection lost/);
    } finally {
      await dropped.disconnect();
      dropped.dispose();
      await silent.close();
    }
  });
});
