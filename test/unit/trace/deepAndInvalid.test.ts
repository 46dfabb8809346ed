// #13 cases 2 and 6 past the recorder: a trace file with an event nested 100,000 levels deep
// (written by anything: an older inspector, a hand-made file) and invalid-event markers.
// Before: stats and exports aborted the whole file, replay aborted, and nothing kept what
// the server had sent that was not an event. Now every stage reads it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { EventStore, MAX_INVALID_MARKERS } from '../../../src/core';
import { loadTrace } from '../../../src/trace/loadTrace';
import { readTraceStats, formatTraceStats } from '../../../src/trace/stats';
import { saveTrace } from '../../../src/trace/saveTrace';
import { writeTraceExport, EXPORT_FORMATS } from '../../../src/trace/exportTrace';
import { TraceReplayer } from '../../../src/trace/replay';
import type { TextOutput } from '../../../src/trace/textOutput';
import { CUT_FLAG } from '../../../src/shared/jsonDepth';
import { HEADER_LINE, record, removeTempDirs, tempDir, writeLines } from './traceFixtures';

after(removeTempDirs);

const DEEP = '['.repeat(100_000) + ']'.repeat(100_000);
const T0 = 1_764_299_565_000;
const INVALID_FRAME = '{"class":"core","cmd":"event","data":{"class":"media","subclass":"session","type":"stop","obj_id":12},"tid":5}';

function hostileTrace(): string {
  return writeLines(tempDir(), 'hostile.nkmtrace', [
    HEADER_LINE,
    `{"seq":1,"ts":${T0},"event":{"class":"media","subclass":"session","type":"answer","obj_id":"s1","body":{"answer":{"sdp":"v=0"}}}}`,
    `{"seq":2,"ts":${T0 + 10},"event":{"class":"media","subclass":"session","type":"info","obj_id":"s1","body":{"deep":${DEEP}}}}`,
    JSON.stringify({ marker: 'invalid', ts: T0 + 20, reason: 'invalid event data: obj_id: expected string', frame: INVALID_FRAME }),
    `{"seq":3,"ts":${T0 + 30},"event":{"class":"media","subclass":"session","type":"stop","obj_id":"s1","body":{"code":0,"reason":"ok"}}}`,
  ]);
}

test('a trace with a 100,000-deep event loads (the event cut and flagged), and its stats, exports and a saved copy work', { timeout: 30_000 }, async () => {
  const file = hostileTrace();
  const loaded = await loadTrace(file);
  try {
    assert.equal(loaded.events, 3);
    assert.equal(loaded.invalidLineCount, 0);
    const deep = loaded.store.getEvent(2)!;
    assert.match(String((deep.data as Record<string, unknown>)[CUT_FLAG]), /nested deeper than 100 levels/);
    assert.doesNotThrow(() => JSON.stringify(deep.data), 'what the tree and the details pane stringify');
    const invalid = loaded.store.markers().filter((m) => m.kind === 'invalid');
    assert.deepEqual(invalid.map((m) => [m.reason, m.frame]), [['invalid event data: obj_id: expected string', INVALID_FRAME]]);

    for (const format of EXPORT_FORMATS) {
      let text = '';
      const out: TextOutput = { write: (chunk) => void (text += chunk), close: async () => undefined, abort: async () => undefined };
      const count = await writeTraceExport(loaded.store, out, { format, title: 'hostile', ...(format === 'mermaid' ? { objectKey: loaded.store.objects()[0].key } : {}) });
      assert.ok(count >= 1 && text.length > 0, `${format}: exported`);
    }

    const copy = path.join(tempDir(), 'copy.nkmtrace');
    await saveTrace(loaded.store, copy);
    const again = await loadTrace(copy);
    try {
      assert.equal(again.events, 3);
      assert.deepEqual(again.store.markers().filter((m) => m.kind === 'invalid').map((m) => m.frame), [INVALID_FRAME], 'Save Trace keeps the invalid event');
    } finally {
      again.store.dispose();
    }
  } finally {
    loaded.store.dispose();
  }
  const stats = await readTraceStats(file);
  assert.equal(stats.invalidEventCount, 1);
  assert.match(formatTraceStats(stats), /invalid events the server sent \(kept in the trace, not shown as events\): 1\n.*obj_id: expected string/);
});

test('replay serves a trace with a 100,000-deep event to the end: the client gets all three events', { timeout: 30_000 }, async () => {
  const replayer = new TraceReplayer({ filePath: hostileTrace(), server: { port: 0, pingSeconds: 0 }, max: true });
  try {
    const { url } = await replayer.start();
    const running = replayer.run();
    const recording = await record(url, (n) => n >= 3);
    const summary = await running;
    assert.equal(summary.events, 3);
    assert.deepEqual(recording.events.map((e) => e.data.type), ['answer', 'info', 'stop']);
    assert.match(String((recording.events[1].data as Record<string, unknown>)[CUT_FLAG]), /nested deeper/);
  } finally {
    await replayer.stop();
  }
});

test(`a store keeps the first ${MAX_INVALID_MARKERS} invalid events and counts the rest; other markers are not pushed out`, { timeout: 10_000 }, () => {
  const store = new EventStore();
  try {
    store.addMarker({ kind: 'connect', ts: T0, conn: 'c' });
    for (let i = 0; i < MAX_INVALID_MARKERS + 250; i++) store.addMarker({ kind: 'invalid', ts: T0 + i, conn: 'c', reason: `bad ${i}`, frame: 'x' });
    store.addMarker({ kind: 'disconnect', ts: T0 + 5000, conn: 'c' });
    const kinds = store.markers().map((m) => m.kind);
    assert.equal(kinds.filter((k) => k === 'invalid').length, MAX_INVALID_MARKERS);
    assert.equal(store.invalidNotKept, 250);
    assert.deepEqual([kinds[0], kinds.at(-1)], ['connect', 'disconnect']);
    assert.equal(store.markers()[1].reason, 'bad 0', 'the first ones are kept: they show how it began');
  } finally {
    store.dispose();
  }
});
