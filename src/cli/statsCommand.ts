// `nkmedia-inspect stats FILE [--json]`: what a trace file holds.
import { isCancelled } from '../trace/errors';
import { formatTraceStats, readTraceStats } from '../trace/stats';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, interruptSignal, oneLine, parseCommandLine, singleFile, type CommandIo } from './commandLine';

export const STATS_USAGE = `usage: nkmedia-inspect stats FILE [--json]

Prints what a trace file (.nkmtrace, .jsonl, .ndjson, or any of them .gz) holds:
events per subclass and type, the objects and their states, the anomalies, the time
span, and every invalid line with its line number and reason.

options:
  --json       print one JSON object instead of text
  -h, --help   show this help

exit status: 0 when the file is a trace (even with invalid lines, which are listed);
1 when it is missing, not a trace, or of an unsupported version; 2 for bad arguments.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runStats(argv: string[], io: CommandIo): Promise<number> {
  let file: string;
  let json: boolean;
  try {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (values.help) {
      io.stdout(STATS_USAGE);
      return EXIT_OK;
    }
    file = singleFile(positionals);
    json = values.json === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`nkmedia-inspect stats: ${error.message} (see nkmedia-inspect stats --help)\n`);
    return EXIT_USAGE;
  }

  const interrupt = interruptSignal(io.signal);
  try {
    const stats = await readTraceStats(file, { signal: interrupt.signal });
    io.stdout(json ? `${JSON.stringify(stats)}\n` : formatTraceStats(stats));
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
