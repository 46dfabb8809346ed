// The webview's copy of the marks: global columns in arrival (sequence) order, for looking an
// event up, plus one time-sorted list per lane, which is what the renderer walks. Pure: no
// DOM, tested in Node.
//
// Positions are absolute (they never shift): evicting the oldest marks moves `start`, and
// the columns are compacted now and then by moving `base`.
import type { MarkChunk } from '../../../shared/timelineProtocol';
import type { SortedTimes } from './levelOfDetail';

const INITIAL_COLUMN_CAPACITY = 1 << 16;
const INITIAL_LANE_CAPACITY = 16;

/** One lane's marks, sorted by time: `ts[i]` and the absolute position `pos[i]`, head <= i < end. */
export class LaneMarks implements SortedTimes {
  ts: Float64Array;
  pos: Float64Array;
  head = 0;
  end = 0;

  constructor(capacity = INITIAL_LANE_CAPACITY) {
    this.ts = new Float64Array(Math.max(capacity, 4));
    this.pos = new Float64Array(Math.max(capacity, 4));
  }

  get length(): number {
    return this.end - this.head;
  }

  at(i: number): number {
    return this.ts[this.head + i];
  }

  positionAt(i: number): number {
    return this.pos[this.head + i];
  }

  /** Makes room for `extra` more marks at once (one allocation instead of several doublings). */
  reserve(extra: number): void {
    if (this.end + extra <= this.ts.length) return;
    this.makeRoom(this.length + extra);
  }

  push(ts: number, position: number): void {
    if (this.end === this.ts.length) this.makeRoom(this.length + 1);
    let i = this.end++;
    // Events of one object arrive in time order, except in hand-edited traces: keep sorted.
    while (i > this.head && this.ts[i - 1] > ts) {
      this.ts[i] = this.ts[i - 1];
      this.pos[i] = this.pos[i - 1];
      i--;
    }
    this.ts[i] = ts;
    this.pos[i] = position;
  }

  /** Drops marks with a position below `position` (they were evicted). */
  dropBefore(position: number): void {
    // Usually the oldest marks are first; a time-reordered lane may hold them elsewhere.
    let keep = this.head;
    for (let i = this.head; i < this.end; i++) {
      if (this.pos[i] >= position) {
        this.ts[keep] = this.ts[i];
        this.pos[keep] = this.pos[i];
        keep++;
      }
    }
    this.end = keep;
  }

  private makeRoom(needed: number): void {
    const length = this.length;
    if (needed <= this.ts.length && this.head > 0) {
      this.ts.copyWithin(0, this.head, this.end);
      this.pos.copyWithin(0, this.head, this.end);
    } else {
      let capacity = this.ts.length * 2;
      while (capacity < needed) capacity *= 2;
      const ts = new Float64Array(capacity);
      const pos = new Float64Array(capacity);
      ts.set(this.ts.subarray(this.head, this.end));
      pos.set(this.pos.subarray(this.head, this.end));
      this.ts = ts;
      this.pos = pos;
    }
    this.head = 0;
    this.end = length;
  }
}

export class MarkStore {
  private tsColumn = new Float64Array(INITIAL_COLUMN_CAPACITY);
  private laneColumn = new Uint32Array(INITIAL_COLUMN_CAPACITY);
  private typeColumn = new Uint16Array(INITIAL_COLUMN_CAPACITY);
  private seqColumn = new Float64Array(INITIAL_COLUMN_CAPACITY);
  /** Absolute position of slot 0. */
  private base = 0;
  /** Absolute position of the oldest mark kept, and one past the newest. */
  private startPos = 0;
  private endPos = 0;
  private lanes: Array<LaneMarks | undefined> = [];

  get size(): number {
    return this.endPos - this.startPos;
  }

  /** Sequence number of the newest mark, or undefined when empty. */
  get lastSeq(): number | undefined {
    return this.size > 0 ? this.seqColumn[this.endPos - 1 - this.base] : undefined;
  }

  laneMarks(laneId: number): LaneMarks | undefined {
    return this.lanes[laneId];
  }

  /** Appends a chunk (its marks follow every mark already held). */
  append(chunk: MarkChunk): void {
    const n = chunk.count;
    if (n === 0) return;
    this.reserve(n);
    const at = this.endPos - this.base;
    this.tsColumn.set(chunk.ts.subarray(0, n), at);
    this.laneColumn.set(chunk.lane.subarray(0, n), at);
    this.typeColumn.set(chunk.type.subarray(0, n), at);
    if (chunk.seq) this.seqColumn.set(chunk.seq.subarray(0, n), at);
    else for (let i = 0; i < n; i++) this.seqColumn[at + i] = chunk.firstSeq + i;
    const lanes = this.lanes;
    const ts = chunk.ts;
    const lane = chunk.lane;
    // Count first, so each lane grows once per chunk: allocating typed arrays one doubling
    // at a time for 10,000 lanes costed more than the copying itself.
    let maxLane = 0;
    for (let i = 0; i < n; i++) if (lane[i] > maxLane) maxLane = lane[i];
    const counts = new Uint32Array(maxLane + 1);
    for (let i = 0; i < n; i++) counts[lane[i]]++;
    for (let id = 0; id <= maxLane; id++) {
      if (counts[id] === 0) continue;
      let marks = lanes[id];
      if (marks === undefined) {
        marks = new LaneMarks(counts[id]);
        lanes[id] = marks;
      } else {
        marks.reserve(counts[id]);
      }
    }
    const base = this.endPos;
    for (let i = 0; i < n; i++) (lanes[lane[i]] as LaneMarks).push(ts[i], base + i);
    this.endPos += n;
  }

  /** The host said how many marks are coming: size the columns once. */
  expect(count: number): void {
    this.reserve(Math.max(0, count));
  }

  /** Forgets the marks of events older than `firstSeq` (the host evicted them). */
  evictBefore(firstSeq: number): void {
    let pos = this.startPos;
    const touched = new Set<number>();
    while (pos < this.endPos && this.seqColumn[pos - this.base] < firstSeq) {
      touched.add(this.laneColumn[pos - this.base]);
      pos++;
    }
    if (pos === this.startPos) return;
    this.startPos = pos;
    for (const id of touched) this.lanes[id]?.dropBefore(pos);
    this.compactIfSparse();
  }

  dropLane(laneId: number): void {
    this.lanes[laneId] = undefined;
  }

  clear(): void {
    this.base = 0;
    this.startPos = 0;
    this.endPos = 0;
    this.lanes = [];
  }

  // ---- per mark, by absolute position ----

  seqAt(position: number): number {
    return this.seqColumn[position - this.base];
  }

  tsAt(position: number): number {
    return this.tsColumn[position - this.base];
  }

  typeAt(position: number): number {
    return this.typeColumn[position - this.base];
  }

  laneAt(position: number): number {
    return this.laneColumn[position - this.base];
  }

  /** Absolute position of the mark of `seq`, or -1 (binary search: sequence numbers ascend). */
  positionOfSeq(seq: number): number {
    let lo = this.startPos;
    let hi = this.endPos;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqColumn[mid - this.base] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.endPos && this.seqColumn[lo - this.base] === seq ? lo : -1;
  }

  /** Earliest and latest mark time (the columns are in arrival order, so scan the ends). */
  timeBounds(): { min: number; max: number } | undefined {
    if (this.size === 0) return undefined;
    let min = Infinity;
    let max = -Infinity;
    for (const marks of this.lanes) {
      if (!marks || marks.length === 0) continue;
      if (marks.at(0) < min) min = marks.at(0);
      if (marks.at(marks.length - 1) > max) max = marks.at(marks.length - 1);
    }
    return Number.isFinite(min) ? { min, max } : undefined;
  }

  private reserve(extra: number): void {
    const needed = this.endPos - this.base + extra;
    if (needed <= this.tsColumn.length) return;
    this.compact();
    const liveNeeded = this.endPos - this.base + extra;
    if (liveNeeded <= this.tsColumn.length) return;
    let capacity = this.tsColumn.length;
    while (capacity < liveNeeded) capacity *= 2;
    this.tsColumn = grow(this.tsColumn, new Float64Array(capacity));
    this.laneColumn = grow(this.laneColumn, new Uint32Array(capacity));
    this.typeColumn = grow(this.typeColumn, new Uint16Array(capacity));
    this.seqColumn = grow(this.seqColumn, new Float64Array(capacity));
  }

  private compactIfSparse(): void {
    const dropped = this.startPos - this.base;
    if (dropped > INITIAL_COLUMN_CAPACITY && dropped > (this.endPos - this.base) / 2) this.compact();
  }

  private compact(): void {
    const from = this.startPos - this.base;
    if (from === 0) return;
    const to = this.endPos - this.base;
    this.tsColumn.copyWithin(0, from, to);
    this.laneColumn.copyWithin(0, from, to);
    this.typeColumn.copyWithin(0, from, to);
    this.seqColumn.copyWithin(0, from, to);
    this.base = this.startPos;
  }
}

function grow<T extends Float64Array | Uint32Array | Uint16Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
