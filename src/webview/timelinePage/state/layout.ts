// Rows of the timeline, top to bottom: a header per group, a row per lane, and under an
// expanded room one thin row per member. Collapsing a group hides its lanes; collapsing a
// room hides its members. Pure: tested in Node.
import type { Lane, LaneKind } from '../../../shared/timelineProtocol';
import { GROUP_ORDER, type LaneModel } from '../data/laneModel';

export const GROUP_ROW_HEIGHT = 22;
export const LANE_ROW_HEIGHT = 20;
export const MEMBER_ROW_HEIGHT = 14;

export type Row =
  | { readonly kind: 'group'; readonly group: LaneKind; readonly count: number; readonly collapsed: boolean }
  | { readonly kind: 'lane'; readonly lane: Lane; readonly collapsed: boolean }
  | { readonly kind: 'member'; readonly lane: Lane; readonly member: number };

export interface RowLayout {
  readonly rows: readonly Row[];
  /** tops[i] is row i's top; tops[rows.length] the total height. */
  readonly tops: Float64Array;
  /** Lane id -> row index. */
  readonly rowOfLane: ReadonlyMap<number, number>;
}

export function groupCollapseKey(kind: LaneKind): string {
  return `group:${kind}`;
}

export function laneCollapseKey(lane: Lane): string {
  return `lane:${lane.key}`;
}

export function layoutRows(groupOf: (kind: LaneKind) => readonly Lane[], collapsed: ReadonlySet<string>): RowLayout {
  const rows: Row[] = [];
  for (const kind of GROUP_ORDER) {
    const lanes = groupOf(kind);
    if (lanes.length === 0) continue;
    const groupCollapsed = collapsed.has(groupCollapseKey(kind));
    rows.push({ kind: 'group', group: kind, count: lanes.length, collapsed: groupCollapsed });
    if (groupCollapsed) continue;
    for (const lane of lanes) {
      const laneCollapsed = lane.members.length > 0 && collapsed.has(laneCollapseKey(lane));
      rows.push({ kind: 'lane', lane, collapsed: laneCollapsed });
      if (laneCollapsed) continue;
      for (let m = 0; m < lane.members.length; m++) rows.push({ kind: 'member', lane, member: m });
    }
  }
  const tops = new Float64Array(rows.length + 1);
  const rowOfLane = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    tops[i + 1] = tops[i] + rowHeight(row);
    if (row.kind === 'lane') rowOfLane.set(row.lane.id, i);
  }
  return { rows, tops, rowOfLane };
}

export function rowHeight(row: Row): number {
  return row.kind === 'group' ? GROUP_ROW_HEIGHT : row.kind === 'lane' ? LANE_ROW_HEIGHT : MEMBER_ROW_HEIGHT;
}

export function totalHeight(layout: RowLayout): number {
  return layout.tops[layout.rows.length];
}

/** Index of the row at content offset y, or -1 outside every row. */
export function rowAt(layout: RowLayout, y: number): number {
  const n = layout.rows.length;
  if (n === 0 || y < 0 || y >= layout.tops[n]) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (layout.tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** First and last row index intersecting scrollTop..scrollTop+height (last < first if none). */
export function visibleRows(layout: RowLayout, scrollTop: number, height: number): { first: number; last: number } {
  const n = layout.rows.length;
  if (n === 0 || height <= 0) return { first: 0, last: -1 };
  const top = Math.min(Math.max(0, scrollTop), layout.tops[n] - 0.001);
  const first = rowAt(layout, top);
  // A row whose top is exactly at the bottom edge is not visible: stop just above it.
  const bottom = Math.min(layout.tops[n], scrollTop + height) - 0.001;
  return { first, last: Math.max(first, rowAt(layout, Math.max(top, bottom))) };
}

/** The scrollTop that brings row `index` into view (unchanged if it already is). */
export function scrollToShow(layout: RowLayout, index: number, scrollTop: number, height: number): number {
  const top = layout.tops[index];
  const bottom = layout.tops[index + 1];
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return scrollTop;
}

export function clampScroll(layout: RowLayout, scrollTop: number, height: number): number {
  return Math.max(0, Math.min(scrollTop, totalHeight(layout) - height));
}

/** The rows, plus the listener -> publisher links the renderer draws between them. */
export interface Layout {
  readonly layout: RowLayout;
  /** Listener lanes by the object key of the publisher they watch. */
  readonly listenersOf: ReadonlyMap<string, readonly Lane[]>;
}

export function layoutWithLinks(lanes: LaneModel, collapsed: ReadonlySet<string>): Layout {
  const layout = layoutRows((kind) => lanes.group(kind), collapsed);
  const listenersOf = new Map<string, Lane[]>();
  for (const lane of lanes.group('session')) {
    if (!lane.peerKey) continue;
    let list = listenersOf.get(lane.peerKey);
    if (!list) listenersOf.set(lane.peerKey, (list = []));
    list.push(lane);
  }
  return { layout, listenersOf };
}

/** What a row shows, independent of where it is: the keyboard focus stays on it when rows move. */
export type RowIdentity =
  | { readonly kind: 'group'; readonly group: LaneKind }
  | { readonly kind: 'lane'; readonly laneId: number }
  | { readonly kind: 'member'; readonly laneId: number; readonly member: number };

export function identityOf(row: Row): RowIdentity {
  if (row.kind === 'group') return { kind: 'group', group: row.group };
  return row.kind === 'lane' ? { kind: 'lane', laneId: row.lane.id } : { kind: 'member', laneId: row.lane.id, member: row.member };
}

/** Where the row is now, or -1 when it is gone or hidden by a collapse. */
export function indexOfIdentity(layout: RowLayout, identity: RowIdentity): number {
  if (identity.kind === 'group') return layout.rows.findIndex((row) => row.kind === 'group' && row.group === identity.group);
  const laneRow = layout.rowOfLane.get(identity.laneId);
  if (laneRow === undefined) return -1;
  if (identity.kind === 'lane') return laneRow;
  const index = laneRow + 1 + identity.member;
  const row = layout.rows[index];
  return row?.kind === 'member' && row.lane.id === identity.laneId ? index : -1;
}
