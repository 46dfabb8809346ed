// The "Compare Objects" webview panels: one per pair of objects (comparing the same pair
// again reveals its panel). The diff is computed here, on the host, from the two stores
// (src/inspector/objectComparison.ts); the page only draws it. What the page sends is
// checked with zod first: the webview is untrusted.
//
// No retainContextWhenHidden: a hidden page is torn down and says `ready` again when shown,
// and gets the latest comparison back. A live object is not followed: Refresh compares again.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { compareObjects, comparisonTitle, type ObjectRef } from '../inspector/objectComparison';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Logger } from '../shared/logger';
import { fromDiffPageSchema, type ToDiffPage } from '../shared/diffProtocol';
import { diffHtml } from '../trace/diffHtml';

export const DIFF_VIEW_TYPE = 'nkmedia.diff';

export interface DiffPanelDeps {
  registry: SourceRegistry;
  extensionUri: vscode.Uri;
  log: Logger;
  /** Selects the event in the tree. */
  reveal(sourceId: string, objectKey: string, seq: number): Promise<void>;
}

export interface DiffPostedMessage {
  readonly a: ObjectRef;
  readonly b: ObjectRef;
  readonly message: ToDiffPage;
}

export interface DiffApi {
  /** Opens (or reveals) the panel comparing `a` with `b`. */
  compare(a: ObjectRef, b: ObjectRef): void;
  /**
   * Every message a panel posts to its page, and what the host does with a message from the
   * page of the panel opened last (validated as any): for the integration tests, which
   * cannot reach into a webview. False when no panel is open.
   */
  readonly onDidPostMessage: vscode.Event<DiffPostedMessage>;
  receiveFromWebview(message: unknown): Promise<boolean>;
  readonly disposables: vscode.Disposable[];
}

/** Page messages that fail validation are logged this often at most. */
const INVALID_LOG_INTERVAL_MS = 10_000;

class DiffPanel {
  private ready = false;
  private state: ToDiffPage;
  private lastInvalidLog = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly a: ObjectRef,
    readonly b: ObjectRef,
    private readonly deps: DiffPanelDeps,
    private readonly onPost: (message: ToDiffPage) => void,
  ) {
    const webview = panel.webview;
    const asUri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...path)).toString();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'nkmedia.svg');
    webview.html = diffHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview', 'diff.js'),
      styleUri: asUri('media', 'diff.css'),
      codiconUri: asUri('dist', 'webview', 'codicon.css'),
      title: panel.title,
    });
    this.state = compareObjects(deps.registry, a, b);
    panel.onDidChangeViewState(() => {
      // A hidden page is torn down; it says `ready` again when shown.
      if (!panel.visible) this.ready = false;
    });
  }

  /** A message from the page (untrusted: validated here). */
  async receive(raw: unknown): Promise<void> {
    const parsed = fromDiffPageSchema.safeParse(raw);
    if (!parsed.success) {
      const now = Date.now();
      if (now - this.lastInvalidLog > INVALID_LOG_INTERVAL_MS) {
        this.lastInvalidLog = now;
        this.deps.log.warn(`[diff] ignored an invalid message from the page: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this.ready = true;
      this.post(this.state);
    } else if (message.type === 'refresh') {
      this.state = compareObjects(this.deps.registry, this.a, this.b);
      this.post(this.state);
    } else {
      const ref = message.side === 'A' ? this.a : this.b;
      await this.deps.reveal(ref.sourceId, ref.objectKey, message.seq);
    }
  }

  private post(message: ToDiffPage): void {
    if (!this.ready) return;
    this.onPost(message);
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => this.deps.log.debug(`[diff] post failed: ${String(error)}`));
  }
}

const pairKey = (a: ObjectRef, b: ObjectRef) => JSON.stringify([a.sourceId, a.objectKey, b.sourceId, b.objectKey]);

export function registerDiffPanels(deps: DiffPanelDeps): DiffApi {
  const panels = new Map<string, DiffPanel>();
  const posted = new vscode.EventEmitter<DiffPostedMessage>();
  let latest: DiffPanel | undefined;

  const api: DiffApi = {
    compare(a, b) {
      const key = pairKey(a, b);
      const existing = panels.get(key);
      if (existing) {
        existing.panel.reveal(undefined, false);
        latest = existing;
        return;
      }
      const media = vscode.Uri.joinPath(deps.extensionUri, 'media');
      const scripts = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
      const webviewPanel = vscode.window.createWebviewPanel(DIFF_VIEW_TYPE, comparisonTitle(deps.registry, a, b), vscode.ViewColumn.Active, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [media, scripts],
      });
      const panel = new DiffPanel(webviewPanel, a, b, deps, (message) => posted.fire({ a, b, message }));
      panels.set(key, panel);
      latest = panel;
      const subscriptions = [webviewPanel.webview.onDidReceiveMessage((message: unknown) => panel.receive(message))];
      webviewPanel.onDidDispose(() => {
        subscriptions.forEach((s) => s.dispose());
        if (panels.get(key) === panel) panels.delete(key);
        if (latest === panel) latest = undefined;
      });
    },
    onDidPostMessage: posted.event,
    async receiveFromWebview(message) {
      if (!latest) return false;
      await latest.receive(message);
      return true;
    },
    disposables: [posted, { dispose: () => [...panels.values()].forEach((p) => p.panel.dispose()) }],
  };
  return api;
}
