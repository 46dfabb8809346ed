// Trace files in a real VS Code: Open / Save / Export / Replay from the command palette's
// commands (given their answers as arguments, so no dialog opens), and the custom editor
// that opens for *.nkmtrace files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import * as zlib from 'zlib';
import type { Source } from '../../src/inspector/source';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import { activate, waitFor, type NkMediaApi } from './helpers';

type TraceApi = Pick<NkMediaApi, 'registry' | 'treeView' | 'tree'>;

const EVENTS = 50;
let api: TraceApi;
let dir: string;

function event(i: number) {
  const id = `call-${i % 10}`;
  return { class: 'media', subclass: 'call', type: i % 10 === 9 ? 'hangup' : 'ringing', obj_id: id, body: { n: i } };
}

async function writeTrace(name: string, extraLines: string[] = []): Promise<vscode.Uri> {
  const file = path.join(dir, name);
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' } }));
  for (let i = 0; i < EVENTS; i++) writer.writeEvent(i + 1, 1_764_299_565_000 + i * 10, event(i));
  await writer.close();
  if (extraLines.length > 0) fs.appendFileSync(file, extraLines.join('\n') + '\n');
  return vscode.Uri.file(file);
}

/** A room with a publisher and a listener session, and a call beside them that is not related. */
const ROOM = 'room-1';
const PUBLISHER = 'session-pub';
const LISTENER = 'session-listen';
const LONE_CALL = 'call-lone';

async function writeRoomTrace(name: string): Promise<vscode.Uri> {
  const file = path.join(dir, name);
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'itest' } }));
  const events = [
    { class: 'media', subclass: 'room', type: 'started', obj_id: ROOM, body: { class: 'sfu', backend: 'nkmedia_janus' } },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: PUBLISHER, body: { answer: 'v=0' } },
    { class: 'media', subclass: 'room', type: 'started_publisher', obj_id: ROOM, body: { session_id: PUBLISHER, user: 'user1@nkmedia' } },
    { class: 'media', subclass: 'call', type: 'ringing', obj_id: LONE_CALL, body: {} },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: LISTENER, body: { answer: 'v=0' } },
    { class: 'media', subclass: 'room', type: 'started_listener', obj_id: ROOM, body: { session_id: LISTENER, user: 'user2@nkmedia', peer: PUBLISHER } },
    { class: 'media', subclass: 'call', type: 'hangup', obj_id: LONE_CALL, body: { code: 487, reason: 'Cancelled' } },
  ];
  events.forEach((data, i) => writer.writeEvent(i + 1, 1_764_299_565_000 + i * 10, data));
  await writer.close();
  return vscode.Uri.file(file);
}

/** The obj_id column of a CSV export (no field of these traces needs quoting before it). */
function csvObjectIds(file: string): string[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\r\n');
  const column = header.split(',').indexOf('obj_id');
  return rows.map((row) => row.split(',')[column]);
}

async function closeAllSources(): Promise<void> {
  for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
}

suite('Trace files', () => {
  suiteSetup(async () => {
    api = await activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-itest-'));
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await closeAllSources();
  });

  suiteTeardown(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Open Trace with a Uri adds a trace source named after the file, which can be closed', async () => {
    const uri = await writeTrace('opened.nkmtrace');
    const returned = (await vscode.commands.executeCommand('nkmedia.openTrace', uri)) as Source | undefined;
    const source = await waitFor('the trace source', () => api.registry.list().find((s) => s.kind === 'trace'));
    assert.strictEqual(returned?.id, source.id, 'the command returns the source');
    assert.strictEqual(source.name, 'opened.nkmtrace');
    assert.strictEqual(source.status.kind, 'loaded');
    assert.strictEqual(source.store.size, EVENTS);
    assert.strictEqual(source.store.counts().call, 10);
    await api.registry.remove(source.id);
    assert.strictEqual(api.registry.get(source.id), undefined);
  });

  test('Open Trace keeps every valid line of a damaged file and names the bad ones', async () => {
    const uri = await writeTrace('damaged.nkmtrace', ['not json at all', '{"seq":99,"ts":1,"event":{"subclass":"call"}}']);
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', uri)) as (Source & { invalidLines: Array<{ line: number; reason: string }> }) | undefined;
    assert.ok(source, 'the trace opened');
    assert.strictEqual(source.store.size, EVENTS);
    assert.deepStrictEqual(source.invalidLines.map((b) => b.line), [EVENTS + 2, EVENTS + 3]);
    assert.match(source.invalidLines[0].reason, /^not JSON/);
  });

  test('a trace with an event nested 100,000 levels deep and an invalid event opens; the tree names the invalid one under Server', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const uri = await writeTrace('hostile.nkmtrace', [
      `{"seq":${EVENTS + 1},"ts":1764299566000,"event":{"class":"media","subclass":"call","type":"ringing","obj_id":"call-deep","body":{"x":${deep}}}}`,
      JSON.stringify({ marker: 'invalid', ts: 1764299566100, reason: 'invalid event data: obj_id: expected string', frame: '{"class":"core","cmd":"event","data":{"obj_id":12},"tid":3}' }),
    ]);
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', uri)) as Source | undefined;
    assert.ok(source, 'the trace opened');
    assert.strictEqual(source.store.size, EVENTS + 1, 'the deep event is kept');
    const roots = api.tree.getChildren();
    const server = roots.find((n) => n.type === 'connection' && n.source.id === source.id) ?? roots.flatMap((n) => (n.type === 'source' && n.source.id === source.id ? api.tree.getChildren(n) : [])).find((n) => n.type === 'connection');
    assert.ok(server, 'the Server row');
    const item = api.tree.getTreeItem(server);
    assert.match(String(item.description), /1 invalid event/);
    const [child] = api.tree.getChildren(server);
    const childItem = api.tree.getTreeItem(child);
    assert.match(String(childItem.label), /^invalid event at \d\d:\d\d:\d\d\.\d{3}$/);
    assert.strictEqual(childItem.description, 'invalid event data: obj_id: expected string');
    assert.match(String(childItem.tooltip), /"obj_id":12/);
  });

  test('Open Trace of a file that is not a trace adds nothing', async () => {
    const file = path.join(dir, 'notes.jsonl');
    fs.writeFileSync(file, '{"hello":"world"}\n');
    const result = await vscode.commands.executeCommand('nkmedia.openTrace', vscode.Uri.file(file));
    assert.strictEqual(result, undefined);
    assert.strictEqual(api.registry.list().length, 0);
  });

  test('Save Trace writes the source to the given file (gzip by name), which opens to the same events', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeTrace('to-save.nkmtrace'))) as Source;
    const target = vscode.Uri.file(path.join(dir, 'saved.nkmtrace.gz'));
    const saved = (await vscode.commands.executeCommand('nkmedia.saveTrace', target, { sourceId: source.id, scope: 'all' })) as { events: number } | undefined;
    assert.strictEqual(saved?.events, EVENTS);
    assert.deepStrictEqual([...fs.readFileSync(target.fsPath).subarray(0, 2)], [0x1f, 0x8b], 'gzip data');
    const reopened = (await vscode.commands.executeCommand('nkmedia.openTrace', target)) as Source;
    assert.strictEqual(reopened.store.size, EVENTS);
    assert.deepStrictEqual(reopened.store.getEvent(reopened.store.lastSeq)?.data, event(EVENTS - 1));
  });

  test('Export writes a Chrome trace and a Mermaid diagram without dialogs', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeTrace('to-export.nkmtrace'))) as Source;
    const chrome = vscode.Uri.file(path.join(dir, 'export.json'));
    await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'chrome-trace', out: chrome });
    const json = JSON.parse(fs.readFileSync(chrome.fsPath, 'utf8')) as { traceEvents: Array<{ ph: string }> };
    assert.strictEqual(json.traceEvents.filter((e) => e.ph === 'n').length, EVENTS);
    const mermaid = vscode.Uri.file(path.join(dir, 'call.mmd'));
    await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'mermaid', objectKey: 'media/call/call-3', out: mermaid });
    assert.match(fs.readFileSync(mermaid.fsPath, 'utf8'), /^sequenceDiagram\n {2}participant C1 as call call-3/);
  });

  test('Export of everything (scope "all") writes every event as CSV rows', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeTrace('all.nkmtrace'))) as Source;
    const out = vscode.Uri.file(path.join(dir, 'all.csv'));
    const written = await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'csv', scope: 'all', out });
    assert.strictEqual((written as vscode.Uri | undefined)?.fsPath, out.fsPath);
    const ids = csvObjectIds(out.fsPath);
    assert.strictEqual(ids.length, EVENTS);
    assert.strictEqual(new Set(ids).size, 10, 'all ten calls');
  });

  test('Export of the filtered objects writes only the objects the tree filter shows', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeRoomTrace('filtered.nkmtrace'))) as Source;
    await vscode.commands.executeCommand('nkmedia.setFilter', 'subclass:call');
    try {
      const csv = vscode.Uri.file(path.join(dir, 'filtered.csv'));
      await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'csv', scope: 'filtered', out: csv });
      assert.deepStrictEqual(csvObjectIds(csv.fsPath), [LONE_CALL, LONE_CALL], 'the call\'s two events, nothing of the room');
      const chrome = vscode.Uri.file(path.join(dir, 'filtered.json'));
      await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'chrome-trace', scope: 'filtered', out: chrome });
      const json = JSON.parse(fs.readFileSync(chrome.fsPath, 'utf8')) as { traceEvents: Array<{ ph: string; id?: string }> };
      assert.deepStrictEqual(json.traceEvents.filter((e) => e.ph === 'b').map((e) => e.id), [LONE_CALL]);
    } finally {
      await vscode.commands.executeCommand('nkmedia.clearFilter');
    }
  });

  test('Export of the selected object writes it and its related objects only', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeRoomTrace('selected.nkmtrace'))) as Source;
    const roomKey = `media/room/${ROOM}`;
    await vscode.commands.executeCommand('workbench.view.extension.nkmedia');
    await waitFor('the Events view visible', () => api.treeView.visible);
    // The tree shows a new source after its next (coalesced) refresh: reveal until it is there.
    await waitFor('the room selected in the tree', async () => {
      await vscode.commands.executeCommand('nkmedia.revealObject', source.id, roomKey);
      return api.treeView.selection.some((n) => n.type === 'object' && n.key === roomKey);
    });
    const csv = vscode.Uri.file(path.join(dir, 'selected.csv'));
    await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'csv', scope: 'selected', out: csv });
    const ids = csvObjectIds(csv.fsPath);
    assert.strictEqual(ids.length, 5, 'the room\'s three events and one of each session');
    assert.deepStrictEqual(new Set(ids), new Set([ROOM, PUBLISHER, LISTENER]), 'not the call');
  });

  test("Export with only a trace editor open exports that editor's trace, loading it as a source", async () => {
    const uri = await writeRoomTrace('in-editor-export.nkmtrace');
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitFor('the trace editor active', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.uri.fsPath === uri.fsPath;
    });
    assert.strictEqual(api.registry.list().length, 0, 'not loaded yet');
    const out = vscode.Uri.file(path.join(dir, 'from-editor.csv'));
    // No sourceId: the one source to offer is the active editor's trace, so nothing is asked.
    await vscode.commands.executeCommand('nkmedia.exportTrace', { format: 'csv', scope: 'all', out });
    assert.deepStrictEqual(api.registry.list().map((s) => s.name), ['in-editor-export.nkmtrace']);
    assert.strictEqual(csvObjectIds(out.fsPath).length, 7);
  });

  test('Export refuses a scope that does not apply and bad arguments, and writes nothing', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeRoomTrace('refused.nkmtrace'))) as Source;
    const out = vscode.Uri.file(path.join(dir, 'refused.csv'));
    await vscode.commands.executeCommand('nkmedia.clearFilter');
    assert.strictEqual(await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'csv', scope: 'filtered', out }), undefined, 'no filter set');
    assert.strictEqual(await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'csv', scope: 'some', out }), undefined, 'an unknown scope');
    assert.strictEqual(await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'pdf', out }), undefined, 'an unknown format');
    assert.strictEqual(await vscode.commands.executeCommand('nkmedia.exportTrace', { sourceId: source.id, format: 'mermaid', scope: 'all', out }), undefined, 'a diagram of everything');
    assert.strictEqual(fs.existsSync(out.fsPath), false);
  });

  test('a .nkmtrace file opens in the trace editor', async () => {
    const uri = await writeTrace('in-editor.nkmtrace');
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('the trace editor tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputCustom ? active : undefined;
    });
    const input = tab.input as vscode.TabInputCustom;
    assert.strictEqual(input.viewType, 'nkmedia.traceEditor');
    assert.strictEqual(input.uri.fsPath, uri.fsPath);
    assert.strictEqual(tab.label, 'in-editor.nkmtrace');
  });

  test('a .nkmtrace.gz file opens in the trace editor too', async () => {
    const plain = await writeTrace('zipped.nkmtrace');
    const gz = path.join(dir, 'zipped.nkmtrace.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain.fsPath)));
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(gz));
    const tab = await waitFor('the trace editor tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputCustom ? active : undefined;
    });
    assert.strictEqual((tab.input as vscode.TabInputCustom).viewType, 'nkmedia.traceEditor');
  });

  test('Replay Trace serves the file; a connected source receives every event', async () => {
    const uri = await writeTrace('replayed.nkmtrace');
    const replay = (await vscode.commands.executeCommand('nkmedia.replayTrace', uri, { max: true, connect: true })) as
      | { url: string; sourceId?: string; done: Promise<{ events: number } | undefined>; stop(): Promise<void> }
      | undefined;
    assert.ok(replay, 'the replay started');
    try {
      assert.match(replay.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(replay.sourceId, 'connected');
      const summary = await replay.done;
      assert.strictEqual(summary?.events, EVENTS);
      const live = api.registry.get(replay.sourceId!)!;
      await waitFor(`${EVENTS} events in the live source`, () => live.store.size === EVENTS);
      assert.deepStrictEqual(live.store.getEvent(live.store.firstSeq)?.data, event(0));
    } finally {
      await replay.stop();
    }
  });
});
