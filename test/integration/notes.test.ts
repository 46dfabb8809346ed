// Notes and bookmarks inside a real VS Code (#14 part 5): Add Note… on the object selected in
// the tree and on an event row, the notes shown under the object and in the source's Notes
// row, edited and removed from their row; Save Trace keeps them and the reopened trace shows
// them again, still on the same event. The commands are given their text as an argument, so
// no input box opens.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Source } from '../../src/inspector/source';
import { makeHeader } from '../../src/trace/traceFileFormat';
import { TraceWriter } from '../../src/trace/writer';
import type { TreeNode } from '../../src/vscode/treeNodes';
import { activate, waitFor, type NkMediaApi } from './helpers';

const ROOM_KEY = 'media/room/room-n';

async function writeTrace(file: string): Promise<vscode.Uri> {
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'notes' } }));
  const events = [
    { class: 'media', subclass: 'room', type: 'started', obj_id: 'room-n', body: { class: 'sfu' } },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: 'pub-n', body: {} },
    { class: 'media', subclass: 'room', type: 'started_publisher', obj_id: 'room-n', body: { session_id: 'pub-n', user: 'alice' } },
    { class: 'media', subclass: 'room', type: 'destroyed', obj_id: 'room-n', body: {} },
  ];
  events.forEach((data, i) => writer.writeEvent(i + 1, 1_764_299_565_000 + i * 10, data));
  await writer.close();
  return vscode.Uri.file(file);
}

suite('Notes and bookmarks', () => {
  let api: NkMediaApi;
  let dir: string;

  const closeAll = async () => {
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
  };
  const roomNode = (source: Source) => api.tree.objectNode(source, ROOM_KEY);
  const childrenOf = (node: TreeNode | undefined) => (node ? api.tree.getChildren(node) : []);
  const noteLabels = (nodes: TreeNode[]) => nodes.filter((n) => n.type === 'note').map((n) => String(api.tree.getTreeItem(n).label));

  suiteSetup(async () => {
    api = await activate();
    await closeAll();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-notes-'));
  });

  suiteTeardown(async () => {
    try {
      await closeAll();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a note added from the command shows under its object, is edited and kept by Save → Open, then removed', async () => {
    const source = (await vscode.commands.executeCommand('nkmedia.openTrace', await writeTrace(path.join(dir, 'room.nkmtrace')))) as Source;
    await vscode.commands.executeCommand('workbench.view.extension.nkmedia');
    await waitFor('the Events view visible', () => api.treeView.visible);
    // The tree shows a new source after its next (coalesced) refresh: reveal until it is there.
    await waitFor('the room selected in the tree', async () => {
      await vscode.commands.executeCommand('nkmedia.revealObject', source.id, ROOM_KEY);
      return api.treeView.selection.some((n) => n.type === 'object' && n.key === ROOM_KEY);
    });

    // Nothing given: the note goes on the tree's selection.
    const onRoom = await vscode.commands.executeCommand('nkmedia.addNote', undefined, 'the SFU of the incident');
    assert.ok(onRoom, 'the command returns the note');
    const publisherJoin = childrenOf(roomNode(source)).find((n) => n.type === 'event' && source.store.getEvent(n.seq)?.data.type === 'started_publisher');
    assert.ok(publisherJoin, 'the event row');
    await vscode.commands.executeCommand('nkmedia.addNote', publisherJoin, 'alice joins "--> here\nlate');

    await waitFor('both notes under the room', () => noteLabels(childrenOf(roomNode(source))).length === 2);
    assert.deepStrictEqual(noteLabels(childrenOf(roomNode(source))), ['the SFU of the incident', 'alice joins "--> here ⏎ late']);
    assert.match(String(api.tree.getTreeItem(roomNode(source)!).description), /✎ 2/);
    assert.match(String(api.tree.getTreeItem(publisherJoin).description), /✎ alice joins/);
    const notesRow = api.tree.getChildren(undefined).find((n) => n.type === 'notes');
    assert.ok(notesRow, 'a Notes row for the source');
    assert.strictEqual(api.tree.getChildren(notesRow).length, 2);

    const first = childrenOf(roomNode(source)).find((n) => n.type === 'note')!;
    await vscode.commands.executeCommand('nkmedia.editNote', first, 'the SFU that failed');
    await waitFor('the edited note', () => noteLabels(childrenOf(roomNode(source)))[0] === 'the SFU that failed');

    const target = vscode.Uri.file(path.join(dir, 'noted.nkmtrace'));
    const saved = (await vscode.commands.executeCommand('nkmedia.saveTrace', target, { sourceId: source.id, scope: 'all' })) as { annotations: number } | undefined;
    assert.strictEqual(saved?.annotations, 2);
    await closeAll();

    const reopened = (await vscode.commands.executeCommand('nkmedia.openTrace', target)) as Source;
    await waitFor('the notes under the room of the reopened trace', () => noteLabels(childrenOf(roomNode(reopened))).length === 2);
    assert.deepStrictEqual(noteLabels(childrenOf(roomNode(reopened))), ['the SFU that failed', 'alice joins "--> here ⏎ late']);
    const join = childrenOf(roomNode(reopened)).find((n) => n.type === 'event' && reopened.store.getEvent(n.seq)?.data.type === 'started_publisher')!;
    assert.match(String(api.tree.getTreeItem(join).description), /✎ alice joins/, 'still on the same event, whose seq changed');

    for (const note of childrenOf(roomNode(reopened)).filter((n) => n.type === 'note')) await vscode.commands.executeCommand('nkmedia.removeNote', note);
    await waitFor('no notes left', () => noteLabels(childrenOf(roomNode(reopened))).length === 0);
    await waitFor('no Notes row', () => !api.tree.getChildren(undefined).some((n) => n.type === 'notes'));
  });
});
