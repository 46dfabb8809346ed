import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { okResponse } from '../../../src/protocol/frames';

describe('answers', () => {
  test('the ok answer echoes any tid exactly as JSON would, numeric or not', () => {
    for (const tid of [0, 7, -3, 1.5, 1e21, 2 ** 53 + 2, 'abc', 'quote"and\\slash', '名前']) {
      assert.equal(okResponse(tid), JSON.stringify({ result: 'ok', tid }), `tid ${String(tid)}`);
      assert.deepEqual(JSON.parse(okResponse(tid)), { result: 'ok', tid });
    }
    assert.equal(okResponse(5, { session_id: 's' }), '{"result":"ok","data":{"session_id":"s"},"tid":5}');
  });
});
