// The timeline webview's HTML: a strict CSP (nothing but our own script, with a nonce, and
// our own styles and font), the stylesheets and the script. No `vscode` import: the panel
// passes the URIs as strings.
import { webviewCsp, webviewPageHtml } from '../shared/html';

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
  return webviewCsp(cspSource, nonce, true);
}

export function timelineHtml(options: TimelineHtmlOptions): string {
  return webviewPageHtml({
    cspSource: options.cspSource,
    nonce: options.nonce,
    scriptUri: options.scriptUri,
    styleUris: [options.codiconUri, options.styleUri],
    title: 'NkMEDIA Timeline',
    images: true,
    bodyAttributes: { 'data-source-id': options.sourceId },
    body: '<div id="root"></div>',
  });
}
