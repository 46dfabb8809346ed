import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ANY_ERA, DIALECT_IDS, DIALECTS, DialectDetector, EndCodeJudge, vocabularyFor, verdictOfReason } from '../../../src/protocol/dialects';

describe('dialect tables', () => {
  test('a type name two eras share means the same in both, so the union of all eras is well defined', () => {
    const seen = new Map<string, { meaning: unknown; era: string }>();
    for (const id of DIALECT_IDS) {
      for (const [cls, subclasses] of Object.entries(DIALECTS[id].vocabulary)) {
        for (const [subclass, entry] of Object.entries(subclasses)) {
          for (const [type, meaning] of Object.entries(entry.types)) {
            const name = `${cls}/${subclass}/${type}`;
            const earlier = seen.get(name);
            if (earlier) assert.equal(meaning, earlier.meaning, `${name} means one thing in ${earlier.era} and another in ${id}`);
            else seen.set(name, { meaning, era: id });
          }
        }
      }
    }
    assert.ok(seen.size > 40);
  });

  test('each era lists its own names: the seed ends sessions with stop, later eras with destroyed', () => {
    const aug = vocabularyFor('2016-08');
    const oct = vocabularyFor('2016-10');
    assert.deepEqual(aug.lookup('media', 'session', 'stop'), { meaning: { effect: 'ended' }, known: true });
    assert.equal(oct.lookup('media', 'session', 'stop').known, false, 'Oct 2016 never sends stop');
    assert.equal(oct.lookup('media', 'session', 'stop').meaning?.effect, 'ended', 'but it is still understood');
    assert.equal(oct.lookup('media', 'session', 'destroyed').known, true);
    assert.equal(aug.lookup('media', 'room', 'started').meaning?.effect, 'created');
    assert.equal(vocabularyFor('2017').lookup('media', 'session', 'updated_type').known, true);
    assert.equal(vocabularyFor('2017').lookup('media', 'session', 'type').known, false);
    assert.equal(ANY_ERA.lookup('media', 'session', 'no_such_type').meaning, undefined);
  });

  test('collab calls and rooms are objects of their own kinds', () => {
    assert.equal(ANY_ERA.kindOf('collab', 'call'), 'call');
    assert.equal(ANY_ERA.kindOf('collab', 'room'), 'room');
    assert.equal(ANY_ERA.kindOf('media', 'player'), 'other');
    assert.equal(vocabularyFor('2016-10').lookup('collab', 'call', 'accepted').known, false, 'Oct 2016 without nkcollab has no collab calls');
    assert.equal(vocabularyFor('nkcollab-2016').lookup('collab', 'call', 'accepted').known, true);
  });

  test('the develop unrecognized_fields session event (about our extra pass field) is known, not an anomaly', () => {
    assert.deepEqual(vocabularyFor('2017').lookup('core', 'session_event', 'unrecognized_fields'), { meaning: { effect: 'none' }, known: true });
  });
});

describe('end verdicts', () => {
  test('user_stop is a normal end in every era whatever its code', () => {
    const cases: Array<[string, number, string]> = [
      ['2016-07', 1000, 'User stop'],
      ['2016-08', 1013, 'User stop'],
      ['2016-10', 100011, 'User stop received'],
      ['2017', 100011, 'User stop'],
    ];
    for (const [era, code, reason] of cases) {
      const judgement = vocabularyFor(era as '2016-08').judgeEnd(code, reason);
      assert.equal(judgement.verdict, 'normal', `${era}: ${code} ${reason}`);
      assert.equal(judgement.atom, 'user_stop');
    }
  });

  test('an empty or blank code is no code 0: not judged normal for it, in any era', () => {
    for (const era of DIALECT_IDS) {
      const vocabulary = vocabularyFor(era);
      for (const code of ['', '   ']) {
        const judgement = vocabulary.judgeEnd(code, undefined);
        assert.notEqual(judgement.by, 'code 0', `${era}: code ${JSON.stringify(code)}`);
        assert.notEqual(judgement.verdict, 'normal', `${era}: code ${JSON.stringify(code)} is not a normal end`);
      }
      for (const code of [0, '0', ' 0 ']) assert.deepEqual(vocabulary.judgeEnd(code, undefined), { verdict: 'normal', by: 'code 0' }, `${era}: code ${JSON.stringify(code)}`);
    }
  });

  test('in July 2016 every reason had the code 1000: the code alone says nothing', () => {
    const july = vocabularyFor('2016-07');
    assert.equal(july.judgeEnd(1000, 'Timeout').verdict, 'fault');
    assert.equal(july.judgeEnd(1000, 'User stop').verdict, 'normal');
    assert.equal(july.judgeEnd(1000, undefined).verdict, 'fault', 'an ambiguous code with no text is not assumed normal');
  });

  test('a code alone is enough where the era gives it to one reason', () => {
    assert.equal(vocabularyFor('2016-08').judgeEnd(1013, undefined).verdict, 'normal');
    assert.deepEqual(vocabularyFor('nkcollab-2017').judgeEnd(305004, undefined), { verdict: 'declined', atom: 'ring_timeout', by: 'code 305004' });
    assert.equal(ANY_ERA.judgeEnd(305003, undefined).verdict, 'declined');
  });

  test('texts with an inserted value match by their fixed start', () => {
    assert.equal(ANY_ERA.judgeEnd(100042, "Unknown command 'ping'").atom, 'unknown_command');
    assert.equal(ANY_ERA.judgeEnd(305011, 'API hangup: bye').verdict, 'normal');
  });

  test('reasons: stops, hangups and emptied rooms are normal; calls not taken are declined; the rest are faults', () => {
    for (const atom of ['user_stop', 'normal_termination', 'peer_stopped', 'publisher_stop', 'no_room_members', 'api_hangup']) assert.equal(verdictOfReason(atom), 'normal', atom);
    for (const atom of ['call_rejected', 'ring_timeout', 'no_answer', 'originator_cancel']) assert.equal(verdictOfReason(atom), 'declined', atom);
    for (const atom of ['internal_error', 'timeout', 'process_down', 'janus_session_down', 'something_new']) assert.equal(verdictOfReason(atom), 'fault', atom);
  });

  test('codes two reasons share in one table are left to the reason text', () => {
    const judge = new EndCodeJudge(
      [
        { atom: 'user_stop', code: 7, text: 'User stop' },
        { atom: 'timeout', code: 7, text: 'Timeout' },
      ],
      [],
    );
    assert.equal(judge.judge(7, undefined).verdict, 'fault');
    assert.equal(judge.judge(7, 'User stop').verdict, 'normal');
  });
});

describe('era detection', () => {
  const detect = (feed: (d: DialectDetector) => void) => {
    const d = new DialectDetector('auto');
    feed(d);
    return d.result;
  };

  test('event names tell a 2016 era when no error code did', () => {
    assert.equal(detect((d) => d.event('media', 'session', 'stop', { code: 1013 })).id, '2016-08');
    assert.equal(detect((d) => d.event('media', 'room', 'started_listener', { listener: 'l', publisher: 'p' })).id, '2016-07');
    assert.equal(detect((d) => d.event('media', 'room', 'started_member', { session_id: 's', role: 'publisher' })).id, '2016-10');
    assert.equal(detect((d) => d.event('media', 'session', 'answer', {})).id, undefined, 'answer is in every era');
  });

  test('an error code outweighs an event name, and the login ack decides develop', () => {
    const result = detect((d) => {
      d.loginAcked(true);
      d.event('media', 'session', 'stop', {});
      d.errorCode(100042);
    });
    assert.equal(result.id, '2016-10');
    assert.deepEqual(result.evidence.length, 3);
    assert.equal(detect((d) => d.loginAcked(false)).id, '2017');
    assert.equal(detect((d) => d.eventFrame('message')).id, '2017');
    assert.equal(detect((d) => d.errorCode('unauthorized')).id, '2017');
  });

  test('until something is seen the era is unknown, and says so', () => {
    assert.deepEqual(detect(() => undefined), { label: 'era not known yet', how: 'unknown', evidence: [] });
    assert.equal(detect((d) => d.loginAcked(true)).label, 'NkSERVICE 2016 (era not known yet)');
  });
});

describe('end verdicts from the review of the sources', () => {
  test('July 2016: code 0 was also a rejected Verto call, so the text comes first', () => {
    assert.equal(vocabularyFor('2016-07').judgeEnd(0, 'Verto rejected').verdict, 'declined');
    assert.equal(vocabularyFor('2016-07').judgeEnd(0, 'Verto bye').verdict, 'normal');
  });

  test('an unlisted reason comes with the atom itself as its text (9999, 100999, 999999), or "Unknown Error: atom" in July', () => {
    assert.equal(vocabularyFor('2016-10').judgeEnd(100999, 'normal').verdict, 'normal');
    assert.equal(vocabularyFor('2016-10').judgeEnd(999999, 'normal').verdict, 'normal');
    assert.equal(vocabularyFor('2016-08').judgeEnd(9999, 'kaboom').verdict, 'fault');
    assert.equal(vocabularyFor('2016-07').judgeEnd(9999, 'Unknown Error: user_stop').verdict, 'normal');
  });

  test('registered_down (the creating connection went away, e.g. a browser tab closed) is a normal end', () => {
    assert.equal(vocabularyFor('2016-10').judgeEnd(100010, 'Registered process stopped').verdict, 'normal');
  });

  test('late Oct 2016 builds: user_stop reads "User stop", api_stop moves to 100013', () => {
    const oct = vocabularyFor('2016-10');
    assert.equal(oct.judgeEnd(100011, 'User stop').verdict, 'normal');
    assert.equal(oct.judgeEnd(100013, undefined).atom, 'api_stop');
    assert.equal(oct.judgeEnd(100012, undefined).verdict, 'normal', 'api_stop before 20 Oct, member_stop after: normal either way');
  });

  test('Aug–Sep 2016 sessions: session_type (31 Aug) and type/destroyed (28 Sep) are the same events', () => {
    const aug = vocabularyFor('2016-08');
    assert.deepEqual(aug.lookup('media', 'session', 'session_type').meaning?.effect, 'updated');
    assert.equal(aug.lookup('media', 'session', 'destroyed').known, true);
  });
});

describe('ends the conformance servers found misjudged', () => {
  test('a call hung up through the API ends with user_hangup, which no table lists (9999 "user_hangup")', () => {
    assert.equal(vocabularyFor('2016-08').judgeEnd(9999, 'user_hangup').verdict, 'normal');
  });

  test("an era's tables fall back on every era's for a code they lack (a trace named develop before collab calls showed up)", () => {
    const develop = vocabularyFor('2017');
    assert.equal(develop.judgeEnd(305011, 'API hangup').verdict, 'normal');
    assert.equal(develop.judgeEnd(305006, 'No answer').verdict, 'declined');
    assert.equal(develop.judgeEnd(123456, 'Brand new reason').verdict, 'fault');
  });
});
