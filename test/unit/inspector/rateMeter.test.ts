import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter, formatRate } from '../../../src/inspector/rateMeter';

test('the rate is the average of the last complete seconds', () => {
  let now = 10_000;
  const meter = new RateMeter(5, () => now);
  meter.count(100);
  now += 1000;
  meter.count(300);
  now += 1000;
  // two complete seconds: 100 and 300
  assert.equal(meter.perSecond(), 200);
});

test('idle seconds bring the rate down to zero', () => {
  let now = 0;
  const meter = new RateMeter(3, () => now);
  meter.count(900);
  now += 1000;
  assert.equal(meter.perSecond(), 900);
  now += 10_000;
  assert.equal(meter.perSecond(), 0);
});

test('before the first second is complete, the rate is what arrived so far, not 0', () => {
  let now = 5_000;
  const meter = new RateMeter(5, () => now);
  assert.equal(meter.perSecond(), 0, 'nothing yet');
  now += 500;
  meter.count(100);
  assert.equal(meter.perSecond(), 200, '100 events in half a second');
});

test('a low rate reads with a decimal, never as 0 while events arrive', () => {
  assert.deepEqual([0, 0.01, 0.3, 2.5, 3, 9.96, 200, 1_520, 12_400].map(formatRate), ['0', '<0.1', '0.3', '2.5', '3', '10', '200', '1.5k', '12k']);
});
