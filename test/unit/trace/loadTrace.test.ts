// Opening traces, good and damaged: every valid line kept, every bad one reported with its
// line number and reason, and files that are not traces refused with one clear line.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { loadTrace } from '../../../src/trace/loadTrace';
import { CancelledError, TraceFileError } from '../../../src/trace/errors';
import { SourceRegistry } from '../../../src/inspector/sourceRegistry';
import { TraceSource } from '../../../src/inspector/traceSource';
import { HEADER_LINE, eventLine, removeTempDirs, storyEvents, tempDir, writeLines, writeStoryTrace } from './traceFixtures';

after(removeTempDirs);

const ringing = (id: string) => ({ class: 'media', subclass: 'call', type: 'ringing', obj_id: id, body: {} });

describe('loadTrace', () => {
  test('a trace opens into the store: events exactly as written, markers, objects and end-of-data anomalies', async () => {
    const file = path.join(tempDir(), 'story.nkmtrace');
    const events = await writeStoryTrace(file, 1000);
    const loaded = await loadTrace(file);
    const { store } = loaded;
    assert.equal(loaded.events, events.length);
    assert.equal(loaded.invalidLineCount, 0);
    assert.equal(store.size, events.length);
    for (let i = 0; i < events.length; i++) {
      const stored = store.getEvent(store.firstSeq + i)!;
      assert.deepEqual(stored.data, events[i], `event ${i + 1}, unknown fields included`);
      assert.equal(stored.ts, 1000 + i * 10);
      assert.equal(stored.conn, 'story', 'lines without conn belong to the connection the header names');
    }
    assert.deepEqual(store.markers(), [{ kind: 'connect', ts: 1000, conn: 'story' }]);
    assert.deepEqual(store.counts(), { session: 3, room: 1, call: 1, other: 0 });
    assert.equal(store.getObject('media/room/room-1')?.state, 'destroyed');
    assert.equal(store.getObject('media/session/lis-1')?.peer, 'pub-1');
    // The session still open when the data ends is flagged, as after a live disconnect.
    const open = store.getObject('media/session/open-1')!;
    assert.ok(open.anomalies.some((a) => a.kind === 'no-terminal-event'));
    assert.deepEqual([loaded.firstTs, loaded.lastTs], [1000, 1000 + (events.length - 1) * 10]);
    store.dispose();
  });

  test('bad lines are reported with line number and reason; every valid line is kept', async () => {
    const dir = tempDir();
    const file = writeLines(dir, 'mixed.jsonl', [
      HEADER_LINE,
      eventLine(1, 10, ringing('a')),
      '{"seq":2,"ts":11,"event":',
      '[1,2,3]',
      JSON.stringify({ seq: 3, ts: 12, event: { subclass: 'call' } }),
      JSON.stringify({ seq: 4, ts: 'late', event: ringing('b') }),
      '',
      JSON.stringify({ marker: 'reconnect', ts: 13 }),
      JSON.stringify({ hello: 'world' }),
      HEADER_LINE,
      eventLine(5, 14, ringing('c'), 'second'),
      JSON.stringify({ marker: 'gap', ts: 15, until: 20, reason: 'socket closed (1006)' }),
    ]);
    const reported: Array<{ line: number; reason: string }> = [];
    const loaded = await loadTrace(file, { onInvalidLine: (bad) => reported.push(bad) });
    assert.deepEqual(
      loaded.invalidLines.map((b) => b.line),
      [3, 4, 5, 6, 8, 9, 10],
      'the blank line 7 is not an error',
    );
    const reason = (line: number) => loaded.invalidLines.find((b) => b.line === line)!.reason;
    assert.match(reason(3), /^not JSON/);
    assert.match(reason(4), /not a JSON object \(an array\)/);
    assert.match(reason(5), /bad event line: event\.class/);
    assert.match(reason(6), /bad event line: ts/);
    assert.match(reason(8), /bad marker line: marker/);
    assert.match(reason(9), /neither an event line .* a marker line .* nor an annotation line/);
    assert.match(reason(10), /second header line/);
    assert.deepEqual(reported, loaded.invalidLines, 'each bad line also reached onInvalidLine');
    assert.equal(loaded.invalidLineCount, 7);
    assert.equal(loaded.events, 2);
    assert.deepEqual(loaded.store.getEvent(loaded.store.lastSeq)?.conn, 'second');
    assert.deepEqual(loaded.store.markers(), [{ kind: 'gap', ts: 15, until: 20, conn: 'trace', reason: 'socket closed (1006)' }]);
    loaded.store.dispose();
  });

  test('annotation lines of any kind are kept aside, never reported as bad, and do not become events', async () => {
    const file = writeLines(tempDir(), 'annotated.nkmtrace', [
      HEADER_LINE,
      eventLine(1, 1000, ringing('c1')),
      JSON.stringify({ line: 'some-future-kind', ts: 1001, whatever: [1, 2] }),
      JSON.stringify({ line: 7, ts: 1002 }),
      eventLine(2, 1003, ringing('c2')),
    ]);
    const loaded = await loadTrace(file);
    assert.equal(loaded.events, 2, 'the events around the annotation are both kept');
    assert.deepEqual(
      loaded.annotations.map((a) => [a.line, a.ts]),
      [['some-future-kind', 1001]],
    );
    assert.deepEqual(loaded.invalidLines, [{ line: 4, reason: 'bad annotation line: "line" is not a kind name' }]);
  });

  test('a truncated last line is reported as cut short; the lines before it are kept', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cut.nkmtrace');
    await writeStoryTrace(file);
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, whole.length - 15));
    const loaded = await loadTrace(file);
    const lines = whole.toString('utf8').trimEnd().split('\n').length;
    assert.equal(loaded.events, storyEvents().length - 1);
    assert.equal(loaded.invalidLines.length, 1);
    assert.equal(loaded.invalidLines[0].line, lines);
    assert.match(loaded.invalidLines[0].reason, /^not JSON .*the file ends in the middle of this line \(cut short\?\)$/);
    loaded.store.dispose();
  });

  test('a gzip file cut short keeps the lines read and says where the data stopped', async () => {
    const dir = tempDir();
    const lines = [HEADER_LINE, ...Array.from({ length: 20_000 }, (_, i) => eventLine(i + 1, i, ringing(`call-${i % 500}`)))];
    const gz = zlib.gzipSync(lines.join('\n') + '\n');
    const file = path.join(dir, 'cut.nkmtrace.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const loaded = await loadTrace(file);
    assert.ok(loaded.events > 1000 && loaded.events < 20_000, `kept ${loaded.events} events`);
    const last = loaded.invalidLines.at(-1)!;
    assert.match(last.reason, /gzip data is damaged or cut short after line \d+/);
    loaded.store.dispose();
  });

  test('corrupt gzip: damage inside the data is reported without losing what came before', async () => {
    const dir = tempDir();
    const lines = [HEADER_LINE, ...Array.from({ length: 20_000 }, (_, i) => eventLine(i + 1, i, ringing(`call-${i % 500}`)))];
    const gz = Buffer.from(zlib.gzipSync(lines.join('\n') + '\n'));
    gz.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 64);
    const file = path.join(dir, 'corrupt.nkmtrace.gz');
    fs.writeFileSync(file, gz);
    const loaded = await loadTrace(file);
    assert.ok(loaded.events > 0 && loaded.events < 20_000, `kept ${loaded.events} events`);
    assert.ok(loaded.invalidLines.some((b) => /gzip data is damaged or cut short/.test(b.reason)), JSON.stringify(loaded.invalidLines.slice(-3)));
    loaded.store.dispose();
  });

  test('files that are not traces, and unsupported versions, are refused with one clear line', async () => {
    const dir = tempDir();
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty.nkmtrace', '', /^empty\.nkmtrace is empty: not an NkMEDIA trace$/],
      ['package.json', JSON.stringify({ name: 'x', version: '1.0.0' }, null, 2), /^package\.json is not an NkMEDIA trace: its first line is not JSON$/],
      ['data.jsonl', '{"name":"x","version":1}\n{"name":"y"}\n', /^data\.jsonl is not an NkMEDIA trace: its first line is not a \{"format":"nkmedia-trace",…\} header$/],
      ['future.nkmtrace', '{"format":"nkmedia-trace","version":2,"created":"2030-01-01T00:00:00Z"}\n', /^future\.nkmtrace is an NkMEDIA trace of version 2, which this inspector cannot read \(it reads version 1\)$/],
      ['bad-header.nkmtrace', '{"format":"nkmedia-trace","version":1}\n', /^bad-header\.nkmtrace has an invalid trace header: created/],
      ['binary.nkmtrace', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 10]), /is not an NkMEDIA trace/],
    ];
    for (const [name, content, expected] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      await assert.rejects(loadTrace(file), (e: Error) => {
        assert.ok(e instanceof TraceFileError, `${name}: a TraceFileError, not ${e.name}`);
        assert.match(e.message, expected, name);
        assert.ok(!e.message.includes('\n'), `${name}: one line`);
        return true;
      });
    }
    await assert.rejects(loadTrace(path.join(dir, 'missing.nkmtrace')), /^TraceFileError: no such file/);
    fs.writeFileSync(path.join(dir, 'garbage.nkmtrace.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(100, 0x55)]));
    await assert.rejects(loadTrace(path.join(dir, 'garbage.nkmtrace.gz')), /^TraceFileError: garbage\.nkmtrace\.gz is not a readable trace: gzip data is damaged or cut short after line 0/);
  });

  test('a first line too long to be a header is refused without reading it whole', async () => {
    const file = writeLines(tempDir(), 'long.nkmtrace', ['{"format":"nkmedia-trace","x":"' + 'y'.repeat(300_000) + '"}']);
    await assert.rejects(loadTrace(file, { maxLineBytes: 64 * 1024 }), /its first line is longer than the line limit/);
  });

  test('a header with a byte-order mark and CRLF line ends still opens', async () => {
    const file = writeLines(tempDir(), 'windows.nkmtrace', ['\ufeff' + HEADER_LINE, eventLine(1, 5, ringing('a'))], '\r\n');
    const loaded = await loadTrace(file);
    assert.equal(loaded.events, 1);
    assert.equal(loaded.invalidLineCount, 0);
    loaded.store.dispose();
  });

  test('cancelling stops the load with CancelledError', async () => {
    const lines = [HEADER_LINE, ...Array.from({ length: 50_000 }, (_, i) => eventLine(i + 1, i, ringing(`c${i}`)))];
    const file = writeLines(tempDir(), 'big.nkmtrace', lines);
    const controller = new AbortController();
    await assert.rejects(loadTrace(file, { signal: controller.signal, onProgress: () => controller.abort() }), CancelledError);
  });

  test('a loaded trace becomes a source named after its file, beside others, and can be closed', async () => {
    const dir = tempDir();
    const file = writeLines(dir, 'capture.nkmtrace', [HEADER_LINE, eventLine(1, 5, ringing('a')), 'oops']);
    const registry = new SourceRegistry();
    const first = new TraceSource(registry.uniqueId('capture.nkmtrace'), await loadTrace(file));
    registry.add(first);
    const second = new TraceSource(registry.uniqueId('capture.nkmtrace'), await loadTrace(file));
    registry.add(second);
    assert.deepEqual(registry.list().map((s) => [s.id, s.name, s.kind]), [
      ['capture.nkmtrace', 'capture.nkmtrace', 'trace'],
      ['capture.nkmtrace (2)', 'capture.nkmtrace', 'trace'],
    ]);
    assert.equal(first.status.kind, 'loaded');
    assert.match(first.status.detail ?? '', /^1 events from .*capture\.nkmtrace, 1 bad line skipped$/);
    assert.equal(first.eventRate(), 0);
    assert.equal(await registry.remove(first.id), true);
    assert.deepEqual(registry.list().map((s) => s.id), ['capture.nkmtrace (2)']);
    await registry.dispose();
  });
});
