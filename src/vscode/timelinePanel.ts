// The VS Code side of the timeline: one webview panel per source ("NkMEDIA: Show Timeline"
// reveals it if it is open), restored after a window reload by a WebviewPanelSerializer. The
// data work is in src/timeline (TimelineFeed); this file only creates panels, checks what
// the webview sends (with zod: the webview is untrusted) and wires lifetimes.
//
// No retainContextWhenHidden: a hidden timeline would keep 1,000,000 marks and a canvas in
// memory for nothing. The webview keeps its small view state (range, scroll, collapsed
// rows, selection) with setState; when it comes back it says `ready` and the feed re-sends.
// It also reports that state to the host, so the host knows what each timeline shows
// (`viewStateOf`) without a round trip.
//
// The filter is not kept here: every feed reads the extension's one FilterState, and a
// `setFilter` from a webview writes to it (TimelineFeed.handle), so the tree and every
// timeline follow, each timeline with one `init`.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { FilterState } from '../core';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Logger } from '../shared/logger';
import { fromWebviewSchema, viewStateSchema, type TimelineViewState, type ToWebview } from '../shared/timelineProtocol';
import { TimelineFeed, timelineHtml } from '../timeline';

export const TIMELINE_VIEW_TYPE = 'nkmedia.timeline';

export interface TimelineSelection {
  readonly sourceId: string;
  readonly seq: number;
  readonly objectKey: string;
}

export interface TimelineDeps {
  registry: SourceRegistry;
  log: Logger;
  /** The user clicked an event in a timeline: reveal it in the tree. */
  onDidSelectEvent: (selection: TimelineSelection) => void;
  /** The one filter of the tree and every timeline: read, followed, and written by a webview's filter box. */
  filter: FilterState;
  /** "Bookmark…" in a timeline's details pane: add a note on that event. */
  onBookmark?: (selection: TimelineSelection) => void;
}

/** A message a timeline posted to its webview. */
export interface PostedMessage {
  readonly sourceId: string;
  readonly message: ToWebview;
}

export interface TimelineApi {
  /** Opens (or reveals) the timeline of a source; asks which one when there are several. */
  showTimeline(sourceId?: string): Promise<void>;
  /** "Show in Timeline": opens the source's timeline centred on an object or an event. */
  centerOn(sourceId: string, target: { objectKey?: string; seq?: number }): Promise<void>;
  /**
   * What the open timeline of a source shows (time range, scroll, selection), as its webview
   * last reported it; undefined when none is open or it has not shown data yet.
   */
  viewStateOf(sourceId: string): TimelineViewState | undefined;
  /**
   * Makes a timeline of `panel` with the view state VS Code saved for it: what the
   * WebviewPanelSerializer does after a window reload. A state without a source is disposed.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void;
  /**
   * Every message a timeline posts to its webview, and what the host does with a message
   * from the webview of a source's open timeline (validated as any): for the integration
   * tests, which cannot reach into a webview, and for scripting. False when none is open.
   */
  readonly onDidPostMessage: vscode.Event<PostedMessage>;
  receiveFromWebview(sourceId: string, message: unknown): boolean;
  readonly disposables: vscode.Disposable[];
}

/** Webview messages that fail validation are logged this often at most. */
const INVALID_LOG_INTERVAL_MS = 10_000;

export class TimelinePanel implements vscode.Disposable {
  private feed: TimelineFeed | undefined;
  private ready = false;
  private pendingCenter: { objectKey?: string; seq?: number } | undefined;
  /** A restored panel's saved view, for its first webview (which may not have it itself). */
  private pendingRestore: TimelineViewState | undefined;
  private lastViewState: TimelineViewState | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private sourceSubscription: vscode.Disposable | undefined;
  private lastInvalidLog = 0;
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;
  private readonly _onDidPost = new vscode.EventEmitter<ToWebview>();
  readonly onDidPost = this._onDidPost.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly sourceId: string,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: TimelineDeps,
    restoredState?: TimelineViewState,
  ) {
    this.pendingRestore = restoredState;
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nkmedia.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it says `ready` again when shown.
        if (!panel.visible) this.pause();
      }),
      panel.onDidDispose(() => this.dispose()),
      deps.registry.onDidChange(() => this.bindSource()),
    );
    this.bindSource();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** What the webview last said it shows; undefined until it has data on screen. */
  get viewState(): TimelineViewState | undefined {
    return this.lastViewState;
  }

  centerOn(target: { objectKey?: string; seq?: number }): void {
    if (this.ready && this.feed) {
      if (!this.feed.centerOn(target)) this.deps.log.info(`[timeline] nothing stored to centre on in ${this.sourceId}`);
    } else {
      this.pendingCenter = target;
    }
  }

  dispose(): void {
    this.pause();
    this.feed?.dispose();
    this.feed = undefined;
    this.sourceSubscription?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
    this._onDidPost.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asUri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    return timelineHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview', 'timeline.js'),
      styleUri: asUri('media', 'timeline.css'),
      codiconUri: asUri('dist', 'webview', 'codicon.css'),
      sourceId: this.sourceId,
    });
  }

  /** Follows the registry: the source may close, or come back (a trace re-opened). */
  private bindSource(): void {
    const source = this.deps.registry.get(this.sourceId);
    if (this.feed && source && this.feedSource === source) return;
    this.feed?.dispose();
    this.feed = undefined;
    this.sourceSubscription?.dispose();
    this.sourceSubscription = undefined;
    this.feedSource = source;
    if (!source) {
      this.panel.title = `Timeline: ${this.sourceId} (closed)`;
      if (this.ready) this.post(this.goneMessage());
      return;
    }
    this.panel.title = `Timeline: ${source.name}`;
    this.feed = new TimelineFeed(source, (message) => this.post(message), { filter: this.deps.filter });
    this.sourceSubscription = source.onDidChangeStatus(() => this.feed?.statusChanged());
    if (this.ready) this.feed.start();
  }
  private feedSource: Source | undefined;

  private pause(): void {
    this.ready = false;
    // A hidden webview is torn down: it shows nothing until it is back and reports again.
    this.lastViewState = undefined;
    this.feed?.stop();
  }

  /** A message from the webview (untrusted: validated here). */
  receive(raw: unknown): void {
    const parsed = fromWebviewSchema.safeParse(raw);
    if (!parsed.success) {
      const now = Date.now();
      if (now - this.lastInvalidLog > INVALID_LOG_INTERVAL_MS) {
        this.lastInvalidLog = now;
        this.deps.log.warn(`[timeline] ignored an invalid message from the webview: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'viewState') {
      // Not from a page that is being torn down (hidden): it shows nothing any more.
      if (this.ready) this.lastViewState = message.state;
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      if (this.pendingRestore) {
        this.post({ type: 'restoreView', state: this.pendingRestore });
        this.pendingRestore = undefined;
      }
      if (!this.feed) {
        this.post(this.goneMessage());
        return;
      }
      this.feed.start();
      if (this.pendingCenter) {
        this.feed.centerOn(this.pendingCenter);
        this.pendingCenter = undefined;
      }
      return;
    }
    if (!this.ready || !this.feed) return;
    if (message.type === 'bookmark') {
      const objectKey = this.feedSource?.store.objectKeyOf(message.seq);
      if (objectKey !== undefined) this.deps.onBookmark?.({ sourceId: this.sourceId, seq: message.seq, objectKey });
      return;
    }
    // A `setFilter` goes to the shared FilterState: every view follows from there.
    const selection = this.feed.handle(message);
    if (selection) this.deps.onDidSelectEvent({ sourceId: this.sourceId, ...selection });
  }

  private goneMessage(): ToWebview {
    return {
      type: 'sourceGone',
      sourceId: this.sourceId,
      message: `"${this.sourceId}" is no longer open. Connect to it or open the trace again, and this timeline will show it.`,
    };
  }

  private post(message: ToWebview): void {
    if (!this.ready) return;
    this._onDidPost.fire(message);
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.deps.log.debug(`[timeline] post failed: ${String(error)}`);
    });
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Registers the panels, the serializer and returns what the commands need. */
export function registerTimeline(context: vscode.ExtensionContext, deps: TimelineDeps): TimelineApi {
  const panels = new Map<string, TimelinePanel>();
  const posted = new vscode.EventEmitter<PostedMessage>();

  const track = (panel: TimelinePanel) => {
    panels.set(panel.sourceId, panel);
    panel.onDidPost((message) => posted.fire({ sourceId: panel.sourceId, message }));
    panel.onDidDispose(() => {
      if (panels.get(panel.sourceId) === panel) panels.delete(panel.sourceId);
    });
    return panel;
  };

  const pickSource = async (): Promise<Source | undefined> => {
    const sources = deps.registry.list();
    if (sources.length === 0) {
      void vscode.window.showInformationMessage('NkMEDIA: connect to a server, start the demo server or open a trace first; the timeline shows its events.');
      return undefined;
    }
    if (sources.length === 1) return sources[0];
    const picked = await vscode.window.showQuickPick(
      sources.map((s) => ({ label: s.name, description: `${s.kind} · ${s.status.kind}`, source: s })),
      { title: 'NkMEDIA: Show Timeline', placeHolder: 'Which source?' },
    );
    return picked?.source;
  };

  const open = async (sourceId?: string): Promise<TimelinePanel | undefined> => {
    const source = sourceId !== undefined ? deps.registry.get(sourceId) : await pickSource();
    if (!source) {
      if (sourceId !== undefined) void vscode.window.showWarningMessage(`NkMEDIA: no open source named "${sourceId}".`);
      return undefined;
    }
    const existing = panels.get(source.id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, `Timeline: ${source.name}`, vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return track(new TimelinePanel(panel, source.id, context.extensionUri, deps));
  };

  const api: TimelineApi = {
    async showTimeline(sourceId) {
      await open(sourceId);
    },
    async centerOn(sourceId, target) {
      const panel = await open(sourceId);
      panel?.centerOn(target);
    },
    viewStateOf(sourceId) {
      return panels.get(sourceId)?.viewState;
    },
    restore(panel, state) {
      const parsed = viewStateSchema.safeParse(state);
      if (!parsed.success || !parsed.data.sourceId) {
        // Nothing says which source it showed (an older or damaged state): an empty tab
        // that can never fill would only confuse; "Show Timeline" opens a working one.
        deps.log.warn('[timeline] a saved timeline did not say which source it showed: closed it');
        panel.dispose();
        return;
      }
      const saved = parsed.data;
      const existing = panels.get(saved.sourceId);
      if (existing) {
        // Two restored panels for one source: keep the first.
        panel.dispose();
        existing.reveal();
        return;
      }
      // A source that is not open (yet) still gets its panel: it says so, and fills when the
      // source is connected or its trace opened again (TimelinePanel.bindSource).
      deps.log.info(`[timeline] restoring the timeline of ${saved.sourceId}${deps.registry.get(saved.sourceId) ? '' : ' (not open)'}`);
      track(new TimelinePanel(panel, saved.sourceId, context.extensionUri, deps, saved));
    },
    onDidPostMessage: posted.event,
    receiveFromWebview(sourceId, message) {
      const panel = panels.get(sourceId);
      panel?.receive(message);
      return panel !== undefined;
    },
    disposables: [],
  };

  api.disposables.push(
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        api.restore(panel, state);
      },
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.panel.dispose()) },
    posted,
  );
  context.subscriptions.push(...api.disposables);
  return api;
}
