// URLs end up in logs, state reasons and trace-file headers; a `ws://user:password@host/`
// form must never leak its credentials there.

/** Removes any `user:password@` part from a URL; everything else is left exactly as written. */
export function redactUrl(url: string): string {
  // A regular expression rather than `new URL()`: URL normalises the text (adds a trailing
  // slash, lowercases the host), and a log line should show what the user typed. The
  // authority is matched greedily up to its LAST `@`, the same way URL parsers read an
  // unencoded `@` inside a password.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}
