// The Durations panel inside a real VS Code (#14 part 2): it opens on a trace with known
// spans and posts the distributions; a bar click (the page's message, handed in through the
// API as the page would post it) filters the tree to the objects in that bar, and clicking it
// again shows them all. An outlier click reveals its object.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Source } from '../../src/inspector/source';
import type { DurationsPageModel } from '../../src/shared/durationsProtocol';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import type { TreeNode } from '../../src/vscode/treeNodes';
import { activate, NkMediaApi, waitFor } from './helpers';

const T0 = 1_764_299_565_000;

suite('Durations panel', () => {
  let api: NkMediaApi;
  let dir: string;
  let source: Source;
  let latest: DurationsPageModel | undefined;
  let subscription: vscode.Disposable | undefined;

  /** The call rows the tree lists (live and ended). */
  const callKeys = async (): Promise<string[]> => {
    api.tree.refreshNow();
    const roots = await api.tree.getChildren();
    const calls = roots.find((n) => n.type === 'group' && n.kind === 'call');
    if (!calls) return [];
    const listed = await api.tree.getChildren(calls);
    const ended = listed.find((n) => n.type === 'ended');
    const all = [...listed, ...(ended ? await api.tree.getChildren(ended) : [])];
    return all.filter((n): n is Extract<TreeNode, { type: 'object' }> => n.type === 'object').map((n) => n.key).sort();
  };

  suiteSetup(async () => {
    api = await activate();
    for (const s of [...api.registry.list()]) await api.registry.remove(s.id);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-durations-'));
    // Three calls lasting 1.5 s, 1.6 s and 40 s: the first two share the 1.0–2.0 s bar.
    const file = path.join(dir, 'calls.nkmtrace');
    const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' }, dialect: '2016-08' }));
    let seq = 1;
    const call = (id: string, at: number, lengthMs: number) => {
      writer.writeEvent(seq++, T0 + at, { class: 'media', subclass: 'call', type: 'ringing', obj_id: id, body: {} });
      writer.writeEvent(seq++, T0 + at + 200, { class: 'media', subclass: 'call', type: 'answer', obj_id: id, body: {} });
      writer.writeEvent(seq++, T0 + at + 200 + lengthMs, { class: 'media', subclass: 'call', type: 'hangup', obj_id: id, body: { code: 0, reason: 'normal' } });
    };
    call('short-1', 0, 1500);
    call('short-2', 100, 1600);
    call('long-1', 200, 40_000);
    await writer.close();
    source = (await vscode.commands.executeCommand('nkmedia.openTrace', vscode.Uri.file(file))) as Source;
    subscription = api.durations.onDidPostMessage(({ message }) => {
      if (message.type === 'model') latest = message.model;
    });
  });

  suiteTeardown(async () => {
    subscription?.dispose();
    api.filter.clear();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const s of [...api.registry.list()]) await api.registry.remove(s.id);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opens with the distributions: three calls, their percentiles and bars', async () => {
    await vscode.commands.executeCommand('nkmedia.showDurations', source.id);
    const model = await waitFor('the panel posts its model', () => latest, 20_000);
    const length = model.spans.find((s) => s.id === 'call.length');
    assert.ok(length, 'a call length chart');
    assert.strictEqual(length.count, 3);
    assert.deepEqual(
      length.percentiles.map((p) => p.name),
      ['p50', 'p90', 'p99', 'max'],
    );
    assert.strictEqual(length.percentiles[3].value, '40.0 s');
    const full = length.bars.filter((b) => b.count > 0).map((b) => [b.range, b.count]);
    assert.deepEqual(full, [
      ['1.0 s – 2.0 s', 2],
      ['32.8 s – 1 min 06 s', 1],
    ]);
    assert.deepEqual(await callKeys(), ['media/call/long-1', 'media/call/short-1', 'media/call/short-2'].sort());
  });

  test('a bar click filters the tree to the objects in it; a second click shows all again', async () => {
    const bar = latest!.spans.find((s) => s.id === 'call.length')!.bars.find((b) => b.count === 2)!;
    assert.ok(await api.durations.receiveFromWebview(source.id, { type: 'selectBar', span: 'call.length', fromMs: bar.fromMs, toMs: bar.toMs }));
    await waitFor('the tree shows only the two short calls', async () => JSON.stringify(await callKeys()) === JSON.stringify(['media/call/short-1', 'media/call/short-2']), 10_000);
    const selected = await waitFor('the panel redrawn with its bar selected', () => latest?.spans.find((s) => s.id === 'call.length')?.bars.find((b) => b.selected), 10_000);
    assert.strictEqual(selected.fromMs, bar.fromMs);
    assert.match(latest!.filter ?? '', /^call length 1\.0 s – 2\.0 s$/);
    await api.durations.receiveFromWebview(source.id, { type: 'clearSelection' });
    await waitFor('every call back in the tree', async () => (await callKeys()).length === 3, 10_000);
  });

  test('an outlier click reveals its object in the tree; a forged message changes nothing', async () => {
    await api.durations.receiveFromWebview(source.id, { type: 'reveal', objectKey: 'media/call/long-1' });
    await waitFor(`long-1 selected in the tree (selection: ${api.treeView.selection.map((n) => n.id).join(', ')})`, () =>
      api.treeView.selection.some((n) => n.type === 'object' && n.key === 'media/call/long-1'),
    );
    await api.durations.receiveFromWebview(source.id, { type: 'selectBar', span: 'call.length', fromMs: -5, toMs: 'x' });
    assert.deepEqual(api.filter.filter, {}, 'a message that fails the schema sets no filter');
  });
});
