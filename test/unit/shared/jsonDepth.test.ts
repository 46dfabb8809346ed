// #13 case 2: one rule for JSON nested too deep, so that no stage after the boundary throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUT_FLAG, CUT_TEXT, MAX_JSON_DEPTH, cutDeepNesting, cutIfTooDeep, nestedDeeperThan } from '../../../src/shared/jsonDepth';

/** An array nested `depth` levels: depth 1 is `[]`. */
function nestedArray(depth: number): unknown {
  return JSON.parse('['.repeat(depth) + ']'.repeat(depth));
}

function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; Array.isArray(v); v = v[0]) depth++;
  return depth;
}

test('the limit: 100 levels are kept as they are, 101 are cut', { timeout: 5_000 }, () => {
  assert.equal(nestedDeeperThan(nestedArray(MAX_JSON_DEPTH)), false);
  assert.equal(nestedDeeperThan(nestedArray(MAX_JSON_DEPTH + 1)), true);
  assert.equal(nestedDeeperThan({ a: 1, b: 'x', c: [1, 2, { d: null }] }), false, 'an ordinary event body');
  assert.equal(nestedDeeperThan('[[[[' as unknown), false, 'a string is no nesting');
});

test('a 100,000-deep array is measured and cut without overflowing, and the cut value stringifies', { timeout: 10_000 }, () => {
  const deep = nestedArray(100_000);
  assert.throws(() => JSON.stringify(deep), RangeError, 'what every later stage met before the rule');
  assert.equal(nestedDeeperThan(deep), true);
  const cut = cutDeepNesting(deep);
  assert.equal(depthOf(cut), MAX_JSON_DEPTH, 'cut at the limit');
  const text = JSON.stringify(cut);
  assert.ok(text.includes(JSON.stringify(CUT_TEXT)), 'the cut place says what was there');
});

test('a frame nested too deep is cut and its event flagged; a normal one is left alone', { timeout: 5_000 }, () => {
  const frame = { class: 'core', cmd: 'event', data: { class: 'media', subclass: 'session', type: 'update', obj_id: 's1', body: { sdp: 'v=0', x: nestedArray(5000) } }, tid: 7 };
  const cut = cutIfTooDeep(frame, 'data') as { data: Record<string, any>; tid: number };
  assert.ok(cut);
  assert.equal(cut.tid, 7);
  assert.deepEqual([cut.data.class, cut.data.type, cut.data.obj_id, cut.data.body.sdp], ['media', 'update', 's1', 'v=0'], 'what identifies the event is kept');
  assert.match(String(cut.data[CUT_FLAG]), /nested deeper than 100 levels/);
  assert.equal(cutIfTooDeep({ class: 'core', data: { body: {} } }, 'data'), undefined);
});

test('a "__proto__" key stays a key of the cut copy', { timeout: 5_000 }, () => {
  const value = JSON.parse('{"__proto__":{"polluted":true},"deep":' + '['.repeat(200) + ']'.repeat(200) + '}');
  const cut = cutDeepNesting(value) as Record<string, unknown>;
  assert.deepEqual(Object.keys(cut), ['__proto__', 'deep']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(cut), Object.prototype);
});
