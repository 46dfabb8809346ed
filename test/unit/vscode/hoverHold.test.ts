// The tree holds still under the pointer: a tooltip being read is not taken away by a
// refresh of its row or of a list it is in, while the rest of the tree stays live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverHold } from '../../../src/vscode/hoverHold';
import { holdsFor } from '../holdsFor';

interface Node {
  id: string;
  parent?: Node;
}
const group: Node = { id: 'group' };
const row: Node = { id: 'row', parent: group };
const other: Node = { id: 'other', parent: { id: 'group2' } };
/** Polls `condition` every 5 ms for at most 2 s (holds of 100-150 ms end well within it); fails with `what`. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out after 2000 ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('refreshes of the hovered row and its ancestors wait for the hold; others fire at once', { timeout: 5_000 }, async () => {
  const fired: Array<string | undefined> = [];
  const hold = new HoverHold<Node>((n) => fired.push(n?.id), () => true, 150);
  try {
    hold.hold(row);
    hold.refresh(row);
    hold.refresh(group);
    hold.refresh(row);
    hold.refresh(other);
    assert.deepEqual(fired, ['other'], 'only the row not under the pointer redraws');
    await waitFor(() => fired.length >= 3, 'the held row and group to redraw when the hold ends');
    await holdsFor(() => fired.length === 3, 100, 'a second firing of a held row would follow at once');
    assert.deepEqual(fired, ['other', 'row', 'group'], 'each held list once, after the hold');
    hold.refresh(row);
    assert.deepEqual(fired.at(-1), 'row', 'after the hold, refreshes are immediate again');
  } finally {
    hold.dispose();
  }
});

test('a whole-tree refresh during a hold waits and replaces the held ones; a paused display drops them', { timeout: 5_000 }, async () => {
  const fired: Array<string | undefined> = [];
  let paused = false;
  const hold = new HoverHold<Node>((n) => fired.push(n?.id ?? 'ROOT'), () => !paused, 100);
  try {
    hold.hold(row);
    hold.refresh(row);
    hold.refresh(undefined);
    await waitFor(() => fired.length >= 1, 'the whole-tree refresh, when the hold ends');
    await holdsFor(() => fired.length === 1 && fired[0] === 'ROOT', 80, 'the held row would fire with it, at the end of the hold');
    hold.hold(row);
    hold.refresh(row);
    paused = true;
    await holdsFor(() => fired.length === 1, 180, 'the 100 ms hold ends within it: nothing redraws while paused');
  } finally {
    hold.dispose();
  }
});

test('a click or an expansion ends the hold: the held lists redraw at once, together', { timeout: 5_000 }, async () => {
  const fired: Array<string | undefined> = [];
  const hold = new HoverHold<Node>((n) => fired.push(n?.id), () => true, 60_000);
  try {
    hold.hold(row);
    hold.refresh(group);
    hold.refresh(row);
    assert.deepEqual(fired, [], 'held while the tooltip is read');
    hold.end();
    assert.deepEqual(fired, ['group', 'row'], 'the user moved on: the group and the row redraw now, not in a minute');
    hold.refresh(row);
    assert.deepEqual(fired.at(-1), 'row', 'and later refreshes are immediate');
    hold.end();
    assert.equal(fired.length, 3, 'ending with nothing waiting fires nothing');
  } finally {
    hold.dispose();
  }
});
