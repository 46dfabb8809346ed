// The Durations panel on the demo server, as a person sees it: charts with bars and
// percentiles on the first screen; a click on a bar filters the tree (its message names the
// span and range) and marks the bar; a second click shows everything again; and the same
// page in all four kinds of colour theme. Starts the demo server if no earlier step did.
import * as assert from 'assert';
import type { FrameLocator } from 'playwright-core';
import { eventually, workbench, type ThemeKind } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
const SESSION_LENGTH = 'section[aria-label="session length"]';
/** VS Code's default in a browser (VS Code 1.139), which the other steps see. */
const DEFAULT_THEME = 'Light 2026';

let frame: FrameLocator;

describe('Durations panel', () => {
  it('opens on the demo server with its charts and percentiles on the first screen', async () => {
    const wb = workbench();
    // Already running after 01; alone (--grep), this starts it. Starting it twice is harmless.
    await wb.runCommand('NkMEDIA: Start Demo Server');
    // The demo connects after the command returns: until then there is no source to show.
    await eventually('the demo connected (status bar)', async () => (await wb.statusBarItems()).some((s) => /NkMEDIA.*ev\/s/.test(s)), 30_000);
    await wb.startCommand('NkMEDIA: Show Durations');
    // With several sources open (a trace, a workspace's server) it asks which: the demo.
    const demo = wb.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'demo' }).first();
    if (await demo.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await demo.click();
    frame = await wb.webview('main#root', 30_000);
    await eventually('session lengths measured on the demo traffic', async () => (await frame.locator(`${SESSION_LENGTH} .bar:not([disabled])`).count()) > 0, 60_000);
    assert.match((await frame.locator('h1').textContent()) ?? '', /^Durations: demo/);
    const figures = (await frame.locator(`${SESSION_LENGTH} .figures`).textContent()) ?? '';
    assert.match(figures, /measured.*p50 .*p90 .*p99 .*max /);
    const bar = frame.locator(`${SESSION_LENGTH} .bar:not([disabled])`).first();
    const box = await bar.boundingBox();
    assert.ok(box && box.height >= 3 && box.y + box.height < 900, `a bar tall enough to click, on the first screen: ${JSON.stringify(box)}`);
    await wb.screenshot('durations-panel');
  });

  it('a bar click filters the tree to that bar; a second click shows everything again', async () => {
    const wb = workbench();
    const bar = frame.locator(`${SESSION_LENGTH} .bar:not([disabled])`).first();
    const label = (await bar.getAttribute('aria-label')) ?? '';
    const range = /^session length (.+): /.exec(label)?.[1];
    assert.ok(range, `the bar says its range: ${label}`);
    await bar.click();
    const message = wb.page.locator('.part.sidebar').getByText(`Filter: session length ${range}`).first();
    await message.waitFor({ timeout: 15_000 });
    await eventually('the clicked bar marked', async () => (await frame.locator(`${SESSION_LENGTH} .bar[aria-pressed="true"]`).count()) === 1, 15_000);
    assert.strictEqual(await frame.locator(`${SESSION_LENGTH} .bar[aria-pressed="true"]`).getAttribute('aria-label').then((l) => l?.split(':')[0]), `session length ${range}`);
    await wb.screenshot('durations-bar-filters-tree');
    await frame.locator(`${SESSION_LENGTH} .bar[aria-pressed="true"]`).click();
    await message.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('follows the colour theme in all four kinds', async () => {
    const wb = workbench();
    const themes: Array<[string, ThemeKind]> = [
      ['Dark Modern', 'vs-dark'],
      ['Light Modern', 'vs'],
      ['Dark High Contrast', 'hc-black'],
      ['Light High Contrast', 'hc-light'],
    ];
    for (const [theme, kind] of themes) {
      await wb.useTheme(theme, kind, frame);
      await eventually(`bars drawn in ${theme}`, async () => (await frame.locator(`${SESSION_LENGTH} .bar:not([disabled])`).count()) > 0, 15_000);
      const [barColour, background] = await frame.locator(`${SESSION_LENGTH} .bar:not([disabled])`).first().evaluate((b: any) => {
        const style = (globalThis as any).getComputedStyle;
        return [style(b).backgroundColor as string, style(b.ownerDocument.body).backgroundColor as string];
      });
      assert.notStrictEqual(barColour, background, `bars stand out from the page in ${theme}`);
      await wb.screenshot(`durations-${kind}`);
    }
    await wb.useTheme(DEFAULT_THEME, 'vs');
    await wb.runCommand('View: Close All Editors');
  });
});
