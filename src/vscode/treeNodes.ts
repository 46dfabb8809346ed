// The node model of the events tree. Nodes are plain data, cached by id so the same element
// object comes back for the same thing (VS Code refreshes and reveals by element identity).
// Also the ids and child lists that follow from an object alone (its anomalies, links,
// members and events); the provider in eventsTree.ts decides paging and refreshes.
import { memberKey, noteId, notesOf, notesOfObject, sessionKey, type ObjectKind, type ObjectState } from '../core';
import type { Source } from '../inspector/source';

export type TreeNode =
  | SourceNode
  | GroupNode
  | ObjectNode
  | EndedNode
  | MembersNode
  | LinkNode
  | EventNode
  | AnomalyNode
  | MoreNode
  | ConnectionNode
  | GapNode
  | NotesNode
  | NoteNode;

interface NodeBase {
  readonly id: string;
  readonly parent: TreeNode | undefined;
  readonly source: Source;
}

export interface SourceNode extends NodeBase {
  readonly type: 'source';
}

export interface GroupNode extends NodeBase {
  readonly type: 'group';
  readonly kind: ObjectKind;
}

export interface ObjectNode extends NodeBase {
  readonly type: 'object';
  readonly key: string;
}

/** "Ended" at the end of a group: the objects of its kind that have ended, most recent first. */
export interface EndedNode extends NodeBase {
  readonly type: 'ended';
  readonly kind: ObjectKind;
}

/** "Publishers" or "Listeners" under a room. */
export interface MembersNode extends NodeBase {
  readonly type: 'members';
  readonly roomKey: string;
  readonly role: 'publisher' | 'listener';
}

/** A link to another object: a room member's session, a listener's peer, a session's room. */
export interface LinkNode extends NodeBase {
  readonly type: 'link';
  readonly targetKey: string;
  readonly relation: 'publisher' | 'listener' | 'peer' | 'room';
}

export interface EventNode extends NodeBase {
  readonly type: 'event';
  readonly objectKey: string;
  readonly seq: number;
}

/** One anomaly of an object, in full, first among the object's children. */
export interface AnomalyNode extends NodeBase {
  readonly type: 'anomaly';
  readonly objectKey: string;
  readonly index: number;
}

/** "Show more…" at the end of a long list; `parent` is the list's owner. */
export interface MoreNode extends NodeBase {
  readonly type: 'more';
  readonly remaining: number;
}

/** "Connection" after the groups, once a source has lost its connection at least once. */
export interface ConnectionNode extends NodeBase {
  readonly type: 'connection';
}

/**
 * Under "Connection": one time the connection was away (nothing was received from `ts` to
 * `until`), or one invalid event the server sent; `index` is into `connectionNotes`.
 */
export interface GapNode extends NodeBase {
  readonly type: 'gap';
  readonly index: number;
}

/** "Notes" after the Connection row, while the source has notes: every note, by time. */
export interface NotesNode extends NodeBase {
  readonly type: 'notes';
}

/** One note (src/core/notes.ts), under its object or under "Notes"; `noteId` names it. */
export interface NoteNode extends NodeBase {
  readonly type: 'note';
  readonly objectKey: string;
  readonly noteId: string;
}

export const GROUPS: ReadonlyArray<{ kind: ObjectKind; label: string }> = [
  { kind: 'session', label: 'Sessions' },
  { kind: 'room', label: 'Rooms' },
  { kind: 'call', label: 'Calls' },
  { kind: 'other', label: 'Other' },
];

/** Hands out one node object per id, so refreshes and reveals find the same element. */
export class NodeCache {
  private readonly nodes = new Map<string, TreeNode>();

  get<T extends TreeNode>(node: T): T {
    const existing = this.nodes.get(node.id);
    if (existing && existing.type === node.type && existing.parent === node.parent) return existing as T;
    this.nodes.set(node.id, node);
    return node;
  }

  find(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Forgets every node of a source (it was closed or cleared). */
  dropSource(sourceId: string): void {
    const prefix = `${sourceId}\u0000`;
    for (const id of this.nodes.keys()) if (id.startsWith(prefix)) this.nodes.delete(id);
  }

  clear(): void {
    this.nodes.clear();
  }
}

export function nodeId(source: Source, ...parts: Array<string | number>): string {
  return [source.id, ...parts].join('\u0000');
}

/** `children`, then "Show more…" if `remaining` more are not shown. */
export function withMore(owner: TreeNode, children: TreeNode[], remaining: number): TreeNode[] {
  if (remaining <= 0) return children;
  // A fresh node each time: its label carries the remaining count.
  children.push({ type: 'more', id: nodeId(owner.source, 'more', owner.id, remaining), parent: owner, source: owner.source, remaining });
  return children;
}

/** The gaps of a source: times the connection was away and nothing was received. */
export function gapsOf(source: Source) {
  return source.store.markers().filter((m) => m.kind === 'gap');
}

/** What the Connection row lists: the gaps, then the invalid events the server sent. */
export function connectionNotes(source: Source) {
  const markers = source.store.markers();
  return [...markers.filter((m) => m.kind === 'gap'), ...markers.filter((m) => m.kind === 'invalid')];
}

/** The Connection row's children: its gaps and invalid events. */
export function connectionChildNodes(nodes: NodeCache, node: ConnectionNode): TreeNode[] {
  return connectionNotes(node.source).map((_, index) => nodes.get({ type: 'gap', id: nodeId(node.source, 'gap', index), parent: node, source: node.source, index }));
}

/** The "Notes" row, when the source has notes (none: no row). */
export function notesGroupNodes(nodes: NodeCache, source: Source, parent: TreeNode | undefined): TreeNode[] {
  if (notesOf(source.store).length === 0) return [];
  return [nodes.get({ type: 'notes', id: nodeId(source, 'notes'), parent, source })];
}

/** Under "Notes": every note of the source, by time. */
export function noteListNodes(nodes: NodeCache, node: NotesNode): TreeNode[] {
  return noteNodes(nodes, node, notesOf(node.source.store));
}

function noteNodes(nodes: NodeCache, parent: TreeNode, notes: ReturnType<typeof notesOf>): TreeNode[] {
  const { source } = parent;
  const seen = new Map<string, number>();
  return notes.map((note) => {
    const id = noteId(note);
    const nth = (seen.get(id) ?? 0) + 1;
    seen.set(id, nth);
    return nodes.get({ type: 'note', id: nodeId(source, 'note', parent.id, id, nth), parent, source, objectKey: note.object, noteId: id });
  });
}

/** Kinds whose objects end, and so are split into live objects and an "Ended" list. */
export function hasEndedList(kind: ObjectKind): boolean {
  return kind !== 'other';
}

export function objectNodeId(source: Source, key: string, ended: boolean): string {
  return ended ? nodeId(source, 'object', 'ended', key) : nodeId(source, 'object', key);
}

export function relationLinks(object: ObjectState): Array<{ relation: 'peer' | 'room'; targetKey: string }> {
  const links: Array<{ relation: 'peer' | 'room'; targetKey: string }> = [];
  if (object.peer) links.push({ relation: 'peer', targetKey: sessionKey(object.peer) });
  for (const roomKey of object.roomKeys) links.push({ relation: 'room', targetKey: roomKey });
  return links;
}

/** An object's children: its anomalies, its notes, links to its peer and rooms, a room's members, then `seqs` (one page of its events). */
export function objectChildNodes(nodes: NodeCache, node: ObjectNode, object: ObjectState, seqs: readonly number[]): TreeNode[] {
  const { source } = node;
  const children: TreeNode[] = object.anomalies.map((_, index) =>
    nodes.get({ type: 'anomaly', id: nodeId(source, 'anomaly', node.key, index), parent: node, source, objectKey: node.key, index }),
  );
  children.push(...noteNodes(nodes, node, notesOfObject(source.store, node.key)));
  for (const { relation, targetKey } of relationLinks(object)) {
    children.push(nodes.get({ type: 'link', id: nodeId(source, 'link', node.key, relation, targetKey), parent: node, source, targetKey, relation }));
  }
  if (object.kind === 'room') {
    for (const role of ['publisher', 'listener'] as const) {
      children.push(nodes.get({ type: 'members', id: nodeId(source, 'members', node.key, role), parent: node, source, roomKey: node.key, role }));
    }
  }
  for (const seq of seqs) children.push(nodes.get({ type: 'event', id: nodeId(source, 'event', seq), parent: node, source, objectKey: node.key, seq }));
  return children;
}

/** A room's publishers or listeners, each a link to its session. */
export function memberChildNodes(nodes: NodeCache, node: MembersNode, room: ObjectState): TreeNode[] {
  const members = node.role === 'publisher' ? room.publishers : room.listeners;
  return [...members].map(([memberId, member]) =>
    nodes.get({
      type: 'link',
      id: nodeId(node.source, 'members', node.roomKey, node.role, memberId),
      parent: node,
      source: node.source,
      // nkcollab 2016 members are users of the room, not sessions: nothing to link to.
      targetKey: member.sessionId === undefined ? memberKey(node.roomKey, memberId) : sessionKey(member.sessionId),
      relation: node.role,
    }),
  );
}
