// `record --watch EXPR [--stop-on-watch]` (#14): the recorder says where the user's watches hit,
// on stderr, in the trace (annotation lines that name an event of the file) and in its summary,
// and can stop at the first hit. Against the real simulator, as a user would run it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { NkMediaSimulator } from '../../../src/simulator';
import { runRecord } from '../../../src/cli/recordCommand';
import { MARKED_HITS_PER_WATCH, PRINTED_HITS_PER_WATCH, RecordWatches } from '../../../src/cli/recordWatches';
import { loadTrace } from '../../../src/trace/loadTrace';
import type { TraceAnnotationLine } from '../../../src/trace/traceFileFormat';

const SECRET = 'w4tch-Pa55word';
let simulator: NkMediaSimulator;
let url: string;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-record-watch-'));
  // At 400 events/s the Aug 2016 demo traffic has a call hangup every ~15 events from the start
  // (calls ring and end within seconds), and sessions that stop with a non-1013 code.
  simulator = new NkMediaSimulator({ port: 0, seed: 7, rate: 400, pingSeconds: 1, password: SECRET });
  ({ url } = await simulator.start());
});

after(async () => {
  await simulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), env: { REC_PW: SECRET } as NodeJS.ProcessEnv } };
}

/** Every line of a trace file, parsed. */
function traceLines(file: string): Array<Record<string, any>> {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

test('--watch prints the first hits, marks each hit in the trace after its event, and counts them in the summary', { timeout: 30_000 }, async () => {
  const file = path.join(dir, 'watched.nkmtrace');
  const { out, err, io } = capture();
  const code = await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file, '--max-events', '1200', '--duration', '20', '--watch', 'type:hangup', '--watch', 'duration>1h'], io);
  assert.equal(code, 0, err.join(''));

  const lines = traceLines(file);
  const events = new Map(lines.filter((l) => 'event' in l).map((l) => [l.seq as number, l]));
  const marks = lines.filter((l) => l.line === 'watch');
  const hangups = [...events.values()].filter((l) => l.event.type === 'hangup');
  assert.ok(hangups.length > PRINTED_HITS_PER_WATCH, `the demo traffic had ${hangups.length} hangups in 1200 events`);
  assert.deepEqual(marks.map((m) => m.seq), hangups.map((h) => h.seq), 'one mark per hangup, none for the watch that never holds');
  for (const mark of marks) {
    const event = events.get(mark.seq)!;
    assert.deepEqual(mark, { line: 'watch', ts: event.ts, watch: 'type:hangup', object: `media/call/${event.event.obj_id}`, seq: event.seq, type: 'hangup' });
    assert.equal(lines.indexOf(mark) - 1, lines.indexOf(event), 'the mark follows its event');
  }

  const hitLines = err.join('').split('\n').filter((l) => l.startsWith('watch '));
  assert.equal(hitLines.length, PRINTED_HITS_PER_WATCH + 1);
  assert.match(hitLines[0], /^watch "type:hangup" hit: hangup on media\/call\/[\w-]+ at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(#\d+\)$/);
  assert.ok(hitLines[0].includes(`on ${marks[0].object} at ${new Date(marks[0].ts).toISOString()} (#${marks[0].seq})`));
  assert.match(hitLines[PRINTED_HITS_PER_WATCH], /^watch "type:hangup": more than 20 hits; further hits are counted only/);

  assert.match(out.join(''), new RegExp(`: 1200 events recorded\\n  watch "type:hangup": ${hangups.length} hits\\n  watch "duration>1h": 0 hits\\n$`));

  // What a reader gets: every event, and the marks aside as annotations (older readers skip them).
  const loaded = await loadTrace(file, { maxEvents: 10_000 });
  try {
    assert.equal(loaded.invalidLines.length, 0);
    assert.equal(loaded.events, 1200);
    // Health samples are annotations too (recordHealth.ts): the watch marks are the rest.
    assert.deepEqual(loaded.annotations.filter((a) => a.line !== 'health').map((a) => [a.line, a.seq]), marks.map((m) => ['watch', m.seq]));
  } finally {
    loaded.store.dispose();
  }
});

test('--stop-on-watch ends the recording with the first hit, in a complete trace; --quiet prints no hit', { timeout: 30_000 }, async () => {
  const file = path.join(dir, 'stopped.nkmtrace');
  const { out, err, io } = capture();
  const code = await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file, '--duration', '20', '--watch', 'type:stop body.code!=1013', '--watch', 'type:hangup', '--stop-on-watch', '--quiet'], io);
  assert.equal(code, 0, err.join(''));
  assert.equal(err.join(''), '', '--quiet: only errors on stderr');

  const lines = traceLines(file);
  const last = lines[lines.length - 1];
  const eventLines = lines.filter((l) => 'event' in l);
  const hit = eventLines[eventLines.length - 1];
  const marks = lines.filter((l) => l.line === 'watch');
  assert.equal(marks.length, 1, 'one hit, and nothing recorded after it');
  const expression = marks[0].watch as string;
  assert.equal(marks[0].seq, hit.seq, 'the hit is the last event');
  assert.deepEqual(eventLines.map((l) => l.seq), Array.from({ length: eventLines.length }, (_, i) => i + 1));
  assert.deepEqual(last, { marker: 'disconnect', ts: last.ts, reason: `watch "${expression}" hit` }, 'the file ends as a recording ends');
  assert.match(out.join(''), new RegExp(`^recorded ${eventLines.length} events in [\\d.]+ s to .*stopped\\.nkmtrace: watch "${expression.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" hit\\n`));

  const loaded = await loadTrace(file, { maxEvents: 10_000 });
  try {
    assert.equal(loaded.invalidLines.length, 0);
    assert.equal(loaded.events, eventLines.length);
    assert.equal(loaded.annotations.filter((a) => a.line === 'watch').length, 1);
  } finally {
    loaded.store.dispose();
  }
});

test('a bad --watch exits 2 naming the expression and the column, before connecting to anything', { timeout: 10_000 }, async () => {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const file = path.join(dir, 'never.nkmtrace');
    const cases: Array<[string[], string]> = [
      [['--watch', 'type:hangup', '--watch', 'body.code<abc'], 'nkmedia-inspect record: --watch "body.code<abc": "<" compares numbers, and "abc" is not one (at column 11) (see nkmedia-inspect record --help)\n'],
      [['--stop-on-watch'], 'nkmedia-inspect record: --stop-on-watch needs at least one --watch EXPR\n'],
    ];
    for (const [extra, message] of cases) {
      const { err, io } = capture();
      assert.equal(await runRecord(['--url', `ws://127.0.0.1:${port}`, '--password-env', 'REC_PW', '--out', file, ...extra], io), 2);
      assert.equal(err.join(''), message);
    }
    assert.equal(connections, 0, 'refused before any connection was opened');
    assert.ok(!fs.existsSync(file), 'and before any file was made');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test(`a busy watch marks its first ${MARKED_HITS_PER_WATCH} hits and counts the rest, and every mark names the trace's seq`, { timeout: 20_000 }, () => {
  const said: string[] = [];
  const marks: TraceAnnotationLine[] = [];
  const hits: string[] = [];
  const watches = new RecordWatches(['type:hangup', 'type:hangup body.code=486'], { dialect: 'auto', say: (l) => said.push(l), annotate: (l) => marks.push(l), onHit: (e) => hits.push(e) });
  try {
    const total = MARKED_HITS_PER_WATCH + 5;
    for (let i = 1; i <= total; i++) {
      const data = { class: 'media', subclass: 'call', type: 'hangup', obj_id: `c${i}`, body: { code: i === total ? 486 : 1013 } };
      watches.observe(i + 2, { ts: 1_000 + i, data, raw: JSON.stringify({ class: 'core', cmd: 'event', data }) });
    }
    assert.equal(marks.filter((m) => m.watch === 'type:hangup').length, MARKED_HITS_PER_WATCH);
    assert.deepEqual(marks.filter((m) => m.watch !== 'type:hangup'), [{ line: 'watch', ts: 1_000 + total, watch: 'type:hangup body.code=486', object: `media/call/c${total}`, seq: total + 2, type: 'hangup' }], 'seq is the trace\'s, not the store\'s');
    assert.equal(said.length, PRINTED_HITS_PER_WATCH + 1 + 1, '20 hits and the "counted only" line of the busy watch, the other\'s one hit');
    assert.equal(hits.length, total + 1);
    assert.deepEqual(watches.summaryLines(), [`watch "type:hangup": ${total} hits (the first ${MARKED_HITS_PER_WATCH} marked in the trace)`, 'watch "type:hangup body.code=486": 1 hit']);
  } finally {
    watches.dispose();
  }
});
