// The logging interface core code receives. VS Code's LogOutputChannel satisfies it, the
// command line passes a stderr logger, and tests pass a memory logger they can inspect.

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Prefixes every message with a `[component]` tag. */
export function taggedLogger(logger: Logger, tag: string): Logger {
  const prefix = `[${tag}] `;
  return {
    trace: (m, ...a) => logger.trace(prefix + m, ...a),
    debug: (m, ...a) => logger.debug(prefix + m, ...a),
    info: (m, ...a) => logger.info(prefix + m, ...a),
    warn: (m, ...a) => logger.warn(prefix + m, ...a),
    error: (m, ...a) => logger.error(typeof m === 'string' ? prefix + m : m, ...a),
  };
}

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Writes lines at or above `minLevel` to a stream (stderr by default), for the command line. */
export function streamLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LEVELS.indexOf(minLevel);
  const at = (level: LogLevel) => (message: string | Error, ...args: unknown[]) => {
    if (LEVELS.indexOf(level) < min) return;
    const text = message instanceof Error ? message.message : message;
    const extra = args.length ? ' ' + args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : '';
    write(`${level}: ${text}${extra}\n`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface LogEntry {
  level: LogLevel;
  message: string;
}

/** Keeps every line in memory; for tests. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  private add(level: LogLevel, message: string | Error, args: unknown[]) {
    const text = message instanceof Error ? message.message : message;
    this.entries.push({ level, message: args.length ? `${text} ${args.map(String).join(' ')}` : text });
  }
  trace(m: string, ...a: unknown[]) { this.add('trace', m, a); }
  debug(m: string, ...a: unknown[]) { this.add('debug', m, a); }
  info(m: string, ...a: unknown[]) { this.add('info', m, a); }
  warn(m: string, ...a: unknown[]) { this.add('warn', m, a); }
  error(m: string | Error, ...a: unknown[]) { this.add('error', m, a); }
  text(level?: LogLevel): string {
    return this.entries.filter((e) => !level || e.level === level).map((e) => e.message).join('\n');
  }
}
