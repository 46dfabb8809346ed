// Notes in what a trace's summary says: `nkmedia-inspect stats` and the trace editor's summary
// page list them, read from the trace's note lines; a trace without notes says nothing of them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTraceSummaryPageSchema } from '../../../src/shared/traceSummaryProtocol';
import { formatTraceStats, readTraceStats } from '../../../src/trace/stats';
import { summaryView } from '../../../src/trace/summaryView';
import { HEADER_LINE, eventLine, removeTempDirs, tempDir, writeLines } from './traceFixtures';

after(removeTempDirs);

const session = { class: 'media', subclass: 'session', obj_id: 's1' };

describe('notes in the trace summary', { timeout: 20_000 }, () => {
  test('listed by time with their object and event type; a newline in one stays on its line', async () => {
    const file = writeLines(tempDir(), 'noted.nkmtrace', [
      HEADER_LINE,
      eventLine(1, 1000, { ...session, type: 'created' }),
      JSON.stringify({ line: 'note', ts: 2000, object: 'media/session/s1', eventType: 'answer', text: 'answered\nlate', created: '2026-12-04T10:00:00.000Z' }),
      JSON.stringify({ line: 'note', ts: 1000, object: 'media/session/s1', text: 'alice', created: '2026-12-04T10:01:00.000Z' }),
      eventLine(2, 2000, { ...session, type: 'answer' }),
      JSON.stringify({ line: 'note', ts: 'soon', object: 'media/session/s1', text: 'not a note' }),
    ]);
    const stats = await readTraceStats(file);
    assert.deepEqual(stats.notes.map((n) => [n.ts, n.eventType, n.text]), [[1000, undefined, 'alice'], [2000, 'answer', 'answered\nlate']]);
    const view = summaryView(stats);
    assert.equal(view.noteCount, 2);
    assert.deepEqual(view.notes?.[1], { ts: 2000, objectKey: 'media/session/s1', eventType: 'answer', text: 'answered\nlate' });
    const parsed = toTraceSummaryPageSchema.safeParse({ type: 'summary', fileName: 'noted.nkmtrace', summary: view });
    assert.ok(parsed.success, parsed.error?.message);
    assert.deepEqual(parsed.data.type === 'summary' && parsed.data.summary.notes, view.notes);

    const text = formatTraceStats(stats);
    assert.match(text, /\nnotes: 2\n {2}1970-01-01T00:00:01\.000Z {2}media\/session\/s1: alice\n {2}1970-01-01T00:00:02\.000Z {2}media\/session\/s1 \(answer\): answered ⏎ late\n/);
  });

  test('a trace without notes: no notes in the page data nor in the text', async () => {
    const file = writeLines(tempDir(), 'plain.nkmtrace', [HEADER_LINE, eventLine(1, 1000, { ...session, type: 'created' })]);
    const stats = await readTraceStats(file);
    assert.deepEqual(stats.notes, []);
    const view = summaryView(stats);
    assert.ok(!('notes' in view) && !('noteCount' in view));
    assert.doesNotMatch(formatTraceStats(stats), /notes/);
  });
});
