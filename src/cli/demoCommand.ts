// `nkmedia-inspect demo`: runs the simulator in the foreground until Ctrl+C (or SIGTERM).
import { DIALECT_IDS, DIALECTS, type DialectId } from '../protocol/dialects';
import { streamLogger } from '../shared/logger';
import { DEFAULT_FAULT_RATE, DEFAULT_SIMULATOR_DIALECT, NkMediaSimulator, serverRules } from '../simulator';
import {
  dialectOption,
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
import { allowedOrigins, checkExposure } from './serverExposure';

export const DEMO_USAGE = `usage: nkmedia-inspect demo [options]

Runs the embedded NkMEDIA simulator: a WebSocket server speaking the NkSERVICE
external API as the servers of one era did, publishing realistic session, room and
call events in that era's names and codes.

options:
  --host HOST              interface to listen on (default 127.0.0.1); one other machines
                           can reach (0.0.0.0, a LAN address) needs --password-env
  --port PORT              port to listen on, 0 for a free one (default 9010)
  --dialect ID             the server era to speak: ${DIALECT_IDS.join(', ')}
                           (default ${DEFAULT_SIMULATOR_DIALECT})
  --seed N                 traffic seed; the same seed gives the same events (default 1)
  --rate EVENTS_PER_SECOND event rate while a client is subscribed (default 20)
  --fault-rate R           share of objects that end in a fault, 0 to 1 (default ${DEFAULT_FAULT_RATE})
  --unknown-types          also send event types no era has (media/player, room updated…)
  --ping SECONDS           seconds between pings to logged-in clients, 0 for none
                           (default 5; 60 for the develop dialects)
  --idle-timeout SECONDS   close a connection idle this long, 0 for never
                           (default the era's: 30, or 180 for the develop dialects)
  --user NAME              the user to tell people (any user may log in)
  --password-env VAR       read the login password from environment variable VAR
                           (without it the password is admin); given as password or pass
  --allow-origin ORIGIN    also let web pages of ORIGIN (scheme://host[:port], e.g.
                           https://app.example.com) connect; repeatable. Without it only
                           this machine's pages may (others get HTTP 403); clients that are
                           not browsers always may
  -h, --help               show this help
`;

interface DemoSettings {
  host: string;
  port: number;
  dialect: DialectId;
  seed: number;
  rate: number;
  faultRate: number;
  unknownTypes: boolean;
  pingSeconds: number;
  idleTimeoutSeconds: number;
  user: string;
  password: string;
  /** How to describe the password without printing a secret one. */
  passwordSource: string;
  /** Web page origins let in besides this machine's (--allow-origin). */
  allowedOrigins: string[];
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
    dialect: settings.dialect,
    seed: settings.seed,
    rate: settings.rate,
    faultRate: settings.faultRate,
    unknownTypes: settings.unknownTypes,
    pingSeconds: settings.pingSeconds,
    idleTimeoutMs: settings.idleTimeoutSeconds * 1000,
    user: settings.user,
    password: settings.password,
    allowedOrigins: settings.allowedOrigins,
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
      `dialect: ${settings.dialect} (${DIALECTS[settings.dialect].label})`,
      `user: ${settings.user}`,
      `password: ${settings.passwordSource}`,
      ...(settings.allowedOrigins.length > 0 ? [`web pages also allowed from: ${settings.allowedOrigins.join(', ')}`] : []),
      `seed ${settings.seed}, ${settings.rate} events/s while a client is subscribed, ${settings.pingSeconds > 0 ? `ping every ${settings.pingSeconds} s` : 'no pings'}`,
      `faults ${settings.faultRate}${settings.unknownTypes ? ', with event types no era has' : ''}, ${settings.idleTimeoutSeconds > 0 ? `idle timeout ${settings.idleTimeoutSeconds} s` : 'no idle timeout'}`,
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
  dialect: { type: 'string' },
  seed: { type: 'string' },
  rate: { type: 'string' },
  'fault-rate': { type: 'string' },
  'unknown-types': { type: 'boolean' },
  ping: { type: 'string' },
  'idle-timeout': { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv): DemoSettings | 'help' {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'`);
  const { host, user } = serverIdentity(values);
  const { password, passwordSource } = serverPassword(values['password-env'], env);
  checkExposure(host, values['password-env']);
  const dialect = dialectOption(values.dialect) ?? DEFAULT_SIMULATOR_DIALECT;
  const rules = serverRules(dialect);

  return {
    host,
    port: integerOption('--port', values.port, 9010, 0, 65535),
    dialect,
    seed: integerOption('--seed', values.seed, 1, 0, 0xffffffff),
    rate: numberOption('--rate', values.rate, 20, 0, 1_000_000),
    faultRate: numberOption('--fault-rate', values['fault-rate'], DEFAULT_FAULT_RATE, 0, 1),
    unknownTypes: values['unknown-types'] === true,
    pingSeconds: numberOption('--ping', values.ping, rules.family === 'develop' ? rules.pingSecondsAfterLogin : 5, 0, 3600),
    idleTimeoutSeconds: numberOption('--idle-timeout', values['idle-timeout'], rules.idleTimeoutMs / 1000, 0, 86_400),
    user,
    password,
    passwordSource,
    allowedOrigins: allowedOrigins(values['allow-origin']),
  };
}
