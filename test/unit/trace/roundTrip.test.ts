// Save → open gives back the same store: live traffic from the simulator saved and opened
// again, in plain and gzip form; and saving a selection, atomically, without credentials.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { EventStore } from '../../../src/core';
import { LiveSource } from '../../../src/inspector/liveSource';
import { nullLogger } from '../../../src/shared/logger';
import { NkMediaSimulator } from '../../../src/simulator';
import { CancelledError } from '../../../src/trace/errors';
import { loadTrace } from '../../../src/trace/loadTrace';
import { saveTrace } from '../../../src/trace/saveTrace';
import { eventSnapshot, objectSnapshot, removeTempDirs, tempDir, writeStoryTrace } from './traceFixtures';

after(removeTempDirs);

async function until(condition: () => boolean, what: string, timeoutMs = 15_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Live traffic from the simulator into a LiveSource, then disconnected (the data ends). */
async function liveCapture(events: number): Promise<LiveSource> {
  const simulator = new NkMediaSimulator({ port: 0, seed: 11, rate: 4000, pingSeconds: 0 });
  const { url } = await simulator.start();
  const source = new LiveSource({ id: 'demo', name: 'demo', logger: nullLogger, client: { url, user: 'admin', password: 'admin', reconnect: false, liveness: false } });
  try {
    await source.connect();
    await until(() => source.store.size >= events, `${events} events`);
    // The capture ends once the traffic has stopped: events still in flight when a client
    // disconnects can arrive after its end-of-data mark (see the report), which a file cannot show.
    simulator.setRate(0);
    let size = -1;
    await until(() => {
      const settled = source.store.size === size;
      size = source.store.size;
      return settled;
    }, 'the traffic to stop', 15_000, 150);
    await source.disconnect();
    await until(() => source.status.kind === 'disconnected', 'disconnected');
  } finally {
    await simulator.stop();
  }
  source.store.flush();
  return source;
}

function assertSameStore(actual: EventStore, expected: EventStore): void {
  assert.equal(actual.size, expected.size, 'as many events');
  assert.deepEqual(eventSnapshot(actual), eventSnapshot(expected), 'every event: seq, ts, conn, data, object');
  assert.deepEqual(actual.objects().map(objectSnapshot), expected.objects().map(objectSnapshot), 'every object and its derived state');
  assert.deepEqual(actual.markers(), expected.markers(), 'the markers');
  assert.deepEqual(actual.anomalies(), expected.anomalies(), 'the anomalies');
  assert.deepEqual(actual.eventTypes(), expected.eventTypes(), 'the event types');
}

describe('save → open round trips', () => {
  test('live → save → open gives an identical store, plain and gzip', async () => {
    const source = await liveCapture(1500);
    try {
      const live = source.store;
      assert.ok(live.counts().room > 0 && live.anomalies().length > 0, 'a capture with rooms and anomalies');
      const dir = tempDir();
      for (const name of ['live.nkmtrace', 'live.nkmtrace.gz']) {
        const file = path.join(dir, name);
        const saved = await saveTrace(live, file, { header: { source: { url: source.url, user: 'admin', name: source.name }, subscriptions: [{ class: 'media' }] } });
        assert.equal(saved.events, live.size);
        if (name.endsWith('.gz')) assert.doesNotThrow(() => zlib.gunzipSync(fs.readFileSync(file)), 'a real gzip file');
        const loaded = await loadTrace(file);
        try {
          assert.equal(loaded.invalidLineCount, 0);
          assert.equal(loaded.header.source?.name, 'demo');
          assertSameStore(loaded.store, live);
        } finally {
          loaded.store.dispose();
        }
      }
    } finally {
      await source.dispose();
    }
  });

  test('open → save → open keeps the file content: same events, and the event text copied unchanged', async () => {
    const dir = tempDir();
    const original = path.join(dir, 'story.nkmtrace');
    await writeStoryTrace(original);
    const first = await loadTrace(original);
    const copy = path.join(dir, 'copy.nkmtrace');
    await saveTrace(first.store, copy, { header: first.header });
    const second = await loadTrace(copy);
    try {
      assertSameStore(second.store, first.store);
      const originalLines = fs.readFileSync(original, 'utf8').trimEnd().split('\n').slice(1);
      const copiedLines = fs.readFileSync(copy, 'utf8').trimEnd().split('\n').slice(1);
      assert.deepEqual(copiedLines, originalLines, 'line for line, markers included');
    } finally {
      first.store.dispose();
      second.store.dispose();
    }
  });

  test('several connections keep their names on every line', async () => {
    const store = new EventStore();
    const event = (id: string) => ({ class: 'media', subclass: 'call', type: 'ringing', obj_id: id });
    store.append({ conn: 'east', ts: 1, data: event('a'), raw: JSON.stringify(event('a')) });
    store.append({ conn: 'west', ts: 2, data: event('b'), raw: JSON.stringify(event('b')) });
    store.addMarker({ kind: 'disconnect', ts: 3, conn: 'west', reason: 'socket closed (1006)' });
    const file = path.join(tempDir(), 'two.nkmtrace');
    await saveTrace(store, file);
    const loaded = await loadTrace(file);
    assert.deepEqual(eventSnapshot(loaded.store), eventSnapshot(store));
    assert.deepEqual(loaded.store.markers(), store.markers());
    loaded.store.dispose();
    store.dispose();
  });

  test('non-ASCII text survives save and open, whichever text it was stored in', async () => {
    const store = new EventStore();
    const event = (id: string) => ({ class: 'media', subclass: 'session', type: 'stop', obj_id: id, body: { code: 0, reason: 'Fin de l’appel — 通話終了 ✓ 😀', user: 'jürgen@nkmedia' } });
    // A live frame, a trace line and a bare event: the three shapes the store keeps.
    const frame = JSON.stringify({ class: 'core', cmd: 'event', data: event('é1'), tid: 7 });
    const line = JSON.stringify({ seq: 9, ts: 2, conn: 'ñ', event: event('é2') });
    store.append({ conn: 'ñ', ts: 1, data: event('é1'), raw: frame, rawField: 'data' });
    store.append({ conn: 'ñ', ts: 2, data: event('é2'), raw: line, rawField: 'event' });
    store.append({ conn: 'ñ', ts: 3, data: event('é3'), raw: JSON.stringify(event('é3')) });
    const file = path.join(tempDir(), 'unicode.nkmtrace');
    await saveTrace(store, file);
    const loaded = await loadTrace(file);
    assert.deepEqual(loaded.invalidLines, []);
    assert.deepEqual(eventSnapshot(loaded.store), eventSnapshot(store));
    loaded.store.dispose();
    store.dispose();
  });

  test('saving selected objects writes only their events, in order', async () => {
    const dir = tempDir();
    const original = path.join(dir, 'story.nkmtrace');
    await writeStoryTrace(original);
    const loaded = await loadTrace(original);
    const keys = ['media/room/room-1', 'media/call/call-1'];
    const part = path.join(dir, 'part.nkmtrace');
    const saved = await saveTrace(loaded.store, part, { objectKeys: keys });
    const reopened = await loadTrace(part);
    const expected = eventSnapshot(loaded.store).filter((e) => keys.includes((e as { objectKey: string }).objectKey)).map((e) => (e as { data: unknown }).data);
    assert.equal(saved.events, expected.length);
    assert.deepEqual(eventSnapshot(reopened.store).map((e) => (e as { data: unknown }).data), expected);
    loaded.store.dispose();
    reopened.store.dispose();
  });

  test('annotations (watch hits, notes) are saved among the events by time, kept by open → save → open, and follow a selection', async () => {
    const dir = tempDir();
    const original = path.join(dir, 'story.nkmtrace');
    const startTs = 1_764_299_565_000;
    await writeStoryTrace(original, startTs);
    const loaded = await loadTrace(original);
    const store = loaded.store;
    const call = 'media/call/call-1';
    const mid = store.tsOf(store.firstSeq + 2) as number;
    store.addAnnotation({ line: 'note', ts: mid, object: call, text: 'the answer came late' });
    store.addAnnotation({ line: 'watch', ts: mid, object: 'media/room/room-1', watch: 'type:stop' });
    store.addAnnotation({ line: 'future-kind', payload: [1, 2] });
    const first = path.join(dir, 'annotated.nkmtrace');
    const saved = await saveTrace(store, first);
    assert.equal(saved.annotations, 3);
    const lines = fs.readFileSync(first, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const noteAt = lines.findIndex((l) => l.line === 'note');
    assert.ok(lines.slice(1, noteAt).every((l) => l.ts === undefined || l.ts <= mid), 'nothing later than the note comes before it');
    assert.ok(lines.slice(noteAt + 1).every((l) => l.ts === undefined || l.ts > mid || l.line !== undefined), 'no event of its time or earlier comes after it');
    assert.equal(lines[lines.length - 1].line, 'future-kind', 'one without a time goes last');

    const reopened = await loadTrace(first);
    const again = path.join(dir, 'again.nkmtrace');
    await saveTrace(reopened.store, again);
    const twice = await loadTrace(again);
    assert.deepEqual(twice.annotations, store.annotations().slice().sort((a, b) => (a.ts ?? Infinity) - (b.ts ?? Infinity)), 'every annotation, every field, twice saved');

    const part = path.join(dir, 'part.nkmtrace');
    await saveTrace(store, part, { objectKeys: [call] });
    assert.deepEqual((await loadTrace(part)).annotations.map((a) => a.line), ['note', 'future-kind'], "the room's watch hit stays out of the call's file");
    for (const s of [store, reopened.store, twice.store]) s.dispose();
  });

  test('credentials in the source URL never reach the file', async () => {
    const store = new EventStore();
    const file = path.join(tempDir(), 'secret.nkmtrace');
    await saveTrace(store, file, { header: { source: { url: 'wss://admin:s3cret-pass@media.example.com:9010/api', user: 'admin' } } });
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes('s3cret-pass'), text);
    assert.match(text, /"url":"wss:\/\/media\.example\.com:9010\/api"/);
    store.dispose();
  });

  test('a cancelled save leaves the previous file untouched and no temporary file behind', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'story.nkmtrace');
    await writeStoryTrace(source);
    const loaded = await loadTrace(source);
    // Enough events for the save to look at the signal more than once.
    for (let i = 0; i < 20_000; i++) loaded.store.append({ conn: 'story', ts: 5_000_000 + i, data: { class: 'media', subclass: 'call', type: 'ringing', obj_id: `c${i}` }, raw: `{"class":"media","subclass":"call","type":"ringing","obj_id":"c${i}"}` });
    const target = path.join(dir, 'target.nkmtrace');
    fs.writeFileSync(target, 'previous content');
    const controller = new AbortController();
    await assert.rejects(saveTrace(loaded.store, target, { signal: controller.signal, onProgress: () => controller.abort() }), CancelledError);
    assert.equal(fs.readFileSync(target, 'utf8'), 'previous content');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['story.nkmtrace', 'target.nkmtrace']);
    loaded.store.dispose();
  });
});
