// `nkmedia-inspect record`: the headless recorder, for servers where no editor runs. It uses
// the extension's own client (same answers, deadlines and reconnects) and writes a trace file
// (docs/trace-format.md). The password comes from an environment variable, never from the
// command line, and is never written anywhere.
import { parseArgs } from 'util';
import { NkServiceClient, redactUrl, parseSubscriptionSpec, formatSubscription, type Subscription } from '../protocol';
import { streamLogger } from '../shared/logger';
import { VERSION } from '../shared/version';
import { makeHeader } from '../trace/format';
import { TraceWriter } from '../trace/writer';
import type { CommandIo } from './commandLine';

export const RECORD_USAGE = `usage: nkmedia-inspect record --url URL --out FILE [options]
  --url URL              ws:// or wss:// address of the NkMEDIA server (no credentials in it)
  --user NAME            login user (default: admin)
  --password-env VAR     environment variable holding the password (default: NKMEDIA_PASSWORD)
  --subscribe SPEC       CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]], repeatable (default: media)
  --out FILE             trace file to write (.nkmtrace; ending in .gz compresses it)
  --duration SECONDS     stop after this long (default: until Ctrl+C)
  --max-events N         stop after N events
  --ca FILE              PEM file of a CA to trust for wss://
  --insecure             do not check the server's TLS certificate (this run only)
  --no-login-subclass    log in the older way, without subclass "user"
  --quiet                print only the final summary and errors
`;

const DEFAULT_PASSWORD_ENV = 'NKMEDIA_PASSWORD';

export async function runRecord(argv: string[], io: CommandIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        user: { type: 'string', default: 'admin' },
        'password-env': { type: 'string' },
        subscribe: { type: 'string', multiple: true },
        out: { type: 'string' },
        duration: { type: 'string' },
        'max-events': { type: 'string' },
        ca: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'no-login-subclass': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr(`nkmedia-inspect record: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(RECORD_USAGE);
    return 0;
  }
  const fail = (message: string, code = 2) => {
    io.stderr(`nkmedia-inspect record: ${message}\n`);
    return code;
  };
  if (!args.url) return fail('--url is required');
  if (!/^wss?:\/\//i.test(args.url)) return fail(`--url must be a ws:// or wss:// URL (got ${redactUrl(args.url)})`);
  if (redactUrl(args.url) !== args.url) return fail('--url must not contain credentials; put the password in an environment variable (--password-env)');
  if (!args.out) return fail('--out is required');
  const duration = optionalNumber(args.duration);
  const maxEvents = optionalNumber(args['max-events']);
  if (duration === null) return fail(`--duration must be a positive number of seconds (got ${args.duration})`);
  if (maxEvents === null) return fail(`--max-events must be a positive number (got ${args['max-events']})`);
  const passwordEnv = args['password-env'] ?? DEFAULT_PASSWORD_ENV;
  const password = io.env[passwordEnv];
  if (password === undefined) return fail(`environment variable ${passwordEnv} is not set (it must hold the password${args['password-env'] ? '' : '; choose another with --password-env VAR'})`);
  let subscriptions: Subscription[];
  try {
    subscriptions = (args.subscribe ?? ['media']).map(parseSubscriptionSpec);
  } catch (error) {
    return fail((error as Error).message);
  }

  const url = args.url;
  const say = (line: string) => {
    if (!args.quiet) io.stderr(`${line}\n`);
  };
  const logger = streamLogger(args.quiet ? 'error' : 'warn', io.stderr);
  const client = new NkServiceClient({
    url,
    user: args.user!,
    password,
    subscriptions,
    loginSubclass: !args['no-login-subclass'],
    tls: { caFile: args.ca, rejectUnauthorized: !args.insecure },
    logger,
  });
  let writer: TraceWriter | undefined;
  let seq = 0;
  let gaps = 0;
  const started = Date.now();
  let finish!: (reason: string) => void;
  const finished = new Promise<string>((resolve) => (finish = resolve));

  client.onEvent((e) => {
    if (!writer || (maxEvents !== undefined && seq >= maxEvents)) return;
    writer.writeEvent(++seq, e.ts, e.data);
    lastEventTs = e.ts;
    if (maxEvents !== undefined && seq >= maxEvents) finish(`${maxEvents} events recorded`);
  });
  client.onDidConnect((c) => writer?.writeMarker({ marker: 'connect', ts: c.ts, ...(c.sessionId ? { session_id: c.sessionId } : {}) }));
  // Once we are stopping, frames already in flight are still recorded: the final disconnect
  // marker is written after them, when the socket is closed.
  let stopping = false;
  let lastEventTs = 0;
  client.onDidDisconnect((d) => {
    if (!stopping) writer?.writeMarker({ marker: 'disconnect', ts: d.ts, reason: d.reason });
  });
  client.onDidGap((g) => {
    gaps++;
    writer?.writeMarker({ marker: 'gap', ts: g.from, until: g.to, reason: g.reason });
  });
  client.onDidChangeState((s) => {
    if (s.kind === 'reconnecting') say(`connection lost (${s.reason}); reconnecting in ${Math.round(s.delayMs)} ms`);
    if (s.kind === 'connected' && seq > 0) say('reconnected');
    if (s.kind === 'disconnected' && s.reason !== 'disconnected by user') finish(`connection ended: ${s.reason}`);
  });

  try {
    writer = new TraceWriter(args.out, makeHeader({ source: { url: redactUrl(url), user: args.user }, subscriptions, tool: `nkmedia-inspect ${VERSION}` }));
  } catch (error) {
    return fail(`cannot write ${args.out}: ${(error as Error).message}`, 1);
  }
  // The connect marker of the first connection fires before `connect()` resolves: written above.
  try {
    await client.connect();
  } catch (error) {
    client.dispose();
    await writer.abort().catch(() => undefined);
    return fail(`${(error as Error).message}`, 1);
  }
  say(`recording ${redactUrl(url)} as ${args.user} (${subscriptions.map(formatSubscription).join(', ')}) to ${args.out}; Ctrl+C stops`);

  const onSignal = (signal: string) => () => finish(`stopped by ${signal}`);
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const timer = duration !== undefined ? setTimeout(() => finish(`${duration} s elapsed`), duration * 1000) : undefined;
  const onAbort = () => finish('aborted');
  io.signal?.addEventListener('abort', onAbort);

  const reason = await finished;
  process.removeListener('SIGINT', onInt);
  process.removeListener('SIGTERM', onTerm);
  io.signal?.removeEventListener('abort', onAbort);
  if (timer) clearTimeout(timer);
  stopping = true;
  const wasConnected = client.state.kind === 'connected';
  await client.disconnect();
  if (wasConnected) writer.writeMarker({ marker: 'disconnect', ts: Math.max(Date.now(), lastEventTs), reason: reason });
  const stats = client.stats;
  client.dispose();
  try {
    await writer.close();
  } catch (error) {
    return fail(`could not finish writing ${args.out}: ${(error as Error).message}`, 1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const extras = [gaps ? `${gaps} gap${gaps > 1 ? 's' : ''}` : '', stats.invalidFrames ? `${stats.invalidFrames} invalid frames` : '', stats.invalidEvents ? `${stats.invalidEvents} invalid events` : '']
    .filter(Boolean)
    .join(', ');
  io.stdout(`recorded ${seq} events in ${seconds} s to ${args.out}${extras ? ` (${extras})` : ''}: ${reason}\n`);
  return 0;
}

/** undefined when absent, null when present but not a positive number. */
function optionalNumber(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

