// The Watches view: one row per watch (its expression, a checkbox to toggle it, its hit
// count and action), and under it the latest hits, newest first; a click on a hit reveals
// its object. The list and its counts live in the WatchBook (src/inspector/watchBook.ts).
// Everything shown is plain text: expressions are the user's, hits name server objects.
import * as vscode from 'vscode';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { WatchAction, WatchSpec } from '../inspector/storeWatcher';
import type { SourceWatchHit, WatchBook } from '../inspector/watchBook';
import type { WatchHit } from '../inspector/watchScan';
import { Commands } from './ids';

export type WatchNode = { type: 'watch'; spec: WatchSpec } | { type: 'hit'; spec: WatchSpec; hit: SourceWatchHit };

/** Hits listed under a watch: the newest, enough to go and look. */
const HITS_LISTED = 20;
/** Counts move with traffic: redraw at most this often. */
const REFRESH_MS = 250;

export const ACTION_TEXT: Record<WatchAction, { label: string; detail: string }> = {
  notify: { label: 'Notify', detail: 'show a notification with Reveal' },
  reveal: { label: 'Reveal', detail: 'select the object in the tree, and in its timeline when open' },
  pause: { label: 'Pause', detail: 'pause the display (events are still received and stored)' },
  marker: { label: 'Marker', detail: 'write a mark into the trace, saved with it' },
};

export class WatchesTreeProvider implements vscode.TreeDataProvider<WatchNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<WatchNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly subscription: { dispose(): void };
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly book: WatchBook,
    private readonly registry: SourceRegistry,
  ) {
    this.subscription = book.onDidChange(() => this.scheduleRefresh());
  }

  getChildren(node?: WatchNode): WatchNode[] {
    if (!node) return this.book.specs().map((spec) => ({ type: 'watch', spec }));
    if (node.type !== 'watch') return [];
    return this.book
      .recentHits(node.spec.id)
      .slice(0, HITS_LISTED)
      .map((hit) => ({ type: 'hit', spec: node.spec, hit }));
  }

  getTreeItem(node: WatchNode): vscode.TreeItem {
    return node.type === 'watch' ? this.watchItem(node.spec) : this.hitItem(node.hit);
  }

  /** Every hit row names its parent, so that `reveal` could find it. */
  getParent(node: WatchNode): WatchNode | undefined {
    return node.type === 'hit' ? { type: 'watch', spec: node.spec } : undefined;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.subscription.dispose();
    this._onDidChangeTreeData.dispose();
  }

  private watchItem(spec: WatchSpec): vscode.TreeItem {
    const count = this.book.count(spec.id);
    const item = new vscode.TreeItem(spec.expression, count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `watch/${spec.id}`;
    const hits = `${count.toLocaleString('en-US')} hit${count === 1 ? '' : 's'}`;
    item.description = spec.enabled ? `${hits} · ${ACTION_TEXT[spec.action].label.toLowerCase()}` : `off · ${hits}`;
    item.checkboxState = spec.enabled ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    item.tooltip = `${spec.expression}\n${spec.enabled ? 'On' : 'Off'}: on a hit, ${ACTION_TEXT[spec.action].detail}.\n${hits} since it was set (a trace: in the whole file).`;
    item.contextValue = 'nkmedia.watch';
    item.iconPath = new vscode.ThemeIcon(spec.enabled ? 'eye' : 'eye-closed');
    item.accessibilityInformation = { label: `watch ${spec.expression}, ${spec.enabled ? 'on' : 'off'}, ${hits}, action ${spec.action}` };
    return item;
  }

  private hitItem({ sourceId, hit }: SourceWatchHit): vscode.TreeItem {
    const item = new vscode.TreeItem(describeHit(hit), vscode.TreeItemCollapsibleState.None);
    item.id = `watch-hit/${sourceId}/${hit.seq}/${hit.objectKey}`;
    const time = new Date(hit.ts).toISOString().slice(11, 23);
    const several = this.registry.list().length > 1;
    item.description = several ? `${time} · ${this.registry.get(sourceId)?.name ?? sourceId}` : time;
    item.tooltip = `${hit.objectKey}\n${hit.type} at ${new Date(hit.ts).toISOString()}\n${sourceId}\nClick to reveal it in the tree.`;
    item.contextValue = 'nkmedia.watchHit';
    item.iconPath = new vscode.ThemeIcon('debug-breakpoint-log-unverified');
    item.command = { command: Commands.revealWatchHit, title: 'Reveal', arguments: [sourceId, hit.objectKey, hit.seq] };
    return item;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this._onDidChangeTreeData.fire(undefined);
    }, REFRESH_MS);
  }
}

/** `stop of session 409d3fb6-…`: the type as the tree shows it, and the object by kind and id. */
export function describeHit(hit: WatchHit): string {
  const [, subclass = '', ...id] = hit.objectKey.split('/');
  return `${hit.type.slice(hit.type.lastIndexOf('/') + 1) || 'event'} of ${subclass || 'object'} ${id.join('/')}`;
}
