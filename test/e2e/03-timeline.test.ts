// The timeline webview of the demo server: its legend, lanes for sessions, rooms and calls
// (drawn on a canvas: read through the keyboard navigation and its aria-live announcements),
// selecting an event (keyboard, then a click on a mark) that shows its JSON and selects it in
// the tree, and the same page in all four kinds of theme (dark, light, both high contrasts). Builds on 01/02 (demo running).
import * as assert from 'assert';
import type { FrameLocator } from 'playwright-core';
import { eventually, workbench, type ThemeKind } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
/** The timeline's canvas: how its page is told apart from other webviews. */
const CANVAS = 'canvas[aria-roledescription="timeline"]';
const DARK = 'Dark Modern';
const LIGHT = 'Light Modern';
/** VS Code's default in a browser (VS Code 1.139), which the other steps see. */
const DEFAULT_THEME = 'Light 2026';

let frame: FrameLocator;

function announcer() {
  return frame.locator('.announcer[aria-live="polite"]');
}

/** Presses `key` on the canvas and waits for the aria-live region to say something matching `expected`. */
async function pressAndHear(key: string, expected: RegExp): Promise<string> {
  const wb = workbench();
  await frame.locator(CANVAS).press(key);
  let heard = '';
  await eventually(`an announcement matching ${expected} after ${key}`, async () => expected.test((heard = (await announcer().textContent()) ?? '')), 10_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}; heard "${heard}"`);
    },
  );
  await wb.page.waitForTimeout(50);
  return heard;
}

/** The webview body's background and the workbench's theme class. */
async function colours(): Promise<{ body: string; theme: string }> {
  const wb = workbench();
  const body = await frame.locator('body').evaluate((b: any) => (globalThis as any).getComputedStyle(b).backgroundColor as string);
  const theme = await wb.page
    .locator('.monaco-workbench')
    .first()
    .evaluate((w: any) => (String(w.className).split(/\s+/).find((c) => ['vs', 'vs-dark', 'hc-black', 'hc-light'].includes(c)) ?? '') as string);
  return { body, theme };
}

/** Brightness 0..255 of an `rgb(r, g, b)` colour. */
function brightness(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Picks a colour theme (Workbench.useTheme) and waits until the timeline page shows it. */
function useTheme(theme: string, kind: ThemeKind): Promise<void> {
  return workbench().useTheme(theme, kind, frame);
}

/**
 * The WCAG contrast ratio of the first group header ("Sessions (N)"), read from the canvas
 * pixels: its band's colour (the most common one) against the pixel that differs most from it
 * (the core of the glyphs).
 */
async function groupHeaderContrast(): Promise<{ ratio: number; band: string; text: string }> {
  await frame.locator('.scroller').evaluate((el: any) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  await workbench().page.waitForTimeout(300);
  return frame.locator(CANVAS).evaluate((canvas: any) => {
    const dpr = (globalThis as any).devicePixelRatio || 1;
    // Below the 24 px time axis, the 22 px header row; its label starts 24 px in.
    const x0 = Math.round(24 * dpr), y0 = Math.round(26 * dpr), w = Math.round(110 * dpr), h = Math.round(18 * dpr);
    const data = canvas.getContext('2d').getImageData(x0, y0, w, h).data as Uint8ClampedArray;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const band = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const channel = (v: number) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    const luminance = (rgb: number) => 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) + 0.0722 * channel(rgb & 255);
    const contrast = (a: number, b: number) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    let text = band;
    for (const key of counts.keys()) if (contrast(key, band) > contrast(text, band)) text = key;
    const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, '0')}`;
    return { ratio: contrast(text, band), band: hex(band), text: hex(text) };
  });
}

/** Moves the pointer over the empty part of the activity bar: no hover on the canvas or the tree. */
async function parkPointer(): Promise<void> {
  const wb = workbench();
  const size = wb.page.viewportSize() ?? { width: 1400, height: 900 };
  await wb.page.mouse.move(24, Math.round(size.height * 0.6));
}

/** Counts distinct colours in the canvas's plot area (right of the row labels): a drawn timeline has many. */
async function plotColours(): Promise<number> {
  return frame.locator(CANVAS).evaluate((canvas: any) => {
    const ctx = canvas.getContext('2d');
    const dpr = canvas.width / Math.max(1, canvas.clientWidth);
    const x = Math.floor(230 * dpr);
    const data = ctx.getImageData(x, 0, Math.max(1, canvas.width - x), canvas.height).data as Uint8ClampedArray;
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 1000; i += 16) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
}

describe('Timeline', function () {
  // A loaded machine: the webview, its data and two theme switches take their time.
  this.timeout(180_000);

  it('"NkMEDIA: Show Timeline" opens the timeline of the demo server', async () => {
    const wb = workbench();
    await wb.openView('NkMEDIA');
    // Run alone (--grep Timeline), nothing has started the demo yet.
    if (await wb.welcomeVisible()) {
      await wb.runCommand('NkMEDIA: Start Demo Server');
      await wb.waitForRows('demo sessions', (rows) => rows.some((r) => /^Sessions/.test(r.label)), 60_000);
    }
    // Without waiting for the palette to close: a "Which source?" pick may follow in its place.
    await wb.startCommand('NkMEDIA: Show Timeline');
    await eventually(
      'the timeline, or the question which source it shows',
      async () =>
        (await wb.page.locator('.tabs-container .tab', { hasText: 'Timeline:' }).count()) > 0 ||
        (await wb.page.locator(`${QUICK_INPUT} input.input[placeholder="Which source?"]`).isVisible()),
      30_000,
    );
    if (await wb.page.locator(`${QUICK_INPUT} input.input[placeholder="Which source?"]`).isVisible()) {
      await wb.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'demo' }).first().click();
    }
    await wb.page.locator('.tabs-container .tab', { hasText: 'Timeline: demo' }).first().waitFor({ timeout: 30_000 });
    frame = await wb.webview(CANVAS, 60_000);
    await parkPointer();
  });

  it('draws lanes for sessions, rooms and calls and a legend of the event types', async () => {
    // The status line: "<source> · <status> · N objects · N events", "· loading…" until all marks arrived.
    const status = frame.locator('.toolbar .status');
    await eventually(
      'the timeline to have loaded its objects and events',
      async () => /^demo · connected · [1-9]\d* objects · [1-9]\d* events$/.test(((await status.textContent()) ?? '').trim()),
      60_000,
    );
    const legend = (await frame.locator('ul.legend li').allInnerTexts()).map((t) => t.trim());
    // One line per colour: "answer: session/answer, call/answer", then what bars and marks mean.
    const typeLines = legend.filter((t) => /^[^:]+: [a-z_]+\/[a-z_]+/.test(t));
    for (const type of ['session/answer', 'session/stop', 'room/started', 'call/ringing']) {
      assert.ok(typeLines.some((t) => t.includes(type)), `${type} in the legend ${JSON.stringify(legend)}`);
    }
    for (const extra of ['lifetime (ended)', 'lifetime (still alive)', 'anomaly', 'listener → publisher']) {
      assert.ok(legend.includes(extra), `"${extra}" in the legend ${JSON.stringify(legend)}`);
    }
    const types = await frame.locator('select.filter-type option').allInnerTexts();
    assert.ok(types.length > 2, `event types offered in the type filter: ${JSON.stringify(types)}`);
    await eventually('marks and bars drawn on the canvas', async () => (await plotColours()) > 8, 30_000);

    // The rows are drawn on the canvas; the keyboard walks them and the aria-live region reads them.
    await frame.locator(CANVAS).focus();
    await pressAndHear('ArrowUp', /^Sessions group, [1-9]\d* objects, expanded, row 1 of \d+\.$/);
    await pressAndHear('ArrowDown', /^session [0-9a-f]{8} \w+, .*\d+ events.*, row 2 of \d+\.$/);
    // Collapse Sessions: the next rows are the Rooms group and a room, then the Calls group.
    // Page Up, not Up: the focus stays on that session, which moves down when it ends (CI
    // heard "row 11" after Up), so the row above it need not be the Sessions group.
    await pressAndHear('PageUp', /^Sessions group/);
    await pressAndHear('Enter', /^Sessions collapsed\.$/);
    await pressAndHear('ArrowDown', /^Rooms group, [1-9]\d* objects, expanded, row 2 of \d+\.$/);
    await pressAndHear('ArrowDown', /^room [0-9a-f]{8} \w+, .*\d+ events.*, row 3 of \d+\.$/);
    await pressAndHear('ArrowUp', /^Rooms group/);
    await pressAndHear('Enter', /^Rooms collapsed\.$/);
    await pressAndHear('ArrowDown', /^Calls group, [1-9]\d* objects, expanded, row 3 of \d+\.$/);
    await pressAndHear('ArrowDown', /^call [0-9a-f]{8} \w+, .*\d+ events.*, row 4 of \d+\.$/);
    // Open the groups again. Page Up, not Up: the focus stays on that call, and live calls
    // that end move below the others, so the row above it need not be the Calls group.
    await pressAndHear('PageUp', /^Sessions group, [1-9]\d* objects, collapsed, row 1 of \d+\.$/);
    await pressAndHear('ArrowDown', /^Rooms group, [1-9]\d* objects, collapsed, row 2 of \d+\.$/);
    await pressAndHear('Enter', /^Rooms expanded\.$/);
    await pressAndHear('ArrowUp', /^Sessions group/);
    await pressAndHear('Enter', /^Sessions expanded\.$/);
  });

  it('Enter on a session selects an event: its JSON in the details pane, announced, selected in the tree', async () => {
    const wb = workbench();
    // The tree lists the newest objects first: while events stream in, a revealed row slides
    // down and off the screen within seconds (reported). Paused, it stays where it was revealed.
    await wb.runCommand('NkMEDIA: Pause Display');
    await wb.page.locator('.part.sidebar').getByText('Display paused').first().waitFor({ timeout: 15_000 });
    await pressAndHear('ArrowDown', /^session [0-9a-f]{8}/);
    const heard = await pressAndHear('Enter', /^Selected \w+ event of session [0-9a-f]{8} at \d\d:\d\d:\d\d\.\d{3}\.$/);
    const json = frame.locator('pre.details-json');
    await eventually('the event JSON in the details pane', async () => ((await json.textContent()) ?? '').trim().startsWith('{'), 15_000);
    const event = JSON.parse((await json.textContent()) ?? '') as { type: string; obj_id: string; subclass: string };
    assert.strictEqual(event.subclass, 'session');
    assert.ok(heard.includes(`${event.type} event of session ${event.obj_id.slice(0, 8)}`), `"${heard}" names the event in the pane (${event.type} of ${event.obj_id})`);
    const summary = (await frame.locator('.details-summary').textContent()) ?? '';
    assert.match(summary, new RegExp(`/${event.type} · \\d\\d:\\d\\d:\\d\\d\\.\\d{3} · session ${event.obj_id} · #\\d+$`));

    // The tree reveals and selects the same event under its session.
    const rows = await wb.waitForRows(
      `the ${event.type} event of session ${event.obj_id.slice(0, 8)} selected in the tree`,
      (r) => {
        // Level 3 under a live session, level 4 under one in the group's "Ended" list.
        const at = r.findIndex((row) => row.selected && row.label === event.type && row.level >= 3);
        if (at < 0) return false;
        const parent = r.slice(0, at).reverse().find((row) => row.level === r[at].level - 1);
        return parent?.label.startsWith(event.obj_id.slice(0, 8)) ?? false;
      },
      30_000,
    );
    assert.ok(rows.some((r) => r.selected));
    await wb.runCommand('NkMEDIA: Resume Display');
    await wb.page.locator('.part.sidebar').getByText('Display paused').first().waitFor({ state: 'hidden', timeout: 15_000 });
  });

  it('a click on a mark shows that event', async () => {
    const wb = workbench();
    const canvas = frame.locator(CANVAS);
    const box = await canvas.boundingBox();
    assert.ok(box, 'the canvas is on screen');
    // Point along the session rows (axis with its health strip 40 px, group header 22 px, lanes 20 px), from the top,
    // until the tooltip of a mark shows, then click there.
    // Hold the view still: following live, the marks slide left under the pointer between
    // the hover that found one and the click (the top rows are the live ones).
    // The newest events in view (End): the top rows, alive or just ended, have their marks
    // there. On a live source End means "follow", so following is turned off after it.
    await frame.locator(CANVAS).press('End');
    const follow = frame.locator('.icon-button[aria-label="Follow live events"]');
    // End on a live source follows it; the webview suite checks the key. Here what matters is
    // that the window is at the newest events. In one CI run it was still at the previous
    // test's selection after End (following off, the axis 1.5 min old; cause not found), and
    // the top rows, live now, had nothing drawn there.
    const pressed = async () => (await follow.getAttribute('aria-pressed')) === 'true';
    if (!(await pressed())) await follow.click();
    await eventually('following live', pressed, 5_000);
    await wb.page.waitForTimeout(300);
    await follow.click();
    await eventually('following live turned off', async () => !(await pressed()), 5_000);
    await wb.page.waitForTimeout(300);
    // Start from nothing selected (Escape), so the pane can only show the clicked event.
    await pressAndHear('Escape', /^Selection cleared\.$/);
    assert.match((await frame.locator('.details-summary').textContent()) ?? '', /^Click a mark/);
    const tooltip = frame.locator('.tooltip');
    let found = false;
    for (let row = 0; row < 8 && !found; row++) {
      const y = box.y + 40 + 22 + 10 + row * 20;
      for (let x = box.x + 224; x < box.x + box.width - 4 && !found; x += 4) {
        await wb.page.mouse.move(x, y);
        found = await tooltip.isVisible();
      }
    }
    assert.ok(found, 'a mark with a tooltip on one of the first session rows');
    const tip = await tooltip.innerText();
    assert.match(tip, /\d\d:\d\d:\d\d\.\d{3}/, `the tooltip gives the time: ${tip}`);
    assert.match(tip, /session [0-9a-f-]{8,}/, `the tooltip names the object: ${tip}`);
    await wb.page.mouse.down();
    await wb.page.mouse.up();
    await eventually('the clicked event in the details pane', async () => !/^Click a mark/.test((await frame.locator('.details-summary').textContent()) ?? ''), 15_000);
    assert.match((await announcer().textContent()) ?? '', /^Selected \w+ event of session [0-9a-f]{8} at /);
    assert.match((await frame.locator('pre.details-json').textContent()) ?? '', /"obj_id": "[0-9a-f-]+"/);
  });

  it('follows the colour theme: dark, then light', async () => {
    const wb = workbench();
    const json = frame.locator('pre.details-json');
    const selected = (await json.textContent()) ?? '';
    assert.ok(selected.startsWith('{'), 'an event is selected');
    await useTheme(DARK, 'vs-dark');
    await parkPointer();
    assert.strictEqual(await json.textContent(), selected, 'the selected event stays in the details pane');
    await eventually('marks drawn in the dark theme', async () => (await plotColours()) > 8, 15_000);
    const dark = await colours();
    assert.ok(brightness(dark.body) < 80, `a dark page background: ${dark.body}`);
    await wb.screenshot('timeline-dark');

    await useTheme(LIGHT, 'vs');
    await parkPointer();
    assert.strictEqual(await json.textContent(), selected, 'the selected event stays in the details pane');
    await eventually('marks drawn in the light theme', async () => (await plotColours()) > 8, 15_000);
    const light = await colours();
    assert.ok(brightness(light.body) > 180, `a light page background: ${light.body}`);
    assert.notStrictEqual(light.body, dark.body);
    const legendText = await frame.locator('ul.legend li span:not(.swatch)').first().evaluate((s: any) => (globalThis as any).getComputedStyle(s).color as string);
    assert.ok(brightness(legendText) < 128, `dark legend text on the light page: ${legendText}`);
    await wb.screenshot('timeline-light');
  });

  it('high-contrast themes: marks are drawn and the group headers are readable', async () => {
    const wb = workbench();
    for (const [theme, kind] of [['Dark High Contrast', 'hc-black'], ['Light High Contrast', 'hc-light']] as const) {
      await useTheme(theme, kind);
      await parkPointer();
      await eventually(`marks drawn in ${theme}`, async () => (await plotColours()) > 8, 15_000);
      // Light High Contrast sets no section-header background: the band fell back to a fixed
      // dark grey, with the theme's black text on it.
      const header = await groupHeaderContrast();
      assert.ok(header.ratio >= 4.5, `"Sessions (N)" in ${theme}: text ${header.text} on ${header.band}, contrast ${header.ratio.toFixed(2)} (≥ 4.5)`);
      await wb.screenshot(`timeline-${kind}`);
    }
  });

  it('goes back to the default theme and closes the timeline', async () => {
    const wb = workbench();
    await useTheme(DEFAULT_THEME, 'vs');
    // "View: Close All Editors" carries its keybinding in its palette entry: pick it with Enter.
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>View: Close All Editors');
    await wb.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: 'View: Close All Editors' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Timeline:' }).first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});
