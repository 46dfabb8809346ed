// Live inspection inside the real extension host: connecting to a simulator fills the tree
// (groups with counts, objects with state, events, room members as links); a restart of
// the server is survived and shown as a gap; passwords go through SecretStorage.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { NkMediaSimulator } from '../../src/simulator';
import { activate, NkMediaApi, waitFor } from './helpers';
import type { TreeNode } from '../../src/vscode/treeNodes';

const PASSWORD = 'integration-Secret-42';

suite('Live inspection', () => {
  let api: NkMediaApi;
  let simulator: NkMediaSimulator;
  let url: string;
  let port: number;

  const itemOf = (node: TreeNode) => api.tree.getTreeItem(node);
  const labelOf = (node: TreeNode) => String(itemOf(node).label);
  const children = async (node?: TreeNode) => (await api.tree.getChildren(node)) ?? [];
  const group = async (label: string) => {
    const roots = await children();
    const found = roots.find((n) => labelOf(n) === label);
    assert.ok(found, `no ${label} group among ${roots.map(labelOf).join(', ')}`);
    return found;
  };

  /** A group's objects: the live ones, then those under "Ended" (a moment may have no live call). */
  const objectsOf = async (label: string) => {
    const listed = await children(await group(label));
    const ended = listed.find((n) => n.type === 'ended');
    return [...listed, ...(ended ? await children(ended) : [])].filter((n) => n.type === 'object');
  };

  suiteSetup(async () => {
    api = await activate();
    // Earlier suites may have left sources open; with one source the groups are the roots.
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    simulator = new NkMediaSimulator({ port: 0, seed: 11, rate: 300, password: PASSWORD, pingSeconds: 1 });
    ({ url, port } = await simulator.start());
  });

  suiteTeardown(async () => {
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    await api.passwords.delete(url, 'admin');
    await simulator.stop();
  });

  test('a password kept in SecretStorage is used to log in, and is not in any setting', async () => {
    await api.passwords.store(url, 'admin', PASSWORD);
    assert.strictEqual(await api.passwords.get(url, 'admin'), PASSWORD);
    const source = await api.connections.connect({ name: 'sim', url, user: 'admin' });
    assert.strictEqual(source.status.kind, 'connected');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('nkmedia'));
    assert.ok(!settings.includes(PASSWORD), 'the password is not in the settings');
  });

  test('the tree shows Sessions, Rooms, Calls and Other with counts, and objects with their state', async () => {
    const source = api.registry.get('sim')!;
    await waitFor('sessions, rooms and calls', () => {
      const c = source.store.counts();
      return c.session > 3 && c.room > 0 && c.call > 0;
    });
    api.tree.refreshNow();
    const roots = await children();
    assert.deepStrictEqual(roots.slice(0, 4).map(labelOf), ['Sessions', 'Rooms', 'Calls', 'Other']);
    const sessions = await group('Sessions');
    const count = Number(String(itemOf(sessions).description).split(' ')[0]);
    assert.ok(count > 3, `Sessions shows its count: ${itemOf(sessions).description}`);
    await waitFor('an ended session', () => source.store.objectsOfKind('session').some((s) => s.ended));
    api.tree.refreshNow();
    const listed = await children(sessions);
    // Live sessions first, newest first, all of them; then "Ended", most recently ended first.
    const objects = listed.filter((n) => n.type === 'object');
    const live = objects.map((n) => (n.type === 'object' ? source.store.getObject(n.key)! : undefined)!);
    assert.ok(live.length > 0 && live.every((o) => !o.ended), 'the group lists its live sessions');
    const starts = live.map((o) => o.firstTs);
    assert.deepStrictEqual(starts, [...starts].sort((a, b) => b - a), 'live sessions newest first');
    const ended = listed[listed.length - 1];
    assert.strictEqual(ended.type, 'ended', `"Ended" comes last: ${listed.map(labelOf).join(', ')}`);
    assert.strictEqual(labelOf(ended), 'Ended');
    const endedObjects = (await children(ended)).filter((n) => n.type === 'object');
    const ends = endedObjects.map((n) => (n.type === 'object' ? source.store.getObject(n.key)!.endTs! : NaN));
    assert.ok(ends.length > 0, 'ended sessions under "Ended"');
    assert.deepStrictEqual(ends, [...ends].sort((a, b) => b - a), 'the most recently ended first');
    const first = itemOf(objects[0]);
    assert.match(String(first.label), /^[0-9a-f]{8} (created|answered|stopped)$/, `label: ${first.label}`);
    // The tooltip is filled in when VS Code resolves the hovered item (current at that moment).
    const resolved = api.tree.resolveTreeItem(first, objects[0]);
    assert.ok(resolved.tooltip && String(resolved.tooltip).includes('state:'), 'a tooltip with the details');
    const events = (await children(objects[0])).filter((n) => n.type === 'event');
    assert.ok(events.length > 0, 'the object lists its events');
    assert.match(String(itemOf(events[0]).description), /^\+\d/, 'events show the time from the object start');
  });

  test('rooms list publishers and listeners as links that reveal the sessions', async () => {
    const source = api.registry.get('sim')!;
    await waitFor('a room with a listener', () => source.store.objectsOfKind('room').some((r) => r.listeners.size > 0), 20_000);
    api.tree.refreshNow();
    const rooms = await children(await group('Rooms'));
    let listenersNode: TreeNode | undefined;
    for (const room of rooms) {
      const sub = await children(room);
      const node = sub.find((n) => n.type === 'members' && n.role === 'listener');
      if (node && (await children(node)).length > 0) {
        listenersNode = node;
        break;
      }
    }
    assert.ok(listenersNode, 'a room with a Listeners node');
    const [link] = await children(listenersNode);
    const item = itemOf(link);
    assert.match(String(item.label), /^listener [0-9a-f]{8}$/);
    assert.strictEqual(item.command?.command, 'nkmedia.revealObject');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const target = link.type === 'link' ? link.targetKey : '';
    await waitFor(`${target} selected in the tree (selection: ${api.treeView.selection.map((n) => n.id).join(', ')})`, () =>
      api.treeView.selection.some((n) => n.type === 'object' && n.key === target),
    );
  });

  test('the filter narrows the objects, and clearing it brings them back', async () => {
    const countOf = async (label: string) => Number(String(itemOf(await group(label)).description).split(' ')[0]);
    const before = await countOf('Sessions');
    await vscode.commands.executeCommand('nkmedia.setFilter', 'type:stop subclass:session');
    const after = await countOf('Sessions');
    // Sessions keep arriving while the test reads: compare with what is stored, not with before.
    assert.ok(after > 0, `${after} sessions have a stop (of ${before} before filtering)`);
    assert.strictEqual(await countOf('Rooms'), 0, 'rooms are filtered out by subclass');
    // Only ended sessions have a stop: they are all under "Ended".
    const listed = await children(await group('Sessions'));
    assert.deepStrictEqual(listed.map((n) => n.type), ['ended'], 'no live session matches type:stop');
    const filtered = (await children(listed[0])).filter((n) => n.type === 'object');
    assert.ok(filtered.length > 0, 'stopped sessions listed');
    const source = api.registry.get('sim')!;
    for (const node of filtered) {
      const object = node.type === 'object' ? source.store.getObject(node.key) : undefined;
      assert.strictEqual(object?.state, 'stopped', 'only sessions that have a stop event');
    }
    assert.match(api.treeView.message ?? '', /^Filter: type: stop · session$/);
    await vscode.commands.executeCommand('nkmedia.clearFilter');
    assert.strictEqual(api.treeView.message, undefined);
  });

  test('pause holds the display while events are still stored', async () => {
    await vscode.commands.executeCommand('nkmedia.pause');
    assert.strictEqual(api.tree.paused, true);
    assert.match(api.treeView.message ?? '', /paused/i);
    const source = api.registry.get('sim')!;
    const size = source.store.size;
    await waitFor('more events while paused', () => source.store.size > size + 50);
    await vscode.commands.executeCommand('nkmedia.resume');
    assert.strictEqual(api.tree.paused, false);
    assert.strictEqual(api.treeView.message, undefined);
  });

  test('an event opens as read-only JSON, exactly as received', async () => {
    const objects = await objectsOf('Calls');
    const events = (await children(objects[0])).filter((n) => n.type === 'event');
    await vscode.commands.executeCommand('nkmedia.openEventJson', events[0]);
    const editor = await waitFor('the JSON editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'nkmedia-event'));
    const shown = JSON.parse(editor.document.getText());
    const stored = api.registry.get('sim')!.store.getEvent(events[0].type === 'event' ? events[0].seq : -1)!;
    assert.deepStrictEqual(shown.event, stored.data);
    assert.strictEqual(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Show in Timeline on an object opens the timeline of its source', async () => {
    const [object] = await objectsOf('Calls');
    await vscode.commands.executeCommand('nkmedia.showInTimeline', object);
    const tab = await waitFor('the timeline tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Timeline: sim' && t.input instanceof vscode.TabInputWebview),
    );
    assert.ok(tab.isActive, 'the timeline is shown');
    await vscode.window.tabGroups.close(tab);
  });

  test('copy id puts the object id on the clipboard', async () => {
    const [object] = await objectsOf('Sessions');
    await vscode.commands.executeCommand('nkmedia.copyId', object);
    const key = object.type === 'object' ? object.key : '';
    assert.strictEqual(await vscode.env.clipboard.readText(), key.split('/').pop());
  });

  test('a saved live capture names its subscriptions in the header', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-live-save-'));
    try {
      const target = vscode.Uri.file(path.join(dir, 'live.nkmtrace'));
      const saved = (await vscode.commands.executeCommand('nkmedia.saveTrace', target, { sourceId: 'sim', scope: 'all' })) as { events: number } | undefined;
      assert.ok(saved && saved.events > 0, 'events saved');
      const header = JSON.parse(fs.readFileSync(target.fsPath, 'utf8').split('\n', 1)[0]) as { subscriptions?: Array<{ class: string }>; source?: { url?: string } };
      // The trace summary read "Subscriptions (not recorded)" for every capture saved from here.
      assert.deepStrictEqual(header.subscriptions?.map((s) => s.class), ['media', 'collab']);
      assert.strictEqual(header.source?.url, url);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the status bar shows the connection and its event rate', async () => {
    await waitFor('a rate in the status bar', () => /ev\/s/.test(api.statusBar.text) && !/ 0 ev\/s/.test(api.statusBar.text), 10_000);
  });

  test('a restarted server is reconnected to, and the time away shows as a gap', async () => {
    const source = api.registry.get('sim')!;
    await simulator.stop();
    await waitFor('reconnecting', () => source.status.kind === 'reconnecting');
    simulator = new NkMediaSimulator({ port, seed: 12, rate: 300, password: PASSWORD, pingSeconds: 1 });
    await simulator.start();
    await waitFor('connected again', () => source.status.kind === 'connected', 40_000);
    await waitFor('a gap marker', () => source.store.markers().some((m) => m.kind === 'gap'));
    api.tree.refreshNow();
    const connection = (await children()).find((n) => n.type === 'connection');
    assert.ok(connection, 'a Connection node after the groups');
    assert.match(String(itemOf(connection).description), /^1 gap · /);
    const [gap] = await children(connection);
    assert.match(String(itemOf(gap).label), /^gap at \d\d:\d\d:\d\d\.\d{3}$/);
  });

  test('disconnect keeps the events; clear empties the store', async () => {
    const source = api.registry.get('sim')!;
    await vscode.commands.executeCommand('nkmedia.disconnect');
    await waitFor('disconnected', () => source.status.kind === 'disconnected');
    assert.ok(source.store.size > 0);
    await vscode.commands.executeCommand('nkmedia.clear');
    assert.strictEqual(source.store.size, 0);
  });
});
