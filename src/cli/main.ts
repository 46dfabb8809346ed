// `nkmedia-inspect`: the command line, for machines where no editor runs.
//   nkmedia-inspect demo …     run the NkMEDIA simulator
//   nkmedia-inspect record …   record a server's events into a trace file
import { commands, usage } from './commands';
import { consoleIo } from './consoleIo';
import { VERSION } from '../shared/version';
import type { CommandIo } from './commandLine';

async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`nkmedia-inspect: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}

const io = consoleIo();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.stderr(`nkmedia-inspect: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
