// `nkmedia-inspect stats`: the duration distributions of a trace with known durations, in
// --json (percentiles, buckets, outliers per span) and in the text form (one line per span).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runStats } from '../../../src/cli/statsCommand';
import type { EventData } from '../../../src/protocol/frames';
import { durationBar } from '../../../src/trace/durationText';
import type { TraceStats } from '../../../src/trace/stats';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { captureIo, eventLine, removeTempDirs, tempDir, writeLines } from './traceFixtures';

after(removeTempDirs);

const T = { timeout: 15_000 };
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

/** A develop-era trace: 3 sessions answered 100, 200 and 900 ms after `created`, ended 1, 2 and 3 s later; one room of 10 s. */
function knownTrace(): string {
  const session = (type: string, id: string, body?: Record<string, unknown>): EventData => ({ class: 'media', subclass: 'session', type, obj_id: id, ...(body ? { body } : {}) });
  const stop = { code: 100011, reason: 'User stop' };
  const events: Array<[number, EventData]> = [
    [0, { class: 'media', subclass: 'room', type: 'created', obj_id: 'r1', body: { class: 'sfu' } }],
    [0, session('created', 's1', { type: 'echo' })],
    [10, session('created', 's2', { type: 'echo' })],
    [20, session('created', 's3', { type: 'echo' })],
    [100, session('answer', 's1', { answer: { sdp: 'v=0' } })],
    [210, session('answer', 's2', { answer: { sdp: 'v=0' } })],
    [920, session('answer', 's3', { answer: { sdp: 'v=0' } })],
    [1100, session('destroyed', 's1', stop)],
    [2210, session('destroyed', 's2', stop)],
    [3920, session('destroyed', 's3', stop)],
    [10_000, { class: 'media', subclass: 'room', type: 'destroyed', obj_id: 'r1', body: stop }],
  ];
  const header = JSON.stringify(makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin' }, dialect: '2017', created: new Date(T0) }));
  return writeLines(tempDir(), 'known.nkmtrace', [header, ...events.map(([at, event], i) => eventLine(i + 1, T0 + at, event))]);
}

describe('stats: durations', () => {
  test('--json has the durations per span: exact count and percentiles, buckets, outliers with their objects', T, async () => {
    const io = captureIo();
    assert.equal(await runStats([knownTrace(), '--json'], io), 0, io.err);
    const { durations } = JSON.parse(io.out) as TraceStats;
    assert.deepEqual(durations.session.setup, {
      count: 3,
      min: 100,
      p50: 200,
      p90: 900,
      p99: 900,
      max: 900,
      buckets: [
        { fromMs: 100, toMs: 104, count: 1 },
        { fromMs: 200, toMs: 208, count: 1 },
        { fromMs: 896, toMs: 928, count: 1 },
      ],
      outliers: [
        { objectKey: 'media/session/s3', ms: 900, inStore: true },
        { objectKey: 'media/session/s2', ms: 200, inStore: true },
        { objectKey: 'media/session/s1', ms: 100, inStore: true },
      ],
    });
    assert.deepEqual([durations.session.length.count, durations.session.length.p50, durations.session.length.max], [3, 2000, 3000]);
    assert.deepEqual([durations.room.lifetime.count, durations.room.lifetime.max], [1, 10_000]);
    assert.deepEqual(durations.call.toAnswer, { count: 0, buckets: [], outliers: [] });
    assert.deepEqual(durations.call.length, { count: 0, buckets: [], outliers: [] });
  });

  test('the text form prints one line per span: count, p50 / p90 / p99 / max and a bar per doubling', T, async () => {
    const io = captureIo();
    assert.equal(await runStats([knownTrace()], io), 0, io.err);
    const start = io.out.indexOf('durations (');
    const lines = io.out.slice(start).split('\n').slice(0, 6);
    assert.deepEqual(lines, [
      'durations (nearest-rank percentiles; bar: spans per doubling of time, shortest to longest):',
      '  session setup        3  p50 200 ms    p90 900 ms    p99 900 ms    max 900 ms    64 ms ██·█ 1.0 s',
      '  session length       3  p50 2.0 s     p90 3.0 s     p99 3.0 s     max 3.0 s     512 ms ███ 4.1 s',
      '  call to answer  none',
      '  call length     none',
      '  room lifetime        1  p50 10.0 s    p90 10.0 s    p99 10.0 s    max 10.0 s    8.2 s █ 16.4 s',
    ]);
  });

  test('a span no event of the trace could measure says where it is measured', T, async () => {
    // Aug 2016 sessions send nothing when they start: their setup time cannot be known.
    const file = writeLines(tempDir(), 'aug.nkmtrace', [
      JSON.stringify(makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin' }, dialect: '2016-08' })),
      eventLine(1, T0, { class: 'media', subclass: 'session', type: 'answer', obj_id: 's', body: { answer: { sdp: 'v=0' } } }),
      eventLine(2, T0 + 1500, { class: 'media', subclass: 'session', type: 'stop', obj_id: 's', body: { code: 1013, reason: 'User stop' } }),
    ]);
    const io = captureIo();
    assert.equal(await runStats([file], io), 0, io.err);
    assert.match(io.out, /\n {2}session setup {3}none \(measured only in eras with a session `created` event: Oct 2016 head, develop\)\n/);
    assert.match(io.out, /\n {2}session length +1 {2}p50 1\.5 s /);
  });

  test('the bar: one column per doubling (merged past 24), heights in eighths of the fullest, · for none', T, () => {
    const bucket = (fromMs: number, toMs: number, count: number) => ({ fromMs, toMs, count });
    assert.equal(durationBar({ buckets: [] }), '');
    assert.equal(durationBar({ buckets: [bucket(0, 1, 8), bucket(1, 2, 4), bucket(3, 4, 1)] }), '0 ms █▄▁ 4 ms');
    assert.equal(durationBar({ buckets: [bucket(100, 104, 16), bucket(400, 416, 2)] }), '64 ms █·▁ 512 ms');
    assert.equal(durationBar({ buckets: [bucket(100, 104, 16), bucket(600, 608, 2)] }), '64 ms █··▁ 1.0 s');
    // 1 ms to ~2^30 ms: 31 doublings, drawn two per column (16 columns, up to 2^32 ms).
    assert.equal(durationBar({ buckets: [bucket(1, 2, 1), bucket(2 ** 30, 2 ** 30 + 2 ** 26, 1)] }), `1 ms █${'·'.repeat(14)}█ 1193 h 03 min`);
  });
});
