import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { EventData } from '../../../src/protocol/frames';
import { NkServiceServer } from '../../../src/simulator/nkServiceServer';
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

  test('get_subscriptions lists the current subscriptions', async () => {
    await client.subscribe({ class: 'media', subclass: 'session', body: { tag: 1 } });
    await client.subscribe({ class: 'core' });
    await client.subscribe({ class: 'media', subclass: 'session', body: { tag: 2 } });
    const response = await client.request('core', 'event', 'get_subscriptions');
    assert.equal(response.result, 'ok');
    assert.deepEqual(response.data, [
      { class: 'media', subclass: 'session', body: { tag: 2 } },
      { class: 'core' },
    ]);
  });

  test('bad subscribe data gets an error response', async () => {
    for (const data of [{}, { class: 7 }, { class: 'media', subclass: ['x'] }, { class: 'media', body: 'x' }]) {
      const response = await client.subscribe(data);
      assert.equal(response.result, 'error', JSON.stringify(data));
      assert.match(String((response.data as { error?: string }).error), /invalid subscription/);
    }
    const listed = await client.request('core', 'event', 'get_subscriptions');
    assert.deepEqual(listed.data, []);
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
    await waitFor(() => server.clientCount === 0);
    assert.equal(server.publish(sessionStop), 0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  assert.ok(condition(), 'condition not met in time');
}
