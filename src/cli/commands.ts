// The subcommands of `nkmedia-inspect`, each a function from arguments to an exit code.
import { runDemo } from './demoCommand';
import { runRecord } from './recordCommand';
import { runStats } from './statsCommand';
import { runExport } from './exportCommand';
import { runReplay } from './replayCommand';
import { runDiff } from './diffCommand';

import type { CommandIo } from './commandLine';

export interface CliCommand {
  summary: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  demo: {
    summary: 'demo [--host H] [--port P] [--seed N] [--rate EVENTS_PER_SECOND] [--ping SECONDS] [--user NAME] [--password-env VAR] [--allow-origin ORIGIN]...\n      run the embedded NkMEDIA simulator (a WebSocket server)',
    run: runDemo,
  },
  record: {
    summary: 'record --url URL --out FILE [--user NAME] [--password-env VAR] [--subscribe CLASS[/SUBCLASS[/TYPE[/OBJ_ID]]]]... [--duration SECONDS] [--max-events N]\n      record a server\'s events into a trace file',
    run: runRecord,
  },
  stats: {
    summary: 'stats FILE [--json]\n      counts per subclass and type, objects, anomalies, time span and invalid lines of a trace',
    run: runStats,
  },
  export: {
    summary: 'export FILE --format chrome-trace|mermaid|csv [--object ID] --out OUT\n      convert a trace for Perfetto / chrome://tracing, a Mermaid sequence diagram, or CSV',
    run: runExport,
  },
  diff: {
    summary: 'diff A.nkmtrace:ID B.nkmtrace:ID [--json]\n      compare two objects (calls, sessions…) of one trace or two: steps only one has, timings, body fields',
    run: runDiff,
  },
  replay: {
    summary: 'replay FILE [--host H] [--port P] [--speed X | --max] [--password-env VAR] [--allow-origin ORIGIN]...\n      serve a trace to any NkSERVICE client, with the simulator\'s protocol',
    run: runReplay,
  },
};

export function usage(): string {
  const lines = ['usage: nkmedia-inspect <command> [options]', '', 'commands:'];
  for (const command of Object.values(commands)) lines.push(`  ${command.summary}`);
  lines.push('', 'Run a command with --help for its options.');
  return lines.join('\n') + '\n';
}
