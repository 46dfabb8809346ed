// `nkmedia-inspect replay FILE [--host H] [--port P] [--speed X | --max] [--dialect ID]`: serves
// a trace to any NkSERVICE client, through the simulator's protocol layer, in the dialect the
// trace was recorded in. Who may listen where and which web pages may connect: serverExposure.ts.
import * as path from 'path';
import { streamLogger } from '../shared/logger';
import { isCancelled } from '../trace/errors';
import { DIALECT_IDS, DIALECTS, type DialectId } from '../protocol/dialects';
import { DEFAULT_REPLAY_DIALECT, TraceReplayer } from '../trace/replay';
import {
  dialectOption,
  EXIT_FAILURE,
  EXIT_INTERRUPTED,
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
  singleFile,
  type CommandIo,
} from './commandLine';
import { allowedOrigins, checkExposure } from './serverExposure';

export const REPLAY_USAGE = `usage: nkmedia-inspect replay FILE [options]

Serves a trace file as an NkSERVICE server would: clients log in, subscribe, and receive
the trace's events in order, each event to the clients whose subscriptions match it.
The replay starts when the first client has subscribed and ends after the last event
has been answered.

options:
  --host HOST              interface to listen on (default 127.0.0.1); one other machines
                           can reach (0.0.0.0, a LAN address) needs --password-env, or
                           anyone there could read the trace
  --port PORT              port to listen on, 0 for a free one (default 9010)
  --speed X                original timing divided by X (default 1: real time)
  --max                    no timing: as fast as the clients answer
  --dialect ID             serve as a server of this era: ${DIALECT_IDS.join(', ')}
                           (default: the era the trace names, else ${DEFAULT_REPLAY_DIALECT})
  --clients N              wait for N subscribed clients before starting (default 1)
  --ping SECONDS           seconds between pings to logged-in clients, 0 for none (default 5)
  --user NAME              login user (default admin)
  --password-env VAR       read the login password from environment variable VAR
                           (without it the password is admin)
  --allow-origin ORIGIN    also let web pages of ORIGIN (scheme://host[:port], e.g.
                           https://app.example.com) connect; repeatable. Without it only
                           this machine's pages may (others get HTTP 403); clients that are
                           not browsers always may
  -h, --help               show this help
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  speed: { type: 'string' },
  max: { type: 'boolean' },
  dialect: { type: 'string' },
  clients: { type: 'string' },
  ping: { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

interface ReplaySettings {
  file: string;
  host: string;
  port: number;
  speed: number;
  max: boolean;
  dialect: DialectId | undefined;
  clients: number;
  pingSeconds: number;
  user: string;
  password: string;
  passwordSource: string;
  /** Web page origins let in besides this machine's (--allow-origin). */
  allowedOrigins: string[];
}

export async function runReplay(argv: string[], io: CommandIo): Promise<number> {
  let settings: ReplaySettings | 'help';
  try {
    settings = parseReplayArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`nkmedia-inspect replay: ${error.message} (see nkmedia-inspect replay --help)\n`);
    return EXIT_USAGE;
  }
  if (settings === 'help') {
    io.stdout(REPLAY_USAGE);
    return EXIT_OK;
  }

  const interrupt = interruptSignal(io.signal);
  const replayer = new TraceReplayer({
    filePath: settings.file,
    speed: settings.speed,
    max: settings.max,
    dialect: settings.dialect,
    waitForClients: settings.clients,
    signal: interrupt.signal,
    logger: streamLogger('info', io.stderr),
    server: { host: settings.host, port: settings.port, user: settings.user, password: settings.password, pingSeconds: settings.pingSeconds, allowedOrigins: settings.allowedOrigins },
  });
  try {
    const { url } = await replayer.start();
    io.stdout(
      [
        `replaying ${path.basename(settings.file)} on ${url}`,
        `dialect: ${replayer.dialect} (${DIALECTS[replayer.dialect].label})${settings.dialect ? '' : ', as the trace was recorded'}`,
        `user: ${settings.user}`,
        `password: ${settings.passwordSource}`,
        ...(settings.allowedOrigins.length > 0 ? [`web pages also allowed from: ${settings.allowedOrigins.join(', ')}`] : []),
        settings.max ? 'timing: none, as fast as the clients answer' : `timing: original ${settings.speed === 1 ? '(real time)' : `÷ ${settings.speed}`}`,
        `waiting for ${settings.clients === 1 ? 'a client' : `${settings.clients} clients`} to log in and subscribe… (Ctrl+C to stop)`,
        '',
      ].join('\n'),
    );
    const summary = await replayer.run();
    const bad = summary.invalidLineCount > 0 ? `; ${summary.invalidLineCount} invalid line(s) skipped` : '';
    const own = summary.inspectorRecords > 0 ? `; ${summary.inspectorRecords} inspector record(s) not sent` : '';
    io.stdout(`replay finished: ${summary.events} events (${summary.deliveries} deliveries) in ${summary.seconds.toFixed(1)} s${bad}${own}\n`);
    return EXIT_OK;
  } catch (error) {
    if (isCancelled(error)) {
      io.stdout('replay stopped before the end\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr(`nkmedia-inspect replay: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    await replayer.stop();
    interrupt.release();
  }
}

function parseReplayArgs(argv: string[], env: NodeJS.ProcessEnv): ReplaySettings | 'help' {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const file = singleFile(positionals);
  if (values.max && values.speed !== undefined) throw new UsageError('--speed and --max exclude each other');
  const { host, user } = serverIdentity(values);
  const speed = numberOption('--speed', values.speed, 1, 0, 1_000_000);
  if (speed === 0) throw new UsageError('--speed must be greater than 0 (use --max for no timing)');

  const { password, passwordSource } = serverPassword(values['password-env'], env);
  checkExposure(host, values['password-env']);
  return {
    file,
    host,
    port: integerOption('--port', values.port, 9010, 0, 65535),
    speed,
    max: values.max === true,
    dialect: dialectOption(values.dialect),
    clients: integerOption('--clients', values.clients, 1, 1, 1000),
    pingSeconds: numberOption('--ping', values.ping, 5, 0, 3600),
    user,
    password,
    passwordSource,
    allowedOrigins: allowedOrigins(values['allow-origin']),
  };
}
