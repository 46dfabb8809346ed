// `nkmedia-inspect stats`: what it prints, and its exit codes.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runStats } from '../../../src/cli/statsCommand';
import type { TraceStats } from '../../../src/trace/stats';
import { HEADER_LINE, captureIo, eventLine, removeTempDirs, tempDir, writeLines, writeStoryTrace } from './traceFixtures';

after(removeTempDirs);

describe('nkmedia-inspect stats', () => {
  test('prints counts per subclass and type, objects, anomalies, time span; exit 0', async () => {
    const file = path.join(tempDir(), 'story.nkmtrace');
    await writeStoryTrace(file, Date.UTC(2026, 10, 28, 3, 0, 0));
    const io = captureIo();
    assert.equal(await runStats([file], io), 0, io.err);
    const out = io.out;
    assert.match(out, /^story\.nkmtrace: NkMEDIA trace version 1/);
    assert.match(out, /events: 13 \(markers: 1 connect\)/);
    assert.match(out, /time span: 2026-11-28T03:00:00\.000Z → 2026-11-28T03:00:00\.120Z \(0\.12 s\)/);
    assert.match(out, /\n {2}media\/room {2}6\n/);
    assert.match(out, /\n {4}answer +3\n/);
    assert.match(out, /objects: 5 \(sessions 3, rooms 1, calls 1, other 0\)/);
    assert.match(out, /session: 2 stopped, 1 answered/);
    assert.match(out, /ended: 2 normal, 1 declined, 1 fault\n/, 'ends counted by how they ended');
    assert.match(out, /server: NkMEDIA Aug 2016 \(detected from the events\)/, 'a trace naming no era: detected from stop and started');
    assert.match(out, /media\/call\/call-1 {2}declined, 2 events code 2025 Originator cancel/);
    assert.match(out, /anomalies: \d+ \(.*1 no-terminal-event.*\)/);
    assert.match(out, /media\/session\/open-1: no terminal event \(the session never ended\) before the data ended/);
    assert.match(out, /invalid lines: 0\n$/);
    assert.equal(io.err, '');
  });

  test('a trace with bad lines exits 0 and lists each with its line number and reason', async () => {
    const file = writeLines(tempDir(), 'bad.jsonl', [HEADER_LINE, eventLine(1, 1, { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c' }), 'garbage', '{"seq":3}']);
    const io = captureIo();
    assert.equal(await runStats([file], io), 0);
    assert.match(io.out, /invalid lines: 2\n {2}line 3: not JSON \([^)]*\)\n {2}line 4: neither an event line/);
  });

  test('--json gives one JSON object with the same facts', async () => {
    const file = path.join(tempDir(), 'story.nkmtrace');
    await writeStoryTrace(file, 1000);
    const io = captureIo();
    assert.equal(await runStats([file, '--json'], io), 0);
    const stats = JSON.parse(io.out) as TraceStats;
    assert.equal(stats.events, 13);
    assert.deepEqual(stats.timeSpan, { first: 1000, last: 1120, seconds: 0.12 });
    assert.deepEqual(stats.objectCounts, { session: 3, room: 1, call: 1, other: 0, total: 5 });
    assert.deepEqual(
      stats.types.filter((t) => t.subclass === 'call').map((t) => [t.type, t.count]),
      [['hangup', 1], ['ringing', 1]],
    );
    assert.ok(stats.anomalies.some((a) => a.objectKey === 'media/session/open-1' && a.kind === 'no-terminal-event'));
    assert.deepEqual(stats.invalidLines, []);
    assert.equal(stats.objects.length, 5);
    assert.deepEqual(stats.endCounts, { normal: 2, declined: 1, fault: 1 });
    assert.deepEqual(stats.dialect, { id: '2016-08', label: 'NkMEDIA Aug 2016', how: 'detected' });
    assert.equal(stats.objects.find((o) => o.key === 'media/call/call-1')?.endVerdict, 'declined');
  });

  test('missing file, not a trace, unsupported version: exit 1 with one clear line', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ editor: { tabSize: 2 } }) + '\n');
    fs.writeFileSync(path.join(dir, 'v9.nkmtrace'), '{"format":"nkmedia-trace","version":9,"created":"x"}\n');
    for (const [name, message] of [
      ['gone.nkmtrace', /^nkmedia-inspect stats: no such file: .*gone\.nkmtrace\n$/],
      ['config.json', /^nkmedia-inspect stats: config\.json is not an NkMEDIA trace: its first line is not a \{"format":"nkmedia-trace",…\} header\n$/],
      ['v9.nkmtrace', /^nkmedia-inspect stats: v9\.nkmtrace is an NkMEDIA trace of version 9, which this inspector cannot read \(it reads version 1\)\n$/],
    ] as const) {
      const io = captureIo();
      assert.equal(await runStats([path.join(dir, name)], io), 1, name);
      assert.match(io.err, message);
      assert.equal(io.out, '');
    }
  });

  test('bad arguments exit 2; --help exits 0', async () => {
    for (const argv of [[], ['a', 'b'], ['a', '--yaml']]) {
      const io = captureIo();
      assert.equal(await runStats(argv, io), 2, argv.join(' '));
      assert.match(io.err, /^nkmedia-inspect stats: .* \(see nkmedia-inspect stats --help\)\n$/);
    }
    const io = captureIo();
    assert.equal(await runStats(['--help'], io), 0);
    assert.match(io.out, /^usage: nkmedia-inspect stats FILE \[--watch EXPR\]\.\.\. \[--json\]/);
  });
});
