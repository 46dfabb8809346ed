// `nkmedia-inspect record`: the headless recorder, for servers where no editor runs. It uses
// the extension's own client (same answers, deadlines and reconnects) and writes a trace file
// (docs/trace-format.md). The password comes from an environment variable, never from the
// command line, and is never written anywhere.
import { parseArgs } from 'util';
import { NkServiceClient, redactUrl, parseSubscriptionSpec, formatSubscription, type Subscription } from '../protocol';
import { DEFAULT_SUBSCRIPTIONS } from '../protocol/clientOptions';
import { DIALECT_SETTINGS, isDialectSetting, type DialectSetting } from '../protocol/dialects';
import { describeRefusal } from '../protocol/handshake';
import { streamLogger } from '../shared/logger';
import { VERSION } from '../shared/version';
import { makeHeader } from '../trace/traceFileFormat';
import { TraceWriter } from '../trace/writer';
import type { CommandIo } from './commandLine';

export const RECORD_USAGE = `usage: nkmedia-inspect record --url URL --out FILE [options]
  --url URL              ws:// or wss:// address of the NkMEDIA server (no credentials in it)
  --user NAME            login user (default: admin)
  --password-env VAR     environment variable holding the password (default: NKMEDIA_PASSWORD)
  --subscribe SPEC       CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]], repeatable (default: media and collab)
  --dialect ERA          the server's era: ${DIALECT_SETTINGS.join(', ')} (default: auto,
                         detected from the login and the first frames; see docs/protocol.md)
  --out FILE             trace file to write (.nkmtrace; ending in .gz compresses it)
  --duration SECONDS     stop after this long (default: until Ctrl+C)
  --max-events N         stop after N events
  --ca FILE              PEM file of a CA to trust for wss://
  --insecure             do not check the server's TLS certificate (this run only)
  --no-login-subclass    log in the older way, without subclass "user"
  --quiet                print only the final summary and errors
`;

const DEFAULT_PASSWORD_ENV = 'NKMEDIA_PASSWORD';
/** Connected this long with no event: say what may be wrong. */
const SILENCE_HINT_SECONDS = 30;

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
        dialect: { type: 'string', default: 'auto' },
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
  if (!isDialectSetting(args.dialect)) return fail(`--dialect must be one of ${DIALECT_SETTINGS.join(', ')} (got ${args.dialect})`);
  const dialect: DialectSetting = args.dialect;
  let subscriptions: Subscription[];
  try {
    subscriptions = args.subscribe ? args.subscribe.map(parseSubscriptionSpec) : DEFAULT_SUBSCRIPTIONS.map((sub) => ({ ...sub }));
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
    dialect,
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
  // The file is opened once the login worked, so that its header can name the server's era
  // (detected from the login exchange: dialects/detect.ts) and a refused login leaves no file.
  let writerError: string | undefined;
  client.onDidLogin((login) => {
    if (writer || writerError !== undefined) return;
    const dialectId = login.dialect.id;
    try {
      writer = new TraceWriter(args.out!, makeHeader({ source: { url: redactUrl(url), user: args.user }, subscriptions, tool: `nkmedia-inspect ${VERSION}`, ...(dialectId ? { dialect: dialectId } : {}) }));
    } catch (error) {
      writerError = `cannot write ${args.out}: ${(error as Error).message}`;
      finish(writerError);
    }
  });
  client.onDidConnect((c) => {
    const dialectId = client.detectedDialect.id;
    writer?.writeMarker({ marker: 'connect', ts: c.ts, ...(c.sessionId ? { session_id: c.sessionId } : {}), ...(dialectId ? { dialect: dialectId } : {}) });
  });
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

  // The connect marker of the first connection fires before `connect()` resolves: written above.
  try {
    await client.connect();
  } catch (error) {
    client.dispose();
    await writer?.abort().catch(() => undefined);
    return fail(`${(error as Error).message}`, 1);
  }
  if (writerError !== undefined || writer === undefined) {
    await client.disconnect();
    client.dispose();
    return fail(writerError ?? `cannot write ${args.out}`, 1);
  }
  const openWriter: TraceWriter = writer;
  const server = client.detectedDialect;
  say(`recording ${redactUrl(url)} as ${args.user} (${subscriptions.map(formatSubscription).join(', ')}) to ${args.out}; server: ${server.label}${server.how === 'detected' ? ' (detected)' : ''}; Ctrl+C stops`);
  const refused = client.state.kind === 'connected' ? (client.state.refusedSubscriptions ?? []) : [];
  for (const refusal of refused) say(`subscription ${formatSubscription(refusal.subscription)} refused by the server: ${describeRefusal(refusal)}`);
  const silence = setTimeout(() => {
    if (seq === 0) say(`no event in ${SILENCE_HINT_SECONDS} s: the server may be idle, or send no events of the classes subscribed to, or its service may not let them through`);
  }, SILENCE_HINT_SECONDS * 1000);
  silence.unref();

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
  clearTimeout(silence);
  stopping = true;
  const wasConnected = client.state.kind === 'connected';
  await client.disconnect();
  if (wasConnected) openWriter.writeMarker({ marker: 'disconnect', ts: Math.max(Date.now(), lastEventTs), reason: reason });
  const stats = client.stats;
  client.dispose();
  try {
    await openWriter.close();
  } catch (error) {
    return fail(`could not finish writing ${args.out}: ${(error as Error).message}`, 1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const extras = [refused.length ? `${refused.length} subscription${refused.length > 1 ? 's' : ''} refused` : '', gaps ? `${gaps} gap${gaps > 1 ? 's' : ''}` : '', stats.invalidFrames ? `${stats.invalidFrames} invalid frames` : '', stats.invalidEvents ? `${stats.invalidEvents} invalid events` : '']
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

