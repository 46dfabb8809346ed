// #13 item 5: a frame over maxFrameBytes is never parsed, yet its tid must be answered. These
// check what readOversizeFrame takes from the two ends of a frame, and what it must refuse:
// a tid that is not provably the frame's own (inside data, inside a string, cut by the window).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OVERSIZE_WINDOW_BYTES, readOversizeFrame } from '../../../src/protocol/oversizeFrame';
import { errorResponse } from '../../../src/protocol/frames';
import { TidLiteral } from '../../../src/protocol/rawTid';

/** A body far larger than both windows. */
const BIG = JSON.stringify({ sdp: 'v=0 '.repeat(2000), nested: { tid: 5, cmd: 'x', result: 'ok' } });
const read = (text: string) => readOversizeFrame(Buffer.from(text, 'utf8'));

describe('readOversizeFrame', () => {
  test('a request as jsx writes it (sorted keys): class and cmd at the head, the tid last', { timeout: 5_000 }, () => {
    assert.deepEqual(read(`{"class":"core","cmd":"event","data":${BIG},"tid":17}`), { kind: 'request', tid: 17, answerTid: 17, name: 'core/event' });
    assert.deepEqual(read(`{"class":"media","cmd":"invite","data":${BIG},"subclass":"call","tid":"t-9"}`), {
      kind: 'request',
      tid: 't-9',
      answerTid: 't-9',
      name: 'media/call/invite',
    });
  });

  test('a request with its tid first, and with whitespace between the tokens', { timeout: 5_000 }, () => {
    assert.deepEqual(read(`{"tid":18,"class":"core","cmd":"event","data":${BIG}}`), { kind: 'request', tid: 18, answerTid: 18, name: 'core/event' });
    assert.deepEqual(read(`\n{ "class" : "core" ,\n "cmd" : "ping", "data" : ${BIG} ,\t"tid" : 19 }\r\n`), {
      kind: 'request',
      tid: 19,
      answerTid: 19,
      name: 'core/ping',
    });
  });

  test('the last tid wins over the first, as with JSON.parse', { timeout: 5_000 }, () => {
    assert.equal(read(`{"tid":1,"class":"core","cmd":"event","data":${BIG},"tid":2}`).tid, 2);
  });

  test('a tid JavaScript cannot hold is echoed as written', { timeout: 5_000 }, () => {
    for (const literal of ['1e400', '12345678901234567890', '-0.5']) {
      const found = read(`{"class":"core","cmd":"event","data":${BIG},"tid":${literal}}`);
      assert.deepEqual(found.answerTid, new TidLiteral(literal));
      assert.equal(errorResponse(found.answerTid!, 'x'), `{"result":"error","data":{"error":"x","code":1001},"tid":${literal}}`);
    }
  });

  test('a tid that is not the top-level first or last member is never taken', { timeout: 5_000 }, () => {
    // Inside data, at the end of the frame.
    assert.equal(read(`{"class":"core","cmd":"event","data":{"x":${BIG},"tid":5}}`).tid, undefined);
    // Inside a string, at the end of the frame.
    assert.equal(read(`{"class":"core","cmd":"event","data":${BIG},"s":"a\\",\\"tid\\":5"}`).tid, undefined);
    // A top-level member, but neither first nor last.
    assert.equal(read(`{"class":"core","cmd":"event","tid":5,"data":${BIG}}`).tid, undefined);
    assert.equal(read(`{"class":"core","cmd":"event","data":${BIG},"tid":5,"z":{"a":1}}`).tid, undefined);
    // Not a number or a string.
    assert.equal(read(`{"class":"core","cmd":"event","data":${BIG},"tid":null}`).tid, undefined);
    assert.equal(read(`{"class":"core","cmd":"event","data":${BIG},"tid":[5]}`).tid, undefined);
  });

  test('escaped quotes in a string value are read right', { timeout: 5_000 }, () => {
    const found = read(`{"class":"core","cmd":"event","data":${BIG},"s":"a\\\\","tid":"x\\"y"}`);
    assert.deepEqual({ kind: found.kind, tid: found.tid }, { kind: 'request', tid: 'x"y' });
  });

  test('what the window cuts is not read: a number or a string that may go on past it', { timeout: 5_000 }, () => {
    const pad = 'x'.repeat(OVERSIZE_WINDOW_BYTES);
    // The tid's digits run to the head window's end: "12" could be the start of "1234".
    const cut = `{"tid":`.length;
    const digits = '1'.repeat(OVERSIZE_WINDOW_BYTES - cut + 4);
    assert.equal(read(`{"tid":${digits},"class":"core","cmd":"event","data":${BIG}}`).tid, undefined);
    // A tid string longer than the tail window.
    assert.equal(read(`{"class":"core","cmd":"event","data":${BIG},"tid":"${pad}"}`).tid, undefined);
  });

  test('a response: result right before the tid (sorted keys), or anywhere at the ends', { timeout: 5_000 }, () => {
    assert.deepEqual(read(`{"data":${BIG},"result":"ok","tid":3}`), { kind: 'response', tid: 3, answerTid: 3 });
    assert.deepEqual(read(`{"result":"ok","data":${BIG},"tid":4}`), { kind: 'response', tid: 4, answerTid: 4 });
  });

  test("develop's event message, and frames nothing can be read from", { timeout: 5_000 }, () => {
    assert.deepEqual(read(`{"class":"event","data":${BIG}}`), { kind: 'event' });
    assert.deepEqual(read(`[${BIG}]`), { kind: 'unknown' });
    assert.deepEqual(read(`{"data":${BIG}}`), { kind: 'unknown' });
    assert.deepEqual(read('x'.repeat(5000)), { kind: 'unknown' });
    // A tid but nothing that says what the frame is: perhaps a request whose cmd is in the middle.
    assert.deepEqual(read(`{"data":${BIG},"tid":6}`), { kind: 'unknown', tid: 6, answerTid: 6 });
  });

  test('a class or cmd that is not a plain word is not named (it would go to the log)', { timeout: 5_000 }, () => {
    const found = read(`{"class":"core\\nFAKE LOG LINE","cmd":"event","data":${BIG},"tid":7}`);
    assert.deepEqual(found, { kind: 'request', tid: 7, answerTid: 7 });
  });

  test('multi-byte characters cut by a window edge do no harm', { timeout: 5_000 }, () => {
    const body = JSON.stringify({ s: 'é'.repeat(3000) });
    assert.deepEqual(read(`{"class":"core","cmd":"event","data":${body},"tid":8}`), { kind: 'request', tid: 8, answerTid: 8, name: 'core/event' });
  });
});
