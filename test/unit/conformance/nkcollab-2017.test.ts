// The product against the fake NkCOLLAB develop server (nkcollab@85db3e1 + nkmedia@10eb4c3 + nkservice@ee00943).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient } from '../../../src/protocol/client';
import { conformanceSuite, protocolSuite, requestError, PASSWORD, USER } from './harness';
import { startServer } from './servers/nkcollab-2017';

conformanceSuite('nkcollab-2017', startServer);
protocolSuite({ era: 'nkcollab-2017', start: startServer, unknownCommandCode: 'unknown_command', unauthorizedCode: 'unauthorized' });

describe('NkCOLLAB develop snapshot commands', () => {
  test('collab/room and collab/call get_list/get_info; other names are unknown_command', { timeout: 20_000 }, async () => {
    const server = await startServer({ script: false });
    server.seedSnapshot({ class: 'collab', subclass: 'room', type: 'stopped_listener' });
    const { room } = server.scriptIds;
    const client = new NkServiceClient({ url: server.url, user: USER, password: PASSWORD, dialect: 'nkcollab-2017', reconnect: false });
    try {
      await client.connect();
      assert.deepEqual((await client.request('collab', 'room', 'get_list')).data, [{ room_id: room, meta: {} }]);
      const info = (await client.request('collab', 'room', 'get_info', { room_id: room })).data as Record<string, unknown>;
      assert.equal(info.room_id, room);
      assert.equal(info.class, 'sfu');
      assert.deepEqual((await client.request('collab', 'call', 'get_list')).data, []);
      assert.equal((await requestError(client, 'collab', 'room', 'list')).code, 'unknown_command');
      assert.equal((await requestError(client, 'collab', 'call', 'get_info', { call_id: 'nope' })).code, 'call_not_found');
    } finally {
      await client.disconnect();
      client.dispose();
      await server.close();
    }
  });
});
