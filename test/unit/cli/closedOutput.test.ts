// #13 item 10: `nkmedia-inspect stats FILE --json | head -c 100` died with an unhandled EPIPE
// stack trace. Every command must end without a word when the reader of its output goes away.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NkMediaSimulator } from '../../../src/simulator';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { cliScript, removeCliScript, startCli, type CliRun } from './cliProcess';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-epipe-'));
let bigTrace: string;

/** What must not appear on stderr: a stack trace or the error itself. */
const NOISE = /EPIPE|Error|\n\s+at /;

before(() => {
  // Enough objects that `--json` is far more than a pipe holds (64 KB): the reader closes mid-write.
  bigTrace = path.join(dir, 'big.nkmtrace');
  const lines = [JSON.stringify(makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin' } }))];
  for (let i = 0; i < 3000; i++) {
    lines.push(JSON.stringify({ seq: i + 1, ts: 1_764_299_565_000 + i, event: { class: 'media', subclass: 'session', type: 'stop', obj_id: `session-${String(i).padStart(6, '0')}`, body: { code: 0, reason: 'User stop' } } }));
  }
  fs.writeFileSync(bigTrace, lines.join('\n') + '\n');
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

/** Waits for the process to end on its own; fails (and kills it) after `timeoutMs`. */
async function endsWithin(run: CliRun, timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after its output was closed; stderr: ${run.stderr()}`)), timeoutMs)));
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a command whose stdout reader takes the first `bytes` bytes and closes the pipe. */
async function readThenClose(args: string[], bytes: number): Promise<{ run: CliRun; received: () => number }> {
  const run = await startCli(args);
  let received = 0;
  const stdout = run.child.stdout!;
  stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received >= bytes) stdout.destroy();
  });
  return { run, received: () => received };
}

describe('a closed output', () => {
  test('stats --json into a reader that closes after 100 bytes: exit 0, no stack trace', { timeout: 30_000 }, async () => {
    const { run, received } = await readThenClose(['stats', bigTrace, '--json'], 100);
    try {
      assert.equal(await endsWithin(run, 20_000), 0, run.stderr());
      assert.ok(received() >= 100);
      assert.equal(run.stderr(), '');
    } finally {
      await run.kill();
    }
  });

  test('`stats FILE --json | head -c 100` in a shell prints 100 bytes and nothing on stderr', { timeout: 30_000 }, async () => {
    const script = await cliScript();
    const shell = spawn('sh', ['-c', '"$0" "$1" stats "$2" --json | head -c 100', process.execPath, script, bigTrace], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    shell.stdout.on('data', (c: Buffer) => (out += c));
    shell.stderr.on('data', (c: Buffer) => (err += c));
    let timer: NodeJS.Timeout | undefined;
    try {
      const code = await Promise.race([
        new Promise<number | null>((resolve) => shell.once('exit', resolve)),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the pipeline still ran after 20 s; stderr: ${err}`)), 20_000))),
      ]);
      assert.equal(code, 0);
      assert.equal(out.length, 100);
      assert.equal(err, '');
    } finally {
      clearTimeout(timer);
      if (shell.exitCode === null) shell.kill('SIGKILL');
    }
  });

  test('export --out - into a reader that closes early: exit 0, nothing on stderr', { timeout: 30_000 }, async () => {
    const { run } = await readThenClose(['export', bigTrace, '--format', 'csv', '--out', '-'], 100);
    try {
      assert.equal(await endsWithin(run, 20_000), 0, run.stderr());
      assert.doesNotMatch(run.stderr(), NOISE);
      assert.doesNotMatch(run.stderr(), /interrupted/);
    } finally {
      await run.kill();
    }
  });

  test('demo with its stdout closed stops by itself, quietly', { timeout: 30_000 }, async () => {
    const run = await startCli(['demo', '--port', '0'], { stdout: 'closed' });
    try {
      assert.equal(await endsWithin(run, 20_000), 0, run.stderr());
      assert.doesNotMatch(run.stderr(), NOISE);
    } finally {
      await run.kill();
    }
  });

  test('replay with its stdout closed stops by itself, quietly, as on Ctrl+C', { timeout: 30_000 }, async () => {
    const run = await startCli(['replay', bigTrace, '--port', '0'], { stdout: 'closed' });
    try {
      assert.equal(await endsWithin(run, 20_000), 130, run.stderr());
      assert.doesNotMatch(run.stderr(), NOISE);
    } finally {
      await run.kill();
    }
  });

  test('record with its stdout closed still writes a complete trace, and exits quietly', { timeout: 30_000 }, async () => {
    const simulator = new NkMediaSimulator({ port: 0, seed: 3, rate: 200, pingSeconds: 1 });
    const { url } = await simulator.start();
    const file = path.join(dir, 'record.nkmtrace');
    const run = await startCli(['record', '--url', url, '--out', file, '--duration', '1'], { stdout: 'closed', env: { NKMEDIA_PASSWORD: 'admin' } });
    try {
      assert.equal(await endsWithin(run, 20_000), 0, run.stderr());
      assert.doesNotMatch(run.stderr(), NOISE);
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.ok(lines.filter((l) => l.startsWith('{"seq"')).length > 0, 'events were recorded');
      assert.equal(JSON.parse(lines[lines.length - 1]).marker, 'disconnect', 'the trace was closed properly');
    } finally {
      await run.kill();
      await simulator.stop();
    }
  });
});
