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
