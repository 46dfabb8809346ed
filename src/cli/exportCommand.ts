// `nkmedia-inspect export FILE --format chrome-trace|mermaid|csv [--object ID] --out OUT`
import * as path from 'path';
import { isCancelled } from '../trace/errors';
import { writeTraceExport, EXPORT_FORMATS, type ExportFormat } from '../trace/exportTrace';
import { loadTrace } from '../trace/loadTrace';
import { findObject } from '../trace/relatedObjects';
import { AtomicTextFile, streamOutput, type TextOutput } from '../trace/textOutput';
import { terminalSafe } from '../shared/terminalText';
import { isClosedOutputError } from './consoleIo';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, interruptSignal, oneLine, parseCommandLine, singleFile, type CommandIo } from './commandLine';

export const EXPORT_USAGE = `usage: nkmedia-inspect export FILE --format FORMAT [--object ID] --out OUT

Converts a trace file for other tools:
  chrome-trace  Chrome Trace Event JSON for ui.perfetto.dev and chrome://tracing: objects
                as async slices, events as instants with their bodies, listener → publisher
                links as flows
  mermaid       a Mermaid sequenceDiagram of one object (--object) and the objects related
                to it, to paste into a bug report
  csv           one row per event (RFC 4180)

options:
  --format FORMAT  chrome-trace, mermaid or csv (required)
  --object ID      an object id (or its first characters, or its full key, e.g.
                   media/session/ID); required for mermaid; for the other formats, only
                   this object and the objects related to it
  --out OUT        the file to write (it appears when complete); - for standard output
  -h, --help       show this help
`;

const OPTIONS = {
  format: { type: 'string' },
  object: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface ExportSettings {
  file: string;
  format: ExportFormat;
  objectId?: string;
  out: string;
}

export async function runExport(argv: string[], io: CommandIo): Promise<number> {
  let settings: ExportSettings | 'help';
  try {
    settings = parseExportArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`nkmedia-inspect export: ${error.message} (see nkmedia-inspect export --help)\n`);
    return EXIT_USAGE;
  }
  if (settings === 'help') {
    io.stdout(EXPORT_USAGE);
    return EXIT_OK;
  }

  const { file, format, objectId, out } = settings;
  const interrupt = interruptSignal(io.signal);
  let output: TextOutput | undefined;
  try {
    const loaded = await loadTrace(file, { signal: interrupt.signal, maxEvents: Number.MAX_SAFE_INTEGER });
    try {
      if (loaded.invalidLineCount > 0) {
        io.stderr(`nkmedia-inspect export: warning: ${loaded.invalidLineCount} invalid line(s) skipped (nkmedia-inspect stats ${path.basename(file)} lists them)\n`);
      }
      const objectKey = objectId === undefined ? undefined : findObject(loaded.store, objectId).key;
      output = out === '-' ? standardOutput() : new AtomicTextFile(out);
      const written = await writeTraceExport(loaded.store, output, { format, objectKey, title: path.basename(file), header: loaded.header, signal: interrupt.signal });
      await output.close();
      output = undefined;
      const message = `${written} events exported as ${format} to ${out === '-' ? 'standard output' : out}\n`;
      if (out === '-') io.stderr(message);
      else io.stdout(message);
      return EXIT_OK;
    } finally {
      loaded.store.dispose();
    }
  } catch (error) {
    await output?.abort().catch(() => undefined);
    // `export … --out - | head`: the reader has what it wanted; that is no failure to report.
    if (io.outputClosed?.() || (out === '-' && isClosedOutputError(error))) return EXIT_OK;
    if (isCancelled(error)) {
      io.stderr('nkmedia-inspect export: interrupted; nothing written\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`nkmedia-inspect export: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    interrupt.release();
  }
}

/**
 * Standard output for the export itself. On a terminal its control characters are escaped
 * as everything else the command line prints; into a pipe or file the data goes unchanged
 * (CSV and Mermaid are not JSON: an escape there would change the data).
 */
function standardOutput(): TextOutput {
  return streamOutput(process.stdout, process.stdout.isTTY ? (text) => terminalSafe(text, { keepNewlines: true }) : undefined);
}

function parseExportArgs(argv: string[]): ExportSettings | 'help' {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const file = singleFile(positionals);
  const format = values.format;
  if (format === undefined) throw new UsageError(`--format is required (${EXPORT_FORMATS.join(', ')})`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
  if (format === 'mermaid' && values.object === undefined) throw new UsageError('--format mermaid needs --object ID (the diagram is of one object)');
  if (values.object !== undefined && values.object.trim() === '') throw new UsageError('--object must not be empty');
  if (values.out === undefined || values.out === '') throw new UsageError('--out is required (a file, or - for standard output)');
  return { file, format: format as ExportFormat, objectId: values.object, out: values.out };
}
