// The timeline webview inside a real VS Code: "Show in Timeline" moves the view the webview
// draws onto the object or event, and a panel restored after a window reload (the
// WebviewPanelSerializer's path) shows its source again, at the range it was saved with.
//
// What the webview shows is read through the extension's API (`timeline.viewStateOf`): the
// webview reports the view state it saves for a reload to the host as well. Trace sources
// keep the data still, so the default view (everything) and the expected views are known.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Source } from '../../src/inspector/source';
import type { TimelineViewState } from '../../src/shared/timelineProtocol';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import type { TreeNode } from '../../src/vscode/treeNodes';
import { activate, NkMediaApi, waitFor } from './helpers';

/** The timeline's view type, as registered for the serializer (package.json: onWebviewPanel). */
const VIEW_TYPE = 'nkmedia.timeline';
const T0 = 1_764_299_565_000;
const S = 1000;

/** Four calls over ten minutes: two short ones at the ends, "early" and "late" in between. */
const CALLS: Array<{ id: string; ring: number; answer: number; hangup: number }> = [
  { id: 'opening', ring: 0, answer: 1 * S, hangup: 5 * S },
  { id: 'early', ring: 60 * S, answer: 62 * S, hangup: 90 * S },
  { id: 'late', ring: 500 * S, answer: 505 * S, hangup: 560 * S },
  { id: 'closing', ring: 595 * S, answer: 596 * S, hangup: 600 * S },
];

let api: NkMediaApi;
let dir: string;

async function openTrace(name: string): Promise<Source> {
  const file = path.join(dir, name);
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' } }));
  const events = CALLS.flatMap((c) => [
    { ts: T0 + c.ring, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: c.id, body: {} } },
    { ts: T0 + c.answer, data: { class: 'media', subclass: 'call', type: 'answer', obj_id: c.id, body: {} } },
    { ts: T0 + c.hangup, data: { class: 'media', subclass: 'call', type: 'hangup', obj_id: c.id, body: { code: 0, reason: 'normal' } } },
  ]).sort((a, b) => a.ts - b.ts);
  events.forEach((e, i) => writer.writeEvent(i + 1, e.ts, e.data));
  await writer.close();
  const source = (await vscode.commands.executeCommand('nkmedia.openTrace', vscode.Uri.file(file))) as Source | undefined;
  assert.ok(source, `${name} opened`);
  assert.strictEqual(source.id, name, 'a trace source is named after its file');
  return source;
}

const span = (v: TimelineViewState) => v.viewEnd! - v.viewStart!;
const centre = (v: TimelineViewState) => (v.viewStart! + v.viewEnd!) / 2;
const shown = (v: TimelineViewState | undefined) =>
  v?.viewStart === undefined ? 'nothing reported' : `${((v.viewStart - T0) / S).toFixed(1)} s..${((v.viewEnd! - T0) / S).toFixed(1)} s`;

/** Waits until the timeline of `sourceId` reports a view that passes `ok`; the failure says what it showed. */
async function waitForView(sourceId: string, what: string, ok: (v: TimelineViewState) => boolean, timeoutMs = 15_000): Promise<TimelineViewState> {
  try {
    return await waitFor(what, () => {
      const v = api.timeline.viewStateOf(sourceId);
      return v && v.viewStart !== undefined && v.viewEnd !== undefined && ok(v) ? v : undefined;
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the timeline shows ${shown(api.timeline.viewStateOf(sourceId))} (from the start of the trace)`);
  }
}

function timelineTabs(label: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === label && t.input instanceof vscode.TabInputWebview);
}

async function treeNode(source: Source, predicate: (n: TreeNode) => boolean, under?: TreeNode): Promise<TreeNode> {
  api.tree.refreshNow();
  let nodes = api.tree.getChildren(under) ?? [];
  // A group lists its live objects, then "Ended" with the others.
  const ended = nodes.find((n) => n.type === 'ended');
  if (ended) nodes = [...nodes, ...(api.tree.getChildren(ended) ?? [])];
  const found = nodes.find(predicate);
  assert.ok(found, `a tree node among ${nodes.map((n) => n.id).join(', ')} of ${source.name}`);
  return found;
}

suite('Timeline in VS Code', () => {
  suiteSetup(async () => {
    api = await activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-timeline-'));
    // With a single source the tree's roots are its groups, and trace ids are their file names.
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    // An earlier suite's filter would hide calls (only when there is one: a refresh of the
    // tree with the removed sources' nodes still selected makes the workbench log errors).
    if (Object.values(api.tree.filter).some((v) => v !== undefined)) await vscode.commands.executeCommand('nkmedia.clearFilter');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
  });

  suiteTeardown(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Show in Timeline centres the view on an object\'s whole life, and on an event', async () => {
    const source = await openTrace('centre.nkmtrace');
    await vscode.commands.executeCommand('nkmedia.showTimeline', source.id);
    const fitted = await waitForView(source.id, 'the timeline to show its data', () => true);
    const early = source.store.getObject('media/call/early')!;
    const middle = (early.firstTs + early.lastTs) / 2;
    // It opens on everything (0..600 s), centred far from the early call: centring must move it.
    assert.ok(Math.abs(centre(fitted) - middle) > span(fitted) * 0.25, `default view ${shown(fitted)} is not already on the call`);

    const calls = await treeNode(source, (n) => n.type === 'group' && n.kind === 'call');
    const earlyNode = await treeNode(source, (n) => n.type === 'object' && n.key === early.key, calls);
    await vscode.commands.executeCommand('nkmedia.showInTimeline', earlyNode);
    const onCall = await waitForView(source.id, 'the view centred on the early call', (v) => Math.abs(centre(v) - middle) < span(v) * 0.01);
    assert.ok(onCall.viewStart! <= early.firstTs && onCall.viewEnd! >= early.lastTs, `the whole call (60..90 s) is in view: ${shown(onCall)}`);
    assert.ok(Math.abs(span(onCall) - span(fitted)) < 1, 'the zoom is kept: the call fits as it was');
    assert.strictEqual(timelineTabs(`Timeline: ${source.name}`).length, 1, 'the open timeline is reused');

    const late = source.store.getObject('media/call/late')!;
    const lateNode = await treeNode(source, (n) => n.type === 'object' && n.key === late.key, calls);
    const hangup = await treeNode(source, (n) => n.type === 'event' && source.store.getEvent(n.seq)?.data.type === 'hangup', lateNode);
    const seq = hangup.type === 'event' ? hangup.seq : -1;
    const ts = source.store.tsOf(seq)!;
    await vscode.commands.executeCommand('nkmedia.showInTimeline', hangup);
    const onEvent = await waitForView(source.id, 'the view centred on the hangup of the late call', (v) => Math.abs(centre(v) - ts) < span(v) * 0.01);
    assert.strictEqual(onEvent.selectedSeq, seq, 'the event is selected in the timeline');
  });

  test('a restored timeline shows its source at the saved range, and Show Timeline reveals it instead of opening another', async () => {
    const source = await openTrace('restored.nkmtrace');
    // A range the default view (everything) would never show: 480..580 s.
    const saved: TimelineViewState = { sourceId: source.id, viewStart: T0 + 480 * S, viewEnd: T0 + 580 * S, scrollTop: 0, follow: false, collapsed: [] };
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'restoring', vscode.ViewColumn.Active);
    api.timeline.restore(panel, saved);
    assert.strictEqual(panel.title, `Timeline: ${source.name}`);
    const atSaved = (v: TimelineViewState) => Math.abs(v.viewStart! - saved.viewStart!) < 1 && Math.abs(v.viewEnd! - saved.viewEnd!) < 1;
    await waitForView(source.id, 'the saved range 480..580 s', atSaved);

    // Covered by an editor, the webview is torn down (no retainContextWhenHidden)… (a file,
    // not an untitled document: closing that would ask whether to save it)
    const cover = path.join(dir, 'cover.txt');
    fs.writeFileSync(cover, 'covers the timeline\n');
    await vscode.window.showTextDocument(vscode.Uri.file(cover), { viewColumn: panel.viewColumn, preview: false });
    await waitFor('the timeline hidden', () => !panel.visible);
    assert.strictEqual(api.timeline.viewStateOf(source.id), undefined, 'a hidden timeline shows nothing');
    // …and "Show Timeline" brings back this panel, which finds its range again.
    await vscode.commands.executeCommand('nkmedia.showTimeline', source.id);
    await waitFor('the restored timeline shown again', () => panel.active);
    assert.strictEqual(timelineTabs(`Timeline: ${source.name}`).length, 1, 'no second timeline of the same source');
    await waitForView(source.id, 'the saved range once shown again', atSaved);
  });

  test('a restored timeline of a source that is not open says so, and fills when the trace is opened again', async () => {
    const saved: TimelineViewState = { sourceId: 'reopened.nkmtrace', viewStart: T0 + 50 * S, viewEnd: T0 + 100 * S };
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'restoring', vscode.ViewColumn.Active);
    const ready = new Promise<void>((resolve) => {
      const subscription = panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type !== 'ready') return;
        subscription.dispose();
        resolve();
      });
    });
    api.timeline.restore(panel, saved);
    assert.strictEqual(panel.title, 'Timeline: reopened.nkmtrace (closed)');
    // The page loads and is told the source is gone before the source comes back.
    await ready;
    assert.strictEqual(api.timeline.viewStateOf(saved.sourceId), undefined, 'nothing to show yet');

    const source = await openTrace('reopened.nkmtrace');
    await waitFor('the title to name the open source', () => panel.title === `Timeline: ${source.name}`);
    await waitForView(source.id, 'the saved range 50..100 s', (v) => Math.abs(v.viewStart! - saved.viewStart!) < 1 && Math.abs(v.viewEnd! - saved.viewEnd!) < 1);
    assert.strictEqual(timelineTabs(`Timeline: ${source.name}`).length, 1);
  });

  test('a saved timeline that does not say which source it showed is closed instead of left empty', async () => {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'unreadable', vscode.ViewColumn.Active);
    // As when VS Code restores it: the tab is already open when the serializer is asked.
    await waitFor('the panel open', () => panel.visible && vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'unreadable');
    let disposed = false;
    panel.onDidDispose(() => (disposed = true));
    api.timeline.restore(panel, { viewStart: 1, viewEnd: 2 });
    assert.ok(disposed, 'the panel is closed');
    await waitFor('its tab gone', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).every((t) => t.label !== 'unreadable'));
  });
});
