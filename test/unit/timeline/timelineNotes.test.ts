// Notes on the timeline: a lane carries its object's notes (flags the page draws at their
// time), a change of the notes sends the lanes it changed and only those, the selected event's
// details list its notes, and "Bookmark…" is a message the host accepts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, addNote, eventNote, notesOf, objectNote, removeNote } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';
import { fromWebviewSchema, type ToWebview } from '../../../src/shared/timelineProtocol';
import { TimelineFeed } from '../../../src/timeline';

type Msg<T extends ToWebview['type']> = Extract<ToWebview, { type: T }>;

const EVENTS: EventData[] = [
  { class: 'media', subclass: 'session', type: 'created', obj_id: 'a', body: {} },
  { class: 'media', subclass: 'session', type: 'created', obj_id: 'b', body: {} },
  { class: 'media', subclass: 'session', type: 'answer', obj_id: 'a', body: {} },
];

function setup() {
  const store = new EventStore({ notifyIntervalMs: 0 });
  EVENTS.forEach((data, i) => store.append({ conn: 'c', ts: 1000 + i * 10, data, raw: JSON.stringify(data) }));
  store.flush();
  const posted: ToWebview[] = [];
  const feed = new TimelineFeed({ id: 's', name: 'S', kind: 'trace', store, status: { kind: 'loaded' } }, (m) => posted.push(m), { now: () => 5000 });
  const last = <T extends ToWebview['type']>(type: T) => posted.filter((m) => m.type === type).pop() as Msg<T> | undefined;
  return { store, feed, posted, last };
}

describe('timeline notes', { timeout: 10_000 }, () => {
  test('a lane carries its notes; adding and removing one sends that lane again, not the others', () => {
    const { store, feed, last } = setup();
    try {
      addNote(store, objectNote(store, 'media/session/a', 'first look')!);
      store.flush();
      feed.start();
      const init = last('init')!;
      assert.deepEqual(init.lanes.find((l) => l.key === 'media/session/a')?.notes, [{ ts: 1000, text: 'first look' }]);
      assert.equal(init.lanes.find((l) => l.key === 'media/session/b')?.notes, undefined, 'no notes, no field');

      addNote(store, eventNote(store, store.eventsOf('media/session/a')[1], 'answered')!);
      store.flush();
      const added = last('delta')!;
      assert.deepEqual(added.lanes.map((l) => [l.key, l.notes?.map((n) => [n.ts, n.eventType, n.text])]), [['media/session/a', [[1000, undefined, 'first look'], [1020, 'answer', 'answered']]]]);

      for (const note of [...notesOf(store)]) removeNote(store, note);
      store.flush();
      const removed = last('delta')!;
      assert.deepEqual(removed.lanes.map((l) => [l.key, l.notes]), [['media/session/a', undefined]], 'the lane that lost its notes is sent without them');
    } finally {
      feed.dispose();
      store.dispose();
    }
  });

  test("the selected event's details list its notes; bookmark is a valid message the feed leaves to the panel", () => {
    const { store, feed, last } = setup();
    try {
      const answer = store.eventsOf('media/session/a')[1];
      addNote(store, eventNote(store, answer, 'slow <answer>')!);
      feed.start();
      feed.handle({ type: 'selectEvent', seq: answer });
      assert.deepEqual(last('eventDetails')?.notes, ['slow <answer>']);
      feed.handle({ type: 'selectEvent', seq: store.eventsOf('media/session/a')[0] });
      assert.equal(last('eventDetails')?.notes, undefined);
      const parsed = fromWebviewSchema.safeParse({ type: 'bookmark', seq: answer });
      assert.ok(parsed.success);
      assert.equal(feed.handle(parsed.data), undefined);
      assert.equal(fromWebviewSchema.safeParse({ type: 'bookmark', seq: -1 }).success, false);
    } finally {
      feed.dispose();
      store.dispose();
    }
  });
});
