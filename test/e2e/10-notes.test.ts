// Notes as a person adds them on the demo server: select a session in the tree, NkMEDIA: Add
// Note…, type the note; it shows as the session's first row and under the source's Notes
// row. Starts the demo server if no earlier step did.
import { eventually, workbench } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
const ROWS = '.part.sidebar .monaco-list-row[role=treeitem]';
const NOTE = 'answer came 2 s after the offer: compare with the call of 10:02';

describe('Notes', () => {
  it('Add Note… on the selected session shows the note under it and in Notes', async () => {
    const wb = workbench();
    await wb.runCommand('NkMEDIA: Start Demo Server');
    await wb.openView('NkMEDIA');
    await wb.waitForRows('a session in the tree', (rows) => rows.some((r) => r.label === 'Sessions'), 30_000);
    if (!(await wb.treeRows()).some((r) => /^[0-9a-f]{8} /.test(r.label))) await wb.expand('Sessions');
    const session = wb.page.locator(ROWS).filter({ hasText: /^[0-9a-f]{8} answered/ }).first();
    await session.waitFor({ timeout: 30_000 });
    await session.click();
    await wb.startCommand('NkMEDIA: Add Note…');
    const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill(NOTE);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
    // The source's Notes row counts it; opened, it lists the note.
    await wb.waitForRows('the Notes row', (rows) => rows.some((r) => r.label === 'Notes' && /^1\b/.test(r.description)), 15_000);
    await wb.expand('Notes');
    await eventually('the note under Notes', async () => (await wb.treeRows()).some((r) => `${r.label} ${r.description}`.includes(NOTE)), 15_000);
    await wb.screenshot('note-in-tree');
  });
});
