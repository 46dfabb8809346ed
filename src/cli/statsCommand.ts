// `nkmedia-inspect stats FILE [--watch EXPR]... [--json]`: what a trace file holds, and
// where each watch expression (inspector/watchExpression.ts) hits in it.
import { isCancelled } from '../trace/errors';
import { formatTraceStats, readTraceStats, summarizeTrace } from '../trace/stats';
import { loadTrace } from '../trace/loadTrace';
import { parseWatch, type WatchExpression } from '../inspector/watchExpression';
import { scanWatch, type WatchScan } from '../inspector/watchScan';
import { terminalSafe } from '../shared/terminalText';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, interruptSignal, oneLine, parseCommandLine, singleFile, type CommandIo } from './commandLine';

export const STATS_USAGE = `usage: nkmedia-inspect stats FILE [--watch EXPR]... [--json]

Prints what a trace file (.nkmtrace, .jsonl, .ndjson, or any of them .gz) holds:
events per subclass and type, the objects and their states, how long sessions, calls
and rooms took (p50 / p90 / p99 / max per span; --json adds the buckets and the
longest spans' objects), the anomalies, the time span, and every invalid line with
its line number and reason.

options:
  --watch EXPR list the events that match EXPR, with their count (repeatable): the
               filter syntax (text, user:U, type:T,U, subclass:S) and conditions
               on fields, all of which must hold: body.code=486, body.code!=0,
               type=hangup, duration>5s (the object's age at the event; ms, s, m, h)
  --json       print one JSON object instead of text (watches under "watches")
  -h, --help   show this help

exit status: 0 when the file is a trace (even with invalid lines, which are listed);
1 when it is missing, not a trace, or of an unsupported version; 2 for bad arguments.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  watch: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runStats(argv: string[], io: CommandIo): Promise<number> {
  let file: string;
  let json: boolean;
  let watches: WatchExpression[];
  try {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (values.help) {
      io.stdout(STATS_USAGE);
      return EXIT_OK;
    }
    file = singleFile(positionals);
    json = values.json === true;
    watches = (values.watch ?? []).map((text) => {
      const parsed = parseWatch(text);
      if (!parsed.ok) throw new UsageError(`--watch "${text}": ${parsed.error}`);
      return parsed.watch;
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`nkmedia-inspect stats: ${error.message} (see nkmedia-inspect stats --help)\n`);
    return EXIT_USAGE;
  }

  const interrupt = interruptSignal(io.signal);
  try {
    if (watches.length === 0) {
      const stats = await readTraceStats(file, { signal: interrupt.signal });
      io.stdout(json ? `${JSON.stringify(stats)}\n` : formatTraceStats(stats));
      return EXIT_OK;
    }
    // Conditions on body fields read the events: this load keeps their text.
    const loaded = await loadTrace(file, { signal: interrupt.signal, maxEvents: Number.MAX_SAFE_INTEGER });
    try {
      const stats = summarizeTrace(loaded);
      const scans = watches.map((watch) => scanWatch(loaded.store, watch));
      io.stdout(json ? `${JSON.stringify({ ...stats, watches: scans })}\n` : formatTraceStats(stats) + formatWatchScans(scans));
    } finally {
      loaded.store.dispose();
    }
    return EXIT_OK;
  } catch (error) {
    if (isCancelled(error)) {
      io.stderr('nkmedia-inspect stats: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`nkmedia-inspect stats: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    interrupt.release();
  }
}

/** One block per watch: its count, then its first hits (every line escaped for the terminal). */
function formatWatchScans(scans: WatchScan[]): string {
  const out: string[] = [];
  for (const scan of scans) {
    out.push('', `watch ${scan.expression}: ${scan.count} hit${scan.count === 1 ? '' : 's'}`);
    for (const hit of scan.hits) out.push(`  ${Math.abs(hit.ts) < 8.64e15 ? new Date(hit.ts).toISOString() : String(hit.ts)}  #${hit.seq}  ${hit.objectKey}  ${hit.type}`);
    if (scan.count > scan.hits.length) out.push(`  … and ${scan.count - scan.hits.length} more (--json lists the first ${scan.hits.length} too)`);
  }
  return out.map((line) => terminalSafe(line)).join('\n') + '\n';
}
