// Saving copies each event's text out of what the store kept; the copy must read back as the
// same event, or not be made at all (then the event is stringified instead).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventTextForTraceLine, jsonObjectEnd } from '../../../src/trace/rawEventSlice';

/** What a trace line with this event text would hold as its event. */
function readBack(text: string): unknown {
  return JSON.parse(`{"seq":1,"ts":2,"event":${text}}`).event;
}

describe('eventTextForTraceLine', () => {
  const event = { class: 'media', subclass: 'session', type: 'answer', obj_id: 'a', body: { answer: 'v=0\r\n"quoted" {braces} [brackets] \\ back' } };
  const json = JSON.stringify(event);

  test('cuts the event out of trace lines and live frames, reading back the same event', () => {
    for (const [raw, field] of [
      [`{"seq":7,"ts":1764299565245,"event":${json}}`, 'event'],
      [`{"seq":7,"ts":1.7e12,"conn":"east \\"1\\"","event":${json}}`, 'event'],
      [`{"class":"core","cmd":"event","data":${json},"tid":42}`, 'data'],
      [`{"class":"core","cmd":"event","data":${json},"tid":"t-1"}`, 'data'],
      [json, 'self'],
    ] as const) {
      const text = eventTextForTraceLine(raw, field);
      assert.ok(text !== undefined, `a cut for ${raw.slice(0, 40)}`);
      assert.deepEqual(readBack(text), event);
    }
  });

  test('other shapes are left to the stringify path', () => {
    for (const [raw, field] of [
      [`{"ts":1,"seq":7,"event":${json}}`, 'event'],
      [`{ "seq": 7, "ts": 1, "event": ${json} }`, 'event'],
      [`{"seq":7,"ts":1,"event":${json}} `, 'event'],
      [`{"cmd":"event","class":"core","data":${json},"tid":1}`, 'data'],
      [`{"class":"core","cmd":"event","data":${json},"event":{"class":"x"},"tid":1}`, 'data'],
      [`{"class":"core","cmd":"event","data":${json},"tid":1,"extra":true}`, 'data'],
    ] as const) {
      assert.equal(eventTextForTraceLine(raw, field), undefined, raw.slice(0, 60));
    }
  });

  test('jsonObjectEnd finds the closing brace past strings holding braces and escaped quotes', () => {
    const text = `{"a":"}\\"}","b":{"c":[1,{"d":"]"}]}}tail`;
    assert.equal(text.slice(0, jsonObjectEnd(text, 0)), `{"a":"}\\"}","b":{"c":[1,{"d":"]"}]}}`);
    assert.equal(jsonObjectEnd('[1]', 0), -1);
  });
});
