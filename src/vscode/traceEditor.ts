// The read-only editor of `*.nkmtrace` (and `.nkmtrace.gz`) files: opening a trace from the
// explorer shows its summary (counts per subclass and type, objects, anomalies, time span,
// bad lines) instead of a wall of JSON, with buttons that load it as a source and open its
// timeline. The summary is read with no event text kept, so it is quick even for big files.
import { Commands, TRACE_EDITOR_VIEW_TYPE } from './ids';
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TraceSource } from '../inspector/traceSource';
import { fromTraceSummaryPageSchema, type ToTraceSummaryPage } from '../shared/traceSummaryProtocol';
import { isCancelled } from '../trace/errors';
import { readTraceStats } from '../trace/stats';
import { traceSummaryHtml } from '../trace/summaryHtml';
import { summaryView } from '../trace/summaryView';

export interface TraceEditorDeps {
  extensionUri: vscode.Uri;
  /** Loads the file as a source (or returns the one already open from it). */
  openTraceSource(uri: vscode.Uri): Promise<TraceSource | undefined>;
  log: vscode.LogOutputChannel;
}

class TraceDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  constructor(private readonly deps: TraceEditorDeps) {}

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const { webview } = panel;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media, scripts] };
    const fileName = path.basename(document.uri.fsPath);
    webview.html = traceSummaryHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'traceSummary.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'traceEditor.css')).toString(),
      fileName,
    });

    // The page may (re)load at any time: keep the latest state and send it on `ready`.
    let state: ToTraceSummaryPage = { type: 'loading', fileName, percent: 0 };
    let ready = false;
    const post = (message: ToTraceSummaryPage) => {
      state = message;
      if (ready) void webview.postMessage(message);
    };
    const controller = new AbortController();
    const subscriptions: vscode.Disposable[] = [];
    panel.onDidDispose(() => {
      controller.abort();
      for (const s of subscriptions) s.dispose();
    }, undefined, subscriptions);

    subscriptions.push(
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const parsed = fromTraceSummaryPageSchema.safeParse(raw);
        if (!parsed.success) {
          this.deps.log.warn(`[trace editor] ignored an unexpected message from the page`);
          return;
        }
        if (parsed.data.type === 'ready') {
          ready = true;
          void webview.postMessage(state);
          return;
        }
        const source = await this.deps.openTraceSource(document.uri);
        if (!source) return;
        if (parsed.data.type === 'showTimeline') await vscode.commands.executeCommand(Commands.showTimeline, source.id);
        else await vscode.commands.executeCommand('workbench.view.extension.nkmedia');
      }),
    );

    if (document.uri.scheme !== 'file') {
      post({ type: 'error', fileName, message: `Only trace files on disk can be read (this one is ${document.uri.scheme}:).` });
      return;
    }
    let lastPercent = -1;
    readTraceStats(document.uri.fsPath, {
      signal: controller.signal,
      onProgress: (read, total) => {
        const percent = total > 0 ? Math.floor((read / total) * 100) : 0;
        if (percent !== lastPercent) post({ type: 'loading', fileName, percent: (lastPercent = percent) });
      },
    }).then(
      (stats) => post({ type: 'summary', fileName, summary: summaryView(stats) }),
      (error: unknown) => {
        if (isCancelled(error)) return;
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log.warn(`[trace editor] ${message}`);
        post({ type: 'error', fileName, message });
      },
    );
  }
}

export function registerTraceEditor(deps: TraceEditorDeps): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, new TraceEditorProvider(deps), {
    supportsMultipleEditorsPerDocument: true,
    webviewOptions: { retainContextWhenHidden: false },
  });
}
