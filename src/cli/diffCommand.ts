// `nkmedia-inspect diff A.nkmtrace:ID B.nkmtrace:ID [--json]`: two objects side by side.
import * as path from 'path';
import type { ObjectState } from '../core';
import { terminalSafe } from '../shared/terminalText';
import { isCancelled } from '../trace/errors';
import { loadTrace, type LoadedTrace } from '../trace/loadTrace';
import { diffObjects, type DiffInput } from '../trace/objectDiff';
import { formatObjectDiff } from '../trace/objectDiffText';
import { objectsMatchingId } from '../trace/relatedObjects';
import { TRACE_EXTENSIONS } from '../trace/traceFileFormat';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, interruptSignal, oneLine, parseCommandLine, type CommandIo } from './commandLine';

export const DIFF_USAGE = `usage: nkmedia-inspect diff A.nkmtrace:ID B.nkmtrace:ID [--json]

Compares two objects (two calls, two sessions, two rooms), of one trace or of two:
the steps only one of them went through (- only in A, + only in B), the time of each
step since the object's first event in A and in B and the difference, and for each step
both have, the body fields that differ. An SDP is summarised, not compared line by line:
its media lines, codecs (a=rtpmap), number of candidates and direction.

Steps are aligned by what the event means, so that one era's stop and another's
destroyed, or started and created, are the same step; events that change nothing
(candidate, info, status…) are aligned by their type.

arguments:
  FILE:ID      a trace file (.nkmtrace, .jsonl, .ndjson, or any of them .gz), a colon,
               and an object's obj_id, or the first characters of one as long as only
               one object's id starts with them (or the object's full key, e.g.
               media/session/ID). An id that matches no object, or several, is refused
               with the candidates named. A and B may be in the same file.

options:
  --json       print one JSON object instead (its fields: README, section on diff)
  -h, --help   show this help

exit status: 0 when the two objects were compared, however much they differ; 1 when a
file is missing or not a trace; 2 for bad arguments, and for an id that names no
object or more than one.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface ObjectSpec {
  file: string;
  id: string;
}

export async function runDiff(argv: string[], io: CommandIo): Promise<number> {
  const usageError = (error: UsageError) => {
    io.stderr(`nkmedia-inspect diff: ${error.message} (see nkmedia-inspect diff --help)\n`);
    return EXIT_USAGE;
  };
  let specs: [ObjectSpec, ObjectSpec];
  let json: boolean;
  try {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (values.help) {
      io.stdout(DIFF_USAGE);
      return EXIT_OK;
    }
    if (positionals.length !== 2) throw new UsageError(`two objects to compare, as FILE:ID FILE:ID (got ${positionals.length})`);
    specs = [parseObjectSpec(positionals[0]), parseObjectSpec(positionals[1])];
    json = values.json === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(error);
  }

  const interrupt = interruptSignal(io.signal);
  const loaded: LoadedTrace[] = [];
  try {
    const traceA = await load(specs[0].file, loaded, io, interrupt.signal);
    // The same file twice (two calls of one trace) is read once.
    const traceB = path.resolve(specs[1].file) === path.resolve(specs[0].file) ? traceA : await load(specs[1].file, loaded, io, interrupt.signal);
    const a = input(traceA, chooseObject('A', traceA, specs[0].id));
    const b = input(traceB, chooseObject('B', traceB, specs[1].id));
    const diff = diffObjects(a, b);
    io.stdout(json ? `${JSON.stringify(diff)}\n` : formatObjectDiff(diff));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) return usageError(error);
    if (io.outputClosed?.()) return EXIT_OK;
    if (isCancelled(error)) {
      io.stderr('nkmedia-inspect diff: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`nkmedia-inspect diff: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    for (const trace of loaded) trace.store.dispose();
    interrupt.release();
  }
}

/**
 * `FILE:ID`. The file ends at the first trace extension followed by a colon, so that an id
 * with colons in it, and a Windows path (`C:\traces\a.nkmtrace:ID`), both work; a file of
 * another extension ends at the last colon.
 */
export function parseObjectSpec(arg: string): ObjectSpec {
  const extensions = TRACE_EXTENSIONS.map((e) => e.slice(1)).join('|');
  const match = new RegExp(`\\.(?:${extensions})(?:\\.gz)?:`, 'i').exec(arg);
  const colon = match ? match.index + match[0].length - 1 : arg.lastIndexOf(':');
  const drive = /^[A-Za-z]:[\\/]/.test(arg) && colon === 1;
  if (colon <= 0 || drive) throw new UsageError(`${arg}: expected FILE:ID, a trace file, a colon and an object id`);
  const file = arg.slice(0, colon);
  const id = arg.slice(colon + 1);
  if (id === '') throw new UsageError(`${arg}: no object id after the colon`);
  return { file, id };
}

async function load(file: string, loaded: LoadedTrace[], io: CommandIo, signal: AbortSignal): Promise<LoadedTrace> {
  const trace = await loadTrace(file, { signal, maxEvents: Number.MAX_SAFE_INTEGER });
  loaded.push(trace);
  if (trace.invalidLineCount > 0) {
    io.stderr(`nkmedia-inspect diff: warning: ${path.basename(file)}: ${trace.invalidLineCount} invalid line(s) skipped (nkmedia-inspect stats ${path.basename(file)} lists them)\n`);
  }
  return trace;
}

/** How many candidates a refusal names before "…". */
const LISTED_CANDIDATES = 10;

function chooseObject(label: 'A' | 'B', trace: LoadedTrace, id: string): ObjectState {
  const name = path.basename(trace.filePath);
  const matches = objectsMatchingId(trace.store, id);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new UsageError(`${label}: ${id} matches ${matches.length} objects in ${name}: ${listed(matches)}; give more of the id, or the full key`);
  }
  const all = trace.store.objects();
  if (all.length === 0) throw new UsageError(`${label}: no object ${id} in ${name}, which has no objects`);
  throw new UsageError(`${label}: no object ${id} in ${name}; its ${all.length} object${all.length === 1 ? '' : 's'}: ${listed(all)}`);
}

function listed(objects: ObjectState[]): string {
  // Keys come from the trace: a newline in one must not start a line of the message.
  const keys = objects.slice(0, LISTED_CANDIDATES).map((o) => terminalSafe(o.key));
  return keys.join(', ') + (objects.length > LISTED_CANDIDATES ? `, … (${objects.length - LISTED_CANDIDATES} more)` : '');
}

function input(trace: LoadedTrace, object: ObjectState): DiffInput {
  return { file: path.basename(trace.filePath), store: trace.store, object, dialect: { ...(trace.dialect.id ? { id: trace.dialect.id } : {}), label: trace.dialect.label } };
}
