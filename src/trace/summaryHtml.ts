// The trace editor's page: a strict CSP (no network, our stylesheet only, one script: the
// bundle dist/webview/traceSummary.js, allowed by a fresh nonce) around a skeleton the script
// fills in (src/webview/traceSummaryPage). No `vscode` import: the editor passes URIs as strings.
import { escapeHtml } from '../shared/html';

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
  return ["default-src 'none'", `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function traceSummaryHtml(options: TraceSummaryHtmlOptions): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(traceSummaryCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>${attr(options.fileName)}</title>
</head>
<body>
<header>
  <h1 id="title">${attr(options.fileName)}</h1>
  <div class="actions">
    <button id="showTimeline" disabled>Show Timeline</button>
    <button id="openInInspector" class="secondary" disabled>Open in Inspector</button>
  </div>
</header>
<main id="root"><p id="status">Reading the trace…</p></main>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}
