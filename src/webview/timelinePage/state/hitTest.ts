// What is under the pointer: which row, and the nearest mark of that row's lane within a
// few pixels. Pure: tested in Node.
import { lowerBound } from '../data/levelOfDetail';
import type { RowLayout } from './layout';
import { rowAt } from './layout';
import type { MarkStore } from '../data/markStore';
import type { TimeView } from './viewport';

export interface Hit {
  readonly row: number;
  /** Absolute position (in the MarkStore) of the nearest mark, when one is close enough. */
  readonly position?: number;
  /** Marks within the hit radius (more than 1 where marks are aggregated). */
  readonly nearby: number;
}

/**
 * `x` is in plot pixels (0 = left edge of the plot), `contentY` in row space (scroll added).
 * Only lane rows have marks; member and group rows report the row alone.
 */
export function hitTest(layout: RowLayout, marks: MarkStore, view: TimeView, plotWidth: number, x: number, contentY: number, radiusPx = 4): Hit | undefined {
  const row = rowAt(layout, contentY);
  if (row < 0) return undefined;
  const r = layout.rows[row];
  if (r.kind !== 'lane') return { row, nearby: 0 };
  const laneMarks = marks.laneMarks(r.lane.id);
  if (!laneMarks || laneMarks.length === 0 || plotWidth <= 0) return { row, nearby: 0 };
  const msPerPx = (view.end - view.start) / plotWidth;
  const t = view.start + x * msPerPx;
  const radius = radiusPx * msPerPx;
  const lo = lowerBound(laneMarks, t - radius);
  const hi = lowerBound(laneMarks, t + radius, lo);
  if (hi === lo) return { row, nearby: 0 };
  // Nearest in time: it is one of the two around t.
  const mid = lowerBound(laneMarks, t, lo, hi);
  let best = mid < hi ? mid : hi - 1;
  if (mid > lo && Math.abs(laneMarks.at(mid - 1) - t) <= Math.abs(laneMarks.at(best) - t)) best = mid - 1;
  return { row, position: laneMarks.positionAt(best), nearby: hi - lo };
}
