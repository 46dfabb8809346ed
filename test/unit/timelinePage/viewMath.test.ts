import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { centeredOnRange, fitView, MIN_SPAN_MS, panBy, timeAtX, viewFromBrush, xAtTime, zoomAround, following } from '../../../src/webview/timelinePage/state/viewport';
import { tickStep, ticks, offsetLabel } from '../../../src/webview/timelinePage/state/ticks';

describe('time view math', () => {
  test('zooming around a time keeps that time at the same place on screen', () => {
    const view = { start: 1000, end: 11_000 };
    const anchor = timeAtX(view, 250, 1000);
    const zoomed = zoomAround(view, anchor, 0.5);
    assert.equal(zoomed.end - zoomed.start, 5000);
    assert.ok(Math.abs(xAtTime(zoomed, anchor, 1000) - 250) < 1e-9);
  });

  test('zooming in stops at 1 ms across, however hard the wheel turns', () => {
    let view = { start: 0, end: 10_000 };
    for (let i = 0; i < 200; i++) view = zoomAround(view, 5000, 0.5);
    assert.equal(view.end - view.start, MIN_SPAN_MS);
  });

  test('fit shows the whole range with a margin; a brush becomes the view; panning keeps the span', () => {
    const fit = fitView(1000, 2000);
    assert.ok(fit.start < 1000 && fit.end > 2000 && fit.end - fit.start < 1100);
    assert.deepEqual(viewFromBrush(500, 300), { start: 300, end: 500 });
    assert.equal(viewFromBrush(300, 300.5), undefined);
    assert.deepEqual(panBy({ start: 0, end: 10 }, 5), { start: 5, end: 15 });
  });

  test('centring on an object keeps the zoom when its life fits, and widens only as much as needed when not', () => {
    const view = { start: 0, end: 10_000 };
    assert.deepEqual(centeredOnRange(view, 40_000, 42_000), { start: 36_000, end: 46_000 });
    const wide = centeredOnRange(view, 100_000, 200_000);
    assert.equal((wide.start + wide.end) / 2, 150_000);
    assert.ok(wide.start < 100_000 && wide.end > 200_000 && wide.end - wide.start <= 111_000, `${wide.start}..${wide.end}`);
  });

  test('live follow puts now just inside the right edge', () => {
    const view = following({ start: 0, end: 1000 }, 50_000);
    assert.equal(view.end - view.start, 1000);
    assert.ok(view.end > 50_000 && view.start < 50_000);
  });
});

describe('axis ticks', () => {
  test('ticks are round steps at least the minimum distance apart', () => {
    assert.equal(tickStep(10_000, 1000, 90), 1000);
    assert.equal(tickStep(100, 1000, 90), 10);
    const list = ticks(0, 10_000, 1000);
    assert.ok(list.length >= 5 && list.length <= 12);
    for (let i = 1; i < list.length; i++) assert.equal(list[i].ts - list[i - 1].ts, list[1].ts - list[0].ts);
  });

  test('relative ticks are labelled as offsets from the chosen origin', () => {
    const list = ticks(5000, 15_000, 1000, 5000);
    assert.equal(list[0].label, '+0 s');
    assert.equal(list[1].label, '+1 s');
    assert.equal(offsetLabel(-1500, 100), '−1.5 s');
  });
});
