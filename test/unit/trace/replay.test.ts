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
import type { DialectId } from '../../../src/protocol/dialects';
import type { EventData } from '../../../src/protocol/frames';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { TraceWriter } from '../../../src/trace/writer';
import { TestClient, isEventFrame, type Frame } from '../simulator/testClient';

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

describe('TraceReplayer: the dialect the trace was recorded in', { timeout: 30_000 }, () => {
  const story: EventData[] = [
    { class: 'media', subclass: 'session', type: 'created', obj_id: 'aaaaaaaa-0000-0000-0000-000000000001', body: { type: 'echo' } },
    { class: 'media', subclass: 'session', type: 'inspector:snapshot', obj_id: 'bbbbbbbb-0000-0000-0000-000000000002', body: { type: 'park' } },
    { class: 'media', subclass: 'session', type: 'destroyed', obj_id: 'aaaaaaaa-0000-0000-0000-000000000001', body: { code: 100011, reason: 'User stop' } },
  ];

  async function traceOf(dialect: string | undefined): Promise<string> {
    const file = path.join(tempDir(), `story-${dialect ?? 'none'}.nkmtrace`);
    const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:1', user: 'admin' }, ...(dialect ? { dialect } : {}) }));
    story.forEach((event, i) => writer.writeEvent(i + 1, 1_700_000_000_000 + i, event));
    await writer.close();
    return file;
  }

  /** Replays to a raw client (the frames as sent) and returns them with the summary. */
  async function replayRaw(file: string, dialect?: DialectId): Promise<{ frames: Frame[]; served: DialectId; summary: Awaited<ReturnType<TraceReplayer['run']>> }> {
    const replayer = new TraceReplayer({ filePath: file, max: true, dialect, server: { port: 0, pingSeconds: 0 } });
    const client = { current: undefined as TestClient | undefined };
    try {
      const { url } = await replayer.start();
      const running = replayer.run();
      client.current = await TestClient.connect(url);
      await client.current.login();
      await client.current.subscribe({ class: 'media' });
      await client.current.waitForEvents(2);
      const summary = await running;
      return { frames: client.current.frames, served: replayer.dialect, summary };
    } finally {
      await client.current?.close();
      await replayer.stop();
    }
  }

  test('a develop trace is served as develop: no login ack, event messages without tid; inspector records are not sent', async () => {
    const { frames, served, summary } = await replayRaw(await traceOf('2017'));
    assert.equal(served, '2017');
    assert.ok(!frames.some((f) => f.ack !== undefined), 'no ack');
    const events = frames.filter(isEventFrame);
    assert.deepEqual(events, [story[0], story[2]].map((data) => ({ class: 'event', data })));
    assert.equal(summary.events, 2);
    assert.equal(summary.inspectorRecords, 1);
  });

  test('a trace without a dialect is served as 2016-08, and --dialect overrides the header', async () => {
    const plain = await replayRaw(await traceOf(undefined));
    assert.equal(plain.served, '2016-08');
    assert.ok(plain.frames.some((f) => f.ack !== undefined), '2016 acks the login');
    assert.ok(plain.frames.filter(isEventFrame).every((f) => f.class === 'core' && f.cmd === 'event' && typeof f.tid === 'number'));
    const forced = await replayRaw(await traceOf('2017'), '2016-10');
    assert.equal(forced.served, '2016-10');
    assert.ok(forced.frames.filter(isEventFrame).every((f) => f.cmd === 'event'));
    const unknown = await replayRaw(await traceOf('1999-01'));
    assert.equal(unknown.served, '2016-08', 'an unknown dialect name falls back to 2016-08');
  });

  test('a recording of a develop simulator replays in develop to the inspector\'s client, every event in order', async () => {
    const simulator = new NkMediaSimulator({ port: 0, seed: 4, rate: 3000, pingSeconds: 0, dialect: '2017' });
    const { url } = await simulator.start();
    let recorded: Recording;
    try {
      recorded = await record(url, (n) => n >= 300);
    } finally {
      await simulator.stop();
    }
    recorded.events.splice(300);
    const file = path.join(tempDir(), 'develop.nkmtrace');
    const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:1', user: 'admin' }, dialect: '2017' }));
    recorded.events.forEach((e, i) => writer.writeEvent(i + 1, e.ts, e.data));
    await writer.close();
    const replayer = new TraceReplayer({ filePath: file, max: true, server: { port: 0, pingSeconds: 0 } });
    try {
      const { url: replayUrl } = await replayer.start();
      const running = replayer.run();
      const again = await record(replayUrl, (n) => n >= 300);
      const summary = await running;
      assert.equal(summary.events, 300);
      assert.deepEqual(again.events.map((e) => e.data), recorded.events.map((e) => e.data));
    } finally {
      await replayer.stop();
    }
  });

  test('nkmedia-inspect replay --dialect must name an era', async () => {
    const io = captureIo();
    assert.equal(await runReplay(['a.nkmtrace', '--dialect', 'bogus'], io), 2);
    assert.match(io.err, /--dialect must be one of 2016-07, 2016-08/);
  });
});
