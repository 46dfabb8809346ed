import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFilter, parseFilter } from '../../../src/inspector/filterSyntax';

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
