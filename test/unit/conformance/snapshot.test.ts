// Objects that existed before the inspector connected: against each era's fake server, whose
// list/info (get_list/get_info) commands answer with the era's shapes, the live source shows
// the room with its members, the listener linked to its publisher, and the sessions' types,
// all marked as seen in the snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveSource } from '../../../src/inspector/liveSource';
import { MemoryLogger } from '../../../src/shared/logger';
import { PASSWORD, USER, waitFor } from './harness';
import type { EraServerOptions } from './servers/base';
import { startServer as start201608 } from './servers/2016-08';
import { startServer as start201610, type Server2016Oct } from './servers/2016-10';

// The Aug 2016 server extends the Oct 2016 one (shared connection code, as in the sources).
const ERAS: Array<[string, (o?: EraServerOptions) => Promise<Server2016Oct>]> = [
  ['2016-08 (list / info, publishers and listeners maps)', (o) => start201608({ ...o, nkmedia: 'adf1bf4' })],
  ['2016-10 (get_list / get_info, members with roles)', start201610],
];

for (const [name, start] of ERAS) {
  test(`snapshot on connect, ${name}: the room, its members and their sessions appear with their state`, { timeout: 20_000 }, async () => {
    const server = await start({ script: false });
    // Stop the script where the room has its publisher and its listener, both answered.
    server.seedSnapshot({ class: 'media', subclass: 'session', type: 'answer', nth: 4 });
    const { room, pub, lis } = server.scriptIds;
    const source = new LiveSource({ id: 'snap', name: 'snap', logger: new MemoryLogger(), client: { url: server.url, user: USER, password: PASSWORD, reconnect: false } });
    try {
      await source.connect();
      const store = source.store;
      await waitFor(() => store.getObject(`media/room/${room}`)?.listeners.size === 1 && store.getObject(`media/session/${lis}`)?.sessionType !== undefined, 'the snapshot in the store');
      const roomState = store.getObject(`media/room/${room}`)!;
      assert.equal(roomState.fromSnapshot, true);
      assert.equal(roomState.roomClass, 'sfu');
      assert.deepEqual([...roomState.publishers.keys()], [pub]);
      assert.equal(roomState.listeners.get(lis)?.peer, pub, 'the listener watches the publisher');
      const listener = store.getObject(`media/session/${lis}`)!;
      assert.deepEqual([listener.sessionType, listener.peer, listener.fromSnapshot], ['listen', pub, true]);
      assert.equal(store.getObject(`media/session/${pub}`)?.user, 'alice');
      assert.deepEqual(store.anomalies(), [], 'snapshot records are the inspector\'s own: no unknown-type');
    } finally {
      await source.dispose();
      await server.close();
    }
  });
}
