// The node model of the events tree. Nodes are plain data, cached by id so the same element
// object comes back for the same thing (VS Code refreshes and reveals by element identity).
import type { ObjectKind } from '../core';
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
  | GapNode;

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

/** One time the connection was away: nothing was received from `ts` to `until`. */
export interface GapNode extends NodeBase {
  readonly type: 'gap';
  readonly index: number;
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

/** The gaps of a source: times the connection was away and nothing was received. */
export function gapsOf(source: Source) {
  return source.store.markers().filter((m) => m.kind === 'gap');
}
