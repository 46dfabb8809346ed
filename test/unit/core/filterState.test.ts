// The one owner of the filter: what the tree and every timeline are told, and when.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterState, describeFilter, filtersEqual, isEmptyFilter, normalizeFilter, type FilterChange } from '../../../src/core';
import { setUnexpectedErrorHandler } from '../../../src/shared/events';

const T = { timeout: 5_000 };

function watched(state = new FilterState()) {
  const changes: FilterChange[] = [];
  const subscription = state.onDidChange((c) => changes.push(c));
  return { state, changes, dispose: () => (subscription.dispose(), state.dispose()) };
}

describe('FilterState', () => {
  test('setting the same filter twice notifies once', T, () => {
    const { state, changes, dispose } = watched();
    try {
      assert.equal(state.set({ types: ['stop'], text: 'user3' }, 'command'), true);
      assert.equal(state.set({ text: 'user3', types: ['stop'] }, 'timeline'), false);
      assert.equal(changes.length, 1);
      assert.deepEqual(changes[0], { filter: { text: 'user3', types: ['stop'] }, origin: 'command' });
      assert.equal(state.filter, changes[0].filter, 'listeners see the filter the state now holds');
    } finally {
      dispose();
    }
  });

  test('a filter differing only in order, blanks or repeats is the same filter', T, () => {
    const { state, changes, dispose } = watched();
    try {
      state.set({ types: ['stop', 'hangup'], users: ['user3'] });
      for (const same of [
        { types: ['hangup', 'stop'], users: ['user3'] },
        { types: [' stop ', 'hangup', 'stop', ''], users: ['user3'], text: '   ' },
        { types: ['stop', 'hangup'], users: ['user3'], subclasses: [] },
      ]) {
        assert.equal(state.set(same), false, JSON.stringify(same));
      }
      assert.equal(changes.length, 1);
      assert.equal(describeFilter(state.filter), 'type: stop, hangup · user: user3', 'the first order is the one described');
    } finally {
      dispose();
    }
  });

  test('empty strings and arrays mean no condition: a filter of only those is no filter', T, () => {
    const { state, changes, dispose } = watched();
    try {
      assert.equal(state.set({ text: '  ', types: [], subclasses: [], users: ['', ' '] }), false, 'nothing to change from no filter');
      assert.deepEqual(state.filter, {});
      assert.equal(changes.length, 0);
      assert.deepEqual(normalizeFilter({ text: ' a b ', types: ['', 'stop'], users: [] }), { text: 'a b', types: ['stop'] });
      // '' is a subclass of its own (events without one): kept, not taken for "no condition".
      assert.deepEqual(normalizeFilter({ subclasses: [''] }), { subclasses: [''] });
      assert.equal(isEmptyFilter(normalizeFilter({ subclasses: [''] })), false);
    } finally {
      dispose();
    }
  });

  test('the held filter is a frozen copy: changing what was passed in changes nothing', T, () => {
    const { state, dispose } = watched();
    try {
      const input = { types: ['stop'] };
      state.set(input);
      input.types.push('hangup');
      assert.deepEqual(state.filter, { types: ['stop'] });
      assert.ok(Object.isFrozen(state.filter) && Object.isFrozen(state.filter.types));
    } finally {
      dispose();
    }
  });

  test('clear notifies once with no filter, and not again when there is none', T, () => {
    const { state, changes, dispose } = watched();
    try {
      state.set({ text: 'room1' });
      assert.equal(state.clear('command'), true);
      assert.equal(state.clear('command'), false);
      assert.deepEqual(changes.map((c) => [c.filter, c.origin]), [[{ text: 'room1' }, 'api'], [{}, 'command']]);
      assert.equal(isEmptyFilter(state.filter), true);
    } finally {
      dispose();
    }
  });

  test('a listener that throws does not keep the others from hearing of the change', T, () => {
    const errors: unknown[] = [];
    setUnexpectedErrorHandler((error) => errors.push(error));
    const state = new FilterState();
    const heard: string[] = [];
    try {
      state.onDidChange(() => heard.push('first'));
      state.onDidChange(() => {
        throw new Error('broken view');
      });
      state.onDidChange((c) => heard.push(`last:${c.filter.text}`));
      state.set({ text: 'x' });
      assert.deepEqual(heard, ['first', 'last:x']);
      assert.equal((errors[0] as Error).message, 'broken view');
      assert.equal(state.filter.text, 'x');
    } finally {
      state.dispose();
      setUnexpectedErrorHandler((error) => console.error('[nkmedia] listener failed:', error));
    }
  });

  test('filtersEqual compares conditions, not objects', T, () => {
    assert.equal(filtersEqual(normalizeFilter({ users: ['a', 'b'] }), normalizeFilter({ users: ['b', 'a'] })), true);
    assert.equal(filtersEqual(normalizeFilter({ users: ['a'] }), normalizeFilter({ users: ['a', 'b'] })), false);
    assert.equal(filtersEqual(normalizeFilter({ text: 'A' }), normalizeFilter({ text: 'a' })), false, 'text keeps its case as typed');
    assert.equal(filtersEqual(normalizeFilter({ types: ['x'] }), normalizeFilter({ subclasses: ['x'] })), false);
  });
});
