// The subcommands of `nkmedia-inspect`, each a function from arguments to an exit code.
import { runDemo } from '../simulator/demoCommand';
import { runRecord } from './recordCommand';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface CliCommand {
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  demo: {
    summary: 'demo [--host H] [--port P] [--seed N] [--rate EVENTS_PER_SECOND] [--ping SECONDS] [--user NAME] [--password-env VAR]\n      run the embedded NkMEDIA simulator (a WebSocket server)',
    run: runDemo,
  },
  record: {
    summary: 'record --url URL --out FILE [--user NAME] [--password-env VAR] [--subscribe CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]]]... [--duration SECONDS] [--max-events N]\n      record a server\'s events into a trace file',
    run: runRecord,
  },
};

export function usage(): string {
  const lines = ['usage: nkmedia-inspect <command> [options]', '', 'commands:'];
  for (const command of Object.values(commands)) lines.push(`  ${command.summary}`);
  lines.push('', 'Run a command with --help for its options.');
  return lines.join('\n') + '\n';
}
