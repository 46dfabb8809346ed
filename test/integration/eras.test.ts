// Servers of every era, inside the real extension host: the embedded simulator speaks each
// dialect, and the tree shows what a user looks for. Its groups fill with objects in their
// states, ended sessions are not flagged for their non-zero user_stop codes, listeners link
// to their publishers, and the Connection row and the status bar name the era detected.
import * as assert from 'assert';
import { NkMediaSimulator } from '../../src/simulator';
import type { DialectId } from '../../src/protocol/dialects';
import type { TreeNode } from '../../src/vscode/treeNodes';
import { activate, NkMediaApi, waitFor } from './helpers';

/** The era's label as the source row shows it (`NkMEDIA Oct 2016` without the product name). */
const ERAS: Array<[DialectId, RegExp]> = [
  ['2016-07', /Jul 2016/],
  ['2016-08', /Aug 2016/],
  ['2016-10', /Oct 2016/],
  ['2017', /develop 2017/],
  ['nkcollab-2016', /Oct 2016 \+ nkcollab/],
  ['nkcollab-2017', /develop 2017 \+ nkcollab/],
];

suite('Servers of every era', () => {
  let api: NkMediaApi;
  const itemOf = (node: TreeNode) => api.tree.getTreeItem(node);
  const labelOf = (node: TreeNode) => String(itemOf(node).label);

  suiteSetup(async () => {
    api = await activate();
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
  });

  suiteTeardown(async () => {
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
  });

  for (const [dialect, label] of ERAS) {
    test(`${dialect}: groups fill with objects in their states, ends judged by the era, the era named on the Connection row`, async function () {
      this.timeout(90_000);
      const simulator = new NkMediaSimulator({ port: 0, seed: 3, rate: 400, dialect, pingSeconds: 1 });
      const { url } = await simulator.start();
      try {
        // Two sources are shown as two top-level rows: connect one at a time.
        const source = await api.connections.connect({ name: `era ${dialect}`, url, user: 'admin', password: 'admin' });
        const store = source.store;
        // develop 2017 nkmedia has no calls: they moved to nkcollab (nkmedia@2786028).
        const hasCalls = dialect !== '2017';
        await waitFor(`ended sessions, rooms with listeners${hasCalls ? ' and calls' : ''} from the ${dialect} simulator`, () => {
          const stopped = store.objectsOfKind('session').filter((s) => s.ended).length;
          return (!hasCalls || store.counts().call > 0) && stopped > 5 && store.objectsOfKind('room').some((r) => r.listeners.size > 0);
        }, 40_000);
        await waitFor(`the era detected as ${dialect}`, () => source.server.dialect.id === dialect, 10_000);
        api.tree.refreshNow();

        const roots = (await api.tree.getChildren()) ?? [];
        assert.deepStrictEqual(roots.slice(0, 3).map(labelOf), ['Sessions', 'Rooms', 'Calls']);
        // One source: its groups are the roots, and the Connection row after them names the server.
        const connection = roots.find((n) => n.type === 'connection');
        assert.ok(connection, `a Connection row among ${roots.map(labelOf).join(', ')}`);
        const row = itemOf(connection);
        assert.match(String(row.description), label, `the Connection row names the era: ${row.description}`);
        assert.match(String(row.tooltip), /\(detected\)/, `the tooltip says it was detected: ${row.tooltip}`);
        assert.match(api.statusBar.text, label, `the status bar names it too: ${api.statusBar.text}`);

        const sessions = store.objectsOfKind('session');
        const normal = sessions.filter((s) => s.endVerdict === 'normal');
        assert.ok(normal.length > 0, 'sessions that ended normally');
        assert.ok(normal.every((s) => s.state === 'stopped' && !s.anomalies.some((a) => a.kind === 'fault-end')), 'no ⚠ for a normal end');
        assert.ok(normal.some((s) => s.code !== undefined && Number(s.code) !== 0), `normal ends carry the era's non-zero user_stop code (${normal[0].code})`);
        const listeners = store.objectsOfKind('room').flatMap((r) => [...r.listeners.values()]);
        if (dialect === 'nkcollab-2016') {
          // nkcollab master rooms list members (users of the room), whose events name no session
          // and no presenter (nkcollab@c0119d7:src/room/nkcollab_room_api_syntax.erl:237-239).
          assert.ok(listeners.some((m) => m.sessionId === undefined && m.user !== undefined), 'viewers listed as members of the room');
        } else {
          const listener = listeners.find((m) => m.peer !== undefined);
          assert.ok(listener, 'a listener linked to its publisher');
          assert.ok(store.getObject(`media/session/${listener.peer}`), 'the publisher it watches is a session in the tree');
        }
        if (dialect.startsWith('nkcollab')) assert.ok(store.objects().some((o) => o.class === 'collab' && o.kind === 'call'), 'collab calls in the Calls group');
      } finally {
        for (const s of [...api.registry.list()]) await api.registry.remove(s.id);
        await simulator.stop();
      }
    });
  }
});
