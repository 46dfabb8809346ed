// Escaping for the few host values (URIs, a nonce, a source id, a file name) that the
// webview pages put into their HTML skeleton. Event content never goes through HTML: the
// pages build it with textContent.

/**
 * Text safe inside an element or a double-quoted attribute (the pages quote every attribute
 * with ", so ' needs no escape and a CSP's 'none' stays readable).
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface WebviewPageOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page: the one script runs with it. */
  nonce: string;
  scriptUri: string;
  /** Stylesheets, in order. */
  styleUris: readonly string[];
  title: string;
  /** Images from our own resources and data: URIs (the timeline's codicons); none by default. */
  images?: boolean;
  /** Attributes of <body>, values escaped here. */
  bodyAttributes?: Readonly<Record<string, string>>;
  /** The skeleton the script fills in: already escaped HTML. */
  body: string;
}

/**
 * The CSP of every page: nothing by default, styles and fonts from our own resources, the one
 * script by its nonce. No network, no inline script, no eval.
 */
export function webviewCsp(cspSource: string, nonce: string, images = false): string {
  return ["default-src 'none'", ...(images ? [`img-src ${cspSource} data:`] : []), `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** A webview page: the CSP, the stylesheets, the skeleton and the page's bundle. */
export function webviewPageHtml(options: WebviewPageOptions): string {
  const attr = escapeHtml;
  const styles = options.styleUris.map((uri) => `<link rel="stylesheet" href="${attr(uri)}">`).join('\n');
  const bodyAttributes = Object.entries(options.bodyAttributes ?? {})
    .map(([name, value]) => ` ${name}="${attr(value)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(webviewCsp(options.cspSource, options.nonce, options.images))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${attr(options.title)}</title>
</head>
<body${bodyAttributes}>
${options.body}
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}
