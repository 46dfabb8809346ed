// The webview's copy of what the host feeds it: lanes, marks, event types, connection gaps
// and the source's status. It pulls marks chunk by chunk (one request in flight, the next
// asked for before the current one is indexed) and applies live deltas. Pure: no DOM, tested
// in Node; `post` is the channel to the host and `clock` the local time.
import type { ConnectionSpan, HealthPoint, FromWebview, SourceInfo, TimelineEventType, TimelineFilter, ToWebview } from '../../../shared/timelineProtocol';
import { rolesOf, type ColorRole } from '../theme/typeColors';
import { LaneModel } from './laneModel';
import { MarkStore } from './markStore';

/** The data messages; the others (details, excerpts, centre, …) are the panes' business. */
export type FeedMessage = Extract<ToWebview, { type: 'init' | 'marks' | 'delta' }>;

/** What a data message changed, for the views to redraw what depends on it. */
export interface FeedChange {
  readonly kind: FeedMessage['type'];
  /** New event types arrived: the legend and the type filter list change. */
  readonly typesChanged: boolean;
  /** The host's filter (init only). */
  readonly filter?: TimelineFilter;
}

export function isFeedMessage(message: ToWebview): message is FeedMessage {
  return message.type === 'init' || message.type === 'marks' || message.type === 'delta';
}

export class FeedClient {
  readonly lanes = new LaneModel();
  readonly marks = new MarkStore();
  private typeList: readonly TimelineEventType[] = [];
  private roleList: ColorRole[] = [];
  private connectionSpans: readonly ConnectionSpan[] = [];
  private healthPoints: readonly HealthPoint[] = [];
  private sourceInfo: SourceInfo | undefined;
  private clockOffset = 0;
  private generation = -1;
  private cursor = 0;
  private lastSeq = 0;
  private requestInFlight = false;
  private loaded = false;

  constructor(
    private readonly post: (message: FromWebview) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Applies a data message; undefined when it belongs to an older generation (ignored). */
  handle(message: FeedMessage): FeedChange | undefined {
    switch (message.type) {
      case 'init':
        return this.onInit(message);
      case 'marks':
        if (message.generation !== this.generation) return undefined;
        this.requestInFlight = false;
        this.cursor = Math.max(this.cursor, message.cursor);
        this.lastSeq = Math.max(this.lastSeq, message.lastSeq);
        // Ask for the next chunk first: the host prepares it while this one is indexed.
        this.pull();
        this.marks.append(message.chunk);
        return { kind: 'marks', typesChanged: false };
      case 'delta':
        if (message.generation !== this.generation) return undefined;
        return this.onDelta(message);
    }
  }

  get source(): SourceInfo | undefined {
    return this.sourceInfo;
  }

  /** True for a live source: bars of objects still alive grow with the clock. */
  get growing(): boolean {
    return this.sourceInfo?.growing ?? false;
  }

  get types(): readonly TimelineEventType[] {
    return this.typeList;
  }

  /** Colour role per type index. */
  get roles(): readonly ColorRole[] {
    return this.roleList;
  }

  get connection(): readonly ConnectionSpan[] {
    return this.connectionSpans;
  }

  /** The connection's health windows, oldest first (the strip under the axis). */
  get health(): readonly HealthPoint[] {
    return this.healthPoints;
  }

  /** Every mark of the first load has arrived (live marks after that do not count). */
  get caughtUp(): boolean {
    return this.loaded;
  }

  /** The host's clock: timestamps of live events are the host's, not the page's. */
  now(): number {
    return this.clock() + this.clockOffset;
  }

  /** Where the bars of objects still alive end: now while live, else the end of the data. */
  aliveEnd(fallback: number): number {
    if (!this.sourceInfo) return fallback;
    return this.sourceInfo.growing ? this.now() : this.sourceInfo.dataEndTs;
  }

  /** First and last time of anything stored (now, while live); undefined with no data. */
  dataBounds(): { min: number; max: number } | undefined {
    const lanes = this.lanes.timeBounds();
    const marks = this.marks.timeBounds();
    if (!lanes && !marks) return undefined;
    let min = Math.min(lanes?.min ?? Infinity, marks?.min ?? Infinity);
    let max = Math.max(lanes?.max ?? -Infinity, marks?.max ?? -Infinity);
    if (this.growing) max = Math.max(max, this.now());
    if (!Number.isFinite(min)) min = max - 60_000;
    return { min, max };
  }

  private onInit(message: Extract<FeedMessage, { type: 'init' }>): FeedChange {
    this.generation = message.generation;
    this.setSource(message.source);
    this.lanes.reset(message.lanes);
    this.marks.clear();
    this.marks.expect(message.lastSeq - message.fromSeq + 1);
    this.setTypes(message.types);
    this.connectionSpans = message.connection;
    this.healthPoints = message.health ?? [];
    this.cursor = message.fromSeq - 1;
    this.lastSeq = message.lastSeq;
    this.requestInFlight = false;
    this.loaded = false;
    this.pull();
    return { kind: 'init', typesChanged: true, filter: message.filter };
  }

  private onDelta(message: Extract<FeedMessage, { type: 'delta' }>): FeedChange {
    this.setSource(message.source);
    this.lanes.remove(message.removedLanes);
    for (const id of message.removedLanes) this.marks.dropLane(id);
    // A lane already drawn comes again whole: its new state, end, code and anomalies replace
    // the old ones (LaneModel.upsert moves it if its place in the order changed).
    this.lanes.upsert(message.lanes);
    const typesChanged = message.types.length > 0;
    if (typesChanged) this.setTypes([...this.typeList, ...message.types]);
    if (message.connection) this.connectionSpans = message.connection;
    if (message.health) this.healthPoints = message.health;
    this.marks.evictBefore(message.firstSeq);
    this.lastSeq = Math.max(this.lastSeq, message.lastSeq);
    this.pull();
    return { kind: 'delta', typesChanged };
  }

  private setSource(source: SourceInfo): void {
    this.sourceInfo = source;
    this.clockOffset = source.now - this.clock();
    this.lanes.setOrder(source.growing ? 'live-first' : 'by-start');
  }

  private setTypes(types: readonly TimelineEventType[]): void {
    this.typeList = types;
    this.roleList = rolesOf(types);
  }

  private pull(): void {
    if (this.requestInFlight) return;
    if (this.cursor >= this.lastSeq) {
      this.loaded = true;
      return;
    }
    this.requestInFlight = true;
    this.post({ type: 'requestMarks', generation: this.generation, afterSeq: this.cursor });
  }
}
