// "NkMEDIA: Compare Objects…" inside a real VS Code: the command opens the panel for two
// objects of an opened trace and its page is sent the expected comparison; the tree's
// "Select for Compare" then "Compare with Selected" does the same; a step the page asks to
// reveal is selected in the tree, and what the page sends is checked before anything is done.
//
// What the page is sent is read through the extension's API (`diff.onDidPostMessage`): the
// host posts only once the real page said `ready`, so a message seen here was asked for by it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Source } from '../../src/inspector/source';
import type { DiffView } from '../../src/shared/diffProtocol';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import type { DiffPostedMessage } from '../../src/vscode/diffPanel';
import { activate, NkMediaApi, waitFor } from './helpers';

const T0 = 1_764_299_565_000;
const SDP = (codecs: string[], direction: string) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', ...codecs.map((c, i) => `a=rtpmap:${i} ${c}`), `a=${direction}`, ''].join('\r\n');

let api: NkMediaApi;
let dir: string;

/** A trace with two calls: "fast" answered at once, "slow" ringing twice and answered with another SDP. */
async function openTrace(name: string): Promise<Source> {
  const file = path.join(dir, name);
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' } }));
  const events = [
    { ts: T0, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'fast', body: {} } },
    { ts: T0 + 800, data: { class: 'media', subclass: 'call', type: 'answer', obj_id: 'fast', body: { answer: { sdp: SDP(['opus/48000/2'], 'sendrecv') } } } },
    { ts: T0 + 60_000, data: { class: 'media', subclass: 'call', type: 'hangup', obj_id: 'fast', body: { code: 0, reason: 'normal' } } },
    { ts: T0 + 100_000, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'slow', body: {} } },
    { ts: T0 + 101_000, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'slow', body: { retry: 1 } } },
    { ts: T0 + 104_000, data: { class: 'media', subclass: 'call', type: 'answer', obj_id: 'slow', body: { answer: { sdp: SDP(['PCMU/8000'], 'sendonly') } } } },
    { ts: T0 + 130_000, data: { class: 'media', subclass: 'call', type: 'hangup', obj_id: 'slow', body: { code: 0, reason: 'normal' } } },
  ];
  events.forEach((e, i) => writer.writeEvent(i + 1, e.ts, e.data));
  await writer.close();
  const source = (await vscode.commands.executeCommand('nkmedia.openTrace', vscode.Uri.file(file))) as Source | undefined;
  assert.ok(source, `${name} opened`);
  return source;
}

/** Resolves with the first view posted for the pair whose A is `aKey`. */
function nextView(aKey: string, timeoutMs = 20_000): Promise<DiffView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no comparison of ${aKey} was posted to its page within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = api.diff.onDidPostMessage((posted: DiffPostedMessage) => {
      if (posted.a.objectKey !== aKey) return;
      clearTimeout(timer);
      subscription.dispose();
      if (posted.message.type === 'diff') resolve(posted.message.view);
      else reject(new Error(`the page was sent an error: ${posted.message.message}`));
    });
  });
}

suite('Compare Objects', () => {
  suiteSetup(async () => {
    api = await activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-diff-'));
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    if (Object.values(api.tree.filter).some((v) => v !== undefined)) await vscode.commands.executeCommand('nkmedia.clearFilter');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
  });

  suiteTeardown(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the command opens the panel for two calls of a trace and its page gets their aligned steps', async () => {
    const source = await openTrace('calls.nkmtrace');
    const a = { sourceId: source.id, objectKey: 'media/call/fast' };
    const b = { sourceId: source.id, objectKey: 'media/call/slow' };
    const posted = nextView(a.objectKey);
    await vscode.commands.executeCommand('nkmedia.compareObjects', a, b);
    const view = await posted;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.strictEqual(tab?.label, 'Compare: call fast ↔ call slow');
    assert.strictEqual(view.a.title, 'call fast');
    assert.strictEqual(view.b.source, 'calls.nkmtrace');
    assert.deepEqual(view.rows.map((r) => [r.side, r.a?.type ?? '', r.b?.type ?? '', r.delta ?? '']), [
      ['both', 'ringing', 'ringing', '0.000 s'],
      ['onlyB', '', 'ringing', ''],
      ['both', 'answer', 'answer', '+3.200 s'],
      ['both', 'hangup', 'hangup', '−30.000 s'],
    ]);
    assert.deepEqual(view.rows[2].fields, [
      { path: 'answer.sdp:codecs', a: '"opus/48000/2"', b: '"PCMU/8000"' },
      { path: 'answer.sdp:direction', a: '"sendrecv"', b: '"sendonly"' },
    ]);

    // A step the page asks for is revealed in the tree: B's second ringing.
    const seq = view.rows[1].b!.seq;
    assert.ok(await api.diff.receiveFromWebview({ type: 'reveal', side: 'B', seq }));
    await waitFor(`event #${seq} of call slow selected in the tree (selection: ${api.treeView.selection.map((n) => n.id).join(', ')})`, () =>
      api.treeView.selection.some((n) => n.type === 'event' && n.seq === seq && n.objectKey === b.objectKey),
    );
    // What the page sends is checked: a seq that is no number does nothing.
    assert.ok(await api.diff.receiveFromWebview({ type: 'reveal', side: 'A', seq: '1; drop' }));
    assert.ok(api.treeView.selection.some((n) => n.type === 'event' && n.seq === seq), 'the selection did not move');

    // Refresh compares again and posts the same.
    const again = nextView(a.objectKey);
    await api.diff.receiveFromWebview({ type: 'refresh' });
    assert.deepEqual((await again).rows, view.rows);
  });

  test('"Select for Compare" then "Compare with Selected" from the tree compares the two', async () => {
    const source = await openTrace('tree.nkmtrace');
    const slow = await waitFor('call slow in the tree', () => api.tree.objectNode(source, 'media/call/slow'));
    const fast = await waitFor('call fast in the tree', () => api.tree.objectNode(source, 'media/call/fast'));
    await vscode.commands.executeCommand('nkmedia.selectForCompare', slow);
    const posted = nextView('media/call/slow');
    await vscode.commands.executeCommand('nkmedia.compareWithSelected', fast);
    const view = await posted;
    assert.strictEqual(view.a.title, 'call slow');
    assert.strictEqual(view.b.title, 'call fast');
    assert.deepEqual(view.rows.map((r) => r.side), ['both', 'onlyA', 'both', 'both']);
  });
});
