// `nkmedia-inspect demo`: runs the simulator in the foreground until Ctrl+C (or SIGTERM).
import { parseArgs } from 'node:util';
import { streamLogger } from '../shared/logger';
import { NkMediaSimulator } from './simulator';

export interface DemoIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Stops the demo when aborted (tests use it instead of a signal). */
  signal?: AbortSignal;
}

export const DEMO_USAGE = `usage: nkmedia-inspect demo [options]

Runs the embedded NkMEDIA simulator: a WebSocket server speaking the NkSERVICE
external API, publishing realistic session, room and call events.

options:
  --host HOST              interface to listen on (default 127.0.0.1)
  --port PORT              port to listen on, 0 for a free one (default 9010)
  --seed N                 traffic seed; the same seed gives the same events (default 1)
  --rate EVENTS_PER_SECOND event rate while a client is subscribed (default 20)
  --ping SECONDS           seconds between pings to clients, 0 for none (default 5)
  --user NAME              login user (default admin)
  --password-env VAR       read the login password from environment variable VAR
                           (without it the password is admin)
  -h, --help               show this help
`;

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface DemoSettings {
  host: string;
  port: number;
  seed: number;
  rate: number;
  pingSeconds: number;
  user: string;
  password: string;
  /** How to describe the password without printing a secret one. */
  passwordSource: string;
}

class UsageError extends Error {}

export async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  let settings: DemoSettings | 'help';
  try {
    settings = parseDemoArgs(argv, io.env);
  } catch (error) {
    io.stderr(`nkmedia-inspect demo: ${oneLine(error)} (see nkmedia-inspect demo --help)\n`);
    return EXIT_USAGE;
  }
  if (settings === 'help') {
    io.stdout(DEMO_USAGE);
    return EXIT_OK;
  }

  const simulator = new NkMediaSimulator({
    host: settings.host,
    port: settings.port,
    seed: settings.seed,
    rate: settings.rate,
    pingSeconds: settings.pingSeconds,
    user: settings.user,
    password: settings.password,
    logger: streamLogger('info', io.stderr),
  });
  let url: string;
  try {
    ({ url } = await simulator.start());
  } catch (error) {
    io.stderr(`nkmedia-inspect demo: ${oneLine(error)}\n`);
    await simulator.stop();
    return EXIT_FAILURE;
  }

  io.stdout(
    [
      `NkMEDIA simulator listening on ${url}`,
      `user: ${settings.user}`,
      `password: ${settings.passwordSource}`,
      `seed ${settings.seed}, ${settings.rate} events/s while a client is subscribed, ${settings.pingSeconds > 0 ? `ping every ${settings.pingSeconds} s` : 'no pings'}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  await untilStopRequested(io.signal);
  io.stdout('stopping…\n');
  await simulator.stop();
  return EXIT_OK;
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  seed: { type: 'string' },
  rate: { type: 'string' },
  ping: { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv): DemoSettings | 'help' {
  const values = parseOptions(argv);
  if (values.help) return 'help';

  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const user = values.user ?? 'admin';
  if (user === '') throw new UsageError('--user must not be empty');

  let password = 'admin';
  let passwordSource = 'admin (default; use --password-env VAR to set one)';
  const passwordVar = values['password-env'];
  if (passwordVar !== undefined) {
    const fromEnv = env[passwordVar];
    if (fromEnv === undefined) throw new UsageError(`--password-env ${passwordVar}: environment variable ${passwordVar} is not set`);
    if (fromEnv === '') throw new UsageError(`--password-env ${passwordVar}: environment variable ${passwordVar} is empty`);
    password = fromEnv;
    passwordSource = `from $${passwordVar}`;
  }

  return {
    host,
    port: integerOption('--port', values.port, 9010, 0, 65535),
    seed: integerOption('--seed', values.seed, 1, 0, 0xffffffff),
    rate: numberOption('--rate', values.rate, 20, 0, 1_000_000),
    pingSeconds: numberOption('--ping', values.ping, 5, 0, 3600),
    user,
    password,
    passwordSource,
  };
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    // node's messages run on with advice about '--'; the first sentence says what is wrong.
    throw new UsageError(firstSentence((error as Error).message));
  }
}

function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  const value = numberOption(name, text, fallback, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`${name} must be a whole number, not "${text}"`);
  return value;
}

function numberOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${name} must be a number, not "${text}"`);
  if (value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max}, not ${text}`);
  return value;
}

/** Resolves on SIGINT, SIGTERM or an abort of `signal`; removes its listeners on the way out. */
function untilStopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', finish, { once: true });
  });
}

function firstSentence(message: string): string {
  const end = message.search(/\.\s/);
  return end > 0 ? message.slice(0, end) : message.replace(/\.$/, '');
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
