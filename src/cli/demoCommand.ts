// `nkmedia-inspect demo`: runs the simulator in the foreground until Ctrl+C (or SIGTERM).
import { streamLogger } from '../shared/logger';
import { NkMediaSimulator } from '../simulator';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  integerOption,
  interruptSignal,
  numberOption,
  oneLine,
  parseCommandLine,
  serverIdentity,
  serverPassword,
  type CommandIo,
} from './commandLine';

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

export async function runDemo(argv: string[], io: CommandIo): Promise<number> {
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

  const interrupt = interruptSignal(io.signal);
  await new Promise<void>((resolve) => {
    if (interrupt.signal.aborted) resolve();
    else interrupt.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  interrupt.release();
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
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'`);
  const { host, user } = serverIdentity(values);
  const { password, passwordSource } = serverPassword(values['password-env'], env);

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
