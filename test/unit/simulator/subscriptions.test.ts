import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { EventData } from '../../../src/protocol/frames';
import { NkServiceServer } from '../../../src/simulator/nkServiceServer';
import { SIMULATOR_SERVICE_ID } from '../../../src/simulator/clientRequests';
import { TestClient, sleep, type Frame } from './testClient';

const sessionStop: EventData = { class: 'media', subclass: 'session', type: 'stop', obj_id: 'aaaaaaaa-0000-0000-0000-000000000001', body: { code: 0, reason: 'User stop' } };
const roomStarted: EventData = { class: 'media', subclass: 'room', type: 'started', obj_id: 'bbbbbbbb-0000-0000-0000-000000000002', body: { class: 'sfu', backend: 'nkmedia_janus' } };
const callRinging: EventData = { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'cccccccc-0000-0000-0000-000000000003', body: {} };
const coreEvent: EventData = { class: 'core', subclass: 'user', type: 'login', obj_id: 'user1@nkmedia', body: {} };

/** Publishes a final marker every subscription below matches, so a test knows delivery is complete. */
const marker: EventData = { class: 'media', subclass: 'marker', type: 'end', obj_id: 'marker' };

describe('NkServiceServer: subscriptions and event delivery', () => {
  let server: NkServiceServer;
  let url: string;
  let client: TestClient;

  beforeEach(async () => {
    server = new NkServiceServer({ port: 0, pingSeconds: 0 });
    ({ url } = await server.start());
    client = await TestClient.connect(url);
    assert.equal((await client.login()).result, 'ok');
  });
  afterEach(async () => {
    await client.close();
    await server.stop();
  });

  /** Publishes the events then the marker, and returns the events the client got before it. */
  async function deliver(events: EventData[]): Promise<Frame[]> {
    for (const event of events) server.publish(event);
    server.publish(marker);
    await client.waitFor((f) => f.cmd === 'event' && (f.data as Frame).obj_id === 'marker');
    return client.events.filter((e) => e.obj_id !== 'marker');
  }

  test('"*" and omitted fields match everything of the class', async () => {
    await client.subscribe({ class: 'media', subclass: '*', type: '*', obj_id: '*' });
    const got = await deliver([sessionStop, roomStarted, callRinging, coreEvent]);
    assert.deepEqual(got.map((e) => e.subclass), ['session', 'room', 'call']);
  });

  test('only events matching a subscription are delivered', async () => {
    await client.subscribe({ class: 'media', subclass: 'session' });
    await client.subscribe({ class: 'media', subclass: 'marker' });
    assert.equal(server.publish(roomStarted), 0);
    const got = await deliver([sessionStop, roomStarted, callRinging]);
    assert.deepEqual(got, [sessionStop]);
  });

  test('an obj_id subscription follows one object', async () => {
    await client.subscribe({ class: 'media', obj_id: roomStarted.obj_id });
    await client.subscribe({ class: 'media', subclass: 'marker' });
    const got = await deliver([sessionStop, roomStarted, callRinging]);
    assert.deepEqual(got.map((e) => e.obj_id), [roomStarted.obj_id]);
  });

  test('an event matching several subscriptions is delivered once', async () => {
    await client.subscribe({ class: 'media' });
    await client.subscribe({ class: 'media', subclass: 'session' });
    await client.subscribe({ class: 'media', subclass: 'session', type: 'stop' });
    assert.equal(server.publish(sessionStop), 1);
    const got = await deliver([]);
    assert.equal(got.length, 1);
  });

  test('a subscription body is merged into delivered bodies; the event\'s own fields win', async () => {
    await client.subscribe({ class: 'media', subclass: 'session', body: { tag: 'mine', code: 99 } });
    await client.subscribe({ class: 'media', subclass: 'marker' });
    const got = await deliver([sessionStop]);
    assert.deepEqual(got[0].body, { tag: 'mine', code: 0, reason: 'User stop' });
  });

  test('unsubscribe removes the matching subscription ("*" and omitted are the same filter)', async () => {
    await client.subscribe({ class: 'media', subclass: 'session' });
    await client.subscribe({ class: 'media', subclass: 'marker' });
    const response = await client.request('core', 'event', 'unsubscribe', { class: 'media', subclass: 'session', type: '*' });
    assert.equal(response.result, 'ok');
    const got = await deliver([sessionStop]);
    assert.deepEqual(got, []);
  });

  // As a 2016 server lists them (nkservice@79bf10d:src/nkservice_api_server.erl:348-364,616-637): acked
  // first, newest first, wildcards as "*", the service id, and the two made at login; no body.
  test('get_subscriptions is acked, then lists the subscriptions and the two made at login', async () => {
    await client.subscribe({ class: 'media', subclass: 'session', body: { tag: 1 } });
    await client.subscribe({ class: 'core' });
    await client.subscribe({ class: 'media', subclass: 'session', body: { tag: 2 } });
    const response = await client.request('core', 'event', 'get_subscriptions');
    assert.ok(client.frames.some((f) => f.ack === response.tid), 'acked first');
    assert.equal(response.result, 'ok');
    const sessionId = (client.frames.find((f) => (f.data as Frame | undefined)?.session_id) as { data: { session_id: string } }).data.session_id;
    const service = SIMULATOR_SERVICE_ID;
    assert.deepEqual(response.data, [
      { class: 'media', subclass: 'session', type: '*', obj_id: '*', service },
      { class: 'core', subclass: '*', type: '*', obj_id: '*', service },
      { class: 'core', subclass: 'session_event', type: '*', obj_id: sessionId, service },
      { class: 'core', subclass: 'user_event', type: '*', obj_id: 'admin', service },
    ]);
  });

  test('bad subscribe data gets the era\'s missing_field / syntax_error', async () => {
    assert.deepEqual((await client.subscribe({})).data, { code: 1047, error: 'Missing field: class' });
    for (const [data, field] of [[{ class: 7 }, 'class'], [{ class: 'media', subclass: ['x'] }, 'subclass'], [{ class: 'media', body: 'x' }, 'body']] as const) {
      const response = await client.subscribe(data);
      assert.equal(response.result, 'error', JSON.stringify(data));
      assert.deepEqual(response.data, { code: 1046, error: `Syntax error: ${field}` });
    }
    const listed = await client.request('core', 'event', 'get_subscriptions');
    assert.equal((listed.data as unknown[]).length, 2, 'only the two made at login');
  });

  test('each event request carries a fresh tid, per connection', async () => {
    const other = await TestClient.connect(url);
    try {
      await other.login();
      await other.subscribe({ class: 'media' });
      await client.subscribe({ class: 'media' });
      for (let i = 0; i < 5; i++) assert.equal(server.publish(sessionStop), 2);
      const framesOf = async (c: TestClient) => {
        await c.waitForEvents(5);
        return c.frames.filter((f) => f.cmd === 'event');
      };
      for (const frames of [await framesOf(client), await framesOf(other)]) {
        const tids = frames.map((f) => f.tid as number);
        assert.equal(new Set(tids).size, 5, `tids ${tids.join(',')} are not unique`);
        assert.deepEqual([...tids].sort((a, b) => a - b), tids, 'tids increase');
        assert.deepEqual(frames[0].class, 'core');
        assert.deepEqual(frames[0].data, sessionStop);
      }
    } finally {
      await other.close();
    }
  });

  test('events stop when the client disconnects; publish then counts nobody', async () => {
    await client.subscribe({ class: 'media' });
    assert.equal(server.publish(sessionStop), 1);
    await client.close();
    await waitFor(() => server.clientCount === 0, 'the server to drop the closed client');
    assert.equal(server.publish(sessionStop), 0);
  });
});

/** Polls `condition` every 10 ms for at most 5 s; fails with `what`. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  assert.ok(condition(), `timed out after 5 s waiting for ${what}`);
}
