// The streaming line reader: lines cut across chunks, line ends, UTF-8, gzip, and lines too
// long to keep (skipped with a reason, memory bounded).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { LineSplitter, OverlongLine, TraceLineReader } from '../../../src/trace/reader';
import { CancelledError, TraceFileError } from '../../../src/trace/errors';
import { removeTempDirs, tempDir } from './traceFixtures';

after(removeTempDirs);

async function readAll(file: string, options: ConstructorParameters<typeof TraceLineReader>[1] = {}) {
  const reader = new TraceLineReader(file, options);
  const lines: Array<{ n: number; text: string | OverlongLine }> = [];
  for await (const batch of reader.batches()) batch.lines.forEach((text, i) => lines.push({ n: batch.firstLineNumber + i, text }));
  return { lines, stats: reader.stats };
}

/** Feeds `text` to a splitter in chunks of `size` bytes. */
function split(text: string, size: number, maxLineBytes = 1024): Array<string | OverlongLine> {
  const splitter = new LineSplitter(maxLineBytes);
  const bytes = Buffer.from(text, 'utf8');
  const lines: Array<string | OverlongLine> = [];
  for (let i = 0; i < bytes.length; i += size) lines.push(...splitter.push(bytes.subarray(i, i + size)).lines);
  lines.push(...splitter.end().lines);
  return lines;
}

describe('LineSplitter', () => {
  test('gives the same lines whatever the chunk size, UTF-8 characters cut across chunks included', () => {
    const text = 'first\r\nsécond ünïcode ✓ 😀\n\nthird line, the last without newline';
    const expected = ['first', 'sécond ünïcode ✓ 😀', '', 'third line, the last without newline'];
    for (const size of [1, 2, 3, 5, 7, 64, 4096]) assert.deepEqual(split(text, size), expected, `chunks of ${size} bytes`);
  });

  test('a line over the limit becomes an OverlongLine, and the lines around it survive', () => {
    const long = 'x'.repeat(100);
    for (const size of [3, 10, 1000]) {
      const lines = split(`before\n${long}\nafter\n`, size, 50);
      assert.equal(lines.length, 3, `chunks of ${size}`);
      assert.equal(lines[0], 'before');
      assert.ok(lines[1] instanceof OverlongLine, `chunks of ${size}: the long line is refused`);
      assert.ok((lines[1] as OverlongLine).bytes > 50);
      assert.match((lines[1] as OverlongLine).reason, /longer than 50 bytes/);
      assert.equal(lines[2], 'after');
    }
  });

  test('at the limit exactly a line is kept, one byte more is refused, wherever the chunks cut it', () => {
    const limit = 50;
    const cases: Array<[string, string]> = [
      ['x'.repeat(limit), 'ASCII'],
      ['é'.repeat(limit / 2), 'two-byte characters, cut between their bytes by odd chunk sizes'],
    ];
    for (const [atLimit, what] of cases) {
      assert.equal(Buffer.byteLength(atLimit), limit);
      const overLimit = `${atLimit}y`;
      // The line starts mid-chunk after a short one, and ends in a later chunk, for most sizes.
      for (const size of [1, 2, 3, 7, 13, 49, 50, 51, 64, 200]) {
        const lines = split(`ab\n${atLimit}\n${overLimit}\n${atLimit}`, size, limit);
        assert.equal(lines.length, 4, `${what}, chunks of ${size}`);
        assert.equal(lines[0], 'ab');
        assert.equal(lines[1], atLimit, `${what}, chunks of ${size}: ${limit} bytes are within the limit`);
        assert.ok(lines[2] instanceof OverlongLine, `${what}, chunks of ${size}: ${limit + 1} bytes are over it`);
        assert.equal(lines[3], atLimit, `${what}, chunks of ${size}: the last line, without newline`);
      }
    }
  });

  test('the limit counts bytes: a line of few characters but many UTF-8 bytes is refused', () => {
    const lines = split(`${'é'.repeat(30)}\nok\n`, 4096, 50);
    assert.ok(lines[0] instanceof OverlongLine, '30 characters, 60 bytes, limit 50');
    assert.equal(lines[1], 'ok');
  });
});

describe('TraceLineReader', () => {
  test('reads plain and gzipped files alike, numbering lines from 1, reporting progress to the end', async () => {
    const dir = tempDir();
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'-'.repeat(i % 300)}`).join('\n') + '\n';
    const plain = path.join(dir, 'a.jsonl');
    const gz = path.join(dir, 'a.jsonl.gz');
    fs.writeFileSync(plain, text);
    fs.writeFileSync(gz, zlib.gzipSync(text));
    for (const file of [plain, gz]) {
      const progress: number[] = [];
      const { lines, stats } = await readAll(file, { onProgress: (read, total) => progress.push(read / total) });
      assert.equal(lines.length, 5000);
      assert.deepEqual(lines[0], { n: 1, text: 'line 1 ' });
      assert.equal(lines[4999].n, 5000);
      assert.equal(lines[4999].text, `line 5000 ${'-'.repeat(4999 % 300)}`);
      assert.equal(stats.compressed, file === gz);
      assert.equal(progress.at(-1), 1, 'progress ends at 100%');
      assert.equal(stats.endsMidLine, false);
    }
  });

  test('a single 50 MB line with a 1 MB limit: a clear reason, the next line read, memory bounded', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.nkmtrace');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'header\n');
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, '\nafter\n');
    fs.closeSync(fd);

    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const { lines, stats } = await readAll(file, {
      maxLineBytes: 1024 * 1024,
      onProgress: () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)),
    });
    assert.equal(lines.length, 3);
    assert.equal(lines[0].text, 'header');
    const long = lines[1].text;
    assert.ok(long instanceof OverlongLine);
    assert.equal(long.bytes, 50 * 1024 * 1024);
    assert.match(long.reason, /line is longer than 1 MB \(the limit\)/);
    assert.deepEqual(lines[2], { n: 3, text: 'after' });
    assert.ok(stats.peakPendingBytes <= 1024 * 1024, `held at most the limit (held ${stats.peakPendingBytes} bytes)`);
    // A 50 MB line kept as a string would take 50 MB or more of heap.
    assert.ok(heapPeak - heapBefore < 25 * 1024 * 1024, `heap grew by ${((heapPeak - heapBefore) / 1024 / 1024).toFixed(1)} MB`);
  });

  test('a missing file, a folder, and a .gz that is not gzip give one-line errors', async () => {
    const dir = tempDir();
    await assert.rejects(readAll(path.join(dir, 'nope.nkmtrace')), (e: Error) => e instanceof TraceFileError && /^no such file: .*nope\.nkmtrace$/.test(e.message));
    await assert.rejects(readAll(dir), (e: Error) => e instanceof TraceFileError && /is a directory, not a trace file/.test(e.message));
    const fake = path.join(dir, 'fake.nkmtrace.gz');
    fs.writeFileSync(fake, '{"format":"nkmedia-trace"}\n');
    await assert.rejects(readAll(fake), (e: Error) => e instanceof TraceFileError && /ends in \.gz but is not gzip data/.test(e.message));
  });

  test('an aborted signal stops the read with CancelledError', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.jsonl');
    fs.writeFileSync(file, 'x\n'.repeat(3_000_000));
    const controller = new AbortController();
    const reader = new TraceLineReader(file, { signal: controller.signal });
    let batches = 0;
    await assert.rejects(
      (async () => {
        for await (const _batch of reader.batches()) {
          batches++;
          controller.abort();
        }
      })(),
      CancelledError,
    );
    assert.equal(batches, 1, 'nothing read after the abort');
    assert.ok(reader.stats.bytesRead < fs.statSync(file).size, 'the file was not read to the end');
  });
});
