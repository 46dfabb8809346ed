// The "Compare Objects" panel's page: the strict CSP of every page (no network, our styles and
// codicons only, one script by its nonce: dist/webview/diff.js) around a skeleton the script
// fills in (src/webview/diffPage). No `vscode` import: the panel passes URIs as strings.
import { escapeHtml, webviewPageHtml } from '../shared/html';

export interface DiffHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** The panel's title, e.g. `Compare: session 39ce… ↔ session 7a1b…`. */
  title: string;
}

export function diffHtml(options: DiffHtmlOptions): string {
  return webviewPageHtml({
    cspSource: options.cspSource,
    nonce: options.nonce,
    scriptUri: options.scriptUri,
    styleUris: [options.codiconUri, options.styleUri],
    title: options.title,
    body: `<header>
  <h1 id="title">${escapeHtml(options.title)}</h1>
  <div class="actions">
    <button id="refresh" class="secondary" aria-label="Refresh: compare the events stored now" title="Compare the events stored now"><span class="codicon codicon-refresh" aria-hidden="true"></span> Refresh</button>
  </div>
</header>
<p id="announcer" class="sr-only" aria-live="polite"></p>
<main id="root"><p class="muted">Comparing…</p></main>`,
  });
}
