// The Durations panel (#14 part 2): one webview per source with its duration distributions
// (src/inspector/durationsModel.ts builds what it shows). A bar click sets the `span:` filter
// of the one FilterState, so the tree and every timeline show only that bar's objects; an
// outlier click reveals its object. Live sources redraw at most once a second.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { FilterState } from '../core';
import { spanConditionText } from '../core/spanFilter';
import { DURATION_SPANS } from '../core';
import { durationsModel } from '../inspector/durationsModel';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { fromDurationsPageSchema, type ToDurationsPage } from '../shared/durationsProtocol';
import { webviewPageHtml } from '../shared/html';
import { Commands } from './ids';

const VIEW_TYPE = 'nkmedia.durations';
const REDRAW_MS = 1000;

export interface DurationsDeps {
  registry: SourceRegistry;
  filter: FilterState;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  reveal(sourceId: string, objectKey: string): Promise<void>;
  /** Brings the NkMEDIA view into sight when it is not: a bar click is for seeing its objects. */
  showTree(): Promise<void>;
}

export interface DurationsApi {
  show(sourceId?: string): Promise<void>;
  /** What the panels post, and a page message handed in as if its page sent it (integration tests). */
  readonly onDidPostMessage: vscode.Event<{ sourceId: string; message: ToDurationsPage }>;
  receiveFromWebview(sourceId: string, message: unknown): Promise<boolean>;
  readonly disposables: vscode.Disposable[];
}

class DurationsPanel {
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private storeSubscription: { dispose(): void } | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly sourceId: string,
    private readonly deps: DurationsDeps,
    private readonly posted: vscode.EventEmitter<{ sourceId: string; message: ToDurationsPage }>,
  ) {
    const media = vscode.Uri.joinPath(deps.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media, scripts] };
    panel.iconPath = vscode.Uri.joinPath(media, 'nkmedia.svg');
    panel.webview.html = webviewPageHtml({
      cspSource: panel.webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'durations.js')).toString(),
      styleUris: [panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'durations.css')).toString()],
      title: `Durations: ${sourceId}`,
      body: '<main id="root"><p class="muted">Reading the durations…</p></main>',
    });
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      deps.filter.onDidChange(() => this.send()),
      deps.registry.onDidChange(() => this.bindSource()),
    );
    this.bindSource();
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = fromDurationsPageSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn('[durations] ignored an unexpected message from the page');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'selectBar': {
        const span = DURATION_SPANS.find((s) => `${s.kind}.${s.span}` === message.span);
        if (!span) return;
        this.deps.filter.set({ span: spanConditionText(span, message.fromMs, message.toMs ?? Infinity) }, 'command');
        await this.deps.showTree();
        return;
      }
      case 'clearSelection':
        this.deps.filter.clear('command');
        return;
      case 'reveal':
        await this.deps.reveal(this.sourceId, message.objectKey);
        return;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.storeSubscription?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private source(): Source | undefined {
    return this.deps.registry.get(this.sourceId);
  }

  private bindSource(): void {
    this.storeSubscription?.dispose();
    const source = this.source();
    this.storeSubscription = source?.store.onDidChange(() => this.scheduleSend());
    this.send();
  }

  private scheduleSend(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, REDRAW_MS);
  }

  private send(): void {
    if (!this.ready) return;
    const source = this.source();
    const message: ToDurationsPage = source
      ? { type: 'model', model: durationsModel(source, this.deps.filter.filter) }
      : { type: 'sourceGone', message: `"${this.sourceId}" is no longer open.` };
    this.posted.fire({ sourceId: this.sourceId, message });
    void this.panel.webview.postMessage(message);
  }
}

export function registerDurations(deps: DurationsDeps): DurationsApi {
  const panels = new Map<string, DurationsPanel>();
  const posted = new vscode.EventEmitter<{ sourceId: string; message: ToDurationsPage }>();

  const pick = async (): Promise<Source | undefined> => {
    const sources = deps.registry.list();
    if (sources.length <= 1) return sources[0];
    const picked = await vscode.window.showQuickPick(
      sources.map((s) => ({ label: s.name, description: s.kind, source: s })),
      { title: 'NkMEDIA: Show Durations', placeHolder: 'Which source?' },
    );
    return picked?.source;
  };

  const api: DurationsApi = {
    async show(sourceId) {
      const source = sourceId !== undefined ? deps.registry.get(sourceId) : await pick();
      if (!source) {
        void vscode.window.showInformationMessage('NkMEDIA: connect to a server, start the demo server or open a trace first; Durations shows how long its sessions, calls and rooms took.');
        return;
      }
      const existing = panels.get(source.id);
      if (existing) return existing.panel.reveal(undefined, false);
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Durations: ${source.name}`, vscode.ViewColumn.Active, { enableScripts: true });
      const durations = new DurationsPanel(panel, source.id, deps, posted);
      panels.set(source.id, durations);
      panel.onDidDispose(() => {
        durations.dispose();
        if (panels.get(source.id) === durations) panels.delete(source.id);
      });
    },
    onDidPostMessage: posted.event,
    async receiveFromWebview(sourceId, message) {
      const panel = panels.get(sourceId);
      await panel?.receive(message);
      return panel !== undefined;
    },
    disposables: [],
  };
  api.disposables.push(
    posted,
    { dispose: () => [...panels.values()].forEach((p) => p.panel.dispose()) },
    vscode.commands.registerCommand(Commands.showDurations, (target?: unknown) => {
      const sourceId = typeof target === 'string' ? target : sourceIdOf(target);
      return api.show(sourceId);
    }),
  );
  return api;
}

/** A tree node passes itself: its source's id. */
function sourceIdOf(target: unknown): string | undefined {
  const source = (target as { source?: { id?: unknown } } | undefined)?.source;
  return typeof source?.id === 'string' ? source.id : undefined;
}
