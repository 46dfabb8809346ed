// The product against the fake develop-2017 server (nkservice@ee00943 + nkmedia@10eb4c3).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/2017';

conformanceSuite('2017', startServer);
// develop error replies carry the error atom as a STRING code since nkservice@f9f688f (2017-01-26)
protocolSuite({ era: '2017', start: startServer, unknownCommandCode: 'unknown_command', unauthorizedCode: 'unauthorized' });

describe('develop 2017 specifics', () => {
  test('get_list/get_info with their shapes; session list is unknown_command, room list not_implemented', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'media', subclass: 'session', type: 'answer', nth: 4 });
    const { room, pub, lis } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: '2017', reconnect: false });
    try {
      await client.connect();
      const sessions = (await client.request('media', 'session', 'get_list')).data as Array<{ session_id: string }>;
      assert.deepEqual(new Set(sessions.map((s) => s.session_id)), new Set([pub, lis]));
      const info = (await client.request('media', 'session', 'get_info', { session_id: lis })).data as Record<string, unknown>;
      assert.equal(info.publisher_id, pub);
      assert.deepEqual((await client.request('media', 'room', 'get_list')).data, [{ room_id: room, class: 'sfu' }]);
      const roomInfo = (await client.request('media', 'room', 'get_info', { room_id: room })).data as Record<string, unknown>;
      assert.deepEqual(roomInfo.members, { [pub]: { role: 'publisher', user_id: 'alice' }, [lis]: { role: 'listener', user_id: 'bob', peer_id: pub } });
      // nkmedia_session_api:cmd fallback (nkmedia@10eb4c3:src/nkmedia_session_api.erl:191-192)
      assert.deepEqual(await requestError(client, 'media', 'session', 'list'), { code: 'unknown_command', message: "request media/session/list failed: Unknown command 'list' (code unknown_command)" });
      // nkmedia_room_api:cmd continues (nkmedia@10eb4c3:src/nkmedia_room_api.erl:71-72): the chain ends in not_implemented
      assert.equal((await requestError(client, 'media', 'room', 'list')).code, 'not_implemented');
      assert.equal((await requestError(client, 'media', 'room', 'get_info', { room_id: 'nope' })).code, 'room_not_found');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });

  test('the develop login is answered without {ack}', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'auto', reconnect: false });
    try {
      await client.connect();
      assert.ok(!server.conns[0].plumb.sent.some((f) => 'ack' in f));
      assert.equal(client.state.kind, 'connected');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
