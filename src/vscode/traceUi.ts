// Small pieces the trace commands (Open, Save, Replay, Export) share: where dialogs start,
// cancellation and progress on a notification, and how a failure is told.
import * as os from 'os';
import * as vscode from 'vscode';
import { isCancelled } from '../trace/errors';
import type { TreeNode } from './treeNodes';

/** Progress notifications are updated at most this often. */
const PROGRESS_INTERVAL_MS = 200;

export function defaultFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
}

/** An AbortSignal that follows a VS Code cancellation token. */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Turns (done, total) callbacks into throttled percentage increments on a notification. */
export function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (done: number, total: number) => void {
  let reported = 0;
  let lastReport = 0;
  return (done, total) => {
    const now = Date.now();
    const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
    if (now - lastReport < PROGRESS_INTERVAL_MS && percent < 100) return;
    lastReport = now;
    progress.report({ increment: percent - reported, message: `${Math.floor(percent)}%` });
    reported = percent;
  };
}

/** A cancel is logged only; anything else is logged and shown. */
export function reportFailure(log: vscode.LogOutputChannel, what: string, error: unknown): void {
  if (isCancelled(error)) {
    log.info(`[trace] ${what}: cancelled`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.error(`[trace] could not ${what}: ${message}`);
  void vscode.window.showErrorMessage(`NkMEDIA: could not ${what}: ${message}`);
}

/** The object a tree item stands for: the object itself, a link's target, an event's object. */
export function objectKeyOf(node: TreeNode): string | undefined {
  if (node.type === 'object') return node.key;
  if (node.type === 'link') return node.targetKey;
  if (node.type === 'event') return node.objectKey;
  return undefined;
}

/** A command's first argument is a tree item when run from the tree's context menu. */
export function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && 'type' in value && 'source' in value && 'id' in value;
}
