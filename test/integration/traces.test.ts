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
import type { SourceRegistry } from '../../src/inspector/sourceRegistry';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import { activate, waitFor } from './helpers';

interface TraceApi {
  registry: SourceRegistry;
}

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

async function closeAllSources(): Promise<void> {
  for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
}

suite('Trace files', () => {
  suiteSetup(async () => {
    api = (await activate()) as unknown as TraceApi;
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
