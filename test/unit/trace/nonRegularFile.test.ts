// #13 item 4: a FIFO opened as a trace hung (open() waits for a writer) and ignored SIGINT and
// SIGTERM. Every reader refuses anything but a regular file before opening it: the CLI's
// stats, export and replay, and the editor's Open Trace… (loadTrace) and trace editor
// (readTraceStats), which all read through TraceLineReader.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TraceFileError } from '../../../src/trace/errors';
import { loadTrace, readTraceHeader } from '../../../src/trace/loadTrace';
import { TraceLineReader } from '../../../src/trace/reader';
import { readTraceStats } from '../../../src/trace/stats';
import { removeCliScript, runCli } from '../cli/cliProcess';
import { HEADER_LINE } from './traceFixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-fifo-'));
let fifo: string;

before(() => {
  fifo = path.join(dir, 'capture.nkmtrace');
  execFileSync('mkfifo', [fifo]);
});

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

/** Settles within `ms` or fails: a hang is the bug, so it must not hang the test run. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms (it hangs)`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // A reader stuck in open() on the FIFO is released by a writer: open and close one end.
    // O_NONBLOCK: with no reader waiting it fails at once (ENXIO) instead of blocking us.
    try {
      fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // nobody was waiting on it
    }
  }
}

const REFUSED = /capture\.nkmtrace is a FIFO \(named pipe\), not a trace file: only regular files are read as traces/;

describe('a FIFO as a trace file', () => {
  const readers: Array<[string, () => Promise<unknown>]> = [
    ['loadTrace (Open Trace…)', () => loadTrace(fifo)],
    ['readTraceStats (the trace editor, stats)', () => readTraceStats(fifo)],
    ['readTraceHeader (replay, export)', () => readTraceHeader(fifo)],
    ['TraceLineReader', async () => {
      for await (const batch of new TraceLineReader(fifo).batches()) return batch;
    }],
  ];
  for (const [name, read] of readers) {
    test(`${name} refuses it at once, with a clear message`, { timeout: 10_000 }, async () => {
      await assert.rejects(within(3_000, name, read()), (error: unknown) => error instanceof TraceFileError && REFUSED.test(error.message));
    });
  }

  test('a character device (/dev/zero never ends) is refused too', { timeout: 10_000 }, async () => {
    await assert.rejects(within(3_000, 'loadTrace(/dev/zero)', loadTrace('/dev/zero')), /\/dev\/zero is a character device, not a trace file/);
  });

  test('a symbolic link to a regular trace is still read', { timeout: 10_000 }, async () => {
    const real = path.join(dir, 'real.nkmtrace');
    fs.writeFileSync(real, `${HEADER_LINE}\n`);
    const link = path.join(dir, 'link.nkmtrace');
    fs.symlinkSync(real, link);
    const loaded = await loadTrace(link);
    loaded.store.dispose();
    assert.equal(loaded.header.format, 'nkmedia-trace');
  });

  for (const args of [['stats'], ['stats', '--json'], ['export', '--format', 'csv', '--out', '-'], ['replay', '--port', '0']]) {
    test(`nkmedia-inspect ${args[0]} ${args.slice(1).join(' ')} FIFO exits 1 at once with the reason`, { timeout: 30_000 }, async () => {
      const [command, ...options] = args;
      const { code, stderr, ms } = await within(15_000, `nkmedia-inspect ${command}`, runCli([command, fifo, ...options], 10_000));
      assert.equal(code, 1, stderr);
      assert.match(stderr, REFUSED);
      assert.ok(ms < 10_000);
    });
  }

  test('nkmedia-inspect diff FIFO:ID FIFO:ID exits 1 at once with the reason', { timeout: 30_000 }, async () => {
    const { code, stderr, ms } = await within(15_000, 'nkmedia-inspect diff', runCli(['diff', `${fifo}:a`, `${fifo}:b`], 10_000));
    assert.equal(code, 1, stderr);
    assert.match(stderr, REFUSED);
    assert.ok(ms < 10_000);
  });
});
