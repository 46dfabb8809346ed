// The product against the fake NkCOLLAB master server (nkcollab@c0119d7 + nkmedia@2448086 + nkservice@968088a).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/nkcollab-2016';

conformanceSuite('nkcollab-2016', startServer);
protocolSuite({ era: 'nkcollab-2016', start: startServer, unknownCommandCode: 100042, unauthorizedCode: 100030 });

describe('NkCOLLAB master snapshot commands', () => {
  test('collab/room and collab/call get_list/get_info with their shapes; list is unknown', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'collab', subclass: 'call', type: 'accepted' });
    const { room, call1 } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'nkcollab-2016', reconnect: false });
    try {
      await client.connect();
      // the room is gone by the time call 1 is accepted
      assert.deepEqual((await client.request('collab', 'room', 'get_list')).data, []);
      assert.equal((await requestError(client, 'collab', 'room', 'get_info', { room_id: room })).code, 304001);
      assert.deepEqual((await client.request('collab', 'call', 'get_list')).data, [{ call_id: call1 }]);
      assert.deepEqual((await client.request('collab', 'call', 'get_info', { call_id: call1 })).data, { call_id: call1, type: 'user', backend: 'nkmedia_janus', user_id: 'alice', callee: 'bob' });
      assert.equal((await requestError(client, 'collab', 'room', 'list')).code, 100042);
      assert.equal((await requestError(client, 'collab', 'call', 'info', { call_id: call1 })).code, 100042);
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });

  test('collab/room get_info while the room has members', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'collab', subclass: 'room', type: 'stopped_session' });
    const { room } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'nkcollab-2016', reconnect: false });
    try {
      await client.connect();
      assert.deepEqual((await client.request('collab', 'room', 'get_list')).data, [{ room_id: room, meta: {} }]);
      assert.deepEqual((await client.request('collab', 'room', 'get_info', { room_id: room })).data, { audio_codec: 'opus', video_codec: 'vp8', bitrate: 500000, class: 'sfu', backend: 'nkmedia_janus', meta: {} });
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});

describe('NkCOLLAB master: the media room under a collab room', () => {
  test('media/room get_list and get_info show the media room with the same id', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'collab', subclass: 'room', type: 'stopped_session' });
    const { room, pub, lis } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'nkcollab-2016', reconnect: false });
    try {
      await client.connect();
      assert.deepEqual((await client.request('media', 'room', 'get_list')).data, [{ room_id: room, class: 'sfu' }]);
      const info = (await client.request('media', 'room', 'get_info', { room_id: room })).data as Record<string, unknown>;
      assert.deepEqual(info.members, { [pub]: { role: 'publisher', user_id: 'alice' }, [lis]: { role: 'listener', user_id: 'bob', peer_id: pub } });
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
