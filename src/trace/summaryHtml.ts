// The trace editor's page: a strict CSP (no network, our stylesheet only, one script: the
// bundle dist/webview/traceSummary.js, allowed by a fresh nonce) around a skeleton the script
// fills in (src/webview/traceSummaryPage). No `vscode` import: the editor passes URIs as strings.
import { escapeHtml, webviewCsp, webviewPageHtml } from '../shared/html';

export interface TraceSummaryHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  fileName: string;
}

export function traceSummaryCsp(cspSource: string, nonce: string): string {
  return webviewCsp(cspSource, nonce);
}

export function traceSummaryHtml(options: TraceSummaryHtmlOptions): string {
  const name = escapeHtml(options.fileName);
  return webviewPageHtml({
    cspSource: options.cspSource,
    nonce: options.nonce,
    scriptUri: options.scriptUri,
    styleUris: [options.styleUri],
    title: options.fileName,
    body: `<header>
  <h1 id="title">${name}</h1>
  <div class="actions">
    <button id="showTimeline" disabled>Show Timeline</button>
    <button id="openInInspector" class="secondary" disabled>Open in Inspector</button>
  </div>
</header>
<main id="root"><p id="status">Reading the trace…</p></main>`,
  });
}
