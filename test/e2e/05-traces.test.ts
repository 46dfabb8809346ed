// A trace file as a user meets it: "NkMEDIA: Open Trace…" puts it in the tree under its own
// name; opening the file itself shows the trace editor's summary. Screenshots of both.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { eventually, workbench } from './workbench';

const QUICK_INPUT = '.quick-input-widget';

/**
 * A capture as `nkmedia-inspect record` writes it (docs/trace-format.md), written by hand:
 * these tests are compiled file by file and cannot import the extension's modules.
 */
function writeCapture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-e2e-trace-'));
  const file = path.join(dir, 'night-capture.nkmtrace');
  let ts = Date.UTC(2026, 10, 28, 3, 12, 45);
  let seq = 0;
  const lines = [JSON.stringify({ format: 'nkmedia-trace', version: 1, created: new Date(ts).toISOString(), source: { url: 'wss://media.example.com:9010', user: 'admin', name: 'media-1' }, subscriptions: [{ class: 'media' }], tool: 'nkmedia-inspect 0.1.0' })];
  lines.push(JSON.stringify({ marker: 'connect', ts }));
  const emit = (subclass: string, type: string, objId: string, body: Record<string, unknown> = {}) =>
    lines.push(JSON.stringify({ seq: ++seq, ts: (ts += 35), event: { class: 'media', subclass, type, obj_id: objId, body } }));
  const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-6b1d-4a2e-9c1f-38c9862f00d9`;
  for (let room = 1; room <= 3; room++) {
    const roomId = id('11c9', room);
    emit('room', 'started', roomId, { class: 'sfu', backend: 'nkmedia_janus' });
    const publisher = id('39ce', room);
    emit('session', 'answer', publisher, { answer: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=Janus\r\n' });
    emit('room', 'started_publisher', roomId, { session_id: publisher, user: `user${room}@nkmedia` });
    for (let l = 1; l <= 3; l++) {
      const listener = id(`5a${room}${l}`, l);
      emit('session', 'answer', listener, { answer: 'v=0\r\n' });
      emit('room', 'started_listener', roomId, { session_id: listener, user: `user${room * 10 + l}@nkmedia`, peer: publisher });
    }
    if (room === 2) emit('session', 'stop', publisher, { code: 2001, reason: 'Peer hangup' });
  }
  for (let call = 1; call <= 6; call++) {
    const callId = id('9007', call);
    emit('call', 'ringing', callId);
    if (call % 3 === 0) emit('call', 'hangup', callId, { code: 487, reason: 'Cancelled' });
    else emit('call', 'answer', callId, { answer: 'v=0\r\n' });
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Answers a file dialog (the quick-input one code-server shows) with a full path. */
async function answerFileDialog(file: string): Promise<void> {
  const wb = workbench();
  const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in its starting folder a moment after it shows, sometimes more than once,
  // overwriting what was typed: type the path until it stays put, then press Enter.
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

/** The rows of the quick pick on screen: label, a space, description. */
async function quickPickRows(): Promise<string[]> {
  const wb = workbench();
  return wb.page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`).evaluateAll((rows: any[]) =>
    rows.map((row) => {
      const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
      return [text('.label-name'), text('.label-description')].filter(Boolean).join(' ');
    }),
  );
}

/** Waits for a quick pick whose title contains `title`; resolves with its rows. */
async function waitForQuickPick(title: string, rowCount: number): Promise<string[]> {
  const wb = workbench();
  await wb.page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).first().waitFor({ timeout: 15_000 });
  await eventually(`${rowCount} rows in the pick "${title}"`, async () => (await quickPickRows()).length >= rowCount);
  return quickPickRows();
}

describe('Trace files', () => {
  let file: string;

  before(() => {
    file = writeCapture();
  });

  it('Open Trace… shows the trace in the tree under its own name', async () => {
    const wb = workbench();
    await wb.openView('NkMEDIA');
    // The file dialog takes the palette's place at once: waiting for the palette to close raced it.
    await wb.startCommand('NkMEDIA: Open Trace…');
    await answerFileDialog(file);
    // Beside another source (the demo server of the earlier steps) the trace is a node named
    // after its file; alone, the tree shows its groups at the top. This capture's groups read
    // "Sessions 12 · 11 live", "Rooms 3 · 3 live", "Calls 6 · 4 live".
    const ownGroups = (rows: Array<{ label: string; description: string }>) =>
      [['Sessions', /^12 · 11 live/], ['Rooms', /^3 · 3 live/], ['Calls', /^6 · 4 live/]].every(([label, counts]) =>
        rows.some((row) => row.label === label && (counts as RegExp).test(row.description)),
      );
    const rows = await wb.waitForRows('the trace in the tree', (r) => r.some((row) => row.label === 'night-capture.nkmtrace') || ownGroups(r), 30_000);
    if (rows.some((row) => row.label === 'night-capture.nkmtrace')) {
      const source = rows.find((row) => row.label === 'night-capture.nkmtrace')!;
      assert.match(source.description, /^loaded/);
      await wb.expand('night-capture.nkmtrace');
      await wb.waitForRows('the groups of the trace', ownGroups);
    }
    await wb.screenshot('trace-opened-in-tree');
  });

  it('opening the file shows the trace editor summary', async () => {
    const wb = workbench();
    // "File: Open File..." from the palette (its entry carries a keybinding in its name: pick it with Enter).
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    const palette = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await palette.waitFor({ state: 'visible', timeout: 10_000 });
    await palette.fill('>File: Open File...');
    await wb.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: 'File: Open File...' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await answerFileDialog(file);
    const frame = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await eventually('the summary in the trace editor', async () => (await frame.locator('h2', { hasText: 'Events per subclass and type' }).count()) > 0, 30_000);
    assert.ok((await frame.locator('button#showTimeline').isEnabled()), 'Show Timeline is ready');
    await wb.moveMouseAway();
    await wb.screenshot('trace-editor-summary');
  });

  it('"Show Timeline" in the trace editor opens the timeline of that trace', async () => {
    const wb = workbench();
    const frame = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('button#showTimeline').click();
    const name = path.basename(file);
    await wb.page.locator('.tabs-container .tab', { hasText: `Timeline: ${name}` }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('trace-timeline');
  });

  it('Export… with the trace editor active names that trace first, offers its scopes and ends with Open and Reveal', async () => {
    const wb = workbench();
    const name = path.basename(file);
    // A live connection beside the trace (the demo of the earlier steps; started when run alone).
    await wb.runCommand('NkMEDIA: Start Demo Server');
    await wb.openView('NkMEDIA');
    await wb.waitForRows('the demo and the trace in the tree', (r) => r.some((row) => row.level === 1 && row.label === 'demo') && r.some((row) => row.level === 1 && row.label === name), 30_000);
    // A filter (only calls) and a selected call of the trace, so that every scope applies.
    const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await eventually('the filter typed', async () => {
      await wb.startCommand('NkMEDIA: Filter Events…');
      return (await input.fill('subclass:call', { timeout: 3_000 }).then(() => true, () => false)) && (await input.inputValue()) === 'subclass:call';
    }, 60_000);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
    // Into the opened folder, so that Reveal can show it in the Explorer (code-server has no OS file manager).
    const folder = new URL(wb.options.url).searchParams.get('folder');
    assert.ok(folder, `the workbench URL names its folder: ${wb.options.url}`);
    const exported = path.join(folder, 'night-calls.csv');
    try {
      await wb.collapse('demo', 1);
      await wb.expand(name, 1);
      await wb.expand('Calls', 2);
      const rows = await wb.waitForRows('the calls of the trace', (r) => r.some((row) => row.level === 3 && row.label.startsWith('9007')));
      const call = wb.treeRow(rows.find((row) => row.level === 3 && row.label.startsWith('9007'))!.label, 3);
      await wb.waitUntilStill(call);
      await call.click();
      await wb.waitForRows('the call selected', (r) => r.some((row) => row.level === 3 && row.selected));

      // The trace editor is the active editor again.
      // (Its tab's text starts with the file name; the timeline's with "Timeline:".)
      const editorTab = wb.page.locator('.tabs-container .tab', { hasText: new RegExp(`^\\s*${name.replace(/\./g, '\\.')}`) }).first();
      await editorTab.click();
      await eventually('the trace editor tab active', async () => /\bactive\b/.test((await editorTab.getAttribute('class')) ?? ''), 10_000);

      await wb.startCommand('NkMEDIA: Export…');
      const sources = await waitForQuickPick('export which source?', 2);
      assert.match(sources[0], new RegExp(`^Trace: ${name.replace(/\./g, '\\.')} active editor · 40 events`), `the active trace first: ${JSON.stringify(sources)}`);
      assert.ok(sources.some((row) => /^Live: demo ws:\/\/127\.0\.0\.1:\d+ · [\d,]+ events?$/.test(row)), `the live demo offered: ${JSON.stringify(sources)}`);
      await wb.moveMouseAway();
      await wb.screenshot('export-source-pick');
      await wb.page.keyboard.press('Enter');

      // Every next question names the trace.
      await waitForQuickPick(`export Trace: ${name}`, 3);
      await wb.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'CSV' }).first().click();
      const scopes = await waitForQuickPick(`export Trace: ${name}`, 3);
      assert.strictEqual(scopes.length, 3, `three scopes: ${JSON.stringify(scopes)}`);
      assert.match(scopes[0], /^Everything 21 objects · 40 events$/);
      assert.match(scopes[1], /^Filtered objects 6 objects · 12 events · filter call$/);
      assert.match(scopes[2], /^Selected object and its relations 1 object · 2 events$/);
      await wb.moveMouseAway();
      await wb.screenshot('export-scope-pick');
      await wb.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Filtered objects' }).first().click();
      await answerFileDialog(exported);

      // The end notification. With the smoke-test driver on (e2e.js needs it) VS Code shows no
      // toasts, only the notification center: read it there, as a user who clicks the bell would.
      await eventually('the export written', () => fs.existsSync(exported), 30_000);
      await wb.runCommand('Notifications: Show Notifications');
      const notification = wb.page.locator('.notifications-center .notification-list-item', { hasText: 'NkMEDIA: exported' }).first();
      await notification.waitFor({ timeout: 15_000 });
      assert.match((await notification.locator('.notification-list-item-message').innerText()).trim(), new RegExp(`exported 12 events of 6 objects from ${name.replace(/\./g, '\\.')} to night-calls\.csv`));
      const buttons = (await notification.locator('.monaco-button').allInnerTexts()).map((b) => b.trim());
      assert.deepStrictEqual(buttons.filter((b) => b === 'Open' || b === 'Reveal'), ['Open', 'Reveal'], `buttons: ${JSON.stringify(buttons)}`);
      await wb.moveMouseAway();
      await wb.screenshot('export-done');
      // Only the calls went into the file: 12 rows, every one of a call.
      const lines = fs.readFileSync(exported, 'utf8').trim().split('\r\n');
      const objIds = lines.slice(1).map((line) => line.split(',')[7]);
      assert.strictEqual(objIds.length, 12);
      assert.ok(objIds.every((id) => id.startsWith('9007')), `only calls: ${JSON.stringify(objIds)}`);

      // Reveal: the Explorer opens with the file selected.
      await notification.locator('.monaco-button', { hasText: 'Reveal' }).first().click();
      const explorerRow = wb.page.locator('.part.sidebar .explorer-folders-view .monaco-list-row', { hasText: 'night-calls.csv' }).first();
      await explorerRow.waitFor({ timeout: 15_000 });
      await eventually('the export selected in the Explorer', async () => /\bselected\b/.test((await explorerRow.getAttribute('class')) ?? ''));
      // The progress notification is gone once the export is done (VS Code keeps it 800 ms at least).
      const progress = wb.page.locator('.notifications-center .notification-list-item', { hasText: 'exporting night-calls.csv' });
      await eventually('the progress notification closed', async () => (await progress.count()) === 0, 10_000);
      await wb.moveMouseAway();
      await wb.screenshot('export-revealed');
    } finally {
      if (await wb.page.locator(QUICK_INPUT).isVisible()) await wb.page.keyboard.press('Escape');
      await wb.runCommand('NkMEDIA: Clear Filter');
      fs.rmSync(exported, { force: true });
    }
  });
});
