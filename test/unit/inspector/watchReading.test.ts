// Watches skip parsing events whose text shows that the fields they read are absent, and live
// they decide their conditions on the event as it is appended (watchVerdicts.ts): the hits must
// be those of reading every event in full, whatever way the server wrote its JSON and however
// late the watcher runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import { parseWatch, type WatchExpression } from '../../../src/inspector/watchExpression';
import { scanWatch } from '../../../src/inspector/watchScan';
import { StoreWatcher } from '../../../src/inspector/storeWatcher';
import { RING_SIZE } from '../../../src/inspector/watchVerdicts';

function watch(text: string): WatchExpression {
  const parsed = parseWatch(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.watch;
}

/** Events as servers may write them: each raw text is what the store keeps and a reader parses. */
const RAWS = [
  // 1: the member name written with \u escapes: `"code"` is not in the text.
  '{"class":"media","subclass":"call","type":"hangup","obj_id":"c1","body":{"\\u0063ode":486,"reason":"Busy"}}',
  // 2: no code at all, but an SDP full of \r\n escapes.
  '{"class":"media","subclass":"session","type":"answer","obj_id":"s1","body":{"answer":{"sdp":"v=0\\r\\nm=audio 9 RTP\\r\\n"}}}',
  // 3: the code nested deeper, and a reason with an escaped letter.
  '{"class":"media","subclass":"call","type":"hangup","obj_id":"c2","body":{"end":{"code":486},"reason":"B\\u0075sy"}}',
  // 4: plain.
  '{"class":"media","subclass":"call","type":"hangup","obj_id":"c3","body":{"code":1013,"reason":"User stop"}}',
  // 5: nothing in the body.
  '{"class":"media","subclass":"call","type":"ringing","obj_id":"c4","body":{}}',
];

/** Which events (1-based, in RAWS order) each watch hits when every event is read in full. */
const EXPECTED: Array<[string, number[]]> = [
  ['body.code=486', [1]],
  ['body.code!=486', [2, 3, 4, 5]],
  ['body.code!=0', [1, 2, 3, 4, 5]],
  ['body.end.code=486', [3]],
  ['body.reason=Busy', [1, 3]],
  ['type:hangup body.code!=1013', [1, 3]],
  ['body.code>1000 body.reason!=Busy', [4]],
  ['body.answer.sdp!=x', [1, 2, 3, 4, 5]],
];

function fill(store: EventStore): void {
  RAWS.forEach((raw, i) => store.append({ conn: 'c', ts: 1000 + i, data: JSON.parse(raw), raw }));
}

test('a scan finds the same hits whether the fields are written plainly, escaped, nested or absent', { timeout: 5_000 }, () => {
  const store = new EventStore();
  try {
    fill(store);
    for (const [expression, seqs] of EXPECTED) assert.deepEqual(scanWatch(store, watch(expression)).hits.map((h) => h.seq), seqs, expression);
  } finally {
    store.dispose();
  }
});

test('live, the watcher finds those hits too: run at each event, after all, or with the watches set after the events came', { timeout: 5_000 }, () => {
  for (const when of ['each event', 'after all', 'watches set late']) {
    const store = new EventStore();
    const hits = new Map<string, number[]>();
    const watcher = new StoreWatcher(store, (r) => hits.set(r.watch.expression, [...(hits.get(r.watch.expression) ?? []), ...r.hits.map((h) => h.seq)]));
    try {
      const specs = EXPECTED.map(([expression], i) => ({ id: `w${i}`, expression, action: 'marker' as const, enabled: true }));
      if (when !== 'watches set late') watcher.setWatches(specs);
      RAWS.forEach((raw, i) => {
        store.append({ conn: 'c', ts: 1000 + i, data: JSON.parse(raw), raw });
        if (when === 'each event') watcher.runTo();
      });
      // Set late, the watches were not there to see the events appended: they read the stored text.
      if (when === 'watches set late') watcher.setWatches(specs);
      watcher.runTo();
      for (const [expression, seqs] of EXPECTED) assert.deepEqual(hits.get(expression) ?? [], seqs, `${expression}, run ${when}`);
    } finally {
      watcher.dispose();
      store.dispose();
    }
  }
});

test(`a run that comes after more than ${RING_SIZE} new events still finds every hit`, { timeout: 10_000 }, () => {
  const store = new EventStore();
  let count = 0;
  const watcher = new StoreWatcher(store, (r) => (count += r.count));
  try {
    watcher.setWatches([{ id: 'busy', expression: 'body.code=486', action: 'marker', enabled: true }]);
    const total = RING_SIZE + 5_000;
    for (let i = 1; i <= total; i++) {
      const data = { class: 'media', subclass: 'call', type: 'hangup', obj_id: `c${i}`, body: { code: i % 1000 === 0 ? 486 : 1013 } };
      store.append({ conn: 'c', ts: i, data, raw: JSON.stringify(data) });
    }
    watcher.runTo();
    assert.equal(count, Math.floor(total / 1000), 'the oldest events are read from the store, the newest were decided as they came');
  } finally {
    watcher.dispose();
    store.dispose();
  }
});
