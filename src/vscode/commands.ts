// The commands of the events view and the palette. Each handler is small: the work lives in
// the connection manager, the tree provider and the core.
import * as vscode from 'vscode';
import type { FilterState } from '../core';
import { LiveSource } from '../inspector/liveSource';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Source } from '../inspector/source';
import { FILTER_SYNTAX_HELP, formatFilter, parseFilter } from '../shared/filterSyntax';
import type { ConnectionManager } from './connections';
import type { DemoServer } from './demoServer';
import { EventDocumentProvider } from './eventDocuments';
import type { EventsTreeProvider } from './eventsTree';
import { readDemoSettings } from './config';
import { Commands } from './ids';
import type { TreeNode } from './treeNodes';
import type { TimelineApi } from './timelinePanel';

export interface CommandContext {
  registry: SourceRegistry;
  connections: ConnectionManager;
  demo: DemoServer;
  tree: EventsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  log: vscode.LogOutputChannel;
  timeline: TimelineApi;
  /** The filter commands write here; the tree and the timelines follow it. */
  filter: FilterState;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { registry, connections, demo, tree, treeView, filter } = ctx;
  const register = (id: string, handler: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, handler);

  const startDemo = async (options?: { connect?: boolean }) => {
    const running = await demo.start();
    const connect = options?.connect ?? readDemoSettings().autoConnect;
    if (connect && !connections.liveSources().some((s) => s.url === running.url && s.status.kind !== 'disconnected')) {
      await connections.connectWithFeedback({ name: 'demo', url: running.url, user: running.user, password: running.password });
    }
    void vscode.window.setStatusBarMessage(`NkMEDIA: demo server on ${running.url}`, 5000);
    return running;
  };

  return [
    // A string argument (from a keybinding) names an entry of nkmedia.connections; menus pass none.
    register(Commands.connect, (name?: unknown) => connections.connectInteractively(typeof name === 'string' ? name : undefined)),
    // Takes back every "Connect" given to a workspace's server or to TLS off: each is asked about again.
    register(Commands.forgetConfirmedServers, async () => {
      await connections.trust.forget();
      void vscode.window.showInformationMessage('NkMEDIA: servers from workspace settings, and TLS off, will be asked about again before the next login.');
    }),
    register(Commands.disconnect, async (node?: TreeNode) => {
      const source = node?.source ?? (await pickLiveSource(registry, 'Disconnect from…', (s) => s.status.kind !== 'disconnected'));
      if (source instanceof LiveSource) await connections.disconnect(source);
    }),
    register(Commands.closeSource, async (node?: TreeNode) => {
      const source = node?.source ?? (await pickSource(registry, 'Close…'));
      if (source) await connections.close(source.id);
    }),
    register(Commands.toggleConnection, async () => {
      const connected = connections.liveSources().filter((s) => s.status.kind !== 'disconnected');
      if (connected.length === 0) return connections.connectInteractively();
      for (const source of connected) await connections.disconnect(source);
      return undefined;
    }),
    register(Commands.startDemoServer, (options?: { connect?: boolean }) => startDemo(options)),
    register(Commands.stopDemoServer, async () => {
      const url = demo.current?.url;
      const stopped = await demo.stop();
      // The demo connection would only retry forever against a server that is gone.
      for (const source of connections.liveSources()) if (source.url === url) await connections.disconnect(source);
      return stopped;
    }),
    register(Commands.clear, async (node?: TreeNode) => {
      const sources = node ? [node.source] : registry.list();
      for (const source of sources) source.store.clear();
    }),
    register(Commands.pause, () => tree.setPaused(true)),
    register(Commands.resume, () => tree.setPaused(false)),
    register(Commands.setFilter, async (text?: string) => {
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: 'NkMEDIA: filter events',
              prompt: `${FILTER_SYNTAX_HELP}. Empty clears.`,
              value: formatFilter(filter.filter),
              placeHolder: 'e.g. user:user3 type:stop subclass:session',
            });
      if (value === undefined) return;
      filter.set(parseFilter(value), 'command');
    }),
    register(Commands.clearFilter, () => filter.clear('command')),
    register(Commands.filterToObject, (node?: TreeNode) => {
      const id = objectIdOf(node);
      if (!id) return;
      filter.set({ text: id }, 'command');
    }),
    register(Commands.copyId, async (node?: TreeNode) => {
      const id = objectIdOf(node);
      if (id) await vscode.env.clipboard.writeText(id);
    }),
    register(Commands.copyEventJson, async (node?: TreeNode) => {
      if (node?.type !== 'event') return;
      const event = node.source.store.getEvent(node.seq);
      if (event) await vscode.env.clipboard.writeText(JSON.stringify(event.data, null, 2));
    }),
    register(Commands.openEventJson, async (node?: TreeNode) => {
      if (node?.type !== 'event') return;
      const event = node.source.store.getEvent(node.seq);
      if (!event) return;
      const uri = EventDocumentProvider.uriFor(node.source.id, node.seq, event.data.type ?? 'event');
      // The .json ending gives the document the JSON language.
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
    }),
    register(Commands.showMore, (node?: TreeNode) => node && tree.showMore(node)),
    register(Commands.revealObject, async (sourceId?: string, key?: string) => {
      const source = sourceId ? registry.get(sourceId) : undefined;
      if (!source || !key) return;
      const node = tree.objectNode(source, key);
      if (!node) {
        void vscode.window.showInformationMessage(`NkMEDIA: ${key} is not in the tree (no events stored for it, or the filter hides it).`);
        return;
      }
      await treeView.reveal(node, { select: true, focus: true, expand: true });
    }),
    register(Commands.showLog, () => ctx.log.show()),
    // From a tree item (a node), from the trace editor (a source id), or the palette (nothing).
    register(Commands.showTimeline, (target?: TreeNode | string) => ctx.timeline.showTimeline(typeof target === 'string' ? target : target?.source.id)),
    register(Commands.showInTimeline, (node?: TreeNode) => {
      if (!node) return undefined;
      const objectKey = node.type === 'object' ? node.key : node.type === 'link' ? node.targetKey : node.type === 'event' ? node.objectKey : undefined;
      return ctx.timeline.centerOn(node.source.id, { objectKey, seq: node.type === 'event' ? node.seq : undefined });
    }),
  ];
}

function objectIdOf(node: TreeNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'object') return node.source.store.getObject(node.key)?.objId;
  if (node.type === 'link') return node.targetKey.slice(node.targetKey.lastIndexOf('/') + 1);
  if (node.type === 'event') return node.source.store.getEvent(node.seq)?.data.obj_id;
  return undefined;
}

async function pickSource(registry: SourceRegistry, title: string, predicate: (s: Source) => boolean = () => true): Promise<Source | undefined> {
  const candidates = registry.list().filter(predicate);
  if (candidates.length <= 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.name, description: s.status.kind, source: s })),
    { title: `NkMEDIA: ${title}` },
  );
  return pick?.source;
}

function pickLiveSource(registry: SourceRegistry, title: string, predicate: (s: Source) => boolean): Promise<Source | undefined> {
  return pickSource(registry, title, (s) => s.kind === 'live' && predicate(s));
}
