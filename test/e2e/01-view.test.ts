// The NkMEDIA view as a user first meets it: the activity-bar entry, the welcome content, and
// starting the demo server from the command palette. Steps run in order and build on each other.
import * as assert from 'assert';
import { eventually, workbench } from './workbench';

describe('NkMEDIA view', () => {
  it('opens from the activity bar with its welcome content', async () => {
    const wb = workbench();
    await wb.openView('NkMEDIA');
    assert.match(await wb.sidebarTitle(), /NkMEDIA/i);
    const buttons = await wb.welcomeButtons();
    for (const label of ['Connect…', 'Start Demo Server', 'Open Trace…']) {
      assert.ok(buttons.includes(label), `welcome button "${label}" in ${JSON.stringify(buttons)}`);
    }
    await wb.screenshot('welcome');
  });

  it('starts the demo server from the command palette and shows its events', async () => {
    const wb = workbench();
    await wb.runCommand('NkMEDIA: Start Demo Server');
    await wb.waitForTreeRows(1, 30_000);
    assert.strictEqual(await wb.welcomeVisible(), false, 'the welcome content is replaced by the tree');
    await eventually('an NkMEDIA item in the status bar', async () => (await wb.statusBarItems()).some((s) => /NkMEDIA/.test(s)));
    // With its title buttons shown, the view's title still fits the default side-bar width
    // (it read "NKMEDIA: EV…" when the view was called Events).
    assert.strictEqual((await wb.sidebarTitle()).toUpperCase(), 'NKMEDIA');
    assert.strictEqual(await wb.sidebarTitleCut(), false, 'the side bar title is not cut');
    await wb.screenshot('demo-server-events');
  });

  it('lists the demo sessions under Sessions', async () => {
    const wb = workbench();
    await wb.expand('Sessions');
    await wb.waitForRows('sessions listed under the expanded Sessions group', (rows) => {
      const group = rows.findIndex((r) => r.label === 'Sessions');
      return group >= 0 && rows[group + 1]?.level === 2;
    });
    await wb.screenshot('demo-sessions');
  });
});
