// One of each outcome; run with NKM_TEST_TIMEOUT_MS=1000.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

describe('outcomes', () => {
  test('waits forever on an open timer', () => new Promise(() => void setInterval(() => {}, 1000)));
  test('breaks an assertion', () => assert.equal(1 + 1, 3));
  test('passes after a timed-out neighbour', () => {});
  test('is skipped', { skip: 'on purpose' }, () => {});
  test('is still to do', { todo: 'on purpose: the runner must count it as todo' }, () => {});
});

describe('a suite that names its timeout', { timeout: 5_000 }, () => {
  test('takes 1.5 s, over the default but under the suite timeout', () => new Promise((resolve) => setTimeout(resolve, 1_500)));
});
