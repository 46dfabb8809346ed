// How notes look in the events tree: the "Notes" row of a source and each note's row. A
// note's text is the user's, but it may come from a trace someone else wrote: shown as plain
// text, never as markdown.
import * as vscode from 'vscode';
import { findNote, formatRelative, noteEventSeq, noteLine, notesOf, notesOfObject, shortId, type EventStore, type Note } from '../core';
import { Commands } from './ids';
import type { NoteNode, NotesNode } from './treeNodes';

export function notesItem(node: NotesNode): vscode.TreeItem {
  const count = notesOf(node.source.store).length;
  const item = new vscode.TreeItem('Notes', vscode.TreeItemCollapsibleState.Collapsed);
  item.description = `${count}`;
  item.tooltip = 'Notes and bookmarks on objects and events, by time; saved with the trace.';
  item.iconPath = new vscode.ThemeIcon('bookmark');
  item.contextValue = 'nkmedia.notes';
  item.id = node.id;
  return item;
}

export function noteItem(node: NoteNode): vscode.TreeItem {
  const store = node.source.store;
  const note = findNote(store, node.objectKey, node.noteId);
  const item = new vscode.TreeItem(note ? noteLine(note.text) : '(note removed)', vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  if (!note) return item;
  const seq = noteEventSeq(store, note);
  const object = store.getObject(note.object);
  const on = note.eventType === undefined ? 'on the object' : `on ${note.eventType || '(no type)'}${seq === undefined ? ' (no longer stored)' : ''}`;
  const at = object ? `at ${formatRelative(note.ts - object.firstTs)}` : new Date(note.ts).toISOString();
  // Under "Notes" the row must say which object; under its object that is known.
  const where = node.parent?.type === 'notes' ? `${object?.kind ?? 'object'} ${shortId(object?.objId ?? note.object)} · ` : '';
  item.description = `${where}${on} · ${at}`;
  item.tooltip = `${note.text}\n\n${note.object}${note.eventType === undefined ? '' : ` · ${note.eventType}`} · ${new Date(note.ts).toISOString()}\nwritten ${note.created}`;
  item.iconPath = new vscode.ThemeIcon('note');
  item.contextValue = 'nkmedia.note';
  item.command = { command: Commands.revealWatchHit, title: 'Reveal', arguments: [node.source.id, note.object, seq] };
  item.accessibilityInformation = { label: `note ${note.text}, ${on}` };
  return item;
}

/** The notes on one stored event, for its row. */
export function eventNoteTexts(store: EventStore, objectKey: string, seq: number): Array<{ text: string; line: string }> {
  const notes: Note[] = notesOfObject(store, objectKey).filter((n) => n.eventType !== undefined && noteEventSeq(store, n) === seq);
  return notes.map((n) => ({ text: n.text, line: noteLine(n.text, 40) }));
}
