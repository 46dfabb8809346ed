// The "save/export what?" question of Save Trace and Export…: the scopes that apply now
// (src/inspector/traceScope.ts decides which, and counts them), picked in a quick pick or
// given by name in a command's arguments.
import * as vscode from 'vscode';
import type { EventFilter } from '../core';
import type { Source } from '../inspector/source';
import { resolveScope, scopeChoices, scopeLabel, isChoice, type ScopeChoice, type ScopeContext, type TraceScope } from '../inspector/traceScope';
import { objectKeyOf } from './traceUi';
import type { TreeNode } from './treeNodes';

export interface ScopeDeps {
  /** The events tree's filter, for "filtered objects". */
  tree: { readonly filter: EventFilter };
  /** The events tree, for "selected objects". */
  treeView: vscode.TreeView<TreeNode>;
}

export interface ScopeQuestion {
  /** A scope given by name (command arguments): no pick, an error when it does not apply. */
  requested?: TraceScope;
  /** "selected" brings the objects related to the selected ones. */
  withRelated: boolean;
  /** The pick's title, naming the source. */
  title: string;
  /** For the error: "save", "export". */
  verb: string;
}

/** The scope to write, or undefined when the user cancelled or the requested one does not apply (said). */
export async function chooseScope(deps: ScopeDeps, source: Source, question: ScopeQuestion): Promise<ScopeChoice | undefined> {
  const context = scopeContext(deps, source, question.withRelated);
  if (question.requested !== undefined) {
    const resolved = resolveScope(source.store, question.requested, context);
    if (isChoice(resolved)) return resolved;
    void vscode.window.showErrorMessage(`NkMEDIA: cannot ${question.verb} the ${question.requested} objects of ${source.name}: ${resolved.unavailable}.`);
    return undefined;
  }
  const choices = scopeChoices(source.store, context);
  // Only "everything" applies: nothing to ask.
  if (choices.length === 1) return choices[0];
  const picks = choices.map((choice) => ({ ...scopeLabel(choice, context), choice }));
  const picked = await vscode.window.showQuickPick(picks, { title: question.title, placeHolder: `${question.verb.charAt(0).toUpperCase()}${question.verb.slice(1)} which objects?` });
  return picked?.choice;
}

export function scopeContext(deps: ScopeDeps, source: Source, withRelated: boolean): ScopeContext {
  return { filter: deps.tree.filter, selectedKeys: selectedObjectKeys(deps.treeView, source), withRelated };
}

/** The objects selected in the tree that belong to `source`, in selection order. */
export function selectedObjectKeys(treeView: vscode.TreeView<TreeNode>, source: Source): string[] {
  const keys = new Set<string>();
  for (const node of treeView.selection) {
    if (node.source !== source) continue;
    const key = objectKeyOf(node);
    if (key !== undefined) keys.add(key);
  }
  return [...keys];
}
