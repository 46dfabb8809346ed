import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_IDS, DIALECTS, type DialectId } from '../../../src/protocol/dialects';
import { TrafficGenerator, type TrafficOptions } from '../../../src/simulator/traffic';
import { TrafficChecker } from './trafficChecker';

function run(options: TrafficOptions, count: number): TrafficChecker {
  const generator = new TrafficGenerator(options);
  const checker = new TrafficChecker(options.dialect ?? '2016-08');
  for (let i = 0; i < count; i++) checker.check(generator.next());
  return checker;
}

/** Every class/subclass/type the era's tables list. */
function vocabularyOf(id: DialectId): Set<string> {
  const types = new Set<string>();
  for (const [cls, subclasses] of Object.entries(DIALECTS[id].vocabulary)) {
    for (const [subclass, entry] of Object.entries(subclasses)) for (const type of Object.keys(entry.types)) types.add(`${cls}/${subclass}/${type}`);
  }
  return types;
}

describe('TrafficGenerator', { timeout: 60_000 }, () => {
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

  for (const dialect of DIALECT_IDS) {
    test(`${dialect}: every object tells a consistent story, in types and codes of that era only`, () => {
      for (const seed of [1, 2]) {
        const checker = run({ seed, dialect, faultRate: 0.1 }, 12_000);
        assert.deepEqual(checker.violations.slice(0, 10), [], `seed ${seed}`);
        const vocabulary = vocabularyOf(dialect);
        const foreign = [...checker.types].filter((t) => !vocabulary.has(t));
        assert.deepEqual(foreign, [], `types ${dialect} never sent`);
        assert.deepEqual([...checker.unlisted.keys()], [], 'nothing off the era without unknownTypes');
      }
    });
  }

  test('each era sends its own names for the same stories', () => {
    const typesOf = (dialect: DialectId) => run({ seed: 3, dialect }, 6000).types;
    const july = typesOf('2016-07');
    const august = typesOf('2016-08');
    const october = typesOf('2016-10');
    const develop = typesOf('2017');
    const collab2016 = typesOf('nkcollab-2016');
    const collab2017 = typesOf('nkcollab-2017');
    for (const t of ['media/room/created', 'media/room/started_publisher', 'media/session/room', 'media/session/stop']) assert.ok(july.has(t), `July: ${t}`);
    for (const t of ['media/room/started', 'media/room/started_listener', 'media/session/stop', 'media/session/updated_type', 'media/call/answer']) assert.ok(august.has(t), `Aug: ${t}`);
    for (const t of ['media/room/created', 'media/room/started_member', 'media/session/destroyed', 'media/session/type', 'media/call/accepted']) assert.ok(october.has(t), `Oct: ${t}`);
    for (const t of ['media/session/created', 'media/session/updated_type', 'media/room/started_member', 'media/session/destroyed']) assert.ok(develop.has(t), `develop: ${t}`);
    assert.ok(![...develop].some((t) => t.startsWith('media/call/')), 'develop nkmedia has no call plugin');
    for (const t of ['collab/call/ringing', 'collab/call/accepted', 'collab/call/hangup', 'collab/room/created', 'collab/room/started_member', 'collab/room/destroyed']) assert.ok(collab2016.has(t), `nkcollab 2016: ${t}`);
    for (const t of ['collab/call/created', 'collab/call/accepted', 'collab/room/started_publisher', 'collab/room/started_listener', 'collab/room/stopped_publisher']) assert.ok(collab2017.has(t), `nkcollab 2017: ${t}`);
  });

  test('normal ends carry the era\'s non-zero user_stop code; no SIP-style code anywhere', () => {
    const sessionEnd = (dialect: DialectId) => {
      const events = new TrafficGenerator({ seed: 4, dialect, faultRate: 0 }).take(4000);
      return events.filter((e) => e.subclass === 'session' && (e.type === 'stop' || e.type === 'destroyed')).map((e) => e.body?.code);
    };
    assert.ok(sessionEnd('2016-08').every((code) => code === 1013 || code === 2036), 'Aug: user_stop 1013, publisher_stopped 2036');
    assert.ok(sessionEnd('2016-10').every((code) => code === 100011 || code === 304006), 'Oct: user_stop 100011, publisher_stop 304006');
    assert.ok(sessionEnd('2017').every((code) => code === 100011 || code === 304006), 'develop: 100011');
    for (const dialect of DIALECT_IDS) {
      const checker = run({ seed: 6, dialect, faultRate: 0.2 }, 8000);
      assert.ok(!checker.endCodes.includes(0), `${dialect}: no code 0`);
      for (const sip of [486, 487, 480]) assert.ok(!checker.endCodes.includes(sip), `${dialect}: no ${sip}`);
    }
  });

  test('calls not taken end with the era\'s outcome codes (nkcollab: 305003/305004/305006/305008)', () => {
    const hangups = new TrafficGenerator({ seed: 8, dialect: 'nkcollab-2016', faultRate: 0 })
      .take(20_000)
      .filter((e) => e.class === 'collab' && e.type === 'hangup')
      .map((e) => e.body?.code);
    for (const code of [305003, 305004, 305006, 305008, 305011]) assert.ok(hangups.includes(code), `collab hangup ${code}`);
    const august = new TrafficGenerator({ seed: 8, dialect: '2016-08', faultRate: 0 }).take(20_000).filter((e) => e.type === 'hangup').map((e) => e.body?.code);
    for (const code of [2021, 2023, 2025]) assert.ok(august.includes(code), `Aug hangup ${code}`);
  });

  test('SDP answers are {sdp, sdp_type…} of 2-6 KB', () => {
    for (const dialect of ['2016-08', '2017'] as const) {
      const checker = run({ seed: 7, dialect }, 5000);
      assert.ok(checker.sdpSizes.length > 300, `only ${checker.sdpSizes.length} answers`);
      assert.ok(Math.min(...checker.sdpSizes) >= 2048, `smallest SDP is ${Math.min(...checker.sdpSizes)} bytes`);
      assert.ok(Math.max(...checker.sdpSizes) <= 6144, `largest SDP is ${Math.max(...checker.sdpSizes)} bytes`);
    }
    const [answer] = new TrafficGenerator({ seed: 7, dialect: '2016-10' }).take(200).filter((e) => e.type === 'answer');
    assert.deepEqual(Object.keys(answer.body!.answer as object).sort(), ['backend', 'sdp', 'sdp_type', 'trickle_ice']);
  });

  test('faults follow faultRate: none at 0, a few percent by default, many at 0.3', () => {
    const none = run({ seed: 1, faultRate: 0 }, 15_000);
    assert.equal(none.verdicts.fault, 0);
    assert.equal(none.anomalies.publisherStoppedWhileWatched, 0);
    const byDefault = run({ seed: 1 }, 15_000);
    const ends = byDefault.verdicts.normal + byDefault.verdicts.declined + byDefault.verdicts.fault;
    assert.ok(byDefault.verdicts.fault > 0 && byDefault.verdicts.fault < ends * 0.1, `${byDefault.verdicts.fault} faults of ${ends} ends`);
    const many = run({ seed: 1, faultRate: 0.3 }, 15_000);
    assert.ok(many.verdicts.fault > byDefault.verdicts.fault * 3);
    assert.ok(many.anomalies.publisherStoppedWhileWatched > 0, 'a publisher session failed while watched');
    assert.ok(many.anomalies.callHungUpUnanswered > 0, 'calls hung up unanswered');
    assert.ok(byDefault.verdicts.declined > 0, 'calls not taken are declined, not faults');
    assert.throws(() => new TrafficGenerator({ faultRate: 2 }), RangeError);
  });

  test('unknownTypes: every kind of type no era has shows up, a few per thousand; off by default', () => {
    const checker = run({ seed: 1, unknownTypes: true }, 15_000);
    const kinds = [...checker.unlisted.keys()];
    for (const expected of [/^media\/room\/(updated|started_recorder)$/, /^media\/player\//, /^core\/user\/(login|logout)$/, /^extra body fields$/]) {
      assert.ok(kinds.some((k) => expected.test(k)), `no ${expected} in ${kinds.join(', ')}`);
    }
    const total = [...checker.unlisted.values()].reduce((a, b) => a + b, 0);
    assert.ok(total >= 15 && total <= 300, `${total} unlisted events in 15,000`);
    assert.deepEqual(checker.violations.slice(0, 10), []);
    assert.equal(run({ seed: 1 }, 15_000).unlisted.size, 0);
  });

  test('a bounded, busy population of live objects', () => {
    const checker = run({ seed: 3 }, 15_000);
    assert.ok(checker.maxLive <= 100, `up to ${checker.maxLive} live objects`);
    assert.ok(checker.averageLive >= 10, `only ${checker.averageLive.toFixed(1)} live objects on average`);
  });

  test('the world holds the live objects the snapshot commands list', () => {
    const generator = new TrafficGenerator({ seed: 2, dialect: '2016-10' });
    generator.take(2000);
    const { world } = generator;
    assert.ok(world.sessions.size > 0 && world.calls.size > 0);
    assert.ok([...world.sessions.values()].every((s) => !s.stopped));
  });
});

describe('TrafficChecker (the test oracle above)', () => {
  const room = '11c92417-6c97-6f35-971b-2954afab410b';
  const publisher = '39ce4076-391a-1260-75db-38c9862f00d9';
  const listener = '90076c74-391a-153c-f6c7-38c9862f00d9';
  const answer = (id: string) => ({ class: 'media', subclass: 'session', type: 'answer', obj_id: id, body: { answer: { sdp: 'v=0\r\n', sdp_type: 'webrtc' } } });

  test('catches a listener whose peer is not a live publisher, and events after destroyed', () => {
    const checker = new TrafficChecker('2016-08');
    checker.check({ class: 'media', subclass: 'room', type: 'started', obj_id: room, body: { class: 'sfu', backend: 'nkmedia_janus' } });
    checker.check(answer(listener));
    checker.check({ class: 'media', subclass: 'room', type: 'started_listener', obj_id: room, body: { session_id: listener, user: 'user1@nkmedia', peer: publisher } });
    checker.check({ class: 'media', subclass: 'room', type: 'destroyed', obj_id: room, body: { code: 1013, reason: 'User stop' } });
    checker.check({ class: 'media', subclass: 'room', type: 'stopped_listener', obj_id: room, body: { session_id: listener, user: 'user1@nkmedia' } });
    const text = checker.violations.join('\n');
    assert.match(text, /peer .* is not a publisher/);
    assert.match(text, /destroyed with members inside/);
    assert.match(text, /after the room ended/);
    assert.match(text, /SDP answer lacks/);
  });

  test('catches a member joining before its answer, a bad id, code 0, a SIP code and another era\'s type', () => {
    const checker = new TrafficChecker('2016-08');
    checker.check({ class: 'media', subclass: 'room', type: 'started', obj_id: room, body: { class: 'sfu', backend: 'nkmedia_janus' } });
    checker.check({ class: 'media', subclass: 'room', type: 'started_publisher', obj_id: room, body: { session_id: publisher, user: 'user1@nkmedia' } });
    checker.check({ class: 'media', subclass: 'call', type: 'ringing', obj_id: 'not-a-uuid' });
    checker.check({ class: 'media', subclass: 'session', type: 'stop', obj_id: listener, body: { code: 0, reason: 'User stop' } });
    checker.check({ class: 'media', subclass: 'call', type: 'hangup', obj_id: room, body: { code: 486, reason: 'Busy' } });
    // develop's status event: no Aug-Sep 2016 server sends it (`destroyed` came on 28 Sep, within that era).
    checker.check({ class: 'media', subclass: 'session', type: 'updated_status', obj_id: publisher, body: { slow_link: true } });
    const text = checker.violations.join('\n');
    assert.match(text, /joins before its session answer/);
    assert.match(text, /not UUID-like/);
    assert.match(text, /code 0/);
    assert.match(text, /SIP-style code 486/);
    assert.deepEqual([...checker.unlisted.keys()], ['media/session/updated_status']);
  });
});
