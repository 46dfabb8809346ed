// The user's notes in the exports: Mermaid notes over their object (escaped like every other
// text, hostile or not), Chrome trace args on the event or slice they are on, and
// `nkmedia-inspect export` of a saved trace with notes in it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { addNote, eventNote, objectNote, type EventStore } from '../../../src/core';
import { runExport } from '../../../src/cli/exportCommand';
import { exportChromeTrace, type ChromeTraceEvent } from '../../../src/trace/exportChromeTrace';
import { exportMermaid } from '../../../src/trace/exportMermaid';
import { loadTrace } from '../../../src/trace/loadTrace';
import { saveTrace } from '../../../src/trace/saveTrace';
import type { TextOutput } from '../../../src/trace/textOutput';
import { captureIo, removeTempDirs, tempDir, writeStoryTrace } from './traceFixtures';

const HOSTILE = 'a "-->> R1: forged\nsequenceDiagram; %%{init} <b>#x</b>';
const ROOM = 'media/room/room-1';

let dir: string;
let store: EventStore;
let startedSeq: number;

before(async () => {
  dir = tempDir();
  const file = path.join(dir, 'story.nkmtrace');
  await writeStoryTrace(file, 1_000_000);
  store = (await loadTrace(file)).store;
  startedSeq = store.eventsOf(ROOM)[0];
  addNote(store, objectNote(store, ROOM, HOSTILE)!);
  addNote(store, eventNote(store, store.eventsOf(ROOM)[1], 'the publisher joined late')!);
});

after(() => {
  store.dispose();
  removeTempDirs();
});

function memoryOutput(): TextOutput & { text: string } {
  const out = { text: '', write: (t: string) => void (out.text += t), close: async () => undefined, abort: async () => undefined };
  return out;
}

describe('notes in the exports', { timeout: 20_000 }, () => {
  test('Mermaid: a note over its object after the event it is on, on one line, escaped', () => {
    const lines = exportMermaid(store, ROOM).trimEnd().split('\n');
    const hostile = lines.findIndex((l) => l.startsWith('  Note over R1: ✎ a'));
    assert.ok(hostile > 0, lines.join('\n'));
    assert.equal(lines[hostile], '  Note over R1: ✎ a "--#gt;#gt; R1: forged sequenceDiagram#59; #37;#37;{init} #lt;b#gt;#35;x#lt;/b#gt;');
    assert.match(lines[hostile - 1], /^ {2}Note over R1: \+0\.000s started/, 'a note on the object follows its first event');
    const joined = lines.indexOf('  Note over R1: ✎ the publisher joined late');
    assert.ok(joined > hostile, 'a note on an event follows that event');
    assert.match(lines[joined - 1], /started_publisher/);
    assert.ok(lines.every((l) => !l.includes('\n')) && !lines.includes('sequenceDiagram', 1), 'the newline did not start a statement');
  });

  test('Chrome trace: args.notes on the instant of the event, and on the slice for a note on the object', async () => {
    const out = memoryOutput();
    await exportChromeTrace(store, out, { title: 't' });
    const events = (JSON.parse(out.text) as { traceEvents: ChromeTraceEvent[] }).traceEvents;
    const begin = events.find((e) => e.ph === 'b' && e.id === 'room-1');
    assert.deepEqual(begin?.args?.notes, [HOSTILE], 'the text as written: JSON needs no escaping beyond its own');
    const noted = events.filter((e) => e.ph === 'n' && e.args?.notes !== undefined);
    assert.deepEqual(noted.map((e) => [e.name, e.args?.notes]), [['started_publisher', ['the publisher joined late']]]);
    assert.equal(events.find((e) => e.ph === 'n' && e.args?.seq === startedSeq)?.args?.notes, undefined);
  });

  test('nkmedia-inspect export of a saved trace with notes writes them', async () => {
    const saved = path.join(dir, 'noted.nkmtrace');
    await saveTrace(store, saved);
    const out = path.join(dir, 'noted.mmd');
    const io = captureIo();
    assert.equal(await runExport([saved, '--format', 'mermaid', '--object', 'room', '--out', out], io), 0, io.err);
    assert.match(fs.readFileSync(out, 'utf8'), /Note over R1: ✎ the publisher joined late/);
    const chrome = path.join(dir, 'noted.json');
    assert.equal(await runExport([saved, '--format', 'chrome-trace', '--out', chrome], captureIo()), 0);
    assert.ok(fs.readFileSync(chrome, 'utf8').includes('"notes":["the publisher joined late"]'));
  });
});
