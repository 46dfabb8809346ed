import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineTracker } from '../../../src/simulator/deadlineTracker';

const options = { answerTimeoutMs: 5000, ackExtensionMs: 180_000 };

describe('DeadlineTracker', () => {
  test('numbers requests 1, 2, 3… and nothing expires before the timeout', () => {
    const tracker = new DeadlineTracker(options);
    assert.deepEqual([tracker.register(0), tracker.register(0), tracker.register(10)], [1, 2, 3]);
    assert.equal(tracker.expired(5000), undefined);
    assert.equal(tracker.outstanding, 3);
  });

  test('the oldest unanswered request expires first', () => {
    const tracker = new DeadlineTracker(options);
    tracker.register(0);
    tracker.register(100);
    tracker.register(200);
    assert.equal(tracker.answered(1), true);
    assert.equal(tracker.expired(5050), undefined);
    assert.equal(tracker.expired(5101), 2);
  });

  test('answers in any order settle requests; the deadline then follows the oldest left', () => {
    const tracker = new DeadlineTracker(options);
    for (let t = 0; t < 4; t++) tracker.register(t * 1000);
    assert.equal(tracker.answered(3), true);
    assert.equal(tracker.answered(2), true);
    assert.equal(tracker.outstanding, 2);
    assert.equal(tracker.expired(5001), 1);
    assert.equal(tracker.answered(1), true);
    // 2 and 3 were answered, so the next deadline is request 4's (sent at 3000).
    assert.equal(tracker.expired(7999), undefined);
    assert.equal(tracker.expired(8001), 4);
    assert.equal(tracker.answered(4), true);
    assert.equal(tracker.outstanding, 0);
    assert.equal(tracker.expired(1e9), undefined);
  });

  test('answers to unknown, repeated or non-numeric tids are rejected', () => {
    const tracker = new DeadlineTracker(options);
    tracker.register(0);
    assert.equal(tracker.answered(2), false);
    assert.equal(tracker.answered(0), false);
    assert.equal(tracker.answered('1'), false);
    assert.equal(tracker.answered(1.5), false);
    assert.equal(tracker.answered(1), true);
    assert.equal(tracker.answered(1), false);
    assert.equal(tracker.ack(1, 0), false);
  });

  test('an ack extends one request\'s deadline without hiding later ones', () => {
    const tracker = new DeadlineTracker(options);
    tracker.register(0);
    tracker.register(1000);
    assert.equal(tracker.ack(1, 4000), true);
    assert.equal(tracker.expired(5500), undefined);
    assert.equal(tracker.expired(6001), 2, 'request 2 still has the normal deadline');
    assert.equal(tracker.answered(2), true);
    assert.equal(tracker.expired(184_000), undefined);
    assert.equal(tracker.expired(184_001), 1, 'the acked request expires 3 minutes after its ack');
    assert.equal(tracker.ack(1, 184_000), true, 'a second ack extends again');
    assert.equal(tracker.expired(300_000), undefined);
    assert.equal(tracker.answered(1), true, 'an acked request can still be answered');
    assert.equal(tracker.outstanding, 0);
  });

  test('a million in-order requests keep the tracker empty when answered', () => {
    const tracker = new DeadlineTracker(options);
    for (let i = 0; i < 1_000_000; i++) {
      const now = Math.floor(i / 50);
      const tid = tracker.register(now);
      if (i % 1000 === 0) assert.equal(tracker.expired(now), undefined);
      assert.equal(tracker.answered(tid), true);
    }
    assert.equal(tracker.outstanding, 0);
  });
});
