// `nkmedia-inspect record`: the headless recorder, for servers where no editor runs. It uses
// the extension's own client (same answers, deadlines and reconnects) and writes a trace file
// (docs/trace-format.md). The password comes from an environment variable, never from the
// command line, and is never written anywhere.
import { parseArgs } from 'util';
import { NkServiceClient, redactUrl, parseSubscriptionSpec, formatSubscription, type Subscription } from '../protocol';
import { DEFAULT_SUBSCRIPTIONS } from '../protocol/clientOptions';
import { DIALECT_SETTINGS, isDialectSetting, type DialectSetting } from '../protocol/dialects';
import { describeRefusal, type SubscriptionRefusal } from '../protocol/handshake';
import { streamLogger } from '../shared/logger';
import { VERSION } from '../shared/version';
import { makeHeader } from '../trace/traceFileFormat';
import { TraceWriter } from '../trace/writer';
import type { CommandIo } from './commandLine';
import { OutputError, reserveOutput, type ReservedOutput } from './recordOutput';
import { DEFAULT_HEALTH_SECONDS, recordHealth } from './recordHealth';
import { RecorderStorage } from './recordStorage';
import { checkWatchOptions, RecordWatches } from './recordWatches';

export const RECORD_USAGE = `usage: nkmedia-inspect record --url URL --out FILE [options]
  --url URL              ws:// or wss:// address of the NkMEDIA server (no credentials in it)
  --user NAME            login user (default: admin)
  --password-env VAR     environment variable holding the password (default: NKMEDIA_PASSWORD)
  --subscribe SPEC       CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]], repeatable (default: media and collab)
  --dialect ERA          the server's era: ${DIALECT_SETTINGS.join(', ')} (default: auto,
                         detected from the login and the first frames; see docs/protocol.md)
  --out FILE             trace file to write (.nkmtrace; ending in .gz compresses it);
                         checked before connecting
  --force                overwrite FILE if it exists (default: refuse)
  --duration SECONDS     stop this long after starting, whatever the server does, a login
                         that never finishes included (default: until Ctrl+C)
  --max-events N         stop after N events
  --watch EXPR           say where EXPR hits (repeatable; the syntax of stats --watch:
                         type:hangup, user:alice, body.code!=0, duration>5s): the first
                         20 hits on stderr, each marked in the trace, counts in the summary
  --stop-on-watch        stop at the first hit of any --watch
  --ca FILE              PEM file of a CA to trust for wss://
  --insecure             do not check the server's TLS certificate (this run only)
  --no-login-subclass    log in the older way, without subclass "user"
  --health-every SECONDS write a connection health sample (answer latency, the server's
                         ping cadence, events, drops) every SECONDS (default: 10; 0: none)
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
        force: { type: 'boolean', default: false },
        duration: { type: 'string' },
        'max-events': { type: 'string' },
        'health-every': { type: 'string' },
        watch: { type: 'string', multiple: true },
        'stop-on-watch': { type: 'boolean', default: false },
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
  const healthSeconds = args['health-every'] === undefined ? DEFAULT_HEALTH_SECONDS : Number(args['health-every']);
  if (!Number.isFinite(healthSeconds) || healthSeconds < 0) return fail(`--health-every must be a number of seconds, 0 for none (got ${args['health-every']})`);
  const watchTexts = args.watch ?? [];
  const watchCheck = checkWatchOptions(watchTexts);
  if (!watchCheck.ok) return fail(`${watchCheck.message} (see nkmedia-inspect record --help)`);
  if (args['stop-on-watch'] && watchTexts.length === 0) return fail('--stop-on-watch needs at least one --watch EXPR');
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

  // Everything from here is bounded by --duration, Ctrl+C and a closed output: a login the
  // server keeps alive with acks but never answers must not keep the recorder running.
  const started = Date.now();
  let finish!: (reason: string) => void;
  const finished = new Promise<string>((resolve) => (finish = resolve));
  const stopOn = stopTriggers(finish, duration, io.signal);

  let reserved: ReservedOutput;
  try {
    reserved = await reserveOutput(args.out, args.force === true);
  } catch (error) {
    stopOn.release();
    if (error instanceof OutputError) return fail(error.message, 1);
    throw error;
  }

  const url = args.url;
  const out = args.out;
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
  let storage: RecorderStorage | undefined;
  let watches: RecordWatches | undefined;
  /** Set by --stop-on-watch at the first hit: like --max-events, the trace ends with that event. */
  let watchStop: string | undefined;
  let gaps = 0;
  let lastEventTs = 0;

  client.onEvent((e) => {
    if (!storage || watchStop !== undefined || (maxEvents !== undefined && storage.recorded >= maxEvents)) return;
    // The event was answered already; storing it may lag, within the storage's bounded queue.
    // Watches test only what the trace holds, so a hit always names an event of the file.
    if (storage.writeEvent(e.ts, e.data, e.raw.length)) {
      lastEventTs = e.ts;
      watches?.observe(storage.recorded, e);
    }
    if (maxEvents !== undefined && storage.recorded >= maxEvents) finish(`${maxEvents} events recorded`);
  });
  // Not an event, but what the server sent: the trace keeps it whole, with why it is invalid.
  client.onInvalidEvent((e) => storage?.writeInvalid({ marker: 'invalid', ts: e.ts, reason: e.reason, frame: e.frame }));
  // The file is opened once the login worked, so that its header can name the server's era
  // (detected from the login exchange: dialects/detect.ts) and a refused login leaves no file.
  let writerError: string | undefined;
  client.onDidLogin((login) => {
    if (storage || writerError !== undefined) return;
    const dialectId = login.dialect.id;
    try {
      const header = makeHeader({ source: { url: redactUrl(url), user: args.user }, subscriptions, tool: `nkmedia-inspect ${VERSION}`, ...(dialectId ? { dialect: dialectId } : {}) });
      // gzip's fastest level: at 6 it fell behind a busy server on a 2-core machine.
      const writer = new TraceWriter(out, header, { gzipLevel: 1 });
      const opened = new RecorderStorage(writer, { report: (message) => io.stderr(`nkmedia-inspect record: warning: ${message}\n`) });
      storage = opened;
      if (watchTexts.length > 0) {
        watches = new RecordWatches(watchTexts, {
          dialect: dialectId && isDialectSetting(dialectId) ? dialectId : dialect,
          say,
          annotate: (line) => opened.writeAnnotation(line),
          onHit: (expression) => {
            if (!args['stop-on-watch'] || watchStop !== undefined) return;
            watchStop = `watch "${expression}" hit`;
            finish(watchStop);
          },
        });
      }
    } catch (error) {
      writerError = `cannot write ${out}: ${(error as Error).message}`;
      finish(writerError);
    }
  });
  // A connect marker waits for its disconnect: the trace must say when the link ended, also
  // when --max-events stops the recording while the subscriptions are still being answered.
  let connectMarked = false;
  client.onDidConnect((c) => {
    const dialectId = client.detectedDialect.id;
    connectMarked = storage !== undefined;
    storage?.writeMarker({ marker: 'connect', ts: c.ts, ...(c.sessionId ? { session_id: c.sessionId } : {}), ...(dialectId ? { dialect: dialectId } : {}) });
  });
  // Once we are stopping, frames already in flight are still recorded: the final disconnect
  // marker is written after them, when the socket is closed.
  let stopping = false;
  let established = false;
  client.onDidDisconnect((d) => {
    if (stopping) return;
    connectMarked = false;
    storage?.writeMarker({ marker: 'disconnect', ts: d.ts, reason: d.reason });
  });
  client.onDidGap((g) => {
    gaps++;
    storage?.writeMarker({ marker: 'gap', ts: g.from, until: g.to, reason: g.reason });
  });
  client.onDidChangeState((s) => {
    if (s.kind === 'reconnecting') say(`connection lost (${s.reason}); reconnecting in ${Math.round(s.delayMs)} ms`);
    if (s.kind === 'connected' && established) say('reconnected');
    // Before that, a failed first attempt is what connect() rejects with.
    if (s.kind === 'disconnected' && s.reason !== 'disconnected by user' && established) finish(`connection ended: ${s.reason}`);
  });

  // The connect marker of the first connection fires before `connect()` resolves: written above.
  const connecting = client.connect().then(
    () => undefined,
    (error: Error) => error,
  );
  const first = await Promise.race([connecting.then((error) => ({ error })), finished.then((reason) => ({ reason }))]);
  // Stopped (--duration, Ctrl+C, --max-events) while still subscribing, with events stored
  // already: a short recording, finished like any other. Without events: nothing to keep.
  const stoppedEarly = 'reason' in first;
  const failed = stoppedEarly ? (storage?.recorded ?? 0) === 0 : first.error !== undefined;
  if (failed || writerError !== undefined || storage === undefined) {
    await client.disconnect();
    client.dispose();
    watches?.dispose();
    stopOn.release();
    // Nothing recorded, so no file: the writer's (a header, once the login worked) or ours.
    await storage?.abort().catch(() => undefined);
    await reserved.discard();
    if (writerError !== undefined) return fail(writerError, 1);
    if ('reason' in first) return fail(`nothing recorded: ${first.reason} before the login and subscriptions were done`, 1);
    return fail(first.error?.message ?? `cannot write ${out}`, 1);
  }
  const openStorage: RecorderStorage = storage;
  let refused: readonly SubscriptionRefusal[] = [];
  let silence: NodeJS.Timeout | undefined;
  if (!stoppedEarly) {
    established = true;
    // Ended between connect() resolving and now (the state listener did not see `established`).
    if (client.state.kind === 'disconnected') finish(`connection ended: ${client.state.reason}`);
    const server = client.detectedDialect;
    say(`recording ${redactUrl(url)} as ${args.user} (${subscriptions.map(formatSubscription).join(', ')}) to ${out}; server: ${server.label}${server.how === 'detected' ? ' (detected)' : ''}; Ctrl+C stops`);
    refused = client.state.kind === 'connected' ? (client.state.refusedSubscriptions ?? []) : [];
    for (const refusal of refused) say(`subscription ${formatSubscription(refusal.subscription)} refused by the server: ${describeRefusal(refusal)}`);
    silence = setTimeout(() => {
      if (openStorage.recorded === 0) say(`no event in ${SILENCE_HINT_SECONDS} s: the server may be idle, or send no events of the classes subscribed to, or its service may not let them through`);
    }, SILENCE_HINT_SECONDS * 1000);
    silence.unref();
  }
  const healthSamples = !stoppedEarly && healthSeconds > 0 ? recordHealth(client.health, openStorage, healthSeconds * 1000) : undefined;

  const reason = await finished;
  stopOn.release();
  clearTimeout(silence);
  stopping = true;
  healthSamples?.stop();
  await client.disconnect();
  if (connectMarked) openStorage.writeMarker({ marker: 'disconnect', ts: Math.max(Date.now(), lastEventTs), reason: reason });
  const stats = client.stats;
  client.dispose();
  const watchLines = watches?.summaryLines() ?? [];
  watches?.dispose();
  try {
    await openStorage.close();
  } catch (error) {
    return fail(`could not finish writing ${out}: ${(error as Error).message}`, 1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const dropped = openStorage.dropped ? `${openStorage.dropped} events dropped: writing fell behind (marked as gaps)` : '';
  const extras = [dropped, refused.length ? `${refused.length} subscription${refused.length > 1 ? 's' : ''} refused` : '', gaps ? `${gaps} gap${gaps > 1 ? 's' : ''}` : '', stats.invalidFrames ? `${stats.invalidFrames} invalid frames` : '', stats.invalidEvents ? `${stats.invalidEvents} invalid events` : '']
    .filter(Boolean)
    .join(', ');
  io.stdout(`recorded ${openStorage.recorded} events in ${seconds} s to ${out}${extras ? ` (${extras})` : ''}: ${reason}\n`);
  for (const line of watchLines) io.stdout(`  ${line}\n`);
  return 0;
}

/** Calls `finish` after `duration` seconds, on SIGINT or SIGTERM, or when `signal` aborts. */
function stopTriggers(finish: (reason: string) => void, duration: number | undefined, signal: AbortSignal | undefined): { release(): void } {
  const onInt = () => finish('stopped by SIGINT');
  const onTerm = () => finish('stopped by SIGTERM');
  const onAbort = () => finish('aborted');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort);
  const timer = duration !== undefined ? setTimeout(() => finish(`${duration} s elapsed`), duration * 1000) : undefined;
  return {
    release: () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    },
  };
}

/** undefined when absent, null when present but not a positive number. */
function optionalNumber(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : null;
}

