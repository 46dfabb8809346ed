// Notes as a person adds them on the demo server: NkMEDIA: Add Note… on the selected object
// (or one picked from its list), type the note; the source's Notes row counts and lists it.
// Starts the demo server if no earlier step did.
import { eventually, workbench } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
const NOTE = 'answer came 2 s after the offer: compare with the call of 10:02';

describe('Notes', () => {
  it('Add Note… from the palette shows the note under the source\'s Notes row', async () => {
    const wb = workbench();
    await wb.runCommand('NkMEDIA: Start Demo Server');
    await wb.openView('NkMEDIA');
    await wb.waitForRows('a session in the tree', (rows) => rows.some((r) => r.label === 'Sessions'), 30_000);
    // On the tree's selected object (an earlier step may have left one), or on one picked from
    // the list the command offers when nothing is selected. (Clicking a row to select it is not
    // reliable here: the tree's sticky group headers can cover the row.)
    await wb.startCommand('NkMEDIA: Add Note…');
    const title = wb.page.locator(`${QUICK_INPUT} .quick-input-title`).first();
    await eventually('Add Note asks something', async () => /Add Note|note/i.test((await title.textContent().catch(() => '')) ?? ''), 10_000);
    if (/which object/.test((await title.textContent()) ?? '')) {
      await wb.page.locator(`${QUICK_INPUT} .monaco-list-row`).first().click();
      await eventually('the note text asked', async () => !/which object/.test((await title.textContent().catch(() => '')) ?? ''), 10_000);
    }
    const input = wb.page.locator(`${QUICK_INPUT} input.input`).first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill(NOTE);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
    // The source's Notes row counts it; opened, it lists the note. Earlier steps leave long
    // lists open and other sources beside the demo (the selected object may be in a trace):
    // collapse all, then open each source until one shows its Notes row.
    await wb.page.locator('.part.sidebar .composite.title .action-label[aria-label="Collapse All"]').first().click();
    const notesRow = (rows: Array<{ label: string; description: string }>) => rows.some((r) => r.label === 'Notes' && /^1\b/.test(r.description));
    const roots = await wb.waitForRows('the tree collapsed', (rows) => rows.length > 0 && !rows.some((r) => r.label === 'Sessions') || notesRow(rows), 15_000);
    if (!notesRow(roots)) {
      for (const { label } of roots) {
        await wb.expand(label);
        if (await wb.waitForRows(`the Notes row under ${label}`, notesRow, 5_000).then(() => true, () => false)) break;
        await wb.collapse(label);
      }
    }
    await wb.waitForRows('the Notes row', notesRow, 15_000);
    await wb.expand('Notes');
    await eventually('the note under Notes', async () => (await wb.treeRows()).some((r) => `${r.label} ${r.description}`.includes(NOTE)), 15_000);
    await wb.screenshot('note-in-tree');
  });
});
