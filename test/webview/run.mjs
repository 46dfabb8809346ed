// The webview pages in headless Chromium. The page is the production HTML (same CSP, same
// bundle) plus a fake `acquireVsCodeApi` that records what the webview posts and forwards it
// to a real TimelineFeed over a real EventStore (test/webview/hostHarness.ts, in Node); the
// trace editor's summary page (tests in summaryTests.mjs) talks to a fake trace editor
// (summaryHarness.ts) instead, and the "Compare Objects" page (diffTests.mjs) to a fake panel
// that posts what the real host code makes of two stores (diffHarness.ts).
//   node test/webview/run.mjs            every test (npm test runs them as its "webview" stage)
//   node test/webview/run.mjs zoom       tests whose name contains "zoom"
// Prints "N passed, N failed" and exits non-zero on failure (each test has TEST_TIMEOUT_MS).
// Chromium is the one scripts/setup-real-vscode.sh installs (NKM_CHROMIUM overrides it).
// Screenshots: out/screenshots/webview/.
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { registerSummaryTests } from './summaryTests.mjs';
import { registerDiffTests } from './diffTests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'out', 'webview-test');
const shotDir = path.join(root, 'out', 'screenshots', 'webview');
const NONCE = 'dGVzdC1ub25jZQ==';
const TEST_TIMEOUT_MS = 60_000;
const { paths: realVscodePaths, writeResults } = createRequire(import.meta.url)('../../scripts/realVscode/env.js');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// The theme variables VS Code would set, for a dark and a light theme.
const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-foreground': '#cccccc', '--vscode-terminal-ansiCyan': '#11a8cd',
      '--vscode-errorForeground': '#f48771', '--vscode-editorWarning-foreground': '#cca700', '--vscode-focusBorder': '#007fd4',
      '--vscode-badge-background': '#616161', '--vscode-progressBar-background': '#0e70c0', '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-sideBarSectionHeader-background': '#252526', '--vscode-editorIndentGuide-background1': '#404040',
      '--vscode-panel-border': '#3c3c3c', '--vscode-input-background': '#3c3c3c', '--vscode-input-foreground': '#cccccc', '--vscode-dropdown-background': '#3c3c3c',
      '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#1177bb',
      '--vscode-button-secondaryBackground': '#3a3d41', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#45494e',
      '--vscode-editor-foreground': '#d4d4d4', '--vscode-dropdown-foreground': '#cccccc', '--vscode-editorHoverWidget-background': '#252526', '--vscode-editorHoverWidget-border': '#454545', '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171',
      '--vscode-charts-red': '#e51400', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-charts-foreground': '#616161', '--vscode-terminal-ansiCyan': '#0598bc',
      '--vscode-errorForeground': '#a1260d', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-focusBorder': '#0090f1',
      '--vscode-badge-background': '#c4c4c4', '--vscode-progressBar-background': '#0e70c0', '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-list-hoverBackground': '#f0f0f0', '--vscode-sideBarSectionHeader-background': '#f3f3f3', '--vscode-editorIndentGuide-background1': '#d3d3d3',
      '--vscode-panel-border': '#e5e5e5', '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-border': '#cecece', '--vscode-editor-foreground': '#3b3b3b', '--vscode-editorHoverWidget-background': '#f3f3f3', '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px',
    },
  },
};

const FAKE_VSCODE = `
window.__posted = [];
window.__states = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage(message) { window.__posted.push(message); window.__toHost(message); },
  getState() { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState(state) { window.__states.push(state); sessionStorage.setItem('state', JSON.stringify(state)); window.dispatchEvent(new Event('test-state-saved')); },
});
`;

async function build() {
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: { timeline: path.join(root, 'src/webview/timelinePage/main.ts'), traceSummary: path.join(root, 'src/webview/traceSummaryPage/main.ts'), diff: path.join(root, 'src/webview/diffPage/main.ts') },
    outdir: outDir,
    bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: ['test/webview/hostHarness.ts', 'src/timeline/timelineHtml.ts', 'test/webview/summaryHarness.ts', 'src/trace/summaryHtml.ts', 'src/webview/timelinePage/timelineApp.ts', 'test/webview/diffHarness.ts', 'src/trace/diffHtml.ts'].map((f) => path.join(root, f)),
    outdir: path.join(outDir, 'host'),
    bundle: true, format: 'cjs', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  const harness = require(path.join(outDir, 'host', 'test', 'webview', 'hostHarness.js'));
  const html = require(path.join(outDir, 'host', 'src', 'timeline', 'timelineHtml.js'));
  const summary = require(path.join(outDir, 'host', 'test', 'webview', 'summaryHarness.js'));
  const summaryHtml = require(path.join(outDir, 'host', 'src', 'trace', 'summaryHtml.js'));
  const diff = require(path.join(outDir, 'host', 'test', 'webview', 'diffHarness.js'));
  const diffHtml = require(path.join(outDir, 'host', 'src', 'trace', 'diffHtml.js'));
  // Only for its constants: the page's code, loaded in Node, where nothing of it runs.
  const timelineApp = require(path.join(outDir, 'host', 'src', 'webview', 'timelinePage', 'timelineApp.js'));
  for (const [name, theme] of Object.entries(THEMES)) {
    const css = `:root {\n${Object.entries(theme.vars).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}\n`;
    fs.writeFileSync(path.join(outDir, `theme-${name}.css`), css);
  }
  fs.writeFileSync(path.join(outDir, 'fake-vscode.js'), FAKE_VSCODE);
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', file), path.join(outDir, file));
  for (const file of ['timeline.css', 'traceEditor.css', 'diff.css']) fs.copyFileSync(path.join(root, 'media', file), path.join(outDir, file));
  saveWaitMs = timelineApp.STATE_SAVE_DELAY_MS + 100;
  return { harness, html, summary, summaryHtml, diff, diffHtml };
}

/** The production page, with the theme's variables and the fake VS Code API added. */
function withTestHooks(page, theme) {
  return page
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="/theme-${theme}.css">\n<link rel="stylesheet"`)
    .replace(/<body( |>)/, `<body class="${THEMES[theme].bodyClass}"$1`)
    .replace(`<script nonce="${NONCE}"`, `<script nonce="${NONCE}" src="/fake-vscode.js"></script>\n<script nonce="${NONCE}"`);
}

const PAGES = {
  '/': ({ html }) => html.timelineHtml({ cspSource: "'self'", nonce: NONCE, scriptUri: '/timeline.js', styleUri: '/timeline.css', codiconUri: '/codicon.css', sourceId: 'demo' }),
  '/summary': ({ summaryHtml }, url) =>
    summaryHtml.traceSummaryHtml({ cspSource: "'self'", nonce: NONCE, scriptUri: '/traceSummary.js', styleUri: '/traceEditor.css', fileName: url.searchParams.get('name') ?? 'trace.nkmtrace' }),
  '/diff': ({ diffHtml }) =>
    diffHtml.diffHtml({ cspSource: "'self'", nonce: NONCE, scriptUri: '/diff.js', styleUri: '/diff.css', codiconUri: '/codicon.css', title: 'Compare: session good-39 ↔ session bad-7a1' }),
};

function serve(modules) {
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const page = PAGES[url.pathname];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(withTestHooks(page(modules, url), url.searchParams.get('theme') ?? 'dark'));
      return;
    }
    const file = path.join(outDir, path.basename(url.pathname));
    if (!fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- a tiny test runner ----

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

/** One page with a fresh store and feed; `options` go to createHarness. */
async function openTimeline(ctx, options = {}, theme = 'dark', keepStorage = false) {
  const page = ctx.page;
  let queue = Promise.resolve();
  ctx.harness = ctx.harnessModule.createHarness((message) => {
    // In order, like VS Code's postMessage.
    queue = queue.then(() => page.evaluate((m) => window.postMessage(m, '*'), message)).catch(() => undefined);
  }, options);
  ctx.flushHost = () => queue;
  if (!keepStorage) await page.goto(`${ctx.base}/?theme=${theme}`).then(() => page.evaluate(() => sessionStorage.clear()));
  await page.goto(`${ctx.base}/?theme=${theme}`);
  await waitLoaded(page);
  return page;
}

async function waitLoaded(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('.status')?.textContent ?? '';
    return s.includes('events') && !s.includes('loading');
  }, undefined, { timeout: 10_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * How long `savedState` waits for a save: the page saves STATE_SAVE_DELAY_MS after a change,
 * so a save already pending is due within it; 100 ms more for a busy page. Set by build().
 */
let saveWaitMs;

/**
 * The view state once every change made so far is saved: the state of the page's next save,
 * or the last saved one when no save comes within saveWaitMs (none was pending). A save
 * snapshots the state as it fires, so the next one has everything done before this call.
 */
const savedState = (page) =>
  page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          window.removeEventListener('test-state-saved', done);
          resolve(window.__states[window.__states.length - 1]);
        };
        const timer = setTimeout(done, ms);
        window.addEventListener('test-state-saved', done);
      }),
    saveWaitMs,
  );
const posted = (page, type) => page.evaluate((t) => window.__posted.filter((m) => m.type === t), type);
const frame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Appends `count` live events and waits until the page counts them: each batch a delta of its own. */
async function appendLiveShown(ctx, count) {
  ctx.harness.appendLive(count);
  await ctx.flushHost();
  const total = ctx.harness.store.size;
  await ctx.page.waitForFunction((n) => document.querySelector('.status').textContent.includes(` ${n} events`), total, { timeout: 10_000 });
}

/** `top` drawn with `alpha` over `bottom`, as '#rrggbb'. */
function blend(top, bottom, alpha) {
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [a, b] = [rgb(top), rgb(bottom)];
  return '#' + a.map((v, i) => Math.round(v * alpha + b[i] * (1 - alpha)).toString(16).padStart(2, '0')).join('');
}

/**
 * Canvas points (CSS px, plot area only: rows `fromY` to `toY`) whose colour is `hex` (within
 * `tolerance` per channel), at most `max`.
 */
async function pointsOfColor(page, hex, max = 50, tolerance = 3, fromY = 30, toY = Infinity) {
  return page.evaluate(({ hex, max, tolerance, fromY, toY }) => {
    const canvas = document.querySelector('canvas');
    const ctx = canvas.getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    const { width, height } = canvas;
    const data = ctx.getImageData(0, 0, width, height).data;
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const found = [];
    for (let y = Math.ceil(fromY * dpr); y < Math.min(height, toY * dpr) && found.length < max; y += 1) {
      for (let x = Math.ceil(224 * dpr); x < width && found.length < max; x += 1) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - want[0]) < tolerance && Math.abs(data[i + 1] - want[1]) < tolerance && Math.abs(data[i + 2] - want[2]) < tolerance) found.push({ x: x / dpr, y: y / dpr });
      }
    }
    return found;
  }, { hex, max, tolerance, fromY, toY });
}

async function canvasBox(page) {
  return page.locator('canvas').boundingBox();
}

// ---- the tests ----

test('says ready first and shows lanes, marks, legend and status once the host answers', async (ctx) => {
  const page = await openTimeline(ctx);
  const all = await page.evaluate(() => window.__posted.map((m) => m.type));
  assert.equal(all[0], 'ready');
  assert.ok(all.filter((t) => t === 'requestMarks').length >= 2, 'marks are pulled in several chunks');
  const status = await page.locator('.status').textContent();
  assert.match(status, /demo · loaded · \d+ objects · 1500 events/);
  const legend = await page.locator('.legend').textContent();
  assert.match(legend, /stop/);
  assert.match(legend, /started/);
  assert.match(legend, /connection lost/);
  // Every sign the canvas draws is explained: the fault and anomaly icons, the member arrows.
  assert.match(legend, /beside a name: it ended with a fault/);
  assert.match(legend, /↑a room member that publishes/);
  assert.match(legend, /↓a room member that listens/);
  // The lifetime swatches have the bars' own colours, which differ.
  const [ended, alive] = await Promise.all(['.swatch-bar', '.swatch-bar-alive'].map((s) => page.locator(s).evaluate((e) => getComputedStyle(e).backgroundColor)));
  assert.notEqual(ended, alive, 'ended and alive lifetimes differ in the legend');
  // Terminal events are drawn in the theme's red.
  assert.ok((await pointsOfColor(page, THEMES.dark.vars['--vscode-charts-red'])).length > 0, 'red stop marks are drawn');
  assert.equal(ctx.harness.invalidMessages, 0);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('health strip: each window a bar under the axis, as tall as its p99 and red near the 5 s rule', async (ctx) => {
  const page = await openTimeline(ctx, { health: true });
  await page.keyboard.press('f');
  // The strip is between the axis labels (22 px) and the rows (40 px).
  const inStrip = (hex) => pointsOfColor(page, hex, 400, 3, 22, 40);
  const green = await inStrip(THEMES.dark.vars['--vscode-charts-green']);
  const red = await inStrip(THEMES.dark.vars['--vscode-errorForeground']);
  assert.ok(green.length > 0, 'the healthy window is drawn in green');
  assert.ok(red.length > 0, 'the window near the 5 s rule is drawn in red');
  const top = (points) => Math.min(...points.map((p) => p.y));
  assert.ok(top(red) < top(green), `the slow window's bar is taller: red from y ${top(red)}, green from ${top(green)}`);
  assert.ok(Math.min(...red.map((p) => p.x)) > Math.max(...green.map((p) => p.x)) - 2, 'the slow window comes after the healthy one');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('the wheel zooms around the cursor', async (ctx) => {
  const page = await openTimeline(ctx);
  const before = await savedState(page);
  const box = await canvasBox(page);
  const cursorX = box.x + 220 + (box.width - 220) * 0.25;
  await page.mouse.move(cursorX, box.y + 100);
  await page.mouse.wheel(0, -300);
  await frame(page);
  const after = await savedState(page);
  const plotW = box.width - 220;
  const timeAt = (s) => s.viewStart + ((cursorX - box.x - 220) / plotW) * (s.viewEnd - s.viewStart);
  assert.ok(after.viewEnd - after.viewStart < (before.viewEnd - before.viewStart) * 0.8, 'zoomed in');
  assert.ok(Math.abs(timeAt(after) - timeAt(before)) < (before.viewEnd - before.viewStart) * 0.01, 'the time under the cursor stays put');
});

test('dragging pans in time, and Shift+drag brushes a range to zoom into', async (ctx) => {
  const page = await openTimeline(ctx);
  const box = await canvasBox(page);
  const before = await savedState(page);
  const y = box.y + 120;
  await page.mouse.move(box.x + 600, y);
  await page.mouse.down();
  await page.mouse.move(box.x + 500, y, { steps: 5 });
  await page.mouse.up();
  const panned = await savedState(page);
  const msPerPx = (before.viewEnd - before.viewStart) / (box.width - 220);
  assert.ok(Math.abs(panned.viewStart - before.viewStart - 100 * msPerPx) < 3 * msPerPx, 'moved by 100 px worth of time');
  assert.ok(Math.abs(panned.viewEnd - panned.viewStart - (before.viewEnd - before.viewStart)) < 1, 'same span');

  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 300, y);
  await page.mouse.down();
  await page.mouse.move(box.x + 400, y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const brushed = await savedState(page);
  const span = brushed.viewEnd - brushed.viewStart;
  assert.ok(Math.abs(span - 100 * msPerPx) < 3 * msPerPx, `the view is the brushed 100 px (${span} ms)`);
});

test('keyboard: + and - zoom, arrows pan, Home and End go to the ends, F fits all', async (ctx) => {
  const page = await openTimeline(ctx);
  await page.locator('canvas').focus();
  const fit = await savedState(page);
  const span = (s) => s.viewEnd - s.viewStart;
  await page.keyboard.press('+');
  const zoomed = await savedState(page);
  assert.ok(Math.abs(span(zoomed) - span(fit) / 2) < 1);
  await page.keyboard.press('ArrowRight');
  const right = await savedState(page);
  assert.ok(right.viewStart > zoomed.viewStart);
  await page.keyboard.press('Home');
  const home = await savedState(page);
  assert.ok(home.viewStart <= fit.viewStart + span(fit) * 0.05 && home.viewStart < zoomed.viewStart);
  await page.keyboard.press('End');
  const end = await savedState(page);
  assert.ok(end.viewEnd >= fit.viewEnd - span(fit) * 0.05);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await page.keyboard.press('f');
  const refit = await savedState(page);
  assert.ok(Math.abs(refit.viewStart - fit.viewStart) < 1 && Math.abs(refit.viewEnd - fit.viewEnd) < 1);
});

test('clicking a mark selects it: the host hears of it, the details show its JSON, and it is announced', async (ctx) => {
  const page = await openTimeline(ctx);
  const red = await pointsOfColor(page, THEMES.dark.vars['--vscode-charts-red'], 1);
  assert.ok(red.length > 0);
  const box = await canvasBox(page);
  await page.mouse.click(box.x + red[0].x + 1, box.y + red[0].y + 1);
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0);
  const selections = await posted(page, 'selectEvent');
  assert.equal(selections.length, 1);
  const json = await page.locator('.details-json').textContent();
  assert.match(json, /"type": "(stop|hangup|destroyed)"/);
  assert.match(await page.locator('.details-summary').textContent(), new RegExp(`#${selections[0].seq}`));
  assert.match(await page.locator('[aria-live]').textContent(), /^Selected (stop|hangup|destroyed) event of (session|call|room) /);
});

test('the selected event and its details come back when the page is reloaded (a tab switch), without a second reveal', async (ctx) => {
  const page = await openTimeline(ctx);
  const red = await pointsOfColor(page, THEMES.dark.vars['--vscode-charts-red'], 1);
  const box = await canvasBox(page);
  await page.mouse.click(box.x + red[0].x + 1, box.y + red[0].y + 1);
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0);
  const json = await page.locator('.details-json').textContent();
  const summary = await page.locator('.details-summary').textContent();
  await savedState(page);
  await openTimeline(ctx, {}, 'dark', true);
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0, undefined, { timeout: 5_000 });
  assert.equal(await page.locator('.details-json').textContent(), json, 'the same event JSON');
  assert.equal(await page.locator('.details-summary').textContent(), summary);
  const again = await posted(page, 'selectEvent');
  assert.deepEqual(again.map((m) => m.reveal), [false], 'asked for its details only, not to reveal it in the tree again');
});

test('event text with HTML or script shows as text and runs nothing', async (ctx) => {
  const page = await openTimeline(ctx);
  ctx.harness.feed.centerOn({ seq: ctx.harness.hostileSeq });
  await ctx.flushHost();
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.includes('<script>'));
  const json = await page.locator('.details-json').textContent();
  assert.ok(json.includes('<script>window.__pwned=2</script>'));
  assert.ok(json.includes(ctx.harnessModule.HOSTILE_ID.replace(/"/g, '\\"')));
  assert.equal(await page.locator('.details-json *').count(), 0, 'no elements made from the JSON');
  // Hover the hostile mark: its tooltip excerpt is text too.
  await page.locator('canvas').focus();
  await frame(page);
  const box = await canvasBox(page);
  const state = await savedState(page);
  const x = box.x + 220 + ((ctx.harness.store.tsOf(ctx.harness.hostileSeq) - state.viewStart) / (state.viewEnd - state.viewStart)) * (box.width - 220);
  const ring = await pointsOfColor(page, THEMES.dark.vars['--vscode-focusBorder'], 400);
  const ys = ring.filter((p) => Math.abs(box.x + p.x - x) < 6).map((p) => p.y);
  assert.ok(ys.length > 0, 'the centred event has a selection ring');
  const y = box.y + (Math.min(...ys) + Math.max(...ys)) / 2;
  await page.mouse.move(x, y);
  await page.waitForFunction(() => !document.querySelector('.tooltip').hidden && document.querySelector('.tooltip-excerpt')?.textContent !== '…');
  const tooltip = await page.locator('.tooltip').textContent();
  assert.match(tooltip, /media\/player\/played/);
  assert.ok(tooltip.includes('<b onmouseover=alert(1)>bold</b>'));
  assert.equal(await page.locator('.tooltip img, .tooltip b, .tooltip script').count(), 0);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('notes: Bookmark… and B ask the host for a note on the selected event; a note is a flag on its lane and a line of text in the details', async (ctx) => {
  const page = await openTimeline(ctx);
  assert.equal(await page.locator('.bookmark-button').isDisabled(), true, 'nothing selected, nothing to bookmark');
  ctx.harness.feed.centerOn({ seq: ctx.harness.hostileSeq });
  await ctx.flushHost();
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0);
  assert.equal(await page.locator('.bookmark-button').isEnabled(), true);
  await page.locator('.bookmark-button').click();
  await page.locator('canvas').focus();
  await page.keyboard.press('b');
  await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'bookmark').length === 2);
  assert.deepEqual((await posted(page, 'bookmark')).map((m) => m.seq), [ctx.harness.hostileSeq, ctx.harness.hostileSeq]);
  assert.equal(ctx.harness.invalidMessages, 0);

  // No selection ring: the only focus-coloured pixels in the plot are then the note's flag.
  await page.keyboard.press('Escape');
  await frame(page);
  const focus = THEMES.dark.vars['--vscode-focusBorder'];
  assert.equal((await pointsOfColor(page, focus, 5)).length, 0, 'no flag before the note');
  const text = '<img src=x onerror="window.__pwned=3"> check\nthis';
  ctx.harness.noteOn(ctx.harness.hostileSeq, text);
  await ctx.flushHost();
  await page.waitForFunction(
    (hex) => {
      const canvas = document.querySelector('canvas');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - want[0]) < 3 && Math.abs(data[i + 1] - want[1]) < 3 && Math.abs(data[i + 2] - want[2]) < 3) return true;
      return false;
    },
    focus,
    { timeout: 5_000 },
  );
  assert.ok((await pointsOfColor(page, focus, 5)).length > 0, 'the flag is drawn on the lane');
  ctx.harness.feed.centerOn({ seq: ctx.harness.hostileSeq });
  await ctx.flushHost();
  await page.waitForFunction(() => !document.querySelector('.details-notes').hidden);
  assert.equal(await page.locator('.details-notes').textContent(), `✎ ${text}`);
  assert.equal(await page.locator('.details-notes img').count(), 0, 'the note is text');
  // Hovering its mark: the tooltip says the note too.
  await page.locator('canvas').focus();
  await frame(page);
  const box = await canvasBox(page);
  const state = await savedState(page);
  const x = box.x + 220 + ((ctx.harness.store.tsOf(ctx.harness.hostileSeq) - state.viewStart) / (state.viewEnd - state.viewStart)) * (box.width - 220);
  const ring = (await pointsOfColor(page, focus, 400)).filter((p) => Math.abs(box.x + p.x - x) < 6).map((p) => p.y);
  assert.ok(ring.length > 0, 'the centred event has a selection ring');
  await page.mouse.move(x, box.y + (Math.min(...ring) + Math.max(...ring)) / 2 - 2);
  await page.waitForFunction(() => !document.querySelector('.tooltip').hidden);
  assert.ok((await page.locator('.tooltip').textContent()).includes(`✎ ${text}`), await page.locator('.tooltip').textContent());
  assert.equal(await page.locator('.tooltip img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.match(await page.locator('.legend').textContent(), /a note \(B adds one/);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.screenshot({ path: path.join(shotDir, 'timeline-notes.png') });
});

test('the filter box filters through the host: only matching objects remain', async (ctx) => {
  const page = await openTimeline(ctx);
  const objects = (s) => Number(/(\d+) objects/.exec(s)[1]);
  const before = objects(await page.locator('.status').textContent());
  await page.locator('.filter-subclass').selectOption('room');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'setFilter'));
  await waitLoaded(page);
  await page.waitForFunction((n) => Number(/(\d+) objects/.exec(document.querySelector('.status').textContent)[1]) < n, before);
  const setFilter = await posted(page, 'setFilter');
  assert.deepEqual(setFilter[setFilter.length - 1].filter, { subclasses: ['room'] });
  const rooms = ctx.harness.store.counts().room;
  assert.equal(objects(await page.locator('.status').textContent()), rooms);
});

test('keyboard reaches rows: Down moves, Enter collapses a group, and the change is announced', async (ctx) => {
  const page = await openTimeline(ctx);
  await page.locator('canvas').focus();
  await page.keyboard.press('ArrowDown');
  assert.match(await page.locator('[aria-live]').textContent(), /row 2 of \d+/);
  await page.keyboard.press('ArrowUp');
  assert.match(await page.locator('[aria-live]').textContent(), /Sessions group, \d+ objects, expanded, row 1/);
  await page.keyboard.press('Enter');
  assert.match(await page.locator('[aria-live]').textContent(), /Sessions collapsed/);
  const state = await savedState(page);
  assert.ok(state.collapsed.includes('group:session'));
  await page.keyboard.press('ArrowDown');
  assert.match(await page.locator('[aria-live]').textContent(), /^Rooms group/);
  // Select the first event of a row with ]: the details pane fills.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press(']');
  await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0);
  assert.match(await page.locator('[aria-live]').textContent(), /^Selected .* event of room/);
});

test('every toolbar control is reachable with Tab and has a name', async (ctx) => {
  const page = await openTimeline(ctx);
  const names = [];
  await page.locator('.icon-button').first().focus();
  for (let i = 0; i < 9; i++) {
    names.push(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || document.activeElement.tagName));
    await page.keyboard.press('Tab');
  }
  assert.deepEqual(names.slice(0, 9), ['Fit all', 'Zoom in', 'Zoom out', 'Follow live events', 'Time relative to the selected object', 'Filter events by text, or by user with user:name', 'Filter by event type', 'Filter by subclass', 'Timeline of sessions, rooms and calls']);
});

test('the view state survives a reload', async (ctx) => {
  const page = await openTimeline(ctx);
  await page.locator('canvas').focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');
  const before = await savedState(page);
  await openTimeline(ctx, {}, 'dark', true);
  const after = await page.evaluate(() => JSON.parse(sessionStorage.getItem('state')));
  assert.equal(after.sourceId, 'demo');
  assert.ok(Math.abs(after.viewStart - before.viewStart) < 1 && Math.abs(after.viewEnd - before.viewEnd) < 1);
});

test('live: new events stream in, bars stay open, and follow keeps the newest in view', async (ctx) => {
  const page = await openTimeline(ctx, { live: true });
  assert.equal(await page.locator('.icon-button[aria-label="Follow live events"]').getAttribute('aria-pressed'), 'true');
  for (let i = 0; i < 5; i++) await appendLiveShown(ctx, 200);
  await page.waitForFunction(() => /2500 events/.test(document.querySelector('.status').textContent));
  const state = await savedState(page);
  const lastTs = ctx.harness.store.tsOf(ctx.harness.store.lastSeq);
  assert.ok(state.viewStart < lastTs && state.viewEnd >= lastTs, 'the newest event is in view');
  // Panning stops following.
  await page.locator('canvas').focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('.icon-button[aria-label="Follow live events"]').getAttribute('aria-pressed'), 'false');
});

test('live: the rows on top are the ones with something drawn in the followed window', async (ctx) => {
  const page = await openTimeline(ctx, { live: true });
  for (let i = 0; i < 3; i++) await appendLiveShown(ctx, 200);
  await frame(page);
  // Row 1 of Sessions (below the 24 px axis and the 22 px group header) is a session still
  // alive: its bar, in the theme's "alive" colour, runs through the window. Oldest first, the
  // top rows were sessions that had ended long before the window: nothing drawn.
  // Alive bars are the chart blue at 55 % over the editor background.
  const alive = blend(THEMES.dark.vars['--vscode-charts-blue'], THEMES.dark.vars['--vscode-editor-background'], 0.55);
  const inFirstRows = (await pointsOfColor(page, alive, 400, 6)).filter((p) => p.y >= 46 && p.y < 46 + 3 * 20);
  assert.ok(inFirstRows.length > 0, 'alive bars in the first three session rows');
  assert.equal(await page.locator('.empty-note').isVisible(), false, 'no "nothing here" note');
});

test('live: a lane already drawn picks up its answer, then its end, fault code and anomaly', async (ctx) => {
  const page = await openTimeline(ctx, { live: true });
  const id = 'delta-probe-session';
  const key = `media/session/${id}`;
  // What a screen reader hears about the lane: centre on it from the host (as a reveal from
  // the tree does), step off the row and back, and read the announcement of the row.
  const describeLane = async () => {
    await ctx.flushHost();
    ctx.harness.feed.centerOn({ objectKey: key });
    await ctx.flushHost();
    await page.waitForFunction(() => /^Centred on session delta-pr/.test(document.querySelector('.announcer').textContent));
    await page.locator('canvas').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    return page.locator('.announcer').textContent();
  };
  ctx.harness.appendEvent({ class: 'media', subclass: 'session', type: 'updated_type', obj_id: id, body: { session_type: 'publish' } });
  await page.waitForFunction(() => /1501 events/.test(document.querySelector('.status').textContent));
  const first = await describeLane();
  assert.match(first, /^session delta-pr \S+, still alive, 1 events, row \d+ of \d+\.$/);
  assert.equal(await page.locator('.icon-button[aria-label="Follow live events"]').getAttribute('aria-pressed'), 'false', 'going to an object stops following');
  assert.doesNotMatch(first, /answered/);

  ctx.harness.appendEvent({ class: 'media', subclass: 'session', type: 'answer', obj_id: id, body: { answer: { sdp: 'v=0' } } });
  await page.waitForFunction(() => /1502 events/.test(document.querySelector('.status').textContent));
  assert.match(await describeLane(), /^session delta-pr answered, still alive, 2 events, row/);

  ctx.harness.appendEvent({ class: 'media', subclass: 'session', type: 'stop', obj_id: id, body: { code: 2202, reason: 'Janus op process down' } });
  await page.waitForFunction(() => /1503 events/.test(document.querySelector('.status').textContent));
  const ended = await describeLane();
  assert.match(ended, /^session delta-pr \S+, ended with code 2202 \(Janus op process down\), 3 events, 1 anomaly: [^,]*2202/);
  await frame(page);
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, 'timeline-live-delta.png') });
});

test('an empty window says so and offers Fit all, which brings the data back', async (ctx) => {
  await openTimeline(ctx);
  const lastTs = ctx.harness.store.tsOf(ctx.harness.store.lastSeq);
  // A saved view an hour after the data (as after scrolling far off), then a reload.
  await ctx.page.evaluate((view) => sessionStorage.setItem('state', JSON.stringify({ sourceId: 'demo', ...view })), { viewStart: lastTs + 3_600_000, viewEnd: lastTs + 3_660_000 });
  const page = await openTimeline(ctx, {}, 'dark', true);
  const note = page.locator('.empty-note');
  await note.waitFor({ state: 'visible', timeout: 5_000 });
  assert.match(await note.textContent(), /^Nothing between \d\d:\d\d:\d\d\.\d{3} and \d\d:\d\d:\d\d\.\d{3}: the \d+ objects lie outside this window\.Fit all$/);
  assert.equal(await note.getAttribute('role'), 'status', 'screen readers hear it');
  await page.locator('.empty-note-fit').click();
  await note.waitFor({ state: 'hidden', timeout: 5_000 });
  const state = await savedState(page);
  assert.ok(state.viewStart <= ctx.harness.store.tsOf(ctx.harness.store.firstSeq) && state.viewEnd >= lastTs, 'every event in view again');
});

test('a closed source shows a clear message', async (ctx) => {
  const page = await openTimeline(ctx);
  await page.evaluate(() => window.postMessage({ type: 'sourceGone', sourceId: 'demo', message: '"demo" is no longer open.' }, '*'));
  await page.waitForFunction(() => !document.querySelector('.message').hidden);
  assert.equal(await page.locator('.message').textContent(), '"demo" is no longer open.');
});

test('screenshots of a populated timeline in a dark and a light theme', async (ctx) => {
  fs.mkdirSync(shotDir, { recursive: true });
  for (const theme of ['dark', 'light']) {
    const page = await openTimeline(ctx, { events: 3000 }, theme);
    await page.locator('canvas').focus();
    // Zoom into the first third, where rooms, listeners and the gap are.
    await page.keyboard.press('+');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(']');
    await page.waitForFunction(() => document.querySelector('.details-json')?.textContent?.length > 0);
    await frame(page);
    const background = THEMES[theme].vars['--vscode-editor-background'];
    const bg = await pointsOfColor(page, background, 10);
    assert.ok(bg.length > 0, 'the canvas uses the theme background');
    await page.screenshot({ path: path.join(shotDir, `timeline-${theme}.png`) });
  }
});

registerSummaryTests(test, { shotDir });
registerDiffTests(test, { shotDir });

// ---- main ----

async function main() {
  const filters = process.argv.slice(2);
  const modules = await build();
  const server = await serve(modules);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: realVscodePaths.chromium, args: CHROMIUM_ARGS });
  let passed = 0;
  let failed = 0;
  const chosen = tests.filter((t) => filters.length === 0 || filters.some((f) => t.name.includes(f)));
  const failedNames = [];
  try {
    for (const t of chosen) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const ctx = { page, base, harnessModule: modules.harness, summaryModule: modules.summary, diffModule: modules.diff, cleanups: [], harness: undefined, flushHost: async () => {} };
      await page.exposeFunction('__toHost', (message) => ctx.harness?.receive(message));
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      let timer;
      try {
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
        });
        await Promise.race([t.fn(ctx), timeout]);
        assert.deepEqual(errors, [], 'no script errors in the page');
        passed++;
        console.log(`ok   ${t.name}`);
      } catch (error) {
        failed++;
        failedNames.push(t.name);
        console.log(`FAIL ${t.name}\n     ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n     ')}`);
      } finally {
        clearTimeout(timer);
        for (const cleanup of ctx.cleanups) cleanup();
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const notRun = chosen.length - passed - failed;
  console.log(`webview: ${passed} passed, ${failed} failed${notRun ? `, ${notRun} not run` : ''}`);
  for (const name of failedNames) console.log(`✖ ${name}`);
  writeResults('webview', { passed, failed, notRun });
  if (passed === 0) console.error(`no webview test ran${filters.length ? ` (no test name contains ${filters.join(', ')})` : ''}`);
  process.exit(failed > 0 || notRun > 0 || passed === 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
