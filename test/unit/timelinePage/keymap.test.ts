// The keymap is the one table behind the key handler, the spoken help and the toolbar's
// shortcuts: each key does what the help says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimelineActions } from '../../../src/webview/timelinePage/input/actions';
import { handleKey, KEY_HELP, KEYMAP, shortcutOf } from '../../../src/webview/timelinePage/input/keymap';

function recorder() {
  const calls: string[] = [];
  const actions: TimelineActions = {
    run: (c) => calls.push(`run ${c}`),
    zoomAt: (f) => calls.push(`zoomAt ${f}`),
    panTime: (f) => calls.push(`panTime ${f}`),
    scrollRows: (dy) => calls.push(`scrollRows ${dy}`),
    dragBy: () => calls.push('dragBy'),
    brush: () => calls.push('brush'),
    endBrush: () => calls.push('endBrush'),
    pointAt: () => calls.push('pointAt'),
    clickAt: () => calls.push('clickAt'),
    moveFocus: (by) => calls.push(`moveFocus ${by}`),
    activateFocused: (key) => calls.push(`activate ${key}`),
  };
  return { actions, calls };
}

const key = (k: string, mods: { shiftKey?: boolean; ctrlKey?: boolean; altKey?: boolean } = {}) => ({ key: k, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe('keymap', () => {
  test('each key runs its action', () => {
    const { actions, calls } = recorder();
    const keys = ['+', '-', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'f', '0', 'L', 'ArrowUp', 'PageDown', 'Enter', ' ', '[', ']', 'r', 'Escape'];
    for (const k of keys) assert.equal(handleKey(actions, key(k)), true, k);
    handleKey(actions, key('ArrowRight', { shiftKey: true }));
    assert.deepEqual(calls, [
      'run zoomIn', 'run zoomOut', 'panTime -0.1', 'panTime 0.1', 'run goToStart', 'run goToEnd', 'run fitAll', 'run fitAll', 'run toggleFollow',
      'moveFocus -1', 'moveFocus pageDown', 'activate Enter', 'activate Space', 'run previousEvent', 'run nextEvent', 'run toggleRelative', 'run clearSelection',
      'panTime 0.5',
    ]);
  });

  test('keys that are not ours, and Ctrl or Alt combinations, stay with the browser (Ctrl+plus zooms)', () => {
    const { actions, calls } = recorder();
    assert.equal(handleKey(actions, key('x')), false);
    assert.equal(handleKey(actions, key('f', { ctrlKey: true })), false, 'Ctrl+F is find');
    assert.equal(handleKey(actions, key('ArrowLeft', { altKey: true })), false);
    assert.equal(handleKey(actions, key('=', { ctrlKey: true })), true);
    assert.deepEqual(calls, ['run zoomIn']);
  });

  test('the spoken help names every binding, and buttons show the keys that really work', () => {
    for (const binding of KEYMAP) if (binding.help) assert.ok(KEY_HELP.includes(binding.help), binding.help);
    assert.match(KEY_HELP, /^Timeline\. Left and Right pan/);
    assert.match(KEY_HELP, /Shift\+drag to zoom into a range/);
    assert.equal(shortcutOf('fitAll'), 'F');
    assert.equal(shortcutOf('toggleFollow'), 'L');
    assert.equal(shortcutOf('zoomOut'), '-');
    const { actions, calls } = recorder();
    for (const name of ['fitAll', 'toggleFollow', 'toggleRelative', 'zoomIn', 'zoomOut'] as const) handleKey(actions, key(shortcutOf(name)));
    assert.deepEqual(calls, ['run fitAll', 'run toggleFollow', 'run toggleRelative', 'run zoomIn', 'run zoomOut']);
  });
});
