// The timeline webview's HTML: a strict CSP (nothing but our own script, with a nonce, and
// our own styles and font), the stylesheets and the script. No `vscode` import: the panel
// passes the URIs as strings.
import { escapeHtml } from '../shared/html';

export interface TimelineHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** Written into the page so the view state (and the serializer) know the source. */
  sourceId: string;
}

export function timelineCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function timelineHtml(options: TimelineHtmlOptions): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(timelineCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.codiconUri)}">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>NkMEDIA Timeline</title>
</head>
<body data-source-id="${attr(options.sourceId)}">
<div id="root"></div>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}
