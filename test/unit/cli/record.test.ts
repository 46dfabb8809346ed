// The headless recorder against the real simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NkMediaSimulator } from '../../../src/simulator';
import { runRecord } from '../../../src/cli/recordCommand';
import { traceEventLineSchema, traceHeaderSchema, traceMarkerLineSchema } from '../../../src/trace/traceFileFormat';
import { until } from './cliProcess';

const SECRET = 's3cret-Pa55word';
let simulator: NkMediaSimulator;
let url: string;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-record-'));
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

test('records events into a valid trace with header, connect marker and events in order', async () => {
  const file = path.join(dir, 'capture.nkmtrace');
  const { out, err, io } = capture();
  const code = await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file, '--max-events', '150'], io);
  assert.equal(code, 0, err.join(''));
  assert.match(out.join(''), /^recorded 150 events in [\d.]+ s to .*capture\.nkmtrace: 150 events recorded\n$/);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const header = traceHeaderSchema.parse(lines[0]);
  assert.equal(header.source?.url, url);
  assert.equal(header.source?.user, 'admin');
  assert.deepEqual(header.subscriptions, [{ class: 'media' }, { class: 'collab' }]);
  assert.ok(header.dialect, 'the header names the era detected at login');
  assert.equal(traceMarkerLineSchema.parse(lines[1]).marker, 'connect');
  const events = lines.filter((l) => 'event' in l).map((l) => traceEventLineSchema.parse(l));
  assert.equal(events.length, 150);
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 150 }, (_, i) => i + 1));
  for (let i = 1; i < events.length; i++) assert.ok(events[i].ts >= events[i - 1].ts);
  assert.ok(events.every((e) => e.conn === undefined), 'one connection: conn is left out');
  assert.ok(events.some((e) => e.event.subclass === 'session'));
});

test('the password is nowhere: not in the file, not in the output', async () => {
  const file = path.join(dir, 'secret.nkmtrace');
  const { out, err, io } = capture();
  assert.equal(await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file, '--max-events', '20'], io), 0);
  assert.ok(!fs.readFileSync(file, 'utf8').includes(SECRET));
  assert.ok(!out.join('').includes(SECRET) && !err.join('').includes(SECRET));
});

test('subscriptions from --subscribe narrow what is recorded', async () => {
  const file = path.join(dir, 'rooms.nkmtrace');
  const { io } = capture();
  assert.equal(await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file, '--subscribe', 'media/room', '--max-events', '15'], io), 0);
  const events = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => JSON.parse(l)).filter((l) => 'event' in l);
  assert.equal(events.length, 15);
  assert.ok(events.every((l) => l.event.subclass === 'room'));
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]).subscriptions, [{ class: 'media', subclass: 'room' }]);
});

test('a refused login exits non-zero with one line, and leaves no file behind', async () => {
  const file = path.join(dir, 'refused.nkmtrace');
  const { err, io } = capture();
  io.env = { REC_PW: 'wrong' };
  const code = await runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file], io);
  assert.notEqual(code, 0);
  assert.match(err.join(''), /nkmedia-inspect record: login refused by server: .+\n$/);
  assert.ok(!fs.existsSync(file));
});

test('an unreachable server exits non-zero with the reason', async () => {
  const { err, io } = capture();
  const code = await runRecord(['--url', 'ws://127.0.0.1:1', '--password-env', 'REC_PW', '--out', path.join(dir, 'x.nkmtrace')], io);
  assert.notEqual(code, 0);
  assert.match(err.join(''), /ECONNREFUSED/);
});

test('bad arguments are refused before connecting', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--out', 'x'], /--url is required/],
    [['--url', url], /--out is required/],
    [['--url', 'ws://admin:pw@127.0.0.1:9', '--out', 'x'], /must not contain credentials/],
    [['--url', url, '--out', 'x', '--password-env', 'NOPE_NOT_SET'], /NOPE_NOT_SET is not set/],
    [['--url', url, '--out', 'x', '--password-env', 'REC_PW', '--duration', 'soon'], /--duration must be/],
    [['--url', url, '--out', 'x', '--password', 'inline'], /Unknown option '--password'/],
  ];
  for (const [argv, message] of cases) {
    const { err, io } = capture();
    assert.equal(await runRecord(argv, io), 2, argv.join(' '));
    assert.match(err.join(''), message);
  }
});

test('stopping (as on SIGINT) flushes what was recorded and exits 0', async () => {
  const file = path.join(dir, 'stopped.nkmtrace');
  const { out, io } = capture();
  const controller = new AbortController();
  const recording = runRecord(['--url', url, '--password-env', 'REC_PW', '--out', file], { ...io, signal: controller.signal });
  // The writer flushes 256 KB at a time: a line on disk means events were recorded.
  await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('\n'), 'the first lines of the trace on disk', 15_000);
  // And some more after that flush, still in the writer's buffer when the stop comes.
  const published = simulator.eventsPublished;
  await until(() => simulator.eventsPublished >= published + 40, '40 more events from the simulator', 5_000);
  controller.abort();
  assert.equal(await recording, 0);
  const recorded = Number(/recorded (\d+) events/.exec(out.join(''))?.[1]);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('{"seq"')).length, recorded);
  assert.ok(recorded > 0);
  assert.equal(JSON.parse(lines[lines.length - 1]).marker, 'disconnect');
});
