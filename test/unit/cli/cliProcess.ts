// The real command line in a child process: src/cli/main.ts bundled as dist/cli.js is (same
// esbuild settings), run with real stdout and stderr pipes, so that what a terminal or a
// pipe would see (escapes, EPIPE, exit codes, memory) is what the test sees.
import { spawn, type ChildProcess } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let built: Promise<string> | undefined;
let buildDir: string | undefined;

/** Bundles the command line once per test file; the path of the script. */
export function cliScript(): Promise<string> {
  built ??= (async () => {
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-cli-'));
    const outfile = path.join(buildDir, 'cli.js');
    await esbuild.build({
      entryPoints: [path.resolve(process.cwd(), 'src/cli/main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['bufferutil', 'utf-8-validate'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

/** Removes the bundle (call from `after`). */
export function removeCliScript(): void {
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  built = undefined;
  buildDir = undefined;
}

export interface CliRun {
  child: ChildProcess;
  /** Everything read from stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (a signal as 128 + n) once the process has ended. */
  exited: Promise<number>;
  /** Kills the process if it still runs and waits for it (for `finally`). */
  kill(): Promise<void>;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** 'closed': stdout's reading end is closed at once, as by `| head -c 0`. */
  stdout?: 'pipe' | 'closed' | 'ignore';
  /** Node flags, e.g. --max-old-space-size. */
  nodeArgs?: string[];
}

export async function startCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const script = await cliScript();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    env: { ...process.env, NODE_TEST_CONTEXT: '', ...options.env },
    stdio: ['ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  if (options.stdout === 'closed') child.stdout?.destroy();
  else child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Runs to the end; kills the process after `timeoutMs` (then the result says so). */
export async function runCli(args: string[], timeoutMs: number, options: CliOptions = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const run = await startCli(args, options);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const code = await Promise.race([run.exited, timedOut]);
    if (code === 'timeout') throw new Error(`nkmedia-inspect ${args.join(' ')} still ran after ${timeoutMs} ms; stderr: ${run.stderr()}`);
    return { code, stdout: run.stdout(), stderr: run.stderr(), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    await run.kill();
  }
}

/** Polls `condition` every 20 ms for at most `timeoutMs` (a bounded wait on a child's output). */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
