// Who may reach the servers the command line runs (demo, replay; #13, case 7). Both log in
// with a password that is `admin` unless --password-env names one, and a replay serves a
// captured trace: listening where other machines can connect with that well-known password
// would hand the traffic to anyone on the network. So an interface other than loopback needs
// a password of one's own. Web pages are the other door: browserOrigin.ts lets in this
// machine's pages only, and --allow-origin names the others the user means to let in.
import { BlockList, isIP } from 'node:net';
import { UsageError } from './commandLine';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True when a server listening on `host` can be reached from this machine only: 127.0.0.0/8,
 * ::1 (in any spelling, IPv4-mapped ::ffff:127.x.x.x included) and `localhost`. Anything else
 * is not: 0.0.0.0 and :: listen on every interface, and a host name may resolve anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 6 ? 'ipv6' : 'ipv4');
}

/** Why a server may not listen on `host` with this --password-env (undefined: admin), or undefined when it may. */
export function exposureRefusal(host: string, passwordVar: string | undefined): string | undefined {
  if (passwordVar !== undefined || isLoopbackHost(host)) return undefined;
  return `--host ${host} can be reached from other machines, and anyone there could log in with the default password admin: set one with --password-env VAR (or listen on 127.0.0.1)`;
}

/**
 * The --allow-origin values as browsers send them in the Origin header (`https://app.example.com`,
 * `http://10.0.0.5:8080`: scheme, host, port if not the default; lower case, no path), so that
 * what the user typed matches. Anything else is a usage error; so is `*` (every page).
 */
export function allowedOrigins(values: readonly string[] | undefined): string[] {
  const origins: string[] = [];
  for (const value of values ?? []) {
    if (value.trim() === '*') throw new UsageError('--allow-origin * would let every web page connect: name each origin, e.g. --allow-origin https://app.example.com');
    let url: URL | undefined;
    try {
      url = new URL(value.trim());
    } catch {
      url = undefined;
    }
    const bare = url !== undefined && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
      throw new UsageError(`--allow-origin must be a web page's origin, scheme://host[:port] such as https://app.example.com, not "${value}"`);
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}

/** --host and --password-env together: a usage error when the server would be open to the network with the default password. */
export function checkExposure(host: string, passwordVar: string | undefined): void {
  const refusal = exposureRefusal(host, passwordVar);
  if (refusal !== undefined) throw new UsageError(refusal);
}
