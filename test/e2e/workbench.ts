// Helpers that drive the VS Code workbench (code-server in headless Chromium) the way a user
// does: click, type, read what is on screen. scripts/realVscode/e2e.js creates one Workbench
// per run and hands it to the tests through `workbench()`.
//
// Selectors verified on VS Code 1.139 (code-server 4.139.1).
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface WorkbenchOptions {
  /** The workbench URL (code-server with the folder to open). */
  url: string;
  /** Where screenshot(name) writes PNGs. */
  screenshotDir: string;
}

export interface TreeRow {
  /** The item's label as shown. */
  label: string;
  /** The grey text after the label ('' when none). */
  description: string;
  /** The row's accessible name: the item's tooltip when it has one, else label + description. */
  ariaLabel: string;
  /** 1 for root items. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
  /** The row is selected (highlighted), e.g. after a reveal. */
  selected: boolean;
}

const SIDEBAR = '.part.sidebar';
const TREE_ROWS = `${SIDEBAR} .monaco-list[role=tree] .monaco-list-row[role=treeitem]`;
const QUICK_INPUT = '.quick-input-widget';

/** The four kinds of colour theme, and the class VS Code gives a webview's body in each. */
export type ThemeKind = 'vs-dark' | 'vs' | 'hc-black' | 'hc-light';
const THEME_BODY_CLASS: Record<ThemeKind, string> = { 'vs-dark': 'vscode-dark', vs: 'vscode-light', 'hc-black': 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light' };

export class Workbench {
  private screenshots = 0;

  constructor(
    readonly page: Page,
    readonly options: WorkbenchOptions,
  ) {}

  /** Opens the workbench and waits until it is restored and the activity bar is there. */
  async open(): Promise<void> {
    await this.page.goto(this.options.url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    // The smoke-test driver (code-server --vscode-option enable-smoke-test-driver) knows when
    // the workbench has restored its layout; without it, the activity bar is the signal.
    const driver = await this.page.waitForFunction('!!window.driver', undefined, { timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    if (driver) await this.page.evaluate('window.driver.whenWorkbenchRestored()');
    await this.page.locator('.part.activitybar .action-item').first().waitFor({ timeout: 60_000 });
  }

  /** The activity-bar entry whose accessible name starts with `title` (e.g. "NkMEDIA"). */
  activityBarEntry(title: string): Locator {
    return this.page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();
  }

  /**
   * Shows the view container `title` by clicking its activity-bar entry (unless it is already
   * showing: a second click would hide the side bar); resolves with the side bar.
   */
  async openView(title: string): Promise<Locator> {
    const entry = this.activityBarEntry(title);
    await entry.waitFor({ timeout: 30_000 });
    const item = entry.locator('xpath=..');
    const active = /\bchecked\b/.test((await item.getAttribute('class')) ?? '');
    if (!active || !(await this.page.locator(SIDEBAR).isVisible())) await entry.click();
    await this.moveMouseAway();
    await this.page.locator(`${SIDEBAR} .composite.title`, { hasText: title }).first().waitFor({ timeout: 30_000 });
    return this.page.locator(SIDEBAR);
  }

  /** The title of the side bar (e.g. "NKMEDIA: EVENTS"), '' when hidden. */
  async sidebarTitle(): Promise<string> {
    const title = this.page.locator(`${SIDEBAR} .composite.title h2`).first();
    return (await title.isVisible()) ? (await title.innerText()).trim() : '';
  }

  /** True when the side bar's title is cut with an ellipsis (its text is wider than its box). */
  async sidebarTitleCut(): Promise<boolean> {
    const title = this.page.locator(`${SIDEBAR} .composite.title h2`).first();
    return title.evaluate((h2) => h2.scrollWidth > h2.clientWidth);
  }

  /** The buttons of the welcome content shown by an empty view in the side bar. */
  async welcomeButtons(): Promise<string[]> {
    const texts = await this.page.locator(`${SIDEBAR} .welcome-view-content .monaco-button`).allInnerTexts();
    return texts.map((t) => t.trim());
  }

  /** True while the side bar shows a view's welcome content. */
  async welcomeVisible(): Promise<boolean> {
    return this.page.locator(`${SIDEBAR} .welcome-view-content`).first().isVisible();
  }

  /**
   * Runs a command from the command palette as a user does: F1, type its title (as the palette
   * shows it, "Category: Title"), Enter on the entry with exactly that title.
   */
  async runCommand(title: string): Promise<void> {
    await this.startCommand(title);
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /**
   * As runCommand, without waiting for the palette to close: for a command that asks something
   * (an input box, a quick pick), which shows in the same widget right away.
   */
  async startCommand(title: string): Promise<void> {
    const input = this.page.locator(`${QUICK_INPUT} input.input`).first();
    // The entry's accessible name is its title, with ", recently used" (and the like) after it
    // once the command ran before.
    const row = `${QUICK_INPUT} .monaco-list-row`;
    const entry = this.page.locator(`${row}[aria-label="${title}"], ${row}[aria-label^="${title}, "]`).first();
    // Now and then (a loaded machine, a live tree) the palette closes again right after it
    // opened; a user would press F1 again, and so does this.
    for (let attempt = 1; ; attempt++) {
      // Escape closes a quick input left open; only then: elsewhere it has effects of its own
      // (a webview with the focus may clear its selection).
      if (await this.page.locator(QUICK_INPUT).isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      const ok = (promise: Promise<unknown>) => promise.then(() => true, () => false);
      if ((await ok(input.fill(`>${title}`, { timeout: 5_000 }))) && (await ok(entry.waitFor({ timeout: 15_000 }))) && (await ok(entry.click({ timeout: 5_000 })))) return;
      if (attempt >= 3) throw new Error(`the command palette closed before "${title}" could be picked (${attempt} tries)`);
    }
  }

  /** The rows the tree in the side bar shows now (only rendered rows: the visible ones). */
  async treeRows(): Promise<TreeRow[]> {
    return this.page.locator(TREE_ROWS).evaluateAll((rows: any[]) =>
      rows.map((row) => {
        const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').trim();
        const expanded = row.getAttribute('aria-expanded');
        return {
          label: text('.label-name'),
          description: text('.label-description'),
          ariaLabel: row.getAttribute('aria-label') ?? '',
          level: Number(row.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? undefined : expanded === 'true',
          selected: row.getAttribute('aria-selected') === 'true' || row.classList.contains('selected'),
        };
      }),
    );
  }

  /** Waits until the side bar's tree shows at least `count` rows; resolves with them. */
  async waitForTreeRows(count = 1, timeoutMs = 30_000): Promise<TreeRow[]> {
    await this.page.locator(TREE_ROWS).nth(count - 1).waitFor({ timeout: timeoutMs });
    return this.treeRows();
  }

  /** Polls the tree until `predicate(rows)` holds (rows render asynchronously); resolves with the rows. */
  async waitForRows(what: string, predicate: (rows: TreeRow[]) => boolean, timeoutMs = 15_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.treeRows();
      if (predicate(rows)) return rows;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the tree shows ${JSON.stringify(rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}`))}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** A tree row by its label (first match; `level` narrows to rows at that depth, 1 = root). */
  treeRow(label: string, level?: number): Locator {
    const rows = level === undefined ? TREE_ROWS : `${TREE_ROWS}[aria-level="${level}"]`;
    return this.page.locator(rows, { has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** Expands the tree row labelled `label` (a click, as a user does) unless it is expanded. */
  async expand(label: string, level?: number): Promise<void> {
    await this.setExpanded(label, level, true);
  }

  /** Collapses the tree row labelled `label` (a click) unless it is collapsed. */
  async collapse(label: string, level?: number): Promise<void> {
    await this.setExpanded(label, level, false);
  }

  private async setExpanded(label: string, level: number | undefined, expanded: boolean): Promise<void> {
    const row = this.treeRow(label, level);
    await row.waitFor({ timeout: 15_000 });
    if ((await row.getAttribute('aria-expanded')) !== String(expanded)) {
      await this.waitUntilStill(row);
      await row.click();
    }
    const rows = level === undefined ? TREE_ROWS : `${TREE_ROWS}[aria-level="${level}"]`;
    await this.page.locator(`${rows}[aria-expanded="${expanded}"]`, { has: this.page.locator('.label-name', { hasText: label }) }).first().waitFor({ timeout: 10_000 });
    await this.moveMouseAway();
  }

  /**
   * Waits until `element` has stayed in place for a few hundred ms (at most `timeoutMs`): a tree
   * whose rows move (a message above it shows or goes, live rows are added above) would catch a
   * click meant for one row on another.
   */
  async waitUntilStill(element: Locator, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let still = 0;
    while (still < 3 && Date.now() < deadline) {
      const box = await element.boundingBox();
      const now = box ? `${Math.round(box.x)},${Math.round(box.y)}` : '';
      still = now && now === last ? still + 1 : 0;
      last = now;
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * The content frame of the webview (panel, custom editor or view) whose page has an element
   * matching `selector`: several webviews may be open, each in its own `iframe.webview`.
   */
  async webview(selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const names = await this.page.locator('iframe.webview.ready').evaluateAll((frames: any[]) => frames.map((f) => String(f.name ?? '')));
      for (const name of names) {
        if (!name) continue;
        const frame = this.page.frameLocator(`iframe.webview.ready[name="${name}"]`).frameLocator('iframe#active-frame');
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for a webview showing ${selector} (${names.length} webviews ready)`);
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Picks a colour theme as a user does: "Preferences: Color Theme" from the palette, type its
   * name, Enter; then waits until the workbench, and the page in `frame` when given, show it.
   */
  async useTheme(theme: string, kind: ThemeKind, frame?: FrameLocator): Promise<void> {
    await this.startCommand('Preferences: Color Theme');
    const input = this.page.locator(`${QUICK_INPUT} input.input`).first();
    // The list is there (it scrolls to the current theme, so any one row will do).
    await this.page.locator(`${QUICK_INPUT} .monaco-list-row`).first().waitFor({ timeout: 15_000 });
    await input.fill(theme);
    await this.page.locator(`${QUICK_INPUT} .monaco-list-row.focused[aria-label^="${theme}"]`).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 15_000 });
    const workbenchKind = () =>
      this.page
        .locator('.monaco-workbench')
        .first()
        .evaluate((w: any) => (String(w.className).split(/\s+/).find((c) => ['vs', 'vs-dark', 'hc-black', 'hc-light'].includes(c)) ?? '') as string);
    await eventually(`the workbench in ${theme}`, async () => (await workbenchKind()) === kind, 30_000);
    if (frame) await eventually(`the page told about ${theme}`, async () => (await frame.locator(`body.${THEME_BODY_CLASS[kind]}`).count()) > 0, 30_000);
  }

  /** The messages of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.trim());
  }

  /** The accessible names of the status bar items (their text and tooltip). */
  async statusBarItems(): Promise<string[]> {
    // One read in the page: items come and go while the demo starts, and a locator per item
    // waits its full timeout for one that has gone (CI saw a 30 s stall on item 7).
    const labels: string[] = await this.page
      .locator('.part.statusbar .statusbar-item a, .part.statusbar .statusbar-item-label')
      .evaluateAll((items: any[]) => items.map((e) => String(e.getAttribute('aria-label') ?? e.innerText ?? '')));
    return labels.map((l) => l.trim()).filter(Boolean);
  }

  /**
   * Sets a user setting in the Settings editor, as a user does: "Preferences: Open User
   * Settings", search `@id:<id>`, type the value, close the editor.
   */
  async setUserSetting(id: string, value: string | number): Promise<void> {
    await this.runCommand('Preferences: Open User Settings');
    // The search box is a small editor: click its container (its text layer takes the clicks).
    const search = this.page.locator('.settings-editor .settings-header .suggest-input-container').first();
    await search.waitFor({ timeout: 15_000 });
    await search.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(`@id:${id}`);
    // One setting matches: its input is the only one in the list.
    const input = this.page.locator('.settings-editor .settings-tree-container .setting-item-control input').first();
    await eventually(`the ${id} setting found`, async () => (await this.page.locator('.settings-editor .settings-tree-container .setting-item-contents').count()) === 1, 15_000);
    await input.fill(String(value));
    await this.page.keyboard.press('Tab');
    await eventually(`${id} set to ${value}`, async () => (await input.inputValue()) === String(value), 10_000);
    await this.page.waitForTimeout(1_000); // the editor writes the setting after a short delay
    // Close it with a middle click on its tab (the palette's F1 goes to the focused control here).
    const tab = this.page.locator('.tabs-container .tab', { hasText: 'Settings' }).first();
    await tab.click({ button: 'middle' });
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Moves the pointer over the empty editor area, so no hover or tooltip covers what follows. */
  async moveMouseAway(): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1400, height: 900 };
    await this.page.mouse.move(Math.round(size.width * 0.75), Math.round(size.height * 0.75));
  }

  /** Saves a screenshot of the whole window as <screenshotDir>/NN-<name>.png; resolves with its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.options.screenshotDir, { recursive: true });
    const safe = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);
    const file = path.join(this.options.screenshotDir, `${String(++this.screenshots).padStart(2, '0')}-${safe}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** Polls `probe` until it returns true (the UI updates asynchronously); fails with `what`. */
export async function eventually(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let current: Workbench | undefined;

/** The workbench of this run (set by the runner before the tests start). */
export function workbench(): Workbench {
  if (!current) throw new Error('no workbench: run the e2e tests with `npm run test:e2e`');
  return current;
}

export function setWorkbench(value: Workbench | undefined): void {
  current = value;
}
