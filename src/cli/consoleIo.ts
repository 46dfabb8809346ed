// The io the real command line gives its commands: stdout and stderr of this process, with
// every control character escaped (terminalText.ts), and a signal that fires when either
// stream is closed by its reader.
//
// Why the signal: `stats FILE --json | head -c 100` closes the pipe early. Node ignores
// SIGPIPE, so the next write fails with EPIPE as an 'error' event on the stream, and an
// 'error' nobody listens to ends the process with a stack trace. Here it is expected: the
// command is stopped as by Ctrl+C (a recorder still closes its trace properly), nothing
// more is written, and the process exits without a word.
import { terminalSafe } from '../shared/terminalText';
import type { CommandIo } from './commandLine';

/** The errors that mean "the reader went away", not a fault of ours. */
const CLOSED_OUTPUT_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ECONNRESET']);

export function isClosedOutputError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && CLOSED_OUTPUT_CODES.has(code);
}

type OutputStream = NodeJS.WritableStream & { destroyed: boolean };

export function consoleIo(stdout: OutputStream = process.stdout, stderr: OutputStream = process.stderr, env: NodeJS.ProcessEnv = process.env): CommandIo {
  const controller = new AbortController();
  let closed = false;
  const onError = (error: Error) => {
    if (!isClosedOutputError(error)) {
      // Not a closed reader (a full disk behind a redirect…): say so once, on the other stream if it is open.
      if (!closed) stderr.write(`nkmedia-inspect: cannot write the output: ${terminalSafe(error.message)}\n`);
    }
    closed = true;
    controller.abort();
  };
  // Never removed: a write still queued when the command returns may fail later, quietly too.
  stdout.on('error', onError);
  stderr.on('error', onError);
  const writer = (stream: OutputStream) => (text: string) => {
    if (closed || stream.destroyed) return;
    stream.write(terminalSafe(text, { keepNewlines: true }));
  };
  return {
    stdout: writer(stdout),
    stderr: writer(stderr),
    env,
    signal: controller.signal,
    outputClosed: () => closed,
  };
}
