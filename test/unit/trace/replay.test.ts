// record → replay → record: a client of the replay server receives the recorded events,
// all of them, in the same order, filtered by its own subscriptions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { NkMediaSimulator } from '../../../src/simulator';
import { TraceReplayer } from '../../../src/trace/replay';
import { TraceFileError } from '../../../src/trace/errors';
import { runReplay } from '../../../src/cli/replayCommand';
import { captureIo, record, removeTempDirs, tempDir, writeLines, writeRecording, type Recording } from './traceFixtures';

const EVENTS = 800;
let original: Recording;
let traceFile: string;

before(async () => {
  const simulator = new NkMediaSimulator({ port: 0, seed: 21, rate: 3000, pingSeconds: 0 });
  const { url } = await simulator.start();
  try {
    original = await record(url, (n) => n >= EVENTS);
  } finally {
    await simulator.stop();
  }
  original.events.splice(EVENTS);
  traceFile = path.join(tempDir(), 'recorded.nkmtrace');
  await writeRecording(traceFile, original);
});

after(removeTempDirs);

async function replayTo(options: Partial<ConstructorParameters<typeof TraceReplayer>[0]>, subscriptions?: Array<{ class: string; subclass?: string }>, expected = EVENTS): Promise<{ recording: Recording; summary: Awaited<ReturnType<TraceReplayer['run']>> }> {
  const replayer = new TraceReplayer({ filePath: traceFile, server: { port: 0, pingSeconds: 0 }, ...options });
  try {
    const { url } = await replayer.start();
    const running = replayer.run();
    const recording = await record(url, (n) => n >= expected, { subscriptions });
    const summary = await running;
    return { recording, summary };
  } finally {
    await replayer.stop();
  }
}

describe('TraceReplayer', () => {
  test('--max: every event, in the recorded order, exactly as recorded', async () => {
    const { recording, summary } = await replayTo({ max: true });
    assert.deepEqual(recording.events.map((e) => e.data), original.events.map((e) => e.data));
    assert.equal(summary.events, EVENTS);
    assert.equal(summary.deliveries, EVENTS);
  });

  test('a tiny answer window paces the replay on the client: still nothing lost or reordered', async () => {
    const { recording } = await replayTo({ max: true, window: 2 });
    assert.deepEqual(recording.events.map((e) => e.data), original.events.map((e) => e.data));
  });

  test('scaled timing (speed) keeps every event and the order', async () => {
    const { recording } = await replayTo({ speed: 50 });
    assert.deepEqual(recording.events.map((e) => e.data), original.events.map((e) => e.data));
    const recordedSpan = original.events.at(-1)!.ts - original.events[0].ts;
    assert.ok(recordedSpan > 0, 'the recording has timing to scale');
  });

  test('events go to clients by their subscriptions, as the simulator sends them', async () => {
    const rooms = original.events.filter((e) => e.data.subclass === 'room').map((e) => e.data);
    assert.ok(rooms.length > 10, 'the recording has room events');
    const { recording, summary } = await replayTo({ max: true }, [{ class: 'media', subclass: 'room' }], rooms.length);
    assert.deepEqual(recording.events.map((e) => e.data), rooms);
    assert.equal(summary.events, EVENTS, 'every event was published');
    assert.equal(summary.deliveries, rooms.length, 'only the room events were delivered');
  });

  test('a file that is not a trace fails at start, before listening', async () => {
    const file = writeLines(tempDir(), 'notes.jsonl', ['{"hello":"world"}']);
    const replayer = new TraceReplayer({ filePath: file, server: { port: 0 } });
    await assert.rejects(replayer.start(), (e: Error) => e instanceof TraceFileError && /not an NkMEDIA trace/.test(e.message));
    assert.equal(replayer.server.clientCount, 0);
    await replayer.stop();
  });
});

describe('nkmedia-inspect replay', () => {
  test('bad arguments exit 2 with a one-line reason', async () => {
    for (const [argv, reason] of [
      [[], /no trace file given/],
      [['a.nkmtrace', '--speed', '2', '--max'], /--speed and --max exclude each other/],
      [['a.nkmtrace', '--speed', '0'], /--speed must be greater than 0/],
      [['a.nkmtrace', '--port', 'x'], /--port must be a number/],
      [['a.nkmtrace', '--bogus'], /Unknown option '--bogus'/],
    ] as const) {
      const io = captureIo();
      assert.equal(await runReplay([...argv], io), 2, argv.join(' '));
      assert.match(io.err, reason);
      assert.equal(io.err.trimEnd().split('\n').length, 1, 'one line');
    }
  });

  test('a missing file exits 1 with a clear error', async () => {
    const io = captureIo();
    assert.equal(await runReplay([path.join(tempDir(), 'gone.nkmtrace'), '--port', '0'], io), 1);
    assert.match(io.err, /^nkmedia-inspect replay: no such file: .*gone\.nkmtrace\n$/);
  });

  test('serves the file to a client and exits 0 when the replay is done', async () => {
    const controller = new AbortController();
    const io = captureIo(controller.signal);
    const exit = runReplay([traceFile, '--port', '0', '--max', '--ping', '0'], io);
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /on (ws:\/\/\S+)/.exec(io.out)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(url, `the URL is printed: ${io.out}${io.err}`);
    const recording = await record(url, (n) => n >= EVENTS);
    assert.equal(await exit, 0, io.err);
    assert.equal(recording.events.length, EVENTS);
    assert.match(io.out, new RegExp(`replay finished: ${EVENTS} events`));
  });
});
