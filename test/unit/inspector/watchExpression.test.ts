// #14 part 1, the expression language of watches: the filter syntax plus conditions, and a
// clear message with the column for a bad expression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsHold, parseWatch, type WatchExpression } from '../../../src/inspector/watchExpression';
import { scanWatch } from '../../../src/inspector/watchScan';
import * as path from 'path';
import { EventStore } from '../../../src/core';
import { runStats } from '../../../src/cli/statsCommand';
import { captureIo, removeTempDirs, tempDir, writeStoryTrace } from '../trace/traceFixtures';

function watch(text: string): WatchExpression {
  const parsed = parseWatch(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.watch;
}

test('filter words and conditions are told apart; durations read their units', { timeout: 5_000 }, () => {
  const w = watch('user:alice type:hangup body.code=486 duration>5s busy');
  assert.deepEqual(w.filter, { users: ['alice'], types: ['hangup'], text: 'busy' });
  assert.deepEqual(
    w.conditions.map((c) => [c.field, c.operator, c.number]),
    [
      ['body.code', '=', 486],
      ['duration', '>', 5000],
    ],
  );
  assert.equal(watch('duration<=1.5m').conditions[0].number, 90_000);
  assert.equal(watch('duration>=250ms').conditions[0].number, 250);
});

test('conditions: numbers compare as numbers, text exactly, a missing field passes only !=', { timeout: 5_000 }, () => {
  const busy = { type: 'hangup', body: { code: 486, reason: 'Busy Here' } };
  const normal = { type: 'hangup', body: { code: 0, reason: 'ok' } };
  const bare = { type: 'hangup' };
  assert.equal(conditionsHold(watch('body.code=486'), busy, 0), true);
  assert.equal(conditionsHold(watch('body.code=486'), normal, 0), false);
  assert.equal(conditionsHold(watch('body.code!=0'), busy, 0), true);
  assert.equal(conditionsHold(watch('body.code!=0'), normal, 0), false);
  assert.equal(conditionsHold(watch('body.code!=0'), bare, 0), true, 'no code is not code 0');
  assert.equal(conditionsHold(watch('body.code>400'), bare, 0), false);
  assert.equal(conditionsHold(watch('body.code>=486 body.code<500'), busy, 0), true, 'every condition must hold');
  assert.equal(conditionsHold(watch('body.reason=Busy'), busy, 0), false, 'text is compared exactly, not as a substring');
  assert.equal(conditionsHold(watch('type=hangup duration>5s'), busy, 6_000), true);
  assert.equal(conditionsHold(watch('type=hangup duration>5s'), busy, 4_000), false);
  assert.equal(conditionsHold(watch('body.code.x=1'), busy, 0), false, 'a path through a number finds nothing');
});

test('bad expressions are refused with what is wrong and the column', { timeout: 5_000 }, () => {
  const cases: Array<[string, RegExp, number]> = [
    ['user:bob foo=1', /^unknown field "foo": use body.<field>, duration/, 10],
    ['body.code=', /^"body.code=" needs a value/, 11],
    ['duration>soon', /^"soon" is not a duration: write e.g. 500ms, 5s, 2m/, 10],
    ['body.reason>Busy', /^">" compares numbers, and "Busy" is not one/, 13],
    ['   ', /^an empty watch would match every event/, 1],
  ];
  for (const [text, message, column] of cases) {
    const parsed = parseWatch(text);
    assert.equal(parsed.ok, false, text);
    if (parsed.ok) continue;
    assert.match(parsed.error, message, text);
    assert.equal(parsed.column, column, `${text}: ${parsed.error}`);
    assert.match(parsed.error, new RegExp(`\\(at column ${column}\\)$`));
  }
});

test('a scan over a store lists the hits oldest first, with the object and its age', { timeout: 5_000 }, () => {
  const store = new EventStore();
  try {
    const add = (ts: number, type: string, id: string, body: Record<string, unknown>) => {
      const data = { class: 'media', subclass: 'call', type, obj_id: id, body };
      store.append({ conn: 'c', ts, data, raw: JSON.stringify(data) });
    };
    add(1000, 'ringing', 'c1', {});
    add(1500, 'ringing', 'c2', {});
    add(2000, 'hangup', 'c1', { code: 486, reason: 'Busy Here' });
    add(9000, 'hangup', 'c2', { code: 486, reason: 'Busy Here' });
    const busy = scanWatch(store, watch('type:hangup body.code=486'));
    assert.equal(busy.count, 2);
    assert.deepEqual(busy.hits.map((h) => [h.seq, h.type]), [[3, 'media/call/hangup'], [4, 'media/call/hangup']]);
    const long = scanWatch(store, watch('body.code=486 duration>5s'));
    assert.deepEqual(long.hits.map((h) => h.objectKey.endsWith('c2')), [true], 'only the call that rang 7.5 s');
  } finally {
    store.dispose();
  }
});

test('stats --watch lists the hits of each watch on a trace; --json puts them under "watches"; a bad one is a usage error', { timeout: 15_000 }, async () => {
  const file = path.join(tempDir(), 'story.nkmtrace');
  await writeStoryTrace(file);
  try {
    const text = captureIo();
    assert.equal(await runStats([file, '--watch', 'type:stop body.code!=0', '--watch', 'subclass:call duration>5ms'], text), 0, text.err);
    assert.match(text.out, /\nwatch type:stop body\.code!=0: 1 hit\n  \S+  #11  media\/session\/pub-1  media\/session\/stop\n/);
    assert.match(text.out, /\nwatch subclass:call duration>5ms: 1 hit\n  \S+  #7  media\/call\/call-1  media\/call\/hangup\n/);
    const json = captureIo();
    assert.equal(await runStats([file, '--watch', 'body.code=0', '--json'], json), 0, json.err);
    const parsed = JSON.parse(json.out) as { events: number; watches: Array<{ expression: string; count: number; hits: Array<{ seq: number }> }> };
    assert.equal(parsed.events, 13, 'the usual stats are there too');
    assert.deepEqual(parsed.watches.map((w) => [w.expression, w.count, w.hits.map((h) => h.seq)]), [['body.code=0', 2, [9, 12]]]);
    const bad = captureIo();
    assert.equal(await runStats([file, '--watch', 'body.code>>1'], bad), 2);
    assert.match(bad.err, /--watch "body.code>>1": ">" compares numbers, and ">1" is not one \(at column 11\)/);
  } finally {
    removeTempDirs();
  }
});
