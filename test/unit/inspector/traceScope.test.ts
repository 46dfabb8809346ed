// The scopes of "Save Trace" and "Export…": which apply, what each covers and how much, and
// that an export of a scope writes exactly those objects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { resolveScope, scopeChoices, scopeLabel, type ScopeContext } from '../../../src/inspector/traceScope';
import { writeTraceExport } from '../../../src/trace/exportTrace';
import type { TextOutput } from '../../../src/trace/textOutput';
import { CALL, Feed, LISTENER, PUB, ROOM, callKeyOf, roomKeyOf, sessionKeyOf } from '../core/feed';

/** A room with a publisher and a listener (7 events), and a call that rings and hangs up (2). */
function story(): EventStore {
  const store = new EventStore();
  const feed = new Feed(store);
  feed.publishAndListen();
  feed.call('ringing', CALL);
  feed.call('hangup', CALL, { code: 487, reason: 'Cancelled' });
  return store;
}

const context = (overrides: Partial<ScopeContext> = {}): ScopeContext => ({ filter: {}, selectedKeys: [], withRelated: true, ...overrides });

function memoryOutput(): TextOutput & { text: string } {
  const out = { text: '', write: (t: string) => void (out.text += t), close: async () => undefined, abort: async () => undefined };
  return out;
}

describe('Save and export scopes', { timeout: 10_000 }, () => {
  test('with no filter and no selection only "everything" applies, with the whole store counted', () => {
    const store = story();
    try {
      const choices = scopeChoices(store, context());
      assert.deepEqual(choices.map((c) => c.scope), ['all']);
      assert.deepEqual(choices[0], { scope: 'all', objectKeys: undefined, objects: 4, events: 9 });
      assert.deepEqual(scopeLabel(choices[0], context()), { label: '$(files) Everything', description: '4 objects · 9 events' });
    } finally {
      store.dispose();
    }
  });

  test('a filter adds "filtered objects": the objects the tree shows, counted, with the filter named', () => {
    const store = story();
    try {
      const ctx = context({ filter: { subclasses: ['call'] } });
      const choices = scopeChoices(store, ctx);
      assert.deepEqual(choices.map((c) => c.scope), ['all', 'filtered']);
      const filtered = choices[1];
      assert.deepEqual(filtered.objectKeys, [callKeyOf(CALL)]);
      assert.equal(filtered.events, 2);
      assert.deepEqual(scopeLabel(filtered, ctx), { label: '$(filter) Filtered objects', description: '1 object · 2 events · filter call' });
    } finally {
      store.dispose();
    }
  });

  test('a selected room brings its publisher and listener sessions when exporting, and only itself when saving', () => {
    const store = story();
    try {
      const exported = resolveScope(store, 'selected', context({ selectedKeys: [roomKeyOf(ROOM)] }));
      assert.ok(!('unavailable' in exported));
      assert.deepEqual(new Set(exported.objectKeys), new Set([roomKeyOf(ROOM), sessionKeyOf(PUB), sessionKeyOf(LISTENER)]));
      assert.equal(exported.objects, 3);
      assert.equal(exported.events, 7, 'the room and its sessions, not the call');
      assert.equal(scopeLabel(exported, context({ selectedKeys: [roomKeyOf(ROOM)] })).label, '$(list-selection) Selected object and its relations');

      const saved = resolveScope(store, 'selected', context({ selectedKeys: [roomKeyOf(ROOM)], withRelated: false }));
      assert.ok(!('unavailable' in saved));
      assert.deepEqual(saved.objectKeys, [roomKeyOf(ROOM)]);
      assert.equal(saved.events, 3);
    } finally {
      store.dispose();
    }
  });

  test('two selected objects with shared relations count each object once', () => {
    const store = story();
    try {
      const both = resolveScope(store, 'selected', context({ selectedKeys: [sessionKeyOf(PUB), roomKeyOf(ROOM)] }));
      assert.ok(!('unavailable' in both));
      assert.equal(both.objects, 3);
      assert.equal(new Set(both.objectKeys).size, both.objectKeys?.length);
    } finally {
      store.dispose();
    }
  });

  test('a scope asked for by name that does not apply says why instead of writing everything or nothing', () => {
    const store = story();
    try {
      assert.deepEqual(resolveScope(store, 'filtered', context()), { scope: 'filtered', unavailable: 'no filter is set in the events tree' });
      // A selection of another source's object (or one evicted since) is no selection here.
      const gone = resolveScope(store, 'selected', context({ selectedKeys: ['media/session/not-in-this-store'] }));
      assert.deepEqual(gone, { scope: 'selected', unavailable: 'no object of this source is selected in the events tree' });
      assert.deepEqual(scopeChoices(store, context({ selectedKeys: ['media/session/not-in-this-store'] })).map((c) => c.scope), ['all']);
    } finally {
      store.dispose();
    }
  });

  test('a filter that matches nothing still offers "filtered objects", with its zero counts', () => {
    const store = story();
    try {
      const ctx = context({ filter: { text: 'no-such-text' } });
      const filtered = scopeChoices(store, ctx).find((c) => c.scope === 'filtered');
      assert.ok(filtered);
      assert.equal(scopeLabel(filtered, ctx).description, '0 objects · 0 events · filter "no-such-text"');
    } finally {
      store.dispose();
    }
  });

  test('a CSV export of a scope has the rows of exactly its objects, and reports its progress to the end', async () => {
    const store = story();
    try {
      const scope = resolveScope(store, 'selected', context({ selectedKeys: [roomKeyOf(ROOM)] }));
      assert.ok(!('unavailable' in scope));
      const out = memoryOutput();
      const progress: Array<[number, number]> = [];
      const written = await writeTraceExport(store, out, { format: 'csv', objectKeys: scope.objectKeys, title: 'story', onProgress: (done, total) => progress.push([done, total]) });
      assert.equal(written, scope.events);
      const ids = out.text.trim().split('\r\n').slice(1).map((row) => row.split(',')[7]);
      assert.deepEqual(new Set(ids), new Set([ROOM, PUB, LISTENER]));
      assert.equal(ids.length, 7);
      assert.deepEqual(progress.at(-1), [7, 7]);
    } finally {
      store.dispose();
    }
  });
});
