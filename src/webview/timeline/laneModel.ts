// The lanes the webview knows, grouped by kind and ordered by start (then by id, so equal
// starts keep arrival order), plus the listener -> publisher links. Pure: tested in Node.
import type { Lane, LaneKind } from '../../shared/timelineProtocol';

export const GROUP_ORDER: readonly LaneKind[] = ['session', 'room', 'call', 'other'];
export const GROUP_LABELS: Readonly<Record<LaneKind, string>> = { session: 'Sessions', room: 'Rooms', call: 'Calls', other: 'Other' };

export class LaneModel {
  private readonly byId = new Map<number, Lane>();
  private readonly byKey = new Map<string, Lane>();
  private readonly groups: Record<LaneKind, Lane[]> = { session: [], room: [], call: [], other: [] };
  /** Bumped on every change, so views rebuild their layout only when needed. */
  version = 0;

  reset(lanes: readonly Lane[]): void {
    this.byId.clear();
    this.byKey.clear();
    for (const kind of GROUP_ORDER) this.groups[kind] = [];
    for (const lane of lanes) {
      this.byId.set(lane.id, lane);
      this.byKey.set(lane.key, lane);
      this.groups[lane.kind].push(lane);
    }
    for (const kind of GROUP_ORDER) this.groups[kind].sort(compareLanes);
    this.version++;
  }

  upsert(lanes: readonly Lane[]): void {
    for (const lane of lanes) {
      const old = this.byId.get(lane.id);
      if (old && old.startTs === lane.startTs && old.kind === lane.kind) {
        const group = this.groups[lane.kind];
        group[indexIn(group, old)] = lane;
      } else {
        if (old) this.removeOne(old);
        const group = this.groups[lane.kind];
        group.splice(insertionPoint(group, lane), 0, lane);
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

  /** Earliest start and latest known time over all lanes (for "fit all"). */
  timeBounds(): { min: number; max: number } | undefined {
    let min = Infinity;
    let max = -Infinity;
    for (const kind of GROUP_ORDER) {
      const group = this.groups[kind];
      if (group.length === 0) continue;
      min = Math.min(min, group[0].startTs);
      for (const lane of group) max = Math.max(max, lane.endTs ?? lane.lastTs);
    }
    return Number.isFinite(min) ? { min, max } : undefined;
  }

  private removeOne(lane: Lane): void {
    const group = this.groups[lane.kind];
    const index = indexIn(group, lane);
    if (index >= 0) group.splice(index, 1);
    this.byId.delete(lane.id);
    if (this.byKey.get(lane.key) === lane) this.byKey.delete(lane.key);
  }
}

export function compareLanes(a: Lane, b: Lane): number {
  return a.startTs - b.startTs || a.id - b.id;
}

function insertionPoint(group: readonly Lane[], lane: Lane): number {
  let lo = 0;
  let hi = group.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareLanes(group[mid], lane) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function indexIn(group: readonly Lane[], lane: Lane): number {
  const at = insertionPoint(group, lane);
  if (group[at]?.id === lane.id) return at;
  return group.findIndex((l) => l.id === lane.id);
}
