// The commands of "Compare Objects": from the palette (pick A, then B, among the objects of
// every open source, live or trace), and from the tree's context menu as VS Code's explorer
// compares files: "Select for Compare" on one object, "Compare with Selected" on another.
import * as vscode from 'vscode';
import type { ObjectKind, ObjectState } from '../core';
import { shortObjectName, type ObjectRef } from '../inspector/objectComparison';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Source } from '../inspector/source';
import type { DiffApi } from './diffPanel';
import { Commands, ContextKeys } from './ids';
import { isTreeNode, objectKeyOf } from './traceUi';
import type { TreeNode } from './treeNodes';

export interface DiffCommandDeps {
  registry: SourceRegistry;
  treeView: vscode.TreeView<TreeNode>;
  diff: DiffApi;
}

/** Objects a pick lists per source, newest first: a long live capture has more than a list can scroll through. */
const PICK_LIMIT = 5000;
const KIND_ORDER: readonly ObjectKind[] = ['session', 'room', 'call', 'other'];
const KIND_ICON: Record<ObjectKind, string> = { session: 'plug', room: 'organization', call: 'call-outgoing', other: 'symbol-misc' };

export function registerDiffCommands(deps: DiffCommandDeps): vscode.Disposable[] {
  let selected: ObjectRef | undefined;
  const setSelected = (ref: ObjectRef | undefined) => {
    selected = ref;
    void vscode.commands.executeCommand('setContext', ContextKeys.compareSelected, ref !== undefined);
  };

  return [
    vscode.commands.registerCommand(Commands.compareObjects, async (first?: unknown, second?: unknown) => {
      // Scripted (and tested) with two objects; from the palette with none.
      if (isObjectRef(first) && isObjectRef(second)) return deps.diff.compare(first, second);
      const fromTree = treeSelection(deps.treeView);
      if (fromTree.length >= 2) return deps.diff.compare(fromTree[0], fromTree[1]);
      const a = await pickObject(deps.registry, 'NkMEDIA: Compare Objects (1/2)', 'The first object (A)', fromTree[0]);
      if (!a) return undefined;
      const b = await pickObject(deps.registry, 'NkMEDIA: Compare Objects (2/2)', `Compare ${shortObjectName(deps.registry, a)} with… (B)`, undefined, a);
      if (!b) return undefined;
      return deps.diff.compare(a, b);
    }),
    vscode.commands.registerCommand(Commands.selectForCompare, (node?: unknown) => {
      const ref = refOfNode(node) ?? treeSelection(deps.treeView)[0];
      if (!ref) return;
      setSelected(ref);
      void vscode.window.setStatusBarMessage(`NkMEDIA: ${shortObjectName(deps.registry, ref)} selected for compare`, 5000);
    }),
    vscode.commands.registerCommand(Commands.compareWithSelected, (node?: unknown) => {
      const ref = refOfNode(node) ?? treeSelection(deps.treeView)[0];
      if (!ref) return;
      if (!selected) {
        void vscode.window.showInformationMessage('NkMEDIA: first "Select for Compare" on an object, then "Compare with Selected" on another.');
        return;
      }
      deps.diff.compare(selected, ref);
    }),
  ];
}

function isObjectRef(value: unknown): value is ObjectRef {
  return typeof value === 'object' && value !== null && typeof (value as ObjectRef).sourceId === 'string' && typeof (value as ObjectRef).objectKey === 'string';
}

function refOfNode(node: unknown): ObjectRef | undefined {
  if (!isTreeNode(node) || node.type === 'event') return undefined;
  const objectKey = objectKeyOf(node);
  return objectKey === undefined ? undefined : { sourceId: node.source.id, objectKey };
}

/** The objects (and links to objects) selected in the tree, in selection order. */
function treeSelection(treeView: vscode.TreeView<TreeNode>): ObjectRef[] {
  return treeView.selection.map(refOfNode).filter((r): r is ObjectRef => r !== undefined);
}

interface ObjectPick extends vscode.QuickPickItem {
  ref?: ObjectRef;
}

/** A pick of objects over every open source; `preferred` first, objects of `other`'s kind before the rest. */
async function pickObject(registry: SourceRegistry, title: string, placeHolder: string, preferred?: ObjectRef, other?: ObjectRef): Promise<ObjectRef | undefined> {
  const sources = registry.list();
  if (sources.length === 0) {
    void vscode.window.showInformationMessage('NkMEDIA: connect to a server, start the demo server or open a trace first; then compare two of its objects.');
    return undefined;
  }
  const otherKind = other ? registry.get(other.sourceId)?.store.getObject(other.objectKey)?.kind : undefined;
  const items: ObjectPick[] = [];
  for (const source of sources) {
    const objects = sortedObjects(source, otherKind).filter((o) => !(other && other.sourceId === source.id && other.objectKey === o.key));
    if (objects.length === 0) continue;
    items.push({ label: `${source.name} (${source.kind})`, kind: vscode.QuickPickItemKind.Separator });
    for (const o of objects.slice(0, PICK_LIMIT)) items.push(objectPick(source, o, preferred));
  }
  const preferredAt = items.findIndex((i) => i.picked);
  if (preferredAt > 0) items.unshift(...items.splice(preferredAt, 1));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.ref;
}

function sortedObjects(source: Source, firstKind: ObjectKind | undefined): ObjectState[] {
  const rank = (o: ObjectState) => (o.kind === firstKind ? -1 : KIND_ORDER.indexOf(o.kind));
  return source.store.objects().sort((x, y) => rank(x) - rank(y) || y.firstTs - x.firstTs);
}

function objectPick(source: Source, o: ObjectState, preferred: ObjectRef | undefined): ObjectPick {
  const isPreferred = preferred?.sourceId === source.id && preferred.objectKey === o.key;
  return {
    label: `$(${KIND_ICON[o.kind]}) ${o.kind} ${o.objId}`,
    description: `${o.state} · ${o.eventCount} event${o.eventCount === 1 ? '' : 's'}${isPreferred ? ' · selected in the tree' : ''}`,
    picked: isPreferred,
    ref: { sourceId: source.id, objectKey: o.key },
  };
}
