import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../../src/protocol/client';

describe('redactUrl', () => {
  test('strips user:password@ and keeps the rest exactly as written', () => {
    assert.equal(redactUrl('wss://admin:s3cret@media.example.com:9010/api'), 'wss://media.example.com:9010/api');
    assert.equal(redactUrl('ws://admin@10.0.0.1:9010'), 'ws://10.0.0.1:9010');
    assert.equal(redactUrl('ws://Host:9010'), 'ws://Host:9010');
  });

  test('a password containing @ or : is removed entirely', () => {
    assert.equal(redactUrl('ws://u:p@ss:w@rd@host:1/x?y=1'), 'ws://host:1/x?y=1');
  });

  test('an @ in the path or query is not mistaken for credentials', () => {
    assert.equal(redactUrl('ws://host:1/path@x'), 'ws://host:1/path@x');
    assert.equal(redactUrl('ws://host:1?who=a@b'), 'ws://host:1?who=a@b');
  });
});
