// The product against the fake August-2016 server (nkservice@b780fbf + nkmedia@3215f72 / adf1bf4).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/2016-08';

// 25 Aug and later: the listener's publisher is peer_id (nkmedia@adf1bf4:src/nkmedia_events.erl:137-138)
conformanceSuite('2016-08', (o) => startServer({ ...o, nkmedia: 'adf1bf4' }), 'nkmedia@adf1bf4, peer_id');
// 19 Aug: it is peer (nkmedia@3215f72:src/nkmedia_events.erl:137-138)
conformanceSuite('2016-08', (o) => startServer({ ...o, nkmedia: '3215f72' }), 'nkmedia@3215f72, peer');
// unknown_command 1041, unauthorized 1030 (nkservice@b780fbf:src/nkservice_callbacks.erl:159,167)
protocolSuite({ era: '2016-08', start: startServer, unknownCommandCode: 1041, unauthorizedCode: 1030 });

describe('August 2016 snapshot commands: list / info', () => {
  for (const nkmedia of ['3215f72', 'adf1bf4'] as const) {
    test(`session and room list/info with their shapes; get_list/get_info are unknown (nkmedia@${nkmedia})`, { timeout: 20_000 }, async () => {
      const server = await startServer({ script: false, nkmedia });
      server.seedSnapshot({ class: 'media', subclass: 'session', type: 'answer', nth: 4 });
      const { room, pub, lis } = server.scriptIds;
      const peer = nkmedia === '3215f72' ? 'peer' : 'peer_id';
      const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-08', reconnect: false });
      try {
        await client.connect();
        const sessions = (await client.request('media', 'session', 'list')).data as Array<{ session_id: string }>;
        assert.deepEqual(new Set(sessions.map((s) => s.session_id)), new Set([pub, lis]));
        assert.deepEqual((await client.request('media', 'session', 'info', { session_id: lis })).data, { session_id: lis, backend: 'nkmedia_janus', user_id: 'bob', type: 'listen', type_ext: { room_id: room, publisher_id: pub } });
        assert.deepEqual((await client.request('media', 'room', 'list')).data, [{ room_id: room, class: 'sfu' }]);
        assert.deepEqual((await client.request('media', 'room', 'info', { room_id: room })).data, {
          audio_codec: 'opus',
          video_codec: 'vp8',
          bitrate: 500000,
          class: 'sfu',
          backend: 'nkmedia_janus',
          publishers: { [pub]: { user: 'alice' } },
          listeners: { [lis]: { user: 'bob', [peer]: pub } },
        });
        for (const [sub, cmd] of [['session', 'get_list'], ['session', 'get_info'], ['room', 'get_list'], ['room', 'get_info']]) {
          assert.equal((await requestError(client, 'media', sub, cmd, {})).code, 1041, `${sub}/${cmd}`);
        }
        assert.equal((await requestError(client, 'media', 'room', 'info', { room_id: 'nope' })).code, 2030, 'room_not_found');
      } finally {
        await client.disconnect();
        client.dispose();
        await server.close();
      }
    });
  }

  test('an empty list is answered WITHOUT data in August (nkservice@b780fbf:src/nkservice_api_server.erl:781)', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-08', reconnect: false });
    try {
      await client.connect();
      const sessions = await client.request('media', 'session', 'list');
      assert.equal(sessions.result, 'ok');
      assert.equal(sessions.data, undefined);
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
