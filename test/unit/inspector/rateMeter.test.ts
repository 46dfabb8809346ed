import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter } from '../../../src/inspector/rateMeter';

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
