// "NkMEDIA: Compare Objects…" as a user meets it: a trace of two sessions opened, the command
// picked from the palette, A and B picked by their ids, and the panel that shows their steps
// side by side; a click on a step that selects its event in the tree, and from there the tree's
// context menu ("Select for Compare", then "Compare with Selected") comparing them the other way
// round; the panel in all four kinds of theme (dark, light, both high contrasts). The dark one
// is the README's picture (docs/images/diff.png). Runs alone (--grep "^Compare") or after the others.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { eventually, workbench } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
const GOOD = '39ce4076-391a-1260-75db-38c9862f00d9';
const BAD = '7a1bc0de-4a2b-1260-75db-38c9862f00d9';
/** VS Code's default in a browser (VS Code 1.139), which the other steps see. */
const DEFAULT_THEME = 'Light 2026';

const sdp = (media: string[], codecs: string[], candidates: number, direction: string) =>
  ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=Janus', 't=0 0', ...media.flatMap((m, i) => [`m=${m} 9 UDP/TLS/RTP/SAVPF ${96 + i}`, `a=rtpmap:${96 + i} ${codecs[i]}`, `a=${direction}`]), ...Array.from({ length: candidates }, (_, i) => `a=candidate:${i} 1 udp 2013266431 10.0.0.${i + 1} 4000 typ host`), ''].join('\r\n');

/**
 * A trace (docs/trace-format.md) with a good and a bad publishing session, written by hand:
 * these tests are compiled file by file and cannot import the extension's modules.
 */
function writeTrace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-e2e-diff-'));
  const file = path.join(dir, 'two-sessions.nkmtrace');
  const t0 = Date.UTC(2026, 10, 28, 3, 0, 0);
  const lines = [JSON.stringify({ format: 'nkmedia-trace', version: 1, created: new Date(t0).toISOString(), source: { url: 'wss://media.example.com:9010', user: 'admin', name: 'media-1' }, dialect: '2016-08', tool: 'nkmedia-inspect 0.1.0' })];
  let seq = 0;
  const emit = (ts: number, type: string, objId: string, body: Record<string, unknown>) =>
    lines.push(JSON.stringify({ seq: ++seq, ts, event: { class: 'media', subclass: 'session', type, obj_id: objId, body } }));
  emit(t0, 'updated_type', GOOD, { type: 'publish' });
  emit(t0 + 340, 'answer', GOOD, { answer: { sdp: sdp(['audio', 'video'], ['opus/48000/2', 'VP8/90000'], 4, 'sendrecv'), sdp_type: 'webrtc' } });
  emit(t0 + 5_200, 'stop', GOOD, { code: 1013, reason: 'User stop' });
  const t1 = t0 + 600_000;
  emit(t1, 'updated_type', BAD, { type: 'publish' });
  emit(t1 + 10, 'candidate', BAD, { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 1677721855 203.0.113.7 4000 typ srflx' });
  emit(t1 + 512, 'answer', BAD, { answer: { sdp: sdp(['audio'], ['opus/48000/2'], 1, 'sendonly'), sdp_type: 'webrtc', trickle_ice: true } });
  emit(t1 + 4_100, 'stop', BAD, { code: 2202, reason: 'Janus op process down' });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Answers a file dialog (the quick-input one code-server shows) with a full path (as 05-traces does). */
async function answerFileDialog(file: string): Promise<void> {
  const wb = workbench();
  const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await eventually('the file dialog to show its starting folder', async () => (await input.inputValue()).startsWith('/'));
  let typed = false;
  for (let attempt = 0; attempt < 10 && !typed; attempt++) {
    await input.fill(file);
    await wb.page.waitForTimeout(600);
    typed = (await input.inputValue()) === file;
  }
  assert.ok(typed, `the file dialog kept replacing the path ${file}`);
  await wb.page.keyboard.press('Enter');
  await wb.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 15_000 });
}

/** In the pick titled `title`, types `text` and picks the one row left that matches it. */
async function pickRow(title: string, text: string): Promise<void> {
  const wb = workbench();
  await wb.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).first().waitFor({ timeout: 15_000 });
  const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
  await input.fill(text);
  await wb.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: text }).first().waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press('Enter');
}

type ThemeKind = 'vs-dark' | 'vs' | 'hc-black' | 'hc-light';
const BODY_CLASS: Record<ThemeKind, string> = { 'vs-dark': 'vscode-dark', vs: 'vscode-light', 'hc-black': 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light' };

let frame: FrameLocator;

/** The workbench's theme class. */
async function workbenchTheme(): Promise<string> {
  return workbench()
    .page.locator('.monaco-workbench')
    .first()
    .evaluate((w: any) => (String(w.className).split(/\s+/).find((c) => ['vs', 'vs-dark', 'hc-black', 'hc-light'].includes(c)) ?? '') as string);
}

/** Picks a colour theme as a user does (as 03-timeline does), and waits until the panel's page shows it. */
async function useTheme(theme: string, kind: ThemeKind): Promise<void> {
  const wb = workbench();
  await wb.startCommand('Preferences: Color Theme');
  const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
  await wb.page.locator(`${QUICK_INPUT} .monaco-list-row`).first().waitFor({ timeout: 15_000 });
  await input.fill(theme);
  await wb.page.locator(`${QUICK_INPUT} .monaco-list-row.focused[aria-label^="${theme}"]`).first().waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press('Enter');
  await wb.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 15_000 });
  await eventually(`the workbench in ${theme}`, async () => (await workbenchTheme()) === kind, 30_000);
  await eventually(`the compare page told about ${theme}`, async () => (await frame.locator(`body.${BODY_CLASS[kind]}`).count()) > 0, 30_000);
}

/** Brightness 0..255 of an `rgb(r, g, b)` colour. */
function brightness(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

const style = (selector: string, property: string) =>
  frame.locator(selector).first().evaluate((e: any, p: string) => (globalThis as any).getComputedStyle(e)[p] as string, property);

describe('Compare Objects', function () {
  // A loaded machine: the webview and four theme switches take their time.
  this.timeout(240_000);

  it('"NkMEDIA: Compare Objects…" on two sessions of a trace opens them side by side', async () => {
    const wb = workbench();
    const file = writeTrace();
    await wb.openView('NkMEDIA');
    await wb.startCommand('NkMEDIA: Open Trace…');
    await answerFileDialog(file);
    await wb.waitForRows('the trace in the tree', (r) => r.some((row) => row.label === 'two-sessions.nkmtrace' || /^Sessions/.test(row.label)), 30_000);

    await wb.startCommand('NkMEDIA: Compare Objects…');
    await pickRow('Compare Objects (1/2)', GOOD);
    await pickRow('Compare Objects (2/2)', BAD);
    await wb.page.locator('.tabs-container .tab', { hasText: 'Compare: session 39ce4076 ↔ session 7a1bc0de' }).first().waitFor({ timeout: 30_000 });
    frame = await wb.webview('table.steps tr.step', 60_000);

    const steps = await frame.locator('tr.step').evaluateAll((rows: any[]) =>
      rows.map((r) => [...r.children].map((td: any) => String((td.querySelector('[aria-hidden="true"]') ?? td).textContent).trim()).join(' | ')),
    );
    assert.deepStrictEqual(steps, [
      ' | updated_type | 0.000 s | 0.000 s | updated_type | 0.000 s',
      '+ |  |  |  | candidate | 0.010 s',
      ' | answer | 0.340 s | +0.172 s | answer | 0.512 s',
      ' | stop | 5.200 s | −1.100 s | stop | 4.100 s',
    ]);
    const codecs = await frame.locator('tr.field', { hasText: 'answer.sdp:codecs' }).innerText();
    assert.match(codecs, /answer\.sdp:codecs\s+"opus\/48000\/2 VP8\/90000"\s+≠\s+answer\.sdp:codecs\s+"opus\/48000\/2"/);
    assert.match(await frame.locator('section.side-b').innerText(), /code 2202 Janus op process down/);
    await wb.moveMouseAway();
    await wb.screenshot('diff-default-theme');
  });

  it('a click on a step selects its event in the tree; the tree\'s context menu compares the other way round', async () => {
    const wb = workbench();
    const objectRow = (id: string) => wb.page.locator(`.part.sidebar .monaco-list-row[aria-label^="session ${id} "]`).first();
    const menuItem = (title: string) => wb.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: title }).first();
    /**
     * Runs a context menu entry: pointed at (the menu focuses it), then Enter. A click alone was
     * now and then taken by the menu as the end of the right-click that opened it: it stayed
     * open with the entry focused and ran nothing.
     */
    const choose = async (title: string) => {
      await menuItem(title).hover();
      await wb.page.locator('.context-view .monaco-menu .action-item.focused', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await wb.page.keyboard.press('Enter');
      await wb.page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 10_000 });
    };
    /** Clicks `side`'s step `type` in the panel and waits for that event selected under its session in the tree. */
    const reveal = async (side: 'a' | 'b', type: string, id: string) => {
      await frame.locator(`tr.step td.${side} button.step-link`, { hasText: type }).first().click();
      await wb.waitForRows(`the ${type} of session ${id.slice(0, 8)} selected in the tree`, (rows) => {
        const at = rows.findIndex((row) => row.selected && row.label === type);
        const parent = at < 0 ? undefined : rows.slice(0, at).reverse().find((row) => row.level === rows[at].level - 1);
        return parent?.ariaLabel.startsWith(`session ${id} `) ?? false;
      }, 30_000);
    };

    await reveal('b', 'candidate', BAD);
    // After the earlier steps a live demo may be in the tree too: its rows must not move this one mid-click.
    await wb.waitUntilStill(objectRow(BAD));
    await objectRow(BAD).click({ button: 'right' });
    await menuItem('Select for Compare').waitFor({ timeout: 10_000 });
    assert.strictEqual(await menuItem('Compare with Selected').count(), 0, 'nothing is selected for compare yet');
    await wb.screenshot('diff-tree-menu-select');
    await choose('Select for Compare');

    await reveal('a', 'stop', GOOD);
    await wb.waitUntilStill(objectRow(GOOD));
    await objectRow(GOOD).click({ button: 'right' });
    await menuItem('Compare with Selected').waitFor({ timeout: 10_000 });
    await choose('Compare with Selected');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Compare: session 7a1bc0de ↔ session 39ce4076' }).first().waitFor({ timeout: 30_000 });
    frame = await wb.webview('section.side-a[aria-label^="A: session 7a1bc0de"]', 60_000);
    assert.match(await frame.locator('p.summary').innerText(), /1 only in A \(−\), 0 only in B \(\+\)/);
    await wb.screenshot('diff-from-tree-menu');

    // Back to the first comparison (good as A), which the theme steps show.
    await wb.page.locator('.tabs-container .tab', { hasText: 'Compare: session 39ce4076 ↔ session 7a1bc0de' }).first().click();
    frame = await wb.webview('section.side-a[aria-label^="A: session 39ce4076"]', 60_000);
  });

  it('reads well in dark, light and both high-contrast themes', async () => {
    const wb = workbench();
    const repoRoot = path.resolve(wb.options.screenshotDir, '..', '..'); // out/screenshots
    for (const [theme, kind] of [['Dark Modern', 'vs-dark'], ['Light Modern', 'vs'], ['Dark High Contrast', 'hc-black'], ['Light High Contrast', 'hc-light']] as const) {
      await useTheme(theme, kind);
      await wb.moveMouseAway();
      const [page, text, onlyB] = await Promise.all([style('body', 'backgroundColor'), style('tr.step td.b', 'color'), style('tr.step.onlyB', 'backgroundColor')]);
      const dark = kind === 'vs-dark' || kind === 'hc-black';
      assert.ok(dark ? brightness(page) < 80 : brightness(page) > 180, `${theme}: page background ${page}`);
      assert.ok(Math.abs(brightness(text) - brightness(page)) > 100, `${theme}: text ${text} readable on ${page}`);
      // The step only B has is marked: a tinted row, or in high contrast (no tints) a dashed outline.
      const outline = await style('tr.step.onlyB', 'outlineStyle');
      assert.ok(onlyB !== page && onlyB !== 'rgba(0, 0, 0, 0)' ? true : outline === 'dashed', `${theme}: the one-sided row stands out (background ${onlyB}, outline ${outline})`);
      const shot = await wb.screenshot(`diff-${kind}`);
      if (kind === 'vs-dark') {
        fs.mkdirSync(path.join(repoRoot, 'docs', 'images'), { recursive: true });
        fs.copyFileSync(shot, path.join(repoRoot, 'docs', 'images', 'diff.png'));
      }
    }
  });

  it('goes back to the default theme and closes the panel', async () => {
    const wb = workbench();
    await useTheme(DEFAULT_THEME, 'vs');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>View: Close All Editors');
    await wb.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: 'View: Close All Editors' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Compare:' }).first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});
