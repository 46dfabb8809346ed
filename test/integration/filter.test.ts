// One filter for the tree and every timeline, inside a real VS Code: with two timelines open
// side by side, a filter set by the command, or posted by a timeline's filter box, narrows
// the tree and re-sends each timeline once (one `init`, carrying the filter); setting the same
// filter again re-sends nothing. Before, a filter typed in a timeline reached every timeline
// twice, plus a separate `filter` message.
//
// What the timelines are sent is read through the API's `timeline.onDidPostMessage`; a
// webview's message is handed in with `timeline.receiveFromWebview`, validated as a real one
// (the extension host cannot type into a webview; the e2e suite drives the page itself).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Source } from '../../src/inspector/source';
import type { ToWebview } from '../../src/shared/timelineProtocol';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import type { TreeNode } from '../../src/vscode/treeNodes';
import { activate, NkMediaApi, waitFor } from './helpers';

const T0 = 1_764_299_565_000;
/** How long to keep listening after the expected inits, for a second one that must not come. */
const SETTLE_MS = 1_500;

let api: NkMediaApi;
let dir: string;

/** Two calls and a session that never hangs up: `type:hangup` keeps only the calls. */
async function openTrace(name: string): Promise<Source> {
  const file = path.join(dir, name);
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' } }));
  const events = [
    { class: 'media', subclass: 'session', type: 'answer', obj_id: `${name}-s1`, body: {} },
    { class: 'media', subclass: 'call', type: 'ringing', obj_id: `${name}-c1`, body: {} },
    { class: 'media', subclass: 'call', type: 'hangup', obj_id: `${name}-c1`, body: { code: 0, reason: 'normal' } },
    { class: 'media', subclass: 'call', type: 'ringing', obj_id: `${name}-c2`, body: {} },
    { class: 'media', subclass: 'call', type: 'hangup', obj_id: `${name}-c2`, body: { code: 0, reason: 'normal' } },
  ];
  events.forEach((data, i) => writer.writeEvent(i + 1, T0 + i * 1000, data));
  await writer.close();
  const source = (await vscode.commands.executeCommand('nkmedia.openTrace', vscode.Uri.file(file))) as Source | undefined;
  assert.ok(source, `${name} opened`);
  return source;
}

/** The count a group row of the tree shows, e.g. "2 · 1 live" → 2. */
function groupCount(source: Source, kind: string): number {
  api.tree.refreshNow();
  const sourceNode = api.tree.getChildren().find((n) => n.type === 'source' && n.source.id === source.id);
  const group = api.tree.getChildren(sourceNode).find((n): n is Extract<TreeNode, { type: 'group' }> => n.type === 'group' && n.kind === kind);
  assert.ok(group, `a ${kind} group under ${source.id}`);
  return Number(String(api.tree.getTreeItem(group).description).split(' ')[0]);
}

suite('Filter: one owner for the tree and every timeline', () => {
  suiteSetup(async () => {
    api = await activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-filter-'));
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    await vscode.commands.executeCommand('nkmedia.clearFilter');
  });

  suiteTeardown(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a filter from the command or from a timeline is one init per open timeline, and the same filter again is none', async () => {
    const posted: Array<{ sourceId: string; message: ToWebview }> = [];
    const subscription = api.timeline.onDidPostMessage((p) => posted.push(p));
    try {
      const a = await openTrace('left.nkmtrace');
      const b = await openTrace('right.nkmtrace');
      // Side by side, so both stay visible (a hidden timeline is torn down and sent nothing).
      await vscode.commands.executeCommand('nkmedia.showTimeline', a.id);
      await waitFor('the left timeline to show its data', () => api.timeline.viewStateOf(a.id)?.viewStart !== undefined, 15_000);
      await vscode.commands.executeCommand('workbench.action.newGroupRight');
      await vscode.commands.executeCommand('nkmedia.showTimeline', b.id);
      await waitFor('the right timeline to show its data', () => api.timeline.viewStateOf(b.id)?.viewStart !== undefined, 15_000);
      assert.ok(api.timeline.viewStateOf(a.id), 'the left timeline is still shown');
      assert.strictEqual(groupCount(a, 'session'), 1);

      /** Waits for one init per timeline, listens SETTLE_MS more, and returns what each got besides marks and deltas. */
      const sentAfter = async (change: () => Thenable<unknown> | unknown, expectInits: boolean) => {
        posted.length = 0;
        await change();
        if (expectInits) {
          await waitFor('an init to each timeline', () => [a.id, b.id].every((id) => posted.some((p) => p.sourceId === id && p.message.type === 'init')));
        }
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        return (id: string) => posted.filter((p) => p.sourceId === id && p.message.type !== 'marks' && p.message.type !== 'delta').map((p) => p.message);
      };

      const fromCommand = await sentAfter(() => vscode.commands.executeCommand('nkmedia.setFilter', 'type:hangup'), true);
      for (const id of [a.id, b.id]) {
        const sent = fromCommand(id);
        assert.deepStrictEqual(sent.map((m) => m.type), ['init'], `${id}: exactly one init, no separate filter message`);
        const init = sent[0].type === 'init' ? sent[0] : undefined;
        assert.deepStrictEqual(init?.filter, { types: ['hangup'] });
        assert.deepStrictEqual(init?.lanes.map((l) => l.what), ['call', 'call'], `${id}: only the calls, which hang up`);
      }
      assert.strictEqual(api.treeView.message, 'Filter: type: hangup', 'the view says what it filters');
      assert.strictEqual(groupCount(a, 'session'), 0, 'the tree hides the session without a hangup');
      assert.strictEqual(groupCount(b, 'call'), 2);

      const again = await sentAfter(() => vscode.commands.executeCommand('nkmedia.setFilter', 'type:hangup'), false);
      assert.deepStrictEqual([again(a.id), again(b.id)], [[], []], 'the same filter again sends nothing');

      const fromWebview = await sentAfter(() => assert.ok(api.timeline.receiveFromWebview(b.id, { type: 'setFilter', filter: { subclasses: ['session'] } })), true);
      for (const id of [a.id, b.id]) {
        const sent = fromWebview(id);
        assert.deepStrictEqual(sent.map((m) => m.type), ['init'], `${id}: exactly one init for the filter typed in the right timeline`);
        assert.deepStrictEqual(sent[0].type === 'init' && sent[0].filter, { subclasses: ['session'] });
      }
      assert.strictEqual(api.treeView.message, 'Filter: session');
      assert.strictEqual(groupCount(a, 'session'), 1);
      assert.strictEqual(groupCount(a, 'call'), 0);
      assert.deepStrictEqual(api.filter.filter, { subclasses: ['session'] }, 'the command box would open on it');

      // A message that fails validation (text over 500 characters) changes nothing.
      const invalid = await sentAfter(() => api.timeline.receiveFromWebview(a.id, { type: 'setFilter', filter: { text: 'x'.repeat(600) } }), false);
      assert.deepStrictEqual([invalid(a.id), invalid(b.id)], [[], []]);
      assert.deepStrictEqual(api.filter.filter, { subclasses: ['session'] });

      const cleared = await sentAfter(() => vscode.commands.executeCommand('nkmedia.clearFilter'), true);
      assert.deepStrictEqual([cleared(a.id).length, cleared(b.id).length], [1, 1]);
      assert.strictEqual(api.treeView.message, undefined);
    } finally {
      subscription.dispose();
      await vscode.commands.executeCommand('nkmedia.clearFilter');
      await vscode.commands.executeCommand('workbench.action.closeAllGroups');
      for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    }
  });
});
