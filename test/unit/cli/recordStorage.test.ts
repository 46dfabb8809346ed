// The recorder's bounded queue (#13 item 1): storage may lag behind the connection, never
// without bound; what had to be dropped is counted and marked in the trace as a gap.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { RecorderStorage } from '../../../src/cli/recordStorage';
import type { EventData } from '../../../src/protocol/frames';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { TraceWriter } from '../../../src/trace/writer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-storage-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;

function bigEvent(i: number, bytes: number): EventData {
  // About `bytes` of JSON. (The bursts below are synchronous: the disk gets no turn at all.)
  return { class: 'media', subclass: 'session', type: 'info', obj_id: `s${i}`, body: { blob: Buffer.alloc(bytes * 0.75, String(i)).toString('base64') } };
}

function lines(file: string): Array<Record<string, unknown>> {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

describe('RecorderStorage', () => {
  test('a burst larger than the queue: the queue stays bounded, the rest is dropped, counted and marked as one gap', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'burst.nkmtrace.gz');
    const reports: string[] = [];
    const storage = new RecorderStorage(new TraceWriter(file, makeHeader({})), { maxQueuedBytes: 4 * MB, report: (m) => reports.push(m) });
    let peakQueued = 0;
    // 64 events of 512 KB in one go, as a flood delivers them: no chance for the disk to keep up.
    for (let i = 0; i < 64; i++) {
      storage.writeEvent(1000 + i, bigEvent(i, 512 * 1024), 512 * 1024);
      peakQueued = Math.max(peakQueued, storage.queuedBytes);
    }
    assert.ok(peakQueued <= 4 * MB + 600 * 1024, `queued ${(peakQueued / MB).toFixed(1)} MB, over the 4 MB bound by more than one event`);
    assert.ok(storage.dropped > 40, `${storage.dropped} dropped`);
    assert.equal(storage.recorded + storage.dropped, 64);
    assert.equal(reports.length, 1, 'one warning, not one per event');
    assert.match(reports[0], /falls behind \(4 MB queued\): dropping events until it catches up/);
    await storage.close();

    const written = lines(file);
    const events = written.filter((l) => 'event' in l);
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: storage.recorded }, (_, i) => i + 1), 'seq has no holes');
    const gaps = written.filter((l) => l.marker === 'gap');
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0].reason, `${storage.dropped} events dropped by the recorder: writing the trace fell behind`);
    assert.equal(gaps[0].ts, 1000 + storage.recorded);
    assert.equal(gaps[0].until, 1063);
  });

  test('a flood of invalid events with large frames stays within the same bound, and is counted with the drops', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'invalid-flood.nkmtrace.gz');
    const storage = new RecorderStorage(new TraceWriter(file, makeHeader({})), { maxQueuedBytes: 4 * MB, report: () => undefined });
    let peakQueued = 0;
    const frame = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 64; i++) {
      storage.writeInvalid({ marker: 'invalid', ts: 1000 + i, reason: 'invalid event data: class: missing', frame });
      peakQueued = Math.max(peakQueued, storage.queuedBytes);
    }
    assert.ok(peakQueued <= 4 * MB + 600 * 1024, `queued ${(peakQueued / MB).toFixed(1)} MB, over the 4 MB bound by more than one frame`);
    assert.ok(storage.dropped > 40, `${storage.dropped} dropped`);
    await storage.close();
    const written = lines(file);
    assert.equal(written.filter((l) => l.marker === 'invalid').length, 64 - storage.dropped);
    assert.match(String(written.find((l) => l.marker === 'gap')?.reason), new RegExp(`^${storage.dropped} events dropped by the recorder`));
  });

  test('once half the queue is written, events are stored again (the gap closes before them)', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'recover.nkmtrace.gz');
    const storage = new RecorderStorage(new TraceWriter(file, makeHeader({})), { maxQueuedBytes: 2 * MB, report: () => undefined });
    for (let i = 0; i < 16; i++) storage.writeEvent(i, bigEvent(i, 512 * 1024), 512 * 1024);
    const droppedInBurst = storage.dropped;
    assert.ok(droppedInBurst > 0);
    // Bounded poll: the compressor works on libuv's thread pool, at its own pace.
    const deadline = Date.now() + 20_000;
    while (storage.queuedBytes > 1 * MB && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(storage.queuedBytes <= 1 * MB, 'half the queue was written');
    assert.ok(storage.writeEvent(100, bigEvent(100, 1024), 1024), 'stored again');
    await storage.close();
    const written = lines(file);
    const last = written.slice(-2);
    assert.equal(last[0].marker, 'gap');
    assert.equal((last[1].event as EventData).obj_id, 's100');
  });

  test('an event larger than the whole queue is still stored when the queue is empty', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'huge.nkmtrace');
    const storage = new RecorderStorage(new TraceWriter(file, makeHeader({})), { maxQueuedBytes: 256 * 1024, report: () => undefined });
    assert.ok(storage.writeEvent(1, bigEvent(1, 900 * 1024), 900 * 1024));
    await storage.close();
    assert.equal(storage.dropped, 0);
  });
});
