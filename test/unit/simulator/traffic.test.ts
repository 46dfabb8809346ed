import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficGenerator } from '../../../src/simulator/traffic';
import { TrafficChecker } from './trafficChecker';

function run(seed: number, count: number): TrafficChecker {
  const generator = new TrafficGenerator({ seed });
  const checker = new TrafficChecker();
  for (let i = 0; i < count; i++) checker.check(generator.next());
  return checker;
}

describe('TrafficGenerator', () => {
  test('the same seed gives the same events; another seed gives others', () => {
    const first = new TrafficGenerator({ seed: 42 }).take(3000);
    const again = new TrafficGenerator({ seed: 42 }).take(3000);
    const other = new TrafficGenerator({ seed: 43 }).take(3000);
    assert.deepEqual(again, first);
    assert.notDeepEqual(other, first);
    assert.notEqual(other[0].obj_id, first[0].obj_id);
  });

  test('next() and take() walk the same sequence', () => {
    const stepwise = new TrafficGenerator({ seed: 5 });
    const batched = new TrafficGenerator({ seed: 5 });
    const one = [stepwise.next(), stepwise.next(), stepwise.next()];
    assert.deepEqual(batched.take(3), one);
    assert.equal(stepwise.count, 3);
  });

  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: every object tells a consistent story over 15,000 events`, () => {
      const checker = run(seed, 15_000);
      assert.deepEqual(checker.violations.slice(0, 10), []);
    });
  }

  test('SDP answers are realistic and 2-6 KB', () => {
    const checker = run(7, 5000);
    assert.ok(checker.sdpSizes.length > 500, `only ${checker.sdpSizes.length} answers`);
    assert.ok(Math.min(...checker.sdpSizes) >= 2048, `smallest SDP is ${Math.min(...checker.sdpSizes)} bytes`);
    assert.ok(Math.max(...checker.sdpSizes) <= 6144, `largest SDP is ${Math.max(...checker.sdpSizes)} bytes`);
    assert.deepEqual(checker.violations.filter((v) => v.includes('SDP')), []);
  });

  test('the anomalies the inspector flags happen now and then', () => {
    const checker = run(1, 15_000);
    assert.ok(checker.anomalies.publisherStoppedWhileWatched > 0, 'no publisher session stopped while watched');
    assert.ok(checker.anomalies.callHungUpUnanswered > 0, 'no call hung up unanswered');
    const nonZero = checker.stopCodes.filter((code) => code !== 0).length;
    assert.ok(nonZero > 0 && nonZero < checker.stopCodes.length / 3, `${nonZero} of ${checker.stopCodes.length} session stops are failures`);
  });

  test('every kind of unlisted event shows up, a few per thousand', () => {
    const checker = run(1, 15_000);
    const kinds = [...checker.unlisted.keys()];
    for (const expected of [/^session type (candidate|info)$/, /^room type (updated|started_recorder)$/, /^subclass player$/, /^class core$/, /^extra body fields$/]) {
      assert.ok(kinds.some((k) => expected.test(k)), `no ${expected} in ${kinds.join(', ')}`);
    }
    const total = [...checker.unlisted.values()].reduce((a, b) => a + b, 0);
    assert.ok(total >= 15 && total <= 300, `${total} unlisted events in 15,000`);
  });

  test('unlisted events appear early for any seed (within 2,000 events)', () => {
    for (let seed = 10; seed < 20; seed++) {
      const checker = run(seed, 2000);
      assert.ok(checker.unlisted.size > 0, `seed ${seed}: no unlisted event in 2,000`);
    }
  });

  test('a bounded, busy population of live objects', () => {
    const checker = run(3, 15_000);
    assert.ok(checker.maxLive <= 100, `up to ${checker.maxLive} live objects`);
    assert.ok(checker.averageLive >= 10, `only ${checker.averageLive.toFixed(1)} live objects on average`);
  });
});

describe('TrafficChecker (the test oracle above)', () => {
  const room = '11c92417-6c97-6f35-971b-2954afab410b';
  const publisher = '39ce4076-391a-1260-75db-38c9862f00d9';
  const listener = '90076c74-391a-153c-f6c7-38c9862f00d9';
  const answer = (id: string) => ({ class: 'media', subclass: 'session', type: 'answer', obj_id: id, body: { answer: 'v=0\r\n' } });

  test('catches a listener whose peer is not a live publisher, and events after destroyed', () => {
    const checker = new TrafficChecker();
    checker.check({ class: 'media', subclass: 'room', type: 'started', obj_id: room, body: { class: 'sfu', backend: 'nkmedia_janus' } });
    checker.check(answer(listener));
    checker.check({ class: 'media', subclass: 'room', type: 'started_listener', obj_id: room, body: { session_id: listener, user: 'user1@nkmedia', peer: publisher } });
    checker.check({ class: 'media', subclass: 'room', type: 'destroyed', obj_id: room, body: { code: 0, reason: 'User stop' } });
    checker.check({ class: 'media', subclass: 'room', type: 'stopped_listener', obj_id: room, body: { session_id: listener, user: 'user1@nkmedia' } });
    const text = checker.violations.join('\n');
    assert.match(text, /peer .* is not a publisher/);
    assert.match(text, /destroyed with members inside/);
    assert.match(text, /after destroyed/);
    assert.match(text, /SDP answer lacks/);
  });

  test('catches a member joining before its answer and a bad id', () => {
    const checker = new TrafficChecker();
    checker.check({ class: 'media', subclass: 'room', type: 'started', obj_id: room, body: { class: 'sfu', backend: 'nkmedia_janus' } });
    checker.check({ class: 'media', subclass: 'room', type: 'started_publisher', obj_id: room, body: { session_id: publisher, user: 'user1@nkmedia' } });
    checker.check({ class: 'media', subclass: 'call', type: 'ringing', obj_id: 'not-a-uuid', body: {} });
    const text = checker.violations.join('\n');
    assert.match(text, /joins before its session answer/);
    assert.match(text, /not UUID-like/);
  });
});
