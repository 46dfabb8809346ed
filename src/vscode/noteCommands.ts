// Notes and bookmarks (#14 part 5): Add Note… on an object or event row, on the selected row
// of the tree, on what the timeline has selected, or on an object picked from a list; Edit
// Note… and Remove Note on a note's row. The notes themselves live in the store
// (src/core/notes.ts), so Save Trace keeps them and every view hears of a change.
import * as vscode from 'vscode';
import { addNote, describeObject, editNote, eventNote, findNote, objectNote, removeNote, type Note } from '../core';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { Commands } from './ids';
import type { NoteNode, TreeNode } from './treeNodes';

/** Long enough for a paragraph; a trace line must stay readable. */
export const MAX_NOTE_CHARS = 4000;

export interface NoteDeps {
  registry: SourceRegistry;
  /** The events tree: its selection is what Add Note… is about when given nothing. */
  treeView: vscode.TreeView<TreeNode>;
  /** A paused tree stands still; the user's own note must show at once all the same. */
  tree: { readonly paused: boolean; redrawForReveal(): void };
  log: vscode.LogOutputChannel;
}

/** What a note is about: an object, or one of its stored events. */
export interface NoteTarget {
  sourceId: string;
  objectKey: string;
  seq?: number;
}

export function registerNotes(deps: NoteDeps): { addNoteTo: (target: NoteTarget, text?: string) => Promise<Note | undefined>; disposables: vscode.Disposable[] } {
  const refuse = (message: string) => void vscode.window.showErrorMessage(`NkMEDIA: ${message}`);
  const shown = <T>(result: T): T => {
    if (deps.tree.paused) deps.tree.redrawForReveal();
    return result;
  };

  /** `given`: the text (from a script or a test), not asked for. */
  const addNoteTo = async (target: NoteTarget, given?: string): Promise<Note | undefined> => {
    const source = deps.registry.get(target.sourceId);
    if (!source) return undefined;
    const text = given !== undefined ? checkedText(given) : await askText(target.seq === undefined ? `note on ${target.objectKey}` : `note on event #${target.seq} of ${target.objectKey}`, '');
    if (text === undefined) return undefined;
    const note = target.seq === undefined ? objectNote(source.store, target.objectKey, text) : eventNote(source.store, target.seq, text);
    if (!note) {
      refuse(`${target.objectKey}${target.seq === undefined ? '' : ` #${target.seq}`} is no longer stored: no note added`);
      return undefined;
    }
    if (!addNote(source.store, note)) {
      refuse('this source keeps no more annotations: no note added');
      return undefined;
    }
    deps.log.info(`[notes] note added on ${note.object}${note.eventType === undefined ? '' : ` (${note.eventType} at ${note.ts})`} in ${source.name}`);
    return shown(note);
  };

  const noteOf = (node: unknown): { source: Source; note: Note } | undefined => {
    if (!isNoteNode(node)) return undefined;
    const note = findNote(node.source.store, node.objectKey, node.noteId);
    return note ? { source: node.source, note } : undefined;
  };

  return {
    addNoteTo,
    disposables: [
      vscode.commands.registerCommand(Commands.addNote, async (node?: unknown, text?: unknown) => {
        const target = targetOf(node) ?? targetOf(deps.treeView.selection[0]) ?? (await pickObject(deps.registry));
        return target ? addNoteTo(target, typeof text === 'string' ? text : undefined) : undefined;
      }),
      vscode.commands.registerCommand(Commands.editNote, async (node?: unknown, given?: unknown) => {
        const found = noteOf(node);
        if (!found) return undefined;
        const text = typeof given === 'string' ? checkedText(given) : await askText('edit the note', found.note.text);
        if (text === undefined) return undefined;
        return shown(editNote(found.source.store, found.note, text));
      }),
      vscode.commands.registerCommand(Commands.removeNote, (node?: unknown) => {
        const found = noteOf(node);
        return found ? shown(removeNote(found.source.store, found.note)) : false;
      }),
    ],
  };
}

function isNoteNode(node: unknown): node is NoteNode {
  return typeof node === 'object' && node !== null && (node as TreeNode).type === 'note';
}

/** An object row, a link to an object, or an event row; anything else is no target. */
function targetOf(node: unknown): NoteTarget | undefined {
  if (typeof node !== 'object' || node === null || !('type' in node) || !('source' in node)) return undefined;
  const tree = node as TreeNode;
  if (tree.type === 'object') return { sourceId: tree.source.id, objectKey: tree.key };
  if (tree.type === 'link') return { sourceId: tree.source.id, objectKey: tree.targetKey };
  if (tree.type === 'event') return { sourceId: tree.source.id, objectKey: tree.objectKey, seq: tree.seq };
  return undefined;
}

/** Nothing selected: the objects of every source, newest first. */
async function pickObject(registry: SourceRegistry): Promise<NoteTarget | undefined> {
  const items = registry.list().flatMap((source) =>
    source.store
      .objects()
      .reverse()
      .map((object) => {
        const { label, description } = describeObject(object);
        return { label, description: registry.list().length > 1 ? `${description} · ${source.name}` : description, target: { sourceId: source.id, objectKey: object.key } };
      }),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('NkMEDIA: no objects to add a note to: connect to a server or open a trace first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'NkMEDIA: Add Note… on which object?', matchOnDescription: true });
  return picked?.target;
}

function checkedText(text: string): string | undefined {
  return validate(text) === undefined ? text.trim() : undefined;
}

function validate(text: string): string | undefined {
  return text.trim() === '' ? 'A note needs some text.' : text.length > MAX_NOTE_CHARS ? `At most ${MAX_NOTE_CHARS} characters.` : undefined;
}

async function askText(title: string, value: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title: `NkMEDIA: ${title}`,
    value,
    prompt: 'Saved with the trace. Shown in the tree, the timeline, the summary and the exports.',
    validateInput: validate,
  });
  return text === undefined ? undefined : text.trim();
}
