// Shared by the subcommands of nkmedia-inspect: their io, option parsing with one-line
// errors, the exit codes, and the login password of the servers they run.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DIALECT_IDS, isDialectId, type DialectId } from '../protocol/dialects';

export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: NodeJS.ProcessEnv;
  /** Aborting it stops the command (tests use it instead of a signal; consoleIo when the output is closed). */
  signal?: AbortSignal;
  /** true once the reader of stdout or stderr went away: the command then ends without a word. */
  outputClosed?(): boolean;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Stopped by Ctrl+C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Bad arguments: exit code 2, with the command's help pointer. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its long messages cut to the sentence that says what is wrong. */
export function parseCommandLine<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(firstSentence((error as Error).message));
  }
}

export function numberOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${name} must be a number, not "${text}"`);
  if (value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max}, not ${text}`);
  return value;
}

export function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  const value = numberOption(name, text, fallback, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`${name} must be a whole number, not "${text}"`);
  return value;
}

/** A server era (DialectId) for the servers we run: demo, replay. */
export function dialectOption(text: string | undefined): DialectId | undefined {
  if (text === undefined) return undefined;
  if (!isDialectId(text)) throw new UsageError(`--dialect must be one of ${DIALECT_IDS.join(', ')}, not "${text}"`);
  return text;
}

/** The one trace file a command takes. */
export function singleFile(positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError('no trace file given');
  if (positionals.length > 1) throw new UsageError(`one trace file at a time (got ${positionals.length}: ${positionals.join(' ')})`);
  return positionals[0];
}

/** An AbortSignal that fires on Ctrl+C, SIGTERM or `outer`; `release()` removes the handlers. */
export function interruptSignal(outer: AbortSignal | undefined): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  if (outer?.aborted) abort();
  else outer?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
      outer?.removeEventListener('abort', abort);
    },
  };
}

/** The login password of a server we run (demo, replay): from --password-env, else admin. */
export function serverPassword(passwordVar: string | undefined, env: NodeJS.ProcessEnv): { password: string; passwordSource: string } {
  if (passwordVar === undefined) return { password: 'admin', passwordSource: 'admin (default; use --password-env VAR to set one)' };
  const fromEnv = env[passwordVar];
  if (fromEnv === undefined) throw new UsageError(`--password-env ${passwordVar}: environment variable ${passwordVar} is not set`);
  if (fromEnv === '') throw new UsageError(`--password-env ${passwordVar}: environment variable ${passwordVar} is empty`);
  // The source is printed; the password itself never is.
  return { password: fromEnv, passwordSource: `from $${passwordVar}` };
}

/** A non-empty --host (default 127.0.0.1) and --user (default admin) of a server we run. */
export function serverIdentity(values: { host?: string; user?: string }): { host: string; user: string } {
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const user = values.user ?? 'admin';
  if (user === '') throw new UsageError('--user must not be empty');
  return { host, user };
}

export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

function firstSentence(message: string): string {
  const end = message.search(/\.\s/);
  return end > 0 ? message.slice(0, end) : message.replace(/\.$/, '');
}
