// The product against the fake July-2016 server (nkservice@cbdd973 + nkmedia@bb1dc51).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/2016-07';

conformanceSuite('2016-07', startServer);
// July: every error is 1000 (nkservice@cbdd973:src/nkservice_callbacks.erl:136-169)
protocolSuite({ era: '2016-07', start: startServer, unknownCommandCode: 1000, unauthorizedCode: 1000 });

describe('July 2016 specifics', () => {
  test('the sample login needs a pass key: the login the product sends carries it', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-07', reconnect: false });
    try {
      await client.connect();
      assert.ok(server.conns[0].loginData && 'pass' in server.conns[0].loginData, 'login data has pass (nkmedia@bb1dc51:src/nkmedia_test_api.erl:205)');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });

  test('room list/info are the only snapshot commands; their shapes', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'media', subclass: 'session', type: 'answer', nth: 4 });
    const { room, pub, lis } = server.scriptIds;
    // login as the July sample wants it (user + pass), whatever the product sends by default
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2016-07', reconnect: false, loginMeta: { pass: PASSWORD } });
    try {
      await client.connect();
      assert.deepEqual((await client.request('media', 'room', 'list')).data, { ids: [room] });
      assert.deepEqual((await client.request('media', 'room', 'info', { id: room })).data, { room_audio_codec: 'opus', room_video_codec: 'vp8', room_bitrate: 500000, publish: [pub], listen: { [lis]: pub } });
      for (const [sub, cmd] of [['session', 'list'], ['session', 'get_list'], ['room', 'get_list']]) {
        assert.deepEqual(await requestError(client, 'media', sub, cmd), { code: 1000, message: `request media/${sub}/${cmd} failed: Unknown command (code 1000)` });
      }
      assert.equal((await requestError(client, 'media', 'room', 'info', { id: 'nope' })).code, 2000, 'room_not_found is 2000 + 0 in July');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
