// The trace editor's summary page in headless Chromium: the production HTML (CSP, skeleton)
// and bundle, with the fake `acquireVsCodeApi` of run.mjs wired to a fake trace editor
// (summaryHarness.ts) that answers `ready` with the latest state, as the real one does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** Opens the summary page for `fileName`; the host answers `ready` with `first`. */
async function openSummary(ctx, { first, fileName = 'night-capture.nkmtrace', theme = 'dark' } = {}) {
  const page = ctx.page;
  let queue = Promise.resolve();
  const host = ctx.summaryModule.createSummaryHost((message) => {
    // In order, like VS Code's postMessage.
    queue = queue.then(() => page.evaluate((m) => window.postMessage(m, '*'), message)).catch(() => undefined);
  }, first ?? { type: 'loading', fileName, percent: 0 });
  ctx.harness = host;
  ctx.flushHost = () => queue;
  await page.goto(`${ctx.base}/summary?theme=${theme}&name=${encodeURIComponent(fileName)}`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'), undefined, { timeout: 10_000 });
  await queue;
  return { page, host };
}

/** Sends `summary` and waits until the page shows it. */
async function showSummary(ctx, host, summary, fileName = 'night-capture.nkmtrace') {
  host.send({ type: 'summary', fileName, summary });
  await ctx.flushHost();
  await ctx.page.locator('h2', { hasText: 'Invalid lines' }).waitFor({ timeout: 10_000 });
}

/** The Summary table's facts, as { label: value }. */
const facts = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('section:first-child tr')].slice(1).map((tr) => [...tr.children].map((td) => td.textContent))));
const sectionText = (page, title) => page.locator('section', { has: page.locator('h2', { hasText: title }) }).textContent();
const noViolations = async (page) => assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');

export function registerSummaryTests(test, { shotDir }) {
  test('trace summary: loading percent, then counts, subscriptions, anomalies and an invalid line', async (ctx) => {
    const { page, host } = await openSummary(ctx, { first: { type: 'loading', fileName: 'night-capture.nkmtrace', percent: 42.7 } });
    await page.getByText('Reading the trace… 42%').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('h1').textContent(), 'night-capture.nkmtrace');
    assert.equal(await page.locator('button#showTimeline').isDisabled(), true, 'no timeline before the trace is read');

    await showSummary(ctx, host, ctx.summaryModule.summary({ subscriptions: true }));
    const f = await facts(page);
    assert.equal(f.Format, 'NkMEDIA trace version 1, gzip');
    assert.equal(f.Created, '2024-05-01T10:00:00.000Z by nkmedia-inspector 0.1.0');
    assert.equal(f.Source, 'staging wss://media:9010 as admin');
    assert.equal(f.Server, 'NkMEDIA Aug 2016 (detected from the events)');
    assert.equal(f.Ends, '5 normal, 2 declined, 1 faults');
    assert.equal(f.Subscriptions, 'media/*/*/*, media/room/stop/*');
    assert.equal(f.Events, '1234');
    assert.equal(f.Markers, '2 connect, 1 disconnect');
    assert.equal(f['Time span'], '2024-05-01T10:00:00.000Z → 2024-05-01T10:03:20.000Z (3 min 20 s)');
    assert.match(await sectionText(page, 'Objects'), /^Objects \(11\)kindcountstatessession65 stopped, 1 answeredroom22 destroyedcall33 hangupother0$/);
    assert.match(await sectionText(page, 'Events per subclass'), /media\/sessionanswer600media\/sessionstop34$/);
    assert.equal(await sectionText(page, 'Anomalies'), 'Anomalies (1)timeobjectwhat2024-05-01T10:00:00.000Zmedia/session/s-0ended with code 2202 (Janus op process down)');
    assert.equal(await sectionText(page, 'Invalid lines'), 'Invalid lines (1)linereason40not JSON');
    assert.equal(await page.getByText(/and \d+ more/).count(), 0, 'nothing was cut');
    assert.equal(await page.locator('button#showTimeline').isEnabled(), true);
    assert.equal(await page.locator('button#openInInspector').isEnabled(), true);
    assert.equal(host.invalidMessages, 0);
    await noViolations(page);
  });

  test('trace summary: a trace without subscriptions, anomalies or bad lines says so', async (ctx) => {
    const { page, host } = await openSummary(ctx);
    await showSummary(ctx, host, ctx.summaryModule.summary({ anomalies: 0, invalidLines: 0 }));
    assert.equal((await facts(page)).Subscriptions, '(not recorded)');
    assert.equal(await sectionText(page, 'Anomalies'), 'Anomalies (0)timeobjectwhat');
    assert.equal(await sectionText(page, 'Invalid lines'), 'Invalid lines (0)none');
  });

  test('trace summary: long lists end with "… and N more"', async (ctx) => {
    const { page, host } = await openSummary(ctx);
    await showSummary(ctx, host, ctx.summaryModule.summary({ anomalies: 250, invalidLines: 1003 }));
    assert.match(await sectionText(page, 'Anomalies (250)'), /… and 247 more \(nkmedia-inspect stats FILE lists them all\)$/);
    assert.match(await sectionText(page, 'Invalid lines (1003)'), /42not JSON… and 1000 more \(nkmedia-inspect stats FILE lists them all\)$/);
  });

  test('trace summary: hostile markup in the file name and the trace shows as text and makes no element', async (ctx) => {
    const { HOSTILE } = ctx.summaryModule;
    const fileName = `${HOSTILE}.nkmtrace`;
    const { page, host } = await openSummary(ctx, { fileName });
    await showSummary(ctx, host, ctx.summaryModule.summary({ hostile: true }), fileName);
    assert.equal(await page.locator('h1').textContent(), fileName);
    assert.equal(await page.title(), fileName);
    assert.match(await sectionText(page, 'Events per subclass'), new RegExp(`stop${literal(HOSTILE)} \\(not in the NkMEDIA reference\\)34`));
    assert.match(await sectionText(page, 'Anomalies'), new RegExp(`media/session/s-0${literal(HOSTILE)}`));
    assert.match(await sectionText(page, 'Invalid lines'), new RegExp(`not JSON${literal(HOSTILE)}`));
    assert.equal(await page.locator('img').count(), 0, 'no element from the markup');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await noViolations(page);
  });

  test('trace summary: the notes of a trace are listed (as text), after the anomalies; a trace without notes has no Notes section', async (ctx) => {
    const { HOSTILE } = ctx.summaryModule;
    const { page, host } = await openSummary(ctx);
    await showSummary(ctx, host, ctx.summaryModule.summary());
    assert.equal(await page.locator('h2', { hasText: 'Notes' }).count(), 0);
    await showSummary(ctx, host, ctx.summaryModule.summary({ notes: 5, hostile: true }));
    const text = await sectionText(page, 'Notes');
    assert.ok(text.startsWith('Notes (5)timeobjectonnote2024-05-01T10:00:00.000Zmedia/session/s-0(the object)look here 0'), text);
    assert.ok(text.includes(`media/session/s-1answerlook here 1${HOSTILE}`), text);
    assert.match(text, /… and 2 more/);
    const titles = await page.locator('h2').allTextContents();
    assert.ok(titles.indexOf('Notes (5)') === titles.findIndex((t) => t.startsWith('Anomalies')) + 1, titles.join(' | '));
    assert.equal(await page.locator('img').count(), 0, 'no element from the markup');
    await noViolations(page);
  });

  test('trace summary: the buttons post showTimeline and openInInspector', async (ctx) => {
    const { page, host } = await openSummary(ctx);
    await showSummary(ctx, host, ctx.summaryModule.summary());
    await page.locator('button#showTimeline').click();
    await page.locator('button#openInInspector').click();
    await page.waitForFunction(() => window.__posted.length >= 3, undefined, { timeout: 5_000 });
    assert.deepEqual(host.received.map((m) => m.type), ['ready', 'showTimeline', 'openInInspector']);
    assert.equal(host.invalidMessages, 0);
    await noViolations(page);
  });

  test('trace summary: an error shows its message as text; a malformed message is dropped', async (ctx) => {
    const { page, host } = await openSummary(ctx);
    // Not a summary the schema accepts (no counts): the page keeps what it shows.
    await page.evaluate(() => window.postMessage({ type: 'summary', fileName: 'x', summary: { events: '<b>1</b>' } }, '*'));
    await page.getByText('Reading the trace… 0%').waitFor({ timeout: 5_000 });
    host.send({ type: 'error', fileName: 'x', message: 'Not a trace: line 1 is <b>not</b> a header' });
    await ctx.flushHost();
    await page.locator('p.error').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('main').textContent(), 'Not a trace: line 1 is <b>not</b> a header');
    assert.equal(await page.locator('main b').count(), 0);
    assert.equal(await page.locator('button#showTimeline').isDisabled(), true);
  });

  test('trace summary: screenshots in a dark and a light theme', async (ctx) => {
    fs.mkdirSync(shotDir, { recursive: true });
    for (const theme of ['dark', 'light']) {
      const { page, host } = await openSummary(ctx, { theme });
      await showSummary(ctx, host, ctx.summaryModule.summary({ subscriptions: true, anomalies: 120, invalidLines: 2 }));
      const colors = await page.evaluate(() => [document.body, document.querySelector('button#showTimeline')].map((e) => getComputedStyle(e).backgroundColor));
      assert.notEqual(colors[0], colors[1], 'the button stands out from the page');
      await page.screenshot({ path: path.join(shotDir, `trace-summary-${theme}.png`), fullPage: true });
      await noViolations(page);
    }
  });
}

/** `text` as a literal inside a RegExp. */
function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
