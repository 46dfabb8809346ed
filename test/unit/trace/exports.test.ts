// Exports: Chrome Trace Event JSON (Perfetto), Mermaid sequence diagrams, CSV; and the
// `nkmedia-inspect export` command that writes them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { EventStore } from '../../../src/core';
import { runExport } from '../../../src/cli/exportCommand';
import { exportChromeTrace, type ChromeTraceEvent } from '../../../src/trace/exportChromeTrace';
import { csvField, exportCsv, CSV_COLUMNS } from '../../../src/trace/exportCsv';
import { exportMermaid, mermaidText } from '../../../src/trace/exportMermaid';
import { loadTrace } from '../../../src/trace/loadTrace';
import type { TextOutput } from '../../../src/trace/textOutput';
import { HEADER_LINE, captureIo, eventLine, removeTempDirs, storyEvents, tempDir, writeLines, writeStoryTrace } from './traceFixtures';

let storyFile: string;
let store: EventStore;

before(async () => {
  storyFile = path.join(tempDir(), 'story.nkmtrace');
  await writeStoryTrace(storyFile, 1_000_000);
  store = (await loadTrace(storyFile)).store;
});

after(() => {
  store.dispose();
  removeTempDirs();
});

function memoryOutput(): TextOutput & { text: string } {
  const out = { text: '', write: (t: string) => void (out.text += t), close: async () => undefined, abort: async () => undefined };
  return out;
}

/** A small RFC 4180 reader, to check that quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('Chrome Trace Event JSON', () => {
  test('objects are async b/e pairs keyed by obj_id, events are instants with their bodies, links are flows', async () => {
    const out = memoryOutput();
    const instants = await exportChromeTrace(store, out, { title: 'story.nkmtrace' });
    const json = JSON.parse(out.text) as { traceEvents: ChromeTraceEvent[]; displayTimeUnit: string };
    const events = json.traceEvents;
    assert.equal(json.displayTimeUnit, 'ms');
    for (const e of events) {
      assert.equal(typeof e.ph, 'string');
      assert.equal(typeof e.name, 'string');
      assert.equal(e.pid, 1);
      if (e.ph !== 'M') assert.ok(Number.isFinite(e.ts), `ts of ${JSON.stringify(e)}`);
    }
    const begins = events.filter((e) => e.ph === 'b');
    const ends = events.filter((e) => e.ph === 'e');
    assert.deepEqual(begins.map((b) => b.id).sort(), ['call-1', 'lis-1', 'open-1', 'pub-1', 'room-1']);
    for (const b of begins) {
      const e = ends.find((x) => x.id === b.id && x.cat === b.cat);
      assert.ok(e, `an end for ${b.id}`);
      assert.equal(e.name, b.name, 'b and e share their name');
      assert.ok(e.ts! >= b.ts!, `${b.id} ends after it begins`);
    }
    const callEnd = ends.find((e) => e.id === 'call-1')!;
    assert.deepEqual([callEnd.args?.code, callEnd.args?.reason, callEnd.args?.state], [2025, 'Originator cancel', 'declined']);

    const instantsOut = events.filter((e) => e.ph === 'n');
    assert.equal(instants, storyEvents().length);
    assert.equal(instantsOut.length, storyEvents().length);
    const listenerJoin = instantsOut.find((e) => e.name === 'started_listener')!;
    assert.equal(listenerJoin.id, 'room-1');
    assert.equal(listenerJoin.cat, 'room');
    assert.deepEqual(listenerJoin.args?.body, { session_id: 'lis-1', user: 'bob@nkmedia', peer: 'pub-1' });
    assert.equal(listenerJoin.ts, (1_000_000 + 4 * 10) * 1000, 'microseconds');
    assert.equal(instantsOut.find((e) => e.id === 'open-1')!.args?.extra_field, 'kept', 'unknown event fields are kept in args');

    const starts = events.filter((e) => e.ph === 's');
    const finishes = events.filter((e) => e.ph === 'f');
    assert.equal(starts.length, 1);
    assert.equal(finishes.length, 1);
    assert.equal(starts[0].id, finishes[0].id);
    assert.equal(finishes[0].bp, 'e');
    assert.deepEqual(starts[0].args, { room: 'room-1', listener: 'lis-1', publisher: 'pub-1' });
  });

  test('one object and its relations only', async () => {
    const out = memoryOutput();
    await exportChromeTrace(store, out, { title: 't', objectKeys: ['media/call/call-1'] });
    const events = (JSON.parse(out.text) as { traceEvents: ChromeTraceEvent[] }).traceEvents;
    assert.deepEqual([...new Set(events.filter((e) => e.ph !== 'M').map((e) => e.id))], ['call-1']);
  });
});

describe('Mermaid sequence diagram', () => {
  const LINE_SHAPES = [
    /^sequenceDiagram$/,
    /^ {2}participant [SRCO]\d+ as [^\n;#<>%]+$/,
    /^ {2}[SRCO]\d+-{1,2}>>[SRCO]\d+: [^\n;#<>%]*(#(35|59|lt|gt|37);[^\n;#<>%]*)*$/,
    /^ {2}Note over [SRCO]\d+: [^\n;#<>%]*(#(35|59|lt|gt|37);[^\n;#<>%]*)*$/,
  ];

  test('a room with its sessions: every line is valid Mermaid, membership as arrows, the listener linked to its publisher', () => {
    const diagram = exportMermaid(store, 'media/room/room-1');
    const lines = diagram.trimEnd().split('\n');
    for (const line of lines) assert.ok(LINE_SHAPES.some((shape) => shape.test(line)), `not a Mermaid line we write: ${JSON.stringify(line)}`);
    assert.equal(lines[0], 'sequenceDiagram');
    assert.deepEqual(lines.filter((l) => l.includes('participant')), ['  participant R1 as room room-1 (sfu)', '  participant S1 as session pub-1 (alice@nkmedia)', '  participant S2 as session lis-1 (bob@nkmedia)']);
    assert.ok(lines.includes('  Note over R1: +0.000s started (sfu, nkmedia_janus)'), diagram);
    assert.ok(lines.includes('  S1->>R1: +0.020s started_publisher (alice@nkmedia, session pub-1)'), diagram);
    assert.ok(lines.includes('  S2-->>S1: listens to'), diagram);
    assert.ok(lines.some((l) => /^ {2}Note over S1: .*⚠ session stopped with a fault: code 2202/.test(l)), 'anomalies are shown');
  });

  test('text from the trace cannot break the diagram: separators, comments, HTML and line breaks are escaped', () => {
    assert.equal(mermaidText('a;b #c <script>x</script>\nnext%%'), 'a#59;b #35;c #lt;script#gt;x#lt;/script#gt; next#37;#37;');
    assert.ok(mermaidText('x'.repeat(500)).length <= 120);
  });

  test('a long history is capped, saying how many events are not shown', () => {
    const diagram = exportMermaid(store, 'media/room/room-1', { maxEvents: 3 });
    assert.match(diagram, /Note over R1: … \d+ more events not shown/);
  });
});

describe('CSV', () => {
  test('RFC 4180: header, one row per event, fields with commas, quotes and line breaks quoted', async () => {
    const out = memoryOutput();
    const rows = await exportCsv(store, out);
    assert.equal(rows, storyEvents().length);
    assert.ok(out.text.endsWith('\r\n'));
    const table = parseCsv(out.text);
    assert.deepEqual(table[0], [...CSV_COLUMNS]);
    assert.equal(table.length, rows + 1);
    for (const row of table) assert.equal(row.length, CSV_COLUMNS.length);
    const answer = table.find((r) => r[7] === 'pub-1' && r[6] === 'answer')!;
    assert.deepEqual(JSON.parse(answer[11]), { answer: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }, 'the body with its CRLFs survives quoting');
    const hangup = table.find((r) => r[6] === 'hangup')!;
    assert.deepEqual([hangup[9], hangup[10]], ['2025', 'Originator cancel']);
    assert.equal(hangup[1], new Date(1_000_000 + 6 * 10).toISOString());
  });

  test('quoting rules and formula guarding', async () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    const file = writeLines(tempDir(), 'evil.nkmtrace', [
      HEADER_LINE,
      eventLine(1, 1, { class: 'media', subclass: 'call', type: 'hangup', obj_id: '=HYPERLINK("http://x")', body: { code: -1, reason: '@SUM(A1)' } }),
    ]);
    const loaded = await loadTrace(file);
    const out = memoryOutput();
    await exportCsv(loaded.store, out);
    const row = parseCsv(out.text)[1];
    assert.equal(row[7], `'=HYPERLINK("http://x")`);
    assert.equal(row[9], '-1', 'numbers are left alone');
    assert.equal(row[10], `'@SUM(A1)`);
    loaded.store.dispose();
  });
});

describe('nkmedia-inspect export', () => {
  test('writes each format to --out; mermaid of an object given by the start of its id', async () => {
    const dir = tempDir();
    for (const [format, extra] of [['chrome-trace', []], ['csv', []], ['mermaid', ['--object', 'room']]] as const) {
      const out = path.join(dir, `out-${format}`);
      const io = captureIo();
      assert.equal(await runExport([storyFile, '--format', format, ...extra, '--out', out], io), 0, io.err);
      const text = fs.readFileSync(out, 'utf8');
      if (format === 'chrome-trace') assert.ok(Array.isArray(JSON.parse(text).traceEvents));
      if (format === 'csv') assert.ok(text.startsWith('seq,time,ts,'));
      if (format === 'mermaid') assert.ok(text.startsWith('sequenceDiagram\n  participant R1 as room room-1'));
      assert.match(io.out, new RegExp(`exported as ${format} to `));
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    }
  });

  test('bad arguments exit 2; an unknown or ambiguous object exits 1 and writes nothing', async () => {
    const dir = tempDir();
    for (const argv of [
      [storyFile, '--out', 'x'],
      [storyFile, '--format', 'pdf', '--out', 'x'],
      [storyFile, '--format', 'mermaid', '--out', 'x'],
      [storyFile, '--format', 'csv'],
    ]) {
      const io = captureIo();
      assert.equal(await runExport(argv, io), 2, argv.join(' '));
      assert.match(io.err, /^nkmedia-inspect export: .* \(see nkmedia-inspect export --help\)\n$/);
    }
    const twins = writeLines(dir, 'twins.nkmtrace', [
      HEADER_LINE,
      eventLine(1, 1, { class: 'media', subclass: 'session', type: 'answer', obj_id: 'abc-1' }),
      eventLine(2, 2, { class: 'media', subclass: 'session', type: 'answer', obj_id: 'abc-2' }),
    ]);
    for (const [id, message] of [
      ['nothing-like-it', /no object with id nothing-like-it in the trace/],
      ['abc', /2 objects match abc \(media\/session\/abc-1, media\/session\/abc-2\): give more of the id/],
    ] as const) {
      const out = path.join(dir, 'diagram.mmd');
      const io = captureIo();
      assert.equal(await runExport([twins, '--format', 'mermaid', '--object', id, '--out', out], io), 1);
      assert.match(io.err, message);
      assert.equal(fs.existsSync(out), false);
    }
  });
});
