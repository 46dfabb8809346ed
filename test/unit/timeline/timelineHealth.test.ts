// #14 part 3, the timeline's health strip, host side: the feed sends the source's health
// windows with `init`, and again with the next `delta` once a window was added; a malformed
// sample from a trace is not sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import type { ToWebview } from '../../../src/shared/timelineProtocol';
import { TimelineFeed } from '../../../src/timeline';

type Msg<T extends ToWebview['type']> = Extract<ToWebview, { type: T }>;

test('health windows reach the timeline with init, and with the delta after a new one', { timeout: 5_000 }, () => {
  const store = new EventStore({ notifyIntervalMs: 0 });
  const posted: ToWebview[] = [];
  const feed = new TimelineFeed({ id: 's', name: 'S', kind: 'live', store, status: { kind: 'connected' } }, (m) => posted.push(m), { now: () => 50_000 });
  const add = (ts: number) => {
    const data = { class: 'media', subclass: 'call', type: 'ringing', obj_id: `c${ts}`, body: {} };
    store.append({ conn: 's', ts, data, raw: JSON.stringify(data) });
    store.flush();
  };
  try {
    store.addAnnotation({ line: 'health', ts: 20_000, conn: 's', windowMs: 10_000, answers: 500, answerP50Us: 40, answerP99Us: 180, answerMaxUs: 900, pings: 2, pingIntervalMs: 5000, events: 480 });
    store.addAnnotation({ line: 'health', ts: 25_000, windowMs: 'ten seconds', answers: 1, pings: 0, events: 1 });
    add(15_000);
    feed.start();
    const init = posted.find((m) => m.type === 'init') as Msg<'init'>;
    assert.deepEqual(init.health, [{ from: 10_000, to: 20_000, p99Us: 180, maxUs: 900, eventsPerSecond: 48, pings: 2 }]);
    add(21_000);
    const quiet = posted.filter((m) => m.type === 'delta').pop() as Msg<'delta'>;
    assert.equal(quiet.health, undefined, 'no new window: nothing re-sent');
    store.addAnnotation({ line: 'health', ts: 30_000, conn: 's', windowMs: 10_000, answers: 0, pings: 0, events: 0 });
    add(29_000);
    const next = posted.filter((m) => m.type === 'delta').pop() as Msg<'delta'>;
    assert.deepEqual(next.health?.map((p) => [p.from, p.to, p.p99Us]), [
      [10_000, 20_000, 180],
      [20_000, 30_000, undefined],
    ]);
  } finally {
    feed.dispose();
    store.dispose();
  }
});
