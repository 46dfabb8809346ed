// The store keeps raw JSON as UTF-8 bytes in per-chunk arenas (rawArena.ts); a live client
// hands it the frame's Buffer. These check the round trip and the bookkeeping of that path.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore } from '../../../src/core';
import type { EventData } from '../../../src/protocol/frames';
import { CHUNK_SIZE } from '../../../src/core/eventColumns';
import { PUB, T0 } from './feed';

const unicodeEvent: EventData = {
  class: 'media',
  subclass: 'session',
  type: 'stop',
  obj_id: PUB,
  body: { code: 0, reason: 'Usuario colgó — 通話終了 🎧', escaped: 'tab\tquote"back\\slash\u2028' },
  future_field: ['kept', { deep: 'ü' }],
};

function frameOf(data: EventData, tid: number): string {
  return JSON.stringify({ class: 'core', cmd: 'event', data, tid });
}

describe('raw JSON as bytes', () => {
  test('an event appended as bytes reads back exactly, non-ASCII text included', () => {
    const store = new EventStore();
    const raw = frameOf(unicodeEvent, 9);
    const bytes = Buffer.from(raw, 'utf8');
    const seq = store.append({ conn: 'c', ts: T0, data: unicodeEvent, raw, bytes, rawField: 'data' });
    // The caller may reuse its buffer: the store must have copied it.
    bytes.fill(0x20);
    assert.deepEqual(store.getEvent(seq)?.data, unicodeEvent);
    assert.equal(store.rawOf(seq), raw);
    assert.equal(store.rawBytes, Buffer.byteLength(raw, 'utf8'));
    assert.ok(store.rawBytes > raw.length, 'counted in UTF-8 bytes, not UTF-16 code units');
  });

  test('bytes take precedence over raw (the client passes both, the same text)', () => {
    const store = new EventStore();
    const raw = frameOf(unicodeEvent, 1);
    const seq = store.append({ conn: 'c', ts: T0, data: unicodeEvent, raw: 'ignored', bytes: Buffer.from(raw), rawField: 'data' });
    assert.equal(store.rawOf(seq), raw);
  });

  test('text and bytes appends mix, and large events (bigger than a slab) are kept whole', () => {
    const store = new EventStore();
    const big: EventData = { ...unicodeEvent, body: { sdp: 'v=0\r\n'.repeat(300_000) + 'é' } };
    const seqs: number[] = [];
    const raws: string[] = [];
    for (let i = 0; i < 200; i++) {
      const data = i % 50 === 7 ? big : { ...unicodeEvent, body: { n: i, text: 'ñ'.repeat(i) } };
      const raw = frameOf(data, i);
      raws.push(raw);
      const asBytes = i % 2 === 0;
      seqs.push(store.append({ conn: 'c', ts: T0 + i, data, raw, bytes: asBytes ? Buffer.from(raw) : undefined, rawField: 'data' }));
    }
    seqs.forEach((seq, i) => assert.equal(store.rawOf(seq), raws[i], `event ${i}`));
    assert.equal(store.rawBytes, raws.reduce((n, r) => n + Buffer.byteLength(r), 0));
    assert.ok(store.rawCapacityBytes >= store.rawBytes);
  });

  test('text search finds words in stored bytes, with and without letters, non-ASCII included', () => {
    const store = new EventStore();
    const raw = frameOf(unicodeEvent, 3);
    const seq = store.append({ conn: 'c', ts: T0, data: unicodeEvent, raw, bytes: Buffer.from(raw), rawField: 'data' });
    assert.equal(store.rawIncludes(seq, '通話', false), true);
    assert.equal(store.rawIncludes(seq, 'usuario colgó', true), true);
    assert.equal(store.rawIncludes(seq, 'usuario colgó', false), false, 'case matters when asked to');
    assert.equal(store.rawIncludes(seq, '🎧', true), true);
    assert.equal(store.rawIncludes(seq, '"code":0', true), true);
    assert.equal(store.rawIncludes(seq, 'absent', true), false);
    assert.equal(store.rawIncludes(seq + 1, 'media', true), false, 'unknown seq');
  });

  test('eviction frees the arenas of dropped chunks and keeps rawBytes exact', () => {
    const maxEvents = CHUNK_SIZE;
    const store = new EventStore({ maxEvents });
    const raw = frameOf(unicodeEvent, 1);
    const bytes = Buffer.from(raw);
    const total = CHUNK_SIZE * 6 + 10;
    let last = 0;
    for (let i = 0; i < total; i++) last = store.append({ conn: 'c', ts: T0 + i, data: unicodeEvent, raw, bytes, rawField: 'data' });
    assert.equal(store.size, maxEvents);
    assert.equal(store.rawBytes, maxEvents * bytes.length);
    // At most two chunks are partly stored, plus one spare kept for reuse; without freeing,
    // all seven chunks' arenas would remain.
    assert.ok(store.rawCapacityBytes <= 3 * (CHUNK_SIZE * bytes.length) * 1.1, `capacity ${store.rawCapacityBytes}`);
    assert.equal(store.rawOf(last), raw);
    assert.equal(store.rawOf(store.firstSeq), raw);
    assert.equal(store.getEvent(store.firstSeq - 1), undefined);
    store.clear();
    assert.equal(store.rawBytes, 0);
    assert.equal(store.rawCapacityBytes, 0);
  });

  test('an empty raw text (a trace loaded without keeping text) is stored as zero bytes', () => {
    const store = new EventStore();
    const seq = store.append({ conn: 'c', ts: T0, data: unicodeEvent, raw: '', rawField: 'event' });
    assert.equal(store.rawOf(seq), '');
    assert.equal(store.rawBytes, 0);
  });
});
