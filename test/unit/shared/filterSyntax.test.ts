import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFilter, parseFilter } from '../../../src/shared/filterSyntax';

test('free text, types and subclasses are read from one line', () => {
  assert.deepEqual(parseFilter('user3 type:stop,hangup subclass:session'), {
    text: 'user3',
    types: ['stop', 'hangup'],
    subclasses: ['session'],
  });
});

test('several words stay one text, and repeated keys add up', () => {
  assert.deepEqual(parseFilter('  Peer  hangup type:stop types:answer '), { text: 'Peer hangup', types: ['stop', 'answer'] });
});

test('an empty line is no filter', () => {
  assert.deepEqual(parseFilter('   '), {});
  assert.deepEqual(parseFilter('type:'), {});
});

test('formatting gives back a line that parses to the same filter', () => {
  const filter = parseFilter('abc type:stop subclass:room,call');
  assert.equal(formatFilter(filter), 'abc type:stop subclass:room,call');
  assert.deepEqual(parseFilter(formatFilter(filter)), filter);
});

test('user: is an exact field match, kept apart from the free text', () => {
  assert.deepEqual(parseFilter('user:user3 hangup'), { text: 'hangup', users: ['user3'] });
  assert.deepEqual(parseFilter('users:a,b user:c'), { users: ['a', 'b', 'c'] });
  assert.equal(formatFilter({ text: 'x', users: ['user3'], types: ['stop'] }), 'x user:user3 type:stop');
  // A word with a colon that is no key stays text (an SDP line, a URL).
  assert.deepEqual(parseFilter('a=rtpmap:111'), { text: 'a=rtpmap:111' });
});
