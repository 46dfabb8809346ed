// The timeline's view state, without a browser: what the window shows after follow-live,
// zoom, brush and selection, as the user would see it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FeedClient } from '../../../src/webview/timelinePage/data/feedClient';
import { AXIS_HEIGHT, GUTTER_WIDTH } from '../../../src/webview/timelinePage/state/geometry';
import { GROUP_ROW_HEIGHT, LANE_ROW_HEIGHT } from '../../../src/webview/timelinePage/state/layout';
import { TimelineState } from '../../../src/webview/timelinePage/state/timelineState';
import { chunk, init, lane, source } from './fixtures';

const PLOT = { width: GUTTER_WIDTH + 1000, height: AXIS_HEIGHT + 400 };

/** A feed with two sessions and one room, marks at 100..190 (lane 1) and 150 (lane 2). */
function setup(options: { growing?: boolean; hostNow?: number } = {}) {
  let local = 0;
  const feed = new FeedClient(() => undefined, () => local);
  const hostNow = options.hostNow ?? 1_000;
  feed.handle(init([lane(1, 'session', 100, { endTs: 190 }), lane(2, 'session', 150), lane(3, 'room', 120)], 11, source(hostNow, options.growing ?? false, 200)));
  const marks: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) marks.push([1, 100 + i * 10]);
  marks.push([2, 150]);
  feed.handle({ type: 'marks', generation: 0, chunk: chunk(1, marks), cursor: 11, lastSeq: 11 });
  const state = new TimelineState(feed);
  state.setSize(PLOT);
  return { feed, state, advance: (ms: number) => (local += ms) };
}

describe('TimelineState: follow live', () => {
  test('a live source opens following: the window moves with the host clock, its span kept', () => {
    const { state, advance } = setup({ growing: true, hostNow: 1_000 });
    state.initialise();
    assert.equal(state.follow, true);
    const span = state.view.end - state.view.start;
    advance(5_000);
    assert.equal(state.tick(), true);
    assert.ok(state.view.end > 6_000 && state.view.start < 6_000, 'now (6,000) is inside the right edge');
    assert.equal(state.view.end - state.view.start, span);
  });

  test('zoom, pan, drag and a brush stop following; End follows again', () => {
    for (const act of [(s: TimelineState) => s.zoom(0.5), (s: TimelineState) => s.panTime(-0.1), (s: TimelineState) => s.dragBy(30, 0)]) {
      const { state } = setup({ growing: true });
      state.initialise();
      act(state);
      assert.equal(state.follow, false);
      assert.equal(state.tick(), false, 'the window stays where the user put it');
      state.goToEnd();
      assert.equal(state.follow, true);
    }
  });

  test('a trace never follows, and End goes to its last event', () => {
    const { state } = setup();
    state.initialise();
    assert.equal(state.follow, false);
    state.zoom(0.1);
    state.goToEnd();
    assert.equal(state.follow, false);
    assert.ok(state.view.start < 190 && state.view.end >= 190, 'the last event (190) is in view');
  });
});

describe('TimelineState: zoom', () => {
  test('the time under the anchor stays where it is on screen', () => {
    const { state } = setup();
    state.initialise();
    const anchorX = 250;
    const before = state.timeAt(anchorX);
    state.zoom(0.5, before);
    assert.ok(Math.abs(state.timeAt(anchorX) - before) < 1e-9);
    state.zoom(4, before);
    assert.ok(Math.abs(state.timeAt(anchorX) - before) < 1e-9);
  });

  test('opening a trace fits all its data; Fit all brings it back after zooming in', () => {
    const { state } = setup();
    state.initialise();
    assert.ok(state.view.start <= 100 && state.view.end >= 190);
    state.zoom(0.01);
    assert.ok(state.view.end - state.view.start < 10);
    state.fitAll();
    assert.ok(state.view.start <= 100 && state.view.end >= 190);
  });
});

describe('TimelineState: brush', () => {
  test('a range brushed right to left becomes the window, in order', () => {
    const { state } = setup();
    state.initialise();
    const [t300, t100] = [state.timeAt(300), state.timeAt(100)];
    state.setBrush(300, 100);
    const view = state.applyBrush();
    assert.deepEqual(view, { start: t100, end: t300 });
    assert.deepEqual(state.view, { start: t100, end: t300 });
    assert.equal(state.brush, undefined);
  });

  test('a click-sized brush changes nothing; Escape drops a brush before the selection', () => {
    const { state } = setup();
    state.initialise();
    const view = state.view;
    state.setBrush(200, 200);
    assert.equal(state.applyBrush(), undefined);
    assert.deepEqual(state.view, view);
    state.selectPosition(0);
    state.setBrush(10, 90);
    assert.equal(state.clearSelection(), 'brush');
    assert.equal(state.selectedSeq, 1, 'the selection stays');
    assert.equal(state.clearSelection(), 'selection');
    assert.equal(state.selectedSeq, undefined);
  });
});

describe('TimelineState: selection and rows', () => {
  test('selecting a mark focuses its row; ] and [ step through the row and bring marks into view', () => {
    const { state } = setup();
    state.initialise();
    // Rows: Sessions header, lane 1, lane 2, Rooms header, lane 3.
    assert.equal(state.selectPosition(0), 1, 'seq 1');
    assert.equal(state.focusedRow, 1);
    // The page selects what a step returns, as ] and [ do.
    const step = (direction: 1 | -1) => {
      const position = state.stepInFocusedRow(direction);
      if (position !== undefined) state.selectPosition(position);
      return position;
    };
    assert.equal(step(1), 1);
    assert.equal(step(1), 2);
    assert.equal(step(-1), 1);
    state.selectPosition(9);
    state.zoom(0.001, 100);
    assert.equal(step(1), 9, 'stays on the last mark');
    assert.ok(state.view.start <= 190 && state.view.end >= 190, 'the selected mark was brought into view');
    assert.equal(step(-1), 8);
  });

  test('Enter picks the mark of the focused row nearest the middle of the window', () => {
    const { state } = setup();
    state.initialise();
    state.focusRow(1);
    state.zoom(0.1, 142);
    const position = state.nearestInFocusedRow();
    assert.equal(position, 4, 'the mark at 140');
    state.focusRow(0);
    assert.equal(state.nearestInFocusedRow(), undefined, 'a group header has no marks');
  });

  test('collapsing a group hides its rows, and a reveal from the tree opens it again', () => {
    const { state } = setup();
    state.initialise();
    assert.equal(state.layout().layout.rows.length, 5);
    const toggled = state.toggleRow(0);
    assert.equal(toggled?.collapsed, true);
    assert.equal(state.layout().layout.rows.length, 3);
    const lane2 = state.centerOn({ laneId: 2, ts: 150 });
    assert.equal(lane2?.id, 2);
    assert.equal(state.layout().layout.rows.length, 5);
    assert.equal(state.focusedRow, 2);
    assert.ok(state.view.start < 150 && state.view.end > 150);
  });

  test('the keyboard focus stays on its object when live rows reorder under it', () => {
    const feed = new FeedClient(() => undefined, () => 0);
    // Live order: alive lanes first, by start; ended ones below, the most recently ended first.
    feed.handle(init([lane(1, 'session', 100), lane(2, 'session', 200), lane(3, 'session', 300)], 0, source(1_000, true)));
    const state = new TimelineState(feed);
    state.setSize(PLOT);
    state.initialise();
    state.focusRow(3);
    assert.equal(state.rowAt(state.focusedRow)?.kind === 'lane' && (state.rowAt(state.focusedRow) as { lane: { id: number } }).lane.id, 3);
    // Lane 1 ends: it moves below lane 3, which moves up a row.
    feed.handle({ type: 'delta', generation: 0, source: source(1_100, true), lanes: [lane(1, 'session', 100, { endTs: 1_050, state: 'stopped' })], removedLanes: [], types: [], firstSeq: 1, lastSeq: 0 });
    state.clampToRows();
    const focused = state.rowAt(state.focusedRow);
    assert.equal(focused?.kind === 'lane' ? focused.lane.id : undefined, 3, 'still on lane 3, now row 2');
    assert.equal(state.focusedRow, 2);
  });

  test('a click on a mark hits it; above the rows (the axis) hits nothing', () => {
    const { state } = setup();
    state.initialise();
    const x = GUTTER_WIDTH + ((150 - state.view.start) / (state.view.end - state.view.start)) * state.plotWidth;
    const y = AXIS_HEIGHT + GROUP_ROW_HEIGHT + LANE_ROW_HEIGHT + LANE_ROW_HEIGHT / 2;
    const hit = state.hitAt(x, y);
    assert.equal(hit?.row, 2);
    assert.equal(hit?.position, 10, 'the mark of lane 2 at 150');
    assert.equal(state.hitAt(x, AXIS_HEIGHT - 1), undefined);
  });

  test('relative times start at the focused object; R again goes back to absolute', () => {
    const { state } = setup();
    state.initialise();
    state.focusRow(0);
    assert.equal(state.toggleRelative(), 'no-row', 'a group header is not an object');
    state.focusRow(4);
    const result = state.toggleRelative();
    assert.ok(typeof result === 'object' && result.relativeTo.id === 3);
    assert.equal(state.relativeOrigin, 120);
    assert.equal(state.toggleRelative(), 'absolute');
    assert.equal(state.relativeOrigin, undefined);
  });

  test('the saved view comes back whole after a reload, and is not refitted', () => {
    const { state } = setup();
    state.initialise();
    state.zoom(0.2, 130);
    state.toggleRow(3);
    state.selectPosition(2);
    const saved = state.snapshot('demo');
    const { state: reloaded } = setup();
    reloaded.restore(saved);
    assert.equal(reloaded.initialise(), true);
    assert.equal(reloaded.initialise(), false, 'a later init does not reset the view');
    assert.deepEqual(reloaded.snapshot('demo'), saved);
    assert.equal(reloaded.layout().layout.rows.length, 4, 'Rooms still collapsed');
  });

  test('an empty window is reported, and Fit all ends it', () => {
    const { state } = setup();
    state.initialise();
    state.panTime(50);
    assert.equal(state.isEmptyWindow(), true);
    state.fitAll();
    assert.equal(state.isEmptyWindow(), false);
  });
});
