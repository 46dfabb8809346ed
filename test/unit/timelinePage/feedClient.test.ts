import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FromWebview } from '../../../src/shared/timelineProtocol';
import { FeedClient } from '../../../src/webview/timelinePage/data/feedClient';
import { chunk, init, lane, source, TYPES } from './fixtures';

function feed(clock = () => 1_000) {
  const posted: FromWebview[] = [];
  return { client: new FeedClient((m) => posted.push(m), clock), posted };
}

describe('FeedClient', () => {
  test('pulls marks one chunk at a time until it has every one, then says it is caught up', () => {
    const { client, posted } = feed();
    client.handle(init([lane(1, 'session', 100)], 4, source(1_000, false)));
    assert.deepEqual(posted, [{ type: 'requestMarks', generation: 0, afterSeq: 0 }]);
    assert.equal(client.caughtUp, false);
    client.handle({ type: 'marks', generation: 0, chunk: chunk(1, [[1, 100], [1, 110]]), cursor: 2, lastSeq: 4 });
    assert.deepEqual(posted.at(-1), { type: 'requestMarks', generation: 0, afterSeq: 2 }, 'asks for the next chunk');
    client.handle({ type: 'marks', generation: 0, chunk: chunk(3, [[1, 120], [1, 130]]), cursor: 4, lastSeq: 4 });
    assert.equal(posted.length, 2, 'nothing more to ask');
    assert.equal(client.caughtUp, true);
    assert.equal(client.marks.size, 4);
  });

  test('ignores marks and deltas of an older generation (sent before a filter change)', () => {
    const { client } = feed();
    client.handle(init([lane(1, 'session', 100)], 2, source(1_000, false), 3));
    assert.equal(client.handle({ type: 'marks', generation: 2, chunk: chunk(1, [[1, 100]]), cursor: 1, lastSeq: 2 }), undefined);
    assert.equal(client.marks.size, 0);
  });

  test('a delta updates a lane already drawn: its answered state, then its end, code and anomaly', () => {
    const { client } = feed();
    client.handle(init([lane(1, 'session', 100, { state: 'calling' }), lane(2, 'session', 200)], 0, source(1_000, true)));
    const before = client.lanes.get(1);
    assert.equal(before?.state, 'calling');
    client.handle({ type: 'delta', generation: 0, source: source(1_100, true), lanes: [lane(1, 'session', 100, { state: 'answered', eventCount: 2 })], removedLanes: [], types: [], firstSeq: 1, lastSeq: 0 });
    assert.equal(client.lanes.get(1)?.state, 'answered');
    assert.equal(client.lanes.get(1)?.endTs, undefined, 'still alive');
    const anomaly = { kind: 'fault', ts: 1_150, message: 'ended with code 2202 (Janus op process down)' };
    client.handle({
      type: 'delta', generation: 0, source: source(1_200, true),
      lanes: [lane(1, 'session', 100, { state: 'stopped', endTs: 1_150, code: '2202', reason: 'Janus op process down', failed: true, endVerdict: 'fault', anomalies: [anomaly], eventCount: 3 })],
      removedLanes: [], types: [], firstSeq: 1, lastSeq: 0,
    });
    const after = client.lanes.get(1);
    assert.equal(after?.state, 'stopped');
    assert.equal(after?.endTs, 1_150);
    assert.equal(after?.code, '2202');
    assert.deepEqual(after?.anomalies, [anomaly]);
    // Live order: the ended session moves below the one still alive.
    assert.deepEqual(client.lanes.group('session').map((l) => l.id), [2, 1]);
  });

  test('a delta with new types and newer events pulls the new marks; evicted marks go', () => {
    const { client, posted } = feed();
    client.handle(init([lane(1, 'session', 100)], 2, source(1_000, true)));
    client.handle({ type: 'marks', generation: 0, chunk: chunk(1, [[1, 100], [1, 110]]), cursor: 2, lastSeq: 2 });
    const extra = { index: 3, name: 'media/session/info', subclass: 'session', type: 'info', known: false };
    const change = client.handle({ type: 'delta', generation: 0, source: source(1_200, true), lanes: [], removedLanes: [], types: [extra], firstSeq: 2, lastSeq: 3 });
    assert.equal(change?.typesChanged, true);
    assert.equal(client.types.length, TYPES.length + 1);
    assert.equal(client.roles[3], 'unknown', 'a type no era lists gets the unknown colour');
    assert.equal(client.marks.size, 1, 'the mark before firstSeq was evicted');
    assert.deepEqual(posted.at(-1), { type: 'requestMarks', generation: 0, afterSeq: 2 });
  });

  test('keeps the host clock: live bars end at the host\'s now, not the page\'s', () => {
    let local = 5_000;
    const { client } = feed(() => local);
    client.handle(init([lane(1, 'session', 100)], 0, source(9_000, true)));
    local = 5_250;
    assert.equal(client.now(), 9_250);
    assert.equal(client.aliveEnd(0), 9_250);
    client.handle({ type: 'delta', generation: 0, source: { ...source(9_300, false, 8_000) }, lanes: [], removedLanes: [], types: [], firstSeq: 1, lastSeq: 0 });
    assert.equal(client.aliveEnd(0), 8_000, 'a source that stopped growing ends bars at its data end');
  });
});
