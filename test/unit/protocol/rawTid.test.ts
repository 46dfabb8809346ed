// #13 item 9: a request with tid 1e400 was answered with "tid":null (JSON.parse makes it
// Infinity, JSON.stringify writes null), and one with a tid past 2^53 with another number:
// either way the server never sees its answer and closes the connection 5 s later. Every tid
// is echoed as the server wrote it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient, type ReceivedEvent } from '../../../src/protocol/client';
import { answerServerRequest } from '../../../src/protocol/serverRequests';
import { echoTid, TidLiteral, topLevelMember } from '../../../src/protocol/rawTid';
import { FakeServer, sampleEvent, waitUntil } from './fakeServer';

describe('topLevelMember', () => {
  test('finds the request\'s own tid, not one inside data, a string or an escaped key', { timeout: 5_000 }, () => {
    assert.equal(topLevelMember('{"data":{"tid":5,"s":"\\"tid\\":7 }"},"tid":1e400}', 'tid'), '1e400');
    assert.equal(topLevelMember('{ "tid" : 12345678901234567890 , "cmd":"event"}', 'tid'), '12345678901234567890');
    assert.equal(topLevelMember('{"t\\u0069d":1.5E+3,"a":[1,{"tid":2}]}', 'tid'), '1.5E+3');
    assert.equal(topLevelMember('{"tid":1,"tid":2e999}', 'tid'), '2e999', 'the last one wins, as with JSON.parse');
    assert.equal(topLevelMember('{"data":{"tid":5}}', 'tid'), undefined);
  });

  test('a deeply nested body costs no recursion', { timeout: 5_000 }, () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.equal(topLevelMember(`{"data":${deep},"tid":1e400}`, 'tid'), '1e400');
  });
});

describe('echoTid', () => {
  test('safe integers and strings take the fast path; other numbers are copied from the text', { timeout: 5_000 }, () => {
    assert.equal(echoTid(42, '{"tid":42}'), 42);
    assert.equal(echoTid('abc', '{"tid":"abc"}'), 'abc');
    assert.deepEqual(echoTid(Infinity, '{"cmd":"event","tid":1e400}'), new TidLiteral('1e400'));
    assert.deepEqual(echoTid(12345678901234567000, '{"tid":12345678901234567890}'), new TidLiteral('12345678901234567890'));
  });

  test('answers carry the literal exactly, and nothing but a number literal is ever spliced in', { timeout: 5_000 }, () => {
    const frame = { class: 'core', cmd: 'event', data: sampleEvent(1), tid: Infinity };
    assert.equal(answerServerRequest(frame, '{"class":"core","cmd":"event","data":{},"tid":1e400}').answer, '{"result":"ok","tid":1e400}');
    const unknown = { class: 'media', subclass: 'call', cmd: 'invite', tid: Infinity };
    assert.equal(
      answerServerRequest(unknown, '{"class":"media","subclass":"call","cmd":"invite","tid":-1e400}').answer,
      '{"result":"error","data":{"error":"not implemented by NkMEDIA Inspector: media/call/invite","code":1001},"tid":-1e400}',
    );
  });
});

describe('NkServiceClient echoes every tid as sent', () => {
  test('tids JSON.parse cannot keep (1e400, past 2^53, fractions) come back as written, and the events are kept', { timeout: 20_000 }, async () => {
    const srv = await FakeServer.start();
    const client = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', reconnect: false });
    const events: ReceivedEvent[] = [];
    client.onEvent((e) => events.push(e));
    try {
      await client.connect();
      const answers: string[] = [];
      srv.peer.ws.on('message', (data) => {
        const text = data.toString();
        if (text.includes('"result"')) answers.push(text);
      });
      const tids = ['1e400', '12345678901234567890', '0.5', '-7.25e-3'];
      for (const [i, tid] of tids.entries()) {
        srv.peer.sendRaw(`{"class":"core","cmd":"event","data":${JSON.stringify(sampleEvent(i))},"tid":${tid}}`);
      }
      // A request the inspector does not implement, and one that fails validation: each still
      // gets its answer with its own tid.
      srv.peer.sendRaw('{"class":"media","subclass":"call","cmd":"invite","data":{},"tid":9e999}');
      srv.peer.sendRaw('{"class":"core","cmd":"event","data":"not an object","tid":99999999999999999999}');
      await waitUntil(() => answers.length >= tids.length + 2, 'an answer to every request');
      for (const tid of tids) assert.ok(answers.includes(`{"result":"ok","tid":${tid}}`), `no answer with tid ${tid}: ${answers.join(' | ')}`);
      assert.ok(answers.some((a) => a.startsWith('{"result":"error"') && a.endsWith(',"tid":9e999}')), answers.join(' | '));
      assert.ok(answers.some((a) => a.startsWith('{"result":"error"') && a.endsWith(',"tid":99999999999999999999}')), answers.join(' | '));
      assert.ok(!answers.some((a) => a.includes('"tid":null')));
      assert.equal(events.length, tids.length, 'the events with such tids are kept');
    } finally {
      await client.disconnect();
      client.dispose();
      await srv.close();
    }
  });
});
