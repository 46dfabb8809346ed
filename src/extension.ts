// The extension's entry point: builds the pieces and ties their lifetimes to the extension.
// The logic lives elsewhere: src/core (event store), src/protocol (NkSERVICE client),
// src/simulator (demo server), src/inspector (sources), src/timeline (timeline data),
// src/vscode (thin VS Code adapters), src/webview (the timeline page).
import * as vscode from 'vscode';
import { describeFilter, FilterState, isEmptyFilter } from './core';
import { SourceRegistry } from './inspector/sourceRegistry';
import { setUnexpectedErrorHandler } from './shared/events';
import { taggedLogger } from './shared/logger';
import { VERSION } from './shared/version';
import { registerCommands } from './vscode/commands';
import { registerDiffCommands } from './vscode/diffCommands';
import { registerDiffPanels, type DiffApi } from './vscode/diffPanel';
import { ConnectionManager } from './vscode/connections';
import { DemoServer } from './vscode/demoServer';
import { EventDocumentProvider } from './vscode/eventDocuments';
import { EventsTreeProvider } from './vscode/eventsTree';
import { watchEvictions } from './vscode/evictionNotice';
import { ContextKeys, EVENT_DOCUMENT_SCHEME, Settings, Views, Commands } from './vscode/ids';
import { PasswordStore } from './vscode/passwords';
import { StatusBar } from './vscode/statusBar';
import { ConnectionTrust } from './vscode/trustPrompt';
import { registerTimeline, type TimelineApi } from './vscode/timelinePanel';
import { openTraceAsSource, registerTraceCommands } from './vscode/traceCommands';
import { registerTraceEditor } from './vscode/traceEditor';
import type { TreeNode } from './vscode/treeNodes';
import { registerWatches } from './vscode/watchCommands';
import { registerDurations, type DurationsApi } from './vscode/durationsPanel';
import { registerNotes } from './vscode/noteCommands';
import type { WatchBook } from './inspector/watchBook';

/** What `activate` returns: used by the integration tests, and by anyone scripting the inspector. */
export interface InspectorApi {
  registry: SourceRegistry;
  demo: DemoServer;
  connections: ConnectionManager;
  tree: EventsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  statusBar: StatusBar;
  passwords: PasswordStore;
  timeline: TimelineApi;
  /** The one filter of the tree and every timeline. */
  filter: FilterState;
  /** The Watches view's list and counts. */
  watches: WatchBook;
  durations: DurationsApi;
  /** The "Compare Objects" panels. */
  diff: DiffApi;
}

export function activate(context: vscode.ExtensionContext): InspectorApi {
  const log = vscode.window.createOutputChannel('NkMEDIA Inspector', { log: true });
  context.subscriptions.push(log);
  setUnexpectedErrorHandler((error) => log.error(error instanceof Error ? error : String(error)));

  const registry = new SourceRegistry();
  // The one owner of the filter: the tree and every timeline read and follow it; commands
  // and the timelines' filter boxes write to it.
  const filter = new FilterState();
  const demo = new DemoServer(taggedLogger(log, 'demo'));
  const passwords = new PasswordStore(context.secrets);
  const connections = new ConnectionManager(registry, passwords, demo, taggedLogger(log, 'client'), new ConnectionTrust(context.globalState));
  const tree = new EventsTreeProvider(registry, filter);
  const treeView = vscode.window.createTreeView(Views.events, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree.watchView(treeView));
  const statusBar = new StatusBar(registry);

  const revealInTree = async (sourceId: string, objectKey: string, seq?: number) => {
    const source = registry.get(sourceId);
    if (!source) return;
    // A paused display shows lists drawn before the pause; the node's path is worked out from
    // the data as it is now (an object may have ended and moved under Ended since), so on the
    // old lists the reveal would land on whatever row now has that place. A reveal is the
    // user's own request: draw the lists afresh first.
    if (tree.paused) tree.redrawForReveal();
    const node = seq === undefined ? tree.objectNode(source, objectKey) : tree.eventNode(source, objectKey, seq);
    if (!node) {
      log.info(`[tree] nothing to reveal for ${objectKey}${seq === undefined ? '' : ` #${seq}`}: filtered out or no longer stored`);
      return;
    }
    const options = { select: true, focus: false, expand: seq === undefined };
    try {
      await treeView.reveal(node, options);
    } catch (first) {
      // Once more on fresh lists; a second failure is logged, never an unhandled rejection.
      tree.redrawForReveal();
      const again = seq === undefined ? tree.objectNode(source, objectKey) : tree.eventNode(source, objectKey, seq);
      if (!again) return;
      await treeView.reveal(again, options).then(undefined, (error: unknown) =>
        log.warn(`[tree] could not reveal ${objectKey}${seq === undefined ? '' : ` #${seq}`}: ${String(error)} (first try: ${String(first)})`),
      );
    }
  };
  const notes = registerNotes({ registry, treeView, tree, log });
  const timeline = registerTimeline(context, {
    registry,
    log: taggedLogger(log, 'timeline'),
    onDidSelectEvent: (selection) => void revealInTree(selection.sourceId, selection.objectKey, selection.seq),
    onBookmark: (selection) => void notes.addNoteTo(selection),
    filter,
  });

  // The view says when it filters or is paused.
  const showViewState = () => {
    // The view's message, not its description: with a single view in the container VS Code
    // hides the description, and the filter must always be visible.
    const current = filter.filter;
    const lines = [
      isEmptyFilter(current) ? '' : `Filter: ${describeFilter(current)}`,
      tree.paused ? 'Display paused: events are still received and stored.' : '',
    ].filter(Boolean);
    treeView.message = lines.length ? lines.join('\n') : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.paused, tree.paused);
    void vscode.commands.executeCommand('setContext', ContextKeys.filtered, !isEmptyFilter(current));
  };
  const showConnectionState = () => {
    void vscode.commands.executeCommand('setContext', ContextKeys.hasSources, registry.list().length > 0);
    void vscode.commands.executeCommand('setContext', ContextKeys.connected, connections.liveSources().some((s) => s.status.kind !== 'disconnected'));
  };

  // A watch's hit or a duration outlier: the tree selects it, and an open timeline centres on
  // it (neither opens a timeline by itself).
  const revealEverywhere = async (sourceId: string, objectKey: string, seq?: number) => {
    await revealInTree(sourceId, objectKey, seq);
    if (timeline.viewStateOf(sourceId)) await timeline.centerOn(sourceId, { objectKey, seq });
  };
  const watches = registerWatches({
    registry,
    workspaceState: context.workspaceState,
    log,
    reveal: revealEverywhere,
    pauseDisplay: () => tree.setPaused(true),
  });
  const durations = registerDurations({
    registry,
    filter,
    extensionUri: context.extensionUri,
    log,
    reveal: revealEverywhere,
    showTree: async () => {
      if (!treeView.visible) await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
    },
  });

  const diff = registerDiffPanels({ registry, extensionUri: context.extensionUri, log: taggedLogger(log, 'diff'), reveal: revealInTree });

  const traceDeps = { registry, connections, tree, treeView, log, tool: `NkMEDIA Inspector ${VERSION}` };

  context.subscriptions.push(
    ...watches.disposables,
    ...durations.disposables,
    ...diff.disposables,
    ...registerDiffCommands({ registry, treeView, diff }),
    ...notes.disposables,
    ...registerTraceCommands(traceDeps),
    registerTraceEditor({ extensionUri: context.extensionUri, log, openTraceSource: (uri) => openTraceAsSource(traceDeps, uri, { reuse: true }) }),
    tree,
    treeView,
    statusBar,
    watchEvictions(registry, taggedLogger(log, 'store')),
    demo,
    { dispose: () => void registry.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(EVENT_DOCUMENT_SCHEME, new EventDocumentProvider(registry)),
    ...registerCommands({ registry, connections, demo, tree, treeView, log, timeline, filter }),
    filter.onDidChange((change) => {
      log.info(`[filter] ${isEmptyFilter(change.filter) ? 'cleared' : describeFilter(change.filter)} (from ${change.origin})`);
      showViewState();
    }),
    filter,
    tree.onDidChangePaused(showViewState),
    registry.onDidChange(showConnectionState),
    registry.onDidChangeStatus(showConnectionState),
  );

  // `npm start` sets this, so the product opens on live demo traffic with nothing to type.
  if (vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.demoStartOnActivation, false)) {
    void vscode.commands.executeCommand(Commands.startDemoServer, { connect: true }).then(() =>
      vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`),
    );
  }

  return { registry, demo, connections, tree, treeView, statusBar, passwords, timeline, filter, watches: watches.book, durations, diff };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
