// Which web pages may open a WebSocket to the demo and replay servers. A browser sends the
// page's Origin with every WebSocket handshake and lets any page connect to any port on
// 127.0.0.1: without this check, a page the user merely visits could log in to `replay` and
// read a captured trace. Clients that are not browsers (the extension, `record`, NcClient
// under Node) send no Origin and are always let in; so are pages served from this machine.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when a handshake with this Origin header may proceed. */
export function originAllowed(origin: string | undefined, allowed: readonly string[] = []): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // "null" (a sandboxed page, a file:) has no host: it is not this machine's page.
  return (url.protocol === 'http:' || url.protocol === 'https:') && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
}
