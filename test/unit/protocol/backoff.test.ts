import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, resolveBackoff } from '../../../src/protocol/backoff';

describe('backoff', () => {
  test('defaults: 500 ms doubling up to 30 s, without jitter when random is the midpoint', () => {
    const options = resolveBackoff();
    const mid = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4, 7, 8, 20].map((attempt) => backoffDelay(attempt, options, mid)),
      [500, 1000, 2000, 4000, 30_000, 30_000, 30_000],
    );
  });

  test('jitter spreads the delay by at most ±20 % by default', () => {
    const options = resolveBackoff({ initialDelayMs: 1000 });
    assert.equal(backoffDelay(1, options, () => 0), 800);
    assert.equal(backoffDelay(1, options, () => 0.999999), 1200);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3, options);
      assert.ok(delay >= 3200 && delay <= 4800, `delay ${delay} within ±20 % of 4000`);
    }
  });

  test('custom factor and cap; silly values are clamped', () => {
    const options = resolveBackoff({ initialDelayMs: 100, factor: 3, maxDelayMs: 1000, jitter: 0 });
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffDelay(a, options)), [100, 300, 900, 1000]);
    const clamped = resolveBackoff({ initialDelayMs: -5, factor: 0.1, jitter: 7 });
    assert.equal(clamped.initialDelayMs, 0);
    assert.equal(clamped.factor, 1);
    assert.equal(clamped.jitter, 1);
  });
});
