// The host side of the trace editor's summary page: what it is sent (summaryView, checked
// against the shared schema the page validates with), its HTML and CSP, and the check of
// what the page sends back.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { fromTraceSummaryPageSchema, toTraceSummaryPageSchema, traceSummaryViewSchema } from '../../../src/shared/traceSummaryProtocol';
import { readTraceStats } from '../../../src/trace/stats';
import { traceSummaryCsp, traceSummaryHtml } from '../../../src/trace/summaryHtml';
import { LISTED_IN_PAGE, summaryView } from '../../../src/trace/summaryView';
import { HEADER_LINE, eventLine, removeTempDirs, tempDir, writeLines, writeStoryTrace } from './traceFixtures';

after(removeTempDirs);

describe('trace summary page: what the host sends', { timeout: 20_000 }, () => {
  test('the story trace: counts, ends, era and anomalies, and the page schema keeps every field', async () => {
    const file = path.join(tempDir(), 'story.nkmtrace');
    await writeStoryTrace(file, 1000);
    const view = summaryView(await readTraceStats(file));
    assert.equal(view.events, 13);
    assert.deepEqual(view.objectCounts, { session: 3, room: 1, call: 1, other: 0, total: 5 });
    assert.deepEqual(view.endCounts, { normal: 2, declined: 1, fault: 1 });
    assert.deepEqual(view.dialect, { label: 'NkMEDIA Aug 2016', how: 'detected' });
    assert.deepEqual(view.timeSpan, { first: 1000, last: 1120, seconds: 0.12 });
    assert.deepEqual(view.header.source, { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'story' });
    assert.ok(view.anomalies.some((a) => a.objectKey === 'media/session/open-1' && /no terminal event/.test(a.message)));
    assert.equal(view.anomalyCount, view.anomalies.length);
    assert.equal(view.invalidLineCount, 0);
    // No per-object list and no local path travel to the page.
    assert.ok(!('objects' in view) && !('file' in view));
    // What the page accepts is exactly what the host sends: nothing stripped, nothing refused.
    const parsed = toTraceSummaryPageSchema.safeParse({ type: 'summary', fileName: 'story.nkmtrace', summary: view });
    assert.ok(parsed.success, parsed.error?.message);
    assert.deepEqual(parsed.data, { type: 'summary', fileName: 'story.nkmtrace', summary: view });
  });

  test(`a long list of bad lines is cut at ${LISTED_IN_PAGE}; the count stays whole`, async () => {
    const bad = Array.from({ length: LISTED_IN_PAGE + 50 }, (_, i) => `garbage ${i}`);
    const file = writeLines(tempDir(), 'bad.nkmtrace', [HEADER_LINE, eventLine(1, 1, { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c' }), ...bad]);
    const view = summaryView(await readTraceStats(file));
    assert.equal(view.invalidLineCount, LISTED_IN_PAGE + 50);
    assert.equal(view.invalidLines.length, LISTED_IN_PAGE);
    assert.deepEqual(view.invalidLines[0]?.line, 3);
    assert.ok(traceSummaryViewSchema.safeParse(view).success);
  });
});

describe('trace summary page: HTML and what the page sends', { timeout: 5_000 }, () => {
  test('a strict CSP: nothing by default, our styles and fonts, scripts only with the nonce', () => {
    assert.equal(traceSummaryCsp('vscode-resource:', 'abc'), "default-src 'none'; style-src vscode-resource:; font-src vscode-resource:; script-src 'nonce-abc'");
  });

  test('one script, the bundle with the nonce and no inline body; a hostile file name stays text', () => {
    const html = traceSummaryHtml({ cspSource: 'vscode-resource:', nonce: 'abc', scriptUri: 'https://x/dist/webview/traceSummary.js', styleUri: 't.css', fileName: '"><img src=x onerror=alert(1)>.nkmtrace' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc" src="https:\/\/x\/dist\/webview\/traceSummary\.js"><\/script>/);
    assert.ok(!html.includes('<img'), 'the file name is escaped in the title and the heading');
    assert.equal(html.match(/&lt;img src=x onerror=alert\(1\)&gt;\.nkmtrace/g)?.length, 2);
    assert.ok(!html.includes('unsafe-inline'));
  });

  test('only the three known messages pass the host check', () => {
    for (const type of ['ready', 'showTimeline', 'openInInspector']) assert.ok(fromTraceSummaryPageSchema.safeParse({ type }).success, type);
    for (const bad of [null, 'ready', {}, { type: 'exportTrace' }, { type: 1 }, [{ type: 'ready' }]]) {
      assert.equal(fromTraceSummaryPageSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
