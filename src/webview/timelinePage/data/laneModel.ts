// The lanes the webview knows, grouped by kind, plus the listener -> publisher links. Pure:
// tested in Node. Order within a group:
//   - a live source ('live-first'): objects still alive first, by start, then ended ones,
//     the most recently ended first. Following live shows the last seconds; those are the
//     rows with something drawn in them, so they must be the rows on screen (oldest first
//     opened the timeline on rows that all ended minutes ago: an empty plot).
//   - a trace ('by-start'): by start, the order of a Gantt chart.
// Ties go by id, so equal keys keep arrival order.
import type { Lane, LaneKind } from '../../../shared/timelineProtocol';

export const GROUP_ORDER: readonly LaneKind[] = ['session', 'room', 'call', 'other'];
export const GROUP_LABELS: Readonly<Record<LaneKind, string>> = { session: 'Sessions', room: 'Rooms', call: 'Calls', other: 'Other' };

export type LaneOrder = 'live-first' | 'by-start';

export class LaneModel {
  private order: LaneOrder = 'by-start';
  private compare: (a: Lane, b: Lane) => number = compareByStart;
  private readonly byId = new Map<number, Lane>();
  private readonly byKey = new Map<string, Lane>();
  private readonly groups: Record<LaneKind, Lane[]> = { session: [], room: [], call: [], other: [] };
  /** Bumped on every change, so views rebuild their layout only when needed. */
  version = 0;

  /** Sorts the groups again if the order changes (a live source that stops growing, say). */
  setOrder(order: LaneOrder): void {
    if (order === this.order) return;
    this.order = order;
    this.compare = order === 'live-first' ? compareLiveFirst : compareByStart;
    for (const kind of GROUP_ORDER) this.groups[kind].sort(this.compare);
    this.version++;
  }

  reset(lanes: readonly Lane[]): void {
    this.byId.clear();
    this.byKey.clear();
    for (const kind of GROUP_ORDER) this.groups[kind] = [];
    for (const lane of lanes) {
      this.byId.set(lane.id, lane);
      this.byKey.set(lane.key, lane);
      this.groups[lane.kind].push(lane);
    }
    for (const kind of GROUP_ORDER) this.groups[kind].sort(this.compare);
    this.version++;
  }

  upsert(lanes: readonly Lane[]): void {
    for (const lane of lanes) {
      const old = this.byId.get(lane.id);
      if (old && old.kind === lane.kind && this.compare(old, lane) === 0 && old.endTs === lane.endTs) {
        const group = this.groups[lane.kind];
        group[this.indexIn(group, old)] = lane;
      } else {
        if (old) this.removeOne(old);
        const group = this.groups[lane.kind];
        group.splice(this.insertionPoint(group, lane), 0, lane);
      }
      this.byId.set(lane.id, lane);
      this.byKey.set(lane.key, lane);
    }
    if (lanes.length > 0) this.version++;
  }

  remove(ids: readonly number[]): void {
    for (const id of ids) {
      const lane = this.byId.get(id);
      if (lane) this.removeOne(lane);
    }
    if (ids.length > 0) this.version++;
  }

  get(id: number): Lane | undefined {
    return this.byId.get(id);
  }

  getByKey(key: string): Lane | undefined {
    return this.byKey.get(key);
  }

  group(kind: LaneKind): readonly Lane[] {
    return this.groups[kind];
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * How many lanes have some of their life in [start, end] (at most `limit`: the caller
   * only asks whether the window is empty). A lane still alive lives until `aliveEnd`.
   */
  countInWindow(start: number, end: number, aliveEnd: number, limit = 1): number {
    let count = 0;
    for (const kind of GROUP_ORDER) {
      for (const lane of this.groups[kind]) {
        if (lane.startTs <= end && (lane.endTs ?? Math.max(aliveEnd, lane.lastTs)) >= start && ++count >= limit) return count;
      }
    }
    return count;
  }

  /** Earliest start and latest known time over all lanes (for "fit all"). */
  timeBounds(): { min: number; max: number } | undefined {
    let min = Infinity;
    let max = -Infinity;
    for (const kind of GROUP_ORDER) {
      const group = this.groups[kind];
      for (const lane of group) {
        min = Math.min(min, lane.startTs);
        max = Math.max(max, lane.endTs ?? lane.lastTs);
      }
    }
    return Number.isFinite(min) ? { min, max } : undefined;
  }

  private removeOne(lane: Lane): void {
    const group = this.groups[lane.kind];
    const index = this.indexIn(group, lane);
    if (index >= 0) group.splice(index, 1);
    this.byId.delete(lane.id);
    if (this.byKey.get(lane.key) === lane) this.byKey.delete(lane.key);
  }

  private insertionPoint(group: readonly Lane[], lane: Lane): number {
    let lo = 0;
    let hi = group.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(group[mid], lane) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexIn(group: readonly Lane[], lane: Lane): number {
    const at = this.insertionPoint(group, lane);
    if (group[at]?.id === lane.id) return at;
    return group.findIndex((l) => l.id === lane.id);
  }
}

export function compareByStart(a: Lane, b: Lane): number {
  return a.startTs - b.startTs || a.id - b.id;
}

export function compareLiveFirst(a: Lane, b: Lane): number {
  const aEnded = a.endTs !== undefined;
  const bEnded = b.endTs !== undefined;
  if (aEnded !== bEnded) return aEnded ? 1 : -1;
  if (!aEnded) return compareByStart(a, b);
  return b.endTs! - a.endTs! || a.id - b.id;
}
