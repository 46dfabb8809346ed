import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lane } from '../../../src/shared/timelineProtocol';
import { LaneModel } from '../../../src/webview/timelinePage/data/laneModel';
import { groupCollapseKey, laneCollapseKey, layoutRows, rowAt, totalHeight, visibleRows, LANE_ROW_HEIGHT, GROUP_ROW_HEIGHT } from '../../../src/webview/timelinePage/state/layout';
import { forEachColumn, lowerBound, sampleIndexes } from '../../../src/webview/timelinePage/data/levelOfDetail';
import { MarkStore } from '../../../src/webview/timelinePage/data/markStore';
import { hitTest } from '../../../src/webview/timelinePage/state/hitTest';

function lane(id: number, kind: Lane['kind'], startTs: number, extra: Partial<Lane> = {}): Lane {
  return { id, key: `media/${kind}/${id}`, kind, objId: String(id), what: kind, state: 'x', detail: '', startTs, lastTs: startTs + 10, failed: false, anomalies: [], members: [], eventCount: 1, ...extra };
}

const member = (sessionId: string, role: 'publisher' | 'listener') => ({ sessionId, sessionKey: `media/session/${sessionId}`, role, joinedTs: 1 });

describe('lanes and rows', () => {
  test('lanes are grouped Sessions, Rooms, Calls, Other and ordered by start', () => {
    const model = new LaneModel();
    model.reset([lane(1, 'call', 30), lane(2, 'session', 20), lane(3, 'session', 10), lane(4, 'other', 5), lane(5, 'room', 50)]);
    model.upsert([lane(6, 'session', 15)]);
    const layout = layoutRows((k) => model.group(k), new Set());
    const names = layout.rows.map((r) => (r.kind === 'group' ? r.group : r.kind === 'lane' ? r.lane.id : 'm'));
    assert.deepEqual(names, ['session', 3, 6, 2, 'room', 5, 'call', 1, 'other', 4]);
  });

  test('a live source lists alive lanes first, by start, then ended ones, the most recently ended first', () => {
    const model = new LaneModel();
    model.setOrder('live-first');
    model.reset([lane(1, 'session', 10, { endTs: 50 }), lane(2, 'session', 20), lane(3, 'session', 30, { endTs: 90 }), lane(4, 'session', 40)]);
    const ids = () => model.group('session').map((l) => l.id);
    assert.deepEqual(ids(), [2, 4, 3, 1]);
    // Lane 2 ends now: it leaves the alive block and heads the ended one.
    model.upsert([lane(2, 'session', 20, { endTs: 100 })]);
    assert.deepEqual(ids(), [4, 2, 3, 1]);
    // A new lane joins the alive block; an update that keeps the order stays in place.
    model.upsert([lane(5, 'session', 45), lane(4, 'session', 40, { state: 'answered' })]);
    assert.deepEqual(ids(), [4, 5, 2, 3, 1]);
    assert.equal(model.group('session')[0].state, 'answered');
    assert.deepEqual(model.timeBounds(), { min: 10, max: 100 });
    // The source stops growing (a finished capture): back to the order of a Gantt chart.
    model.setOrder('by-start');
    assert.deepEqual(ids(), [1, 2, 3, 4, 5]);
  });

  test('a room shows one row per member until it is collapsed; a collapsed group hides its lanes', () => {
    const model = new LaneModel();
    const room = lane(1, 'room', 0, { members: [member('a', 'publisher'), member('b', 'listener')] });
    model.reset([room, lane(2, 'session', 0)]);
    const open = layoutRows((k) => model.group(k), new Set());
    assert.equal(open.rows.filter((r) => r.kind === 'member').length, 2);
    const closed = layoutRows((k) => model.group(k), new Set([laneCollapseKey(room), groupCollapseKey('session')]));
    assert.deepEqual(closed.rows.map((r) => r.kind), ['group', 'group', 'lane']);
  });

  test('rows are found by height, and only the rows in view are listed', () => {
    const model = new LaneModel();
    model.reset(Array.from({ length: 1000 }, (_, i) => lane(i, 'session', i)));
    const layout = layoutRows((k) => model.group(k), new Set());
    assert.equal(totalHeight(layout), GROUP_ROW_HEIGHT + 1000 * LANE_ROW_HEIGHT);
    assert.equal(rowAt(layout, 0), 0);
    assert.equal(rowAt(layout, GROUP_ROW_HEIGHT + LANE_ROW_HEIGHT * 10 + 1), 11);
    const visible = visibleRows(layout, GROUP_ROW_HEIGHT + LANE_ROW_HEIGHT * 100, 200);
    assert.equal(visible.first, 101);
    assert.equal(visible.last, 110);
  });

  test('removing and updating lanes keeps the order and the layout', () => {
    const model = new LaneModel();
    model.reset([lane(1, 'session', 10), lane(2, 'session', 20)]);
    model.upsert([lane(1, 'session', 10, { state: 'stopped', endTs: 15 })]);
    model.remove([2]);
    assert.deepEqual(model.group('session').map((l) => [l.id, l.state]), [[1, 'stopped']]);
  });
});

describe('level of detail', () => {
  const times = (values: number[]) => ({ length: values.length, at: (i: number) => values[i] });

  test('sparse marks are drawn one by one', () => {
    const calls: Array<[number, number, number]> = [];
    forEachColumn(times([0, 100, 200, 300]), 0, 1000, 1, (c, f, n) => calls.push([c, f, n]));
    assert.deepEqual(calls, [[0, 0, 1], [100, 1, 1], [200, 2, 1], [300, 3, 1]]);
  });

  test('marks denser than pixels become one aggregate per column, and none is lost', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => i / 100); // 100 marks per ms
    let columns = 0;
    let total = 0;
    let lastColumn = -Infinity;
    forEachColumn(times(values), 0, 1000, 1, (column, _first, count) => {
      assert.ok(column > lastColumn, 'columns go left to right');
      lastColumn = column;
      columns++;
      total += count;
    });
    assert.equal(total, 100_000);
    assert.ok(columns <= 1001, `at most one aggregate per pixel (got ${columns})`);
  });

  test('only marks in view (plus a small margin) are visited', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i);
    let total = 0;
    forEachColumn(times(values), 5000, 5100, 1, (_c, _f, n) => (total += n), 1, 4);
    assert.equal(total, 108, '4996 up to 5103');
    assert.equal(lowerBound(times(values), 5000), 5000);
  });

  test('an aggregate is coloured from evenly spread samples', () => {
    assert.deepEqual(sampleIndexes(10, 3), [10, 11, 12]);
    const s = sampleIndexes(0, 1000, 5);
    assert.deepEqual([s[0], s[s.length - 1]], [0, 999]);
  });
});

describe('the webview mark store', () => {
  const chunk = (firstSeq: number, ts: number[], lanes: number[], seq?: number[]) => ({
    count: ts.length, firstSeq, ts: Float64Array.from(ts), lane: Uint32Array.from(lanes), type: Uint16Array.from(ts.map(() => 0)), seq: seq ? Float64Array.from(seq) : undefined,
  });

  test('marks are indexed per lane in time order, and found by sequence number', () => {
    const store = new MarkStore();
    store.append(chunk(1, [10, 20, 15, 30], [0, 1, 0, 1]));
    store.append(chunk(0, [40, 5], [0, 0], [7, 9]));
    const lane0 = store.laneMarks(0)!;
    assert.deepEqual(Array.from({ length: lane0.length }, (_, i) => lane0.at(i)), [5, 10, 15, 40]);
    assert.equal(store.seqAt(store.positionOfSeq(9)), 9);
    assert.equal(store.positionOfSeq(5), -1);
    assert.equal(store.size, 6);
  });

  test('evicted marks disappear from their lanes', () => {
    const store = new MarkStore();
    const n = 200_000;
    store.append(chunk(1, Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => i % 3)));
    store.evictBefore(150_001);
    assert.equal(store.size, 50_000);
    const lane1 = store.laneMarks(1)!;
    assert.ok(lane1.at(0) >= 150_000);
    assert.equal(store.seqAt(store.positionOfSeq(150_001)), 150_001);
    store.append(chunk(n + 1, [n + 5], [1]));
    assert.equal(store.lastSeq, n + 1);
  });

  test('hit testing finds the nearest mark within a few pixels, or none', () => {
    const model = new LaneModel();
    model.reset([lane(0, 'session', 0)]);
    const layout = layoutRows((k) => model.group(k), new Set());
    const store = new MarkStore();
    store.append(chunk(1, [100, 500], [0, 0]));
    const view = { start: 0, end: 1000 };
    const y = GROUP_ROW_HEIGHT + 5;
    assert.equal(store.seqAt(hitTest(layout, store, view, 1000, 502, y)!.position!), 2);
    assert.equal(hitTest(layout, store, view, 1000, 300, y)!.position, undefined);
    assert.equal(hitTest(layout, store, view, 1000, 300, 2)!.row, 0);
  });
});
