// The product against the fake Oct-2016 master server (nkservice@79bf10d + nkmedia@4394517).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/2016-10';

conformanceSuite('2016-10', startServer);
protocolSuite({ era: '2016-10', start: startServer, unknownCommandCode: 100042, unauthorizedCode: 100030 });

describe('snapshot commands 2016-10: get_list / get_info (renamed from list/info on 29 Sep / 11 Oct 2016)', () => {
  test('get_list and get_info answer with the era shapes; list/info are unknown commands', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    // the room with its publisher and listener, as it is before the listener's answer
    server.seedSnapshot({ class: 'media', subclass: 'session', type: 'answer', nth: 4 });
    const { room, pub, lis } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-10', reconnect: false });
    try {
      await client.connect();
      const sessions = await client.request('media', 'session', 'get_list');
      assert.deepEqual(new Set((sessions.data as Array<{ session_id: string }>).map((s) => s.session_id)), new Set([pub, lis]));
      const info = await client.request('media', 'session', 'get_info', { session_id: lis });
      assert.deepEqual(info.data, { session_id: lis, backend: 'nkmedia_janus', type: 'listen', type_ext: { room_id: room, publisher_id: pub }, user_id: 'bob', room_id: room, publisher_id: pub });
      const rooms = await client.request('media', 'room', 'get_list');
      assert.deepEqual(rooms.data, [{ room_id: room, class: 'sfu' }]);
      const roomInfo = await client.request('media', 'room', 'get_info', { room_id: room });
      assert.deepEqual(roomInfo.data, {
        class: 'sfu',
        backend: 'nkmedia_janus',
        members: { [pub]: { role: 'publisher', user_id: 'alice' }, [lis]: { role: 'listener', user_id: 'bob', peer_id: pub } },
        audio_codec: 'opus',
        video_codec: 'vp8',
        bitrate: 500000,
      });
      assert.deepEqual(await requestError(client, 'media', 'session', 'list'), { code: 100042, message: "request media/session/list failed: Unknown command 'list' (code 100042)" });
      assert.equal((await requestError(client, 'media', 'room', 'info', { room_id: room })).code, 100042);
      assert.equal((await requestError(client, 'media', 'room', 'get_info', { room_id: 'nope' })).code, 304001);
      assert.equal((await requestError(client, 'media', 'room', 'get_info', {})).code, 100045, 'missing room_id');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });

  test('an empty get_list still carries data: [] (the empty-list clause is commented out at 79bf10d)', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-10', reconnect: false });
    try {
      await client.connect();
      const sessions = await client.request('media', 'session', 'get_list');
      assert.deepEqual(sessions.data, []);
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
