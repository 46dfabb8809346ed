// Timelines that share the extension's one FilterState: a filter change, from a command or
// from one timeline's filter box, is exactly one `init` per timeline, and an equal filter is
// none. Before, a filter typed in a timeline reached each feed twice (two inits, each a full
// re-send of the lanes) plus a separate `filter` message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, FilterState } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';
import type { ToWebview } from '../../../src/shared/timelineProtocol';
import { TimelineFeed } from '../../../src/timeline';

const T = { timeout: 5_000 };

const EVENTS: EventData[] = [
  { class: 'media', subclass: 'session', type: 'start', obj_id: 's1', body: {} },
  { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'c1', body: {} },
  { class: 'media', subclass: 'session', type: 'stop', obj_id: 's1', body: { code: 0 } },
  { class: 'media', subclass: 'call', type: 'hangup', obj_id: 'c1', body: { code: 0 } },
];

function storeWith(events: EventData[]): EventStore {
  const store = new EventStore({ notifyIntervalMs: 0 });
  events.forEach((data, i) => store.append({ conn: 'c', ts: 1000 + i * 10, data, raw: JSON.stringify(data) }));
  store.flush();
  return store;
}

/** Two timelines of two sources, both following `filters`. */
function twoTimelines(filters: FilterState) {
  const made = ['a', 'b'].map((id) => {
    const posted: ToWebview[] = [];
    const feed = new TimelineFeed({ id, name: id, kind: 'trace', store: storeWith(EVENTS), status: { kind: 'loaded' } }, (m) => posted.push(m), { filter: filters, now: () => 5000 });
    return { feed, posted };
  });
  return {
    feeds: made.map((m) => m.feed),
    /** What each timeline was sent since the last call. */
    take: () => made.map((m) => m.posted.splice(0)),
    dispose: () => made.forEach((m) => m.feed.dispose()),
  };
}

const lanesOf = (message: ToWebview | undefined) => (message?.type === 'init' ? message.lanes.map((l) => l.key).sort() : undefined);

describe('TimelineFeed with a shared FilterState', () => {
  test('a filter change sends each started timeline exactly one init, carrying the filter; an equal one sends none', T, () => {
    const filters = new FilterState();
    const timelines = twoTimelines(filters);
    try {
      timelines.feeds.forEach((f) => f.start());
      timelines.take();
      filters.set({ subclasses: ['call'] }, 'command');
      for (const sent of timelines.take()) {
        assert.deepEqual(sent.map((m) => m.type), ['init'], 'one message, an init');
        const init = sent[0].type === 'init' ? sent[0] : undefined;
        assert.deepEqual(init?.filter, { subclasses: ['call'] });
        assert.deepEqual(lanesOf(init), ['media/call/c1'], 'only the matching lane');
      }
      filters.set({ subclasses: ['call', 'call'], text: ' ' }, 'command');
      assert.deepEqual(timelines.take(), [[], []], 'the same filter again: nothing sent');
      filters.clear('command');
      assert.deepEqual(timelines.take().map((sent) => sent.map((m) => m.type)), [['init'], ['init']]);
    } finally {
      timelines.dispose();
      filters.dispose();
    }
  });

  test("a filter from one timeline's box reaches every timeline once, and the shared state holds it", T, () => {
    const filters = new FilterState();
    const timelines = twoTimelines(filters);
    try {
      timelines.feeds.forEach((f) => f.start());
      timelines.take();
      timelines.feeds[0].handle({ type: 'setFilter', filter: { types: ['stop'], subclasses: ['session'] } });
      for (const sent of timelines.take()) {
        assert.deepEqual(sent.map((m) => m.type), ['init']);
        assert.deepEqual(lanesOf(sent[0]), ['media/session/s1']);
      }
      assert.deepEqual(filters.filter, { types: ['stop'], subclasses: ['session'] }, 'what the tree reads');
      // The webview posts its box again (a re-render, or the same choice): nothing is re-sent.
      timelines.feeds[1].handle({ type: 'setFilter', filter: { subclasses: ['session'], types: ['stop'] } });
      assert.deepEqual(timelines.take(), [[], []]);
    } finally {
      timelines.dispose();
      filters.dispose();
    }
  });

  test('a hidden (stopped) timeline is sent nothing, and starts again with the current filter', T, () => {
    const filters = new FilterState();
    const timelines = twoTimelines(filters);
    try {
      const [shown, hidden] = timelines.feeds;
      shown.start();
      timelines.take();
      filters.set({ subclasses: ['session'] });
      const [toShown, toHidden] = timelines.take();
      assert.equal(toShown.length, 1);
      assert.deepEqual(toHidden, []);
      hidden.start();
      const [, onStart] = timelines.take();
      assert.deepEqual(onStart.map((m) => m.type), ['init']);
      assert.deepEqual(lanesOf(onStart[0]), ['media/session/s1']);
    } finally {
      timelines.dispose();
      filters.dispose();
    }
  });

  test('a disposed timeline no longer follows the filter', T, () => {
    const filters = new FilterState();
    const timelines = twoTimelines(filters);
    try {
      timelines.feeds.forEach((f) => f.start());
      timelines.take();
      timelines.feeds[0].dispose();
      filters.set({ text: 'c1' });
      const [toDisposed, toOther] = timelines.take();
      assert.deepEqual(toDisposed, []);
      assert.equal(toOther.length, 1);
    } finally {
      timelines.dispose();
      filters.dispose();
    }
  });
});
