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

describe('Trace files', () => {
  let file: string;

  before(() => {
    file = writeCapture();
  });

  it('Open Trace… shows the trace in the tree under its own name', async () => {
    const wb = workbench();
    await wb.openView('NkMEDIA');
    await wb.runCommand('NkMEDIA: Open Trace…');
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
});
