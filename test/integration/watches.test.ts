// Watches inside a real VS Code (#14 part 1): a watch set with the command fires on live
// simulator traffic and does what its action says: reveals the hit object in the tree,
// pauses the display, or writes a mark that Save Trace keeps. A bad expression is refused
// and adds nothing. The Watches view itself is read through the API's provider-free book.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WatchSpec } from '../../src/inspector/storeWatcher';
import { NkMediaSimulator } from '../../src/simulator';
import { activate, NkMediaApi, waitFor } from './helpers';

suite('Watches', () => {
  let api: NkMediaApi;
  let simulator: NkMediaSimulator;
  let url: string;
  let dir: string;

  const removeAllWatches = async () => {
    for (const spec of [...api.watches.specs()]) await vscode.commands.executeCommand('nkmedia.removeWatch', spec.id);
  };

  suiteSetup(async () => {
    api = await activate();
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-watches-'));
    simulator = new NkMediaSimulator({ port: 0, seed: 5, rate: 200, pingSeconds: 0 });
    ({ url } = await simulator.start());
    await api.connections.connect({ name: 'sim', url, user: 'admin', password: 'admin' });
  });

  suiteTeardown(async () => {
    try {
      await removeAllWatches();
      api.tree.setPaused(false);
      for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    } finally {
      await simulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  teardown(async () => {
    await removeAllWatches();
    api.tree.setPaused(false);
  });

  test('a watch on demo traffic fires and reveals the object it hit in the tree', async () => {
    const watch = (await vscode.commands.executeCommand('nkmedia.addWatch', 'type:stop subclass:session', 'reveal')) as WatchSpec;
    assert.ok(watch?.id, 'the command returns the new watch');
    assert.deepEqual(
      api.watches.specs().map((w) => w.expression),
      ['type:stop subclass:session'],
    );
    const hit = await waitFor('a session stop hit by the watch', () => api.watches.recentHits(watch.id)[0], 20_000);
    assert.match(hit.hit.objectKey, /^media\/session\//);
    await waitFor(
      `a hit session selected in the tree (selection: ${api.treeView.selection.map((n) => n.id).join(', ')})`,
      () => {
        const hitKeys = new Set(api.watches.recentHits(watch.id).map((h) => h.hit.objectKey));
        return api.treeView.selection.some((n) => n.type === 'object' && hitKeys.has(n.key));
      },
      10_000,
    );
    assert.ok(api.watches.count(watch.id) >= 1);
  });

  test('a pause watch pauses the display at its first hit, while events are still stored', async () => {
    assert.strictEqual(api.tree.paused, false);
    await vscode.commands.executeCommand('nkmedia.addWatch', 'type:stop subclass:session', 'pause');
    await waitFor('the display paused by the watch', () => api.tree.paused, 20_000);
    const source = api.registry.get('sim')!;
    const stored = source.store.size;
    await waitFor('events still stored while paused', () => source.store.size > stored, 10_000);
  });

  test('a marker watch writes marks into the store that Save Trace keeps as watch lines', async () => {
    const watch = (await vscode.commands.executeCommand('nkmedia.addWatch', 'type:stop subclass:session', 'marker')) as WatchSpec;
    const source = api.registry.get('sim')!;
    await waitFor('a watch mark', () => source.store.annotations().some((a) => a.line === 'watch' && a.watch === watch.expression), 20_000);
    const file = path.join(dir, 'marked.nkmtrace');
    await vscode.commands.executeCommand('nkmedia.saveTrace', vscode.Uri.file(file), { sourceId: source.id, scope: 'all' });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const marks = lines.filter((l) => l.line === 'watch');
    assert.ok(marks.length >= 1, 'the saved trace has watch lines');
    assert.strictEqual(marks[0].watch, 'type:stop subclass:session');
    assert.match(marks[0].object, /^media\/session\//);
    assert.ok(lines.some((l) => l.event?.type === 'stop' && `media/session/${l.event.obj_id}` === marks[0].object), 'the mark names an object whose stop is in the file');
  });

  test('a bad expression is refused and adds nothing; toggling turns a watch off', async () => {
    const refused = await vscode.commands.executeCommand('nkmedia.addWatch', 'body.code<<5', 'notify');
    assert.strictEqual(refused, undefined);
    assert.strictEqual(api.watches.specs().length, 0);
    await vscode.commands.executeCommand('nkmedia.addWatch', 'body.code!=0', 'notify');
    await vscode.commands.executeCommand('nkmedia.toggleWatch', api.watches.specs()[0].id);
    assert.deepEqual(
      api.watches.specs().map((w) => [w.expression, w.enabled]),
      [['body.code!=0', false]],
    );
  });
});
