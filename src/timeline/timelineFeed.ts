// What one timeline webview is told about one source, and when. Pure (no `vscode`): the
// panel gives it a `post` function and passes it the webview's validated messages.
//
// - `start()` (the webview said ready, or became visible again) sends `init`: the lanes, the
//   types, the connection gaps and the sequence range to fetch. Every init bumps
//   `generation`, so replies to requests of an older webview or filter are dropped.
// - The webview pulls marks with `requestMarks`; each reply is one chunk (one request in
//   flight on the webview side is the flow control).
// - Store changes (already batched by the store, at most one per 100 ms) become one `delta`
//   each: changed lanes only, removed lane ids, new types, gaps when markers changed, and
//   the new sequence range; the marks themselves are pulled. A change of the notes sends the
//   lanes of the objects whose notes changed (a lane carries its notes).
// - The filter is read from a `FilterState` (the extension's one, shared with the tree and the
//   other timelines): each real change is one `init` carrying it; an equal filter sends nothing.
import { FilterState, isEmptyFilter, notesOf, notesOfObject, objectMatches, type EventFilter, type EventStore, type StoreChange } from '../core';
import type { Disposable } from '../shared/events';
import {
  MARKS_PER_CHUNK,
  type ConnectionSpan,
  type HealthPoint,
  type FromWebview,
  type Lane,
  type SourceInfo,
  type TimelineEventType,
  type ToWebview,
} from '../shared/timelineProtocol';
import { healthSamples } from '../core/healthSummary';
import { connectionSpans } from './connectionSpans';
import { eventDetails, eventExcerpt } from './eventDetails';
import { laneOf } from './laneOf';
import { readMarks } from './markChunks';
import { EVERY_MARK, markPredicate, type MarkPredicate } from './markFilter';

/** The part of an inspector `Source` the feed needs (kept small so tests can fake it). */
export interface FeedSource {
  readonly id: string;
  readonly name: string;
  readonly kind: 'live' | 'trace';
  readonly store: EventStore;
  readonly status: { readonly kind: string };
}

export interface FeedSelection {
  readonly seq: number;
  readonly objectKey: string;
}

export interface TimelineFeedOptions {
  marksPerChunk?: number;
  /** The clock (tests pin it). */
  now?: () => number;
  /** The filter's owner; without one the feed keeps a filter of its own. */
  filter?: FilterState;
}

export class TimelineFeed implements Disposable {
  private generation = 0;
  private readonly filters: FilterState;
  /** Set when the feed made its filter state itself, and so disposes it. */
  private readonly ownsFilters: boolean;
  private readonly filterSubscription: Disposable;
  private predicate: MarkPredicate = EVERY_MARK;
  /** Lanes the webview knows: object key -> lane id (to tell it about removals). */
  private sentLanes = new Map<string, number>();
  /**
   * What each sent lane looked like, minus its event count: eviction touches thousands of
   * objects per second without changing anything drawn, and those need no update.
   */
  private sentLooks = new Map<string, string>();
  private typesSent = 0;
  /** How many annotations the store had when health was last sent: more means a new window. */
  private annotationsSeen = 0;
  /** Objects that had notes when their lanes were last sent: a removed note changes them too. */
  private notedKeys = new Set<string>();
  private subscription: Disposable | undefined;
  private readonly marksPerChunk: number;
  private readonly now: () => number;

  constructor(
    private readonly source: FeedSource,
    private readonly post: (message: ToWebview) => void,
    options: TimelineFeedOptions = {},
  ) {
    this.marksPerChunk = options.marksPerChunk ?? MARKS_PER_CHUNK;
    this.now = options.now ?? Date.now;
    this.ownsFilters = options.filter === undefined;
    this.filters = options.filter ?? new FilterState();
    this.predicate = markPredicate(source.store, this.filter);
    this.filterSubscription = this.filters.onDidChange(() => this.onFilterChange());
  }

  get started(): boolean {
    return this.subscription !== undefined;
  }

  get currentFilter(): EventFilter {
    return this.filter;
  }

  private get filter(): EventFilter {
    return this.filters.filter;
  }

  /** Sends everything the webview needs to start over, and follows the store from now on. */
  start(): void {
    this.subscription ??= this.source.store.onDidChange((change) => this.onStoreChange(change));
    this.sendInit();
  }

  /** The webview is gone or hidden: stop sending (it will say ready again). */
  stop(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  /** Sets the filter of every view that shares this feed's filter state (this one re-inits through it). */
  setFilter(filter: EventFilter): void {
    this.filters.set(filter, 'timeline');
  }

  /** The source's status changed (connected, disconnected…): bars may stop growing. */
  statusChanged(): void {
    if (this.started) this.post(this.delta([], [], [], undefined));
  }

  /** Centres the webview on an object or an event; false if neither is stored. */
  centerOn(target: { objectKey?: string; seq?: number }): boolean {
    const store = this.source.store;
    if (target.seq !== undefined) {
      const ts = store.tsOf(target.seq);
      const key = store.objectKeyOf(target.seq);
      if (ts !== undefined) {
        this.post({ type: 'center', seq: target.seq, ts, laneId: key === undefined ? undefined : store.getObject(key)?.index });
        // The details pane follows, without a round trip (and without echoing a selection).
        const details = eventDetails(store, target.seq);
        if (details) this.post({ type: 'eventDetails', ...details });
        return true;
      }
    }
    if (target.objectKey !== undefined) {
      const object = store.getObject(target.objectKey);
      if (object) {
        // Its whole life, first to last event: where it started alone says little of a call.
        this.post({ type: 'center', laneId: object.index, ts: object.firstTs, endTs: object.lastTs });
        return true;
      }
    }
    return false;
  }

  /** Acts on a validated message; returns the selection when the user picked an event. */
  handle(message: FromWebview): FeedSelection | undefined {
    switch (message.type) {
      case 'ready':
        this.start();
        return undefined;
      case 'requestMarks':
        if (message.generation === this.generation) this.sendMarks(message.afterSeq);
        return undefined;
      case 'requestExcerpt': {
        const text = eventExcerpt(this.source.store, message.seq);
        if (text !== undefined) this.post({ type: 'excerpt', seq: message.seq, text });
        return undefined;
      }
      case 'selectEvent': {
        const details = eventDetails(this.source.store, message.seq);
        if (!details) {
          this.post({ type: 'eventMissing', seq: message.seq, message: 'This event is no longer stored (evicted or cleared).' });
          return undefined;
        }
        this.post({ type: 'eventDetails', ...details });
        return message.reveal === false ? undefined : { seq: details.seq, objectKey: details.objectKey };
      }
      case 'setFilter':
        this.setFilter(message.filter);
        return undefined;
      case 'viewState':
        // The panel keeps what the view shows; nothing to send.
        return undefined;
      case 'bookmark':
        // The panel asks for the note (an input box is the editor's, not the feed's).
        return undefined;
    }
  }

  dispose(): void {
    this.stop();
    this.filterSubscription.dispose();
    if (this.ownsFilters) this.filters.dispose();
  }

  // ---- internals ----

  /** A real change (the state drops equal filters): a stopped feed re-inits when it starts. */
  private onFilterChange(): void {
    this.predicate = markPredicate(this.source.store, this.filter);
    if (this.started) this.sendInit();
  }

  private sendInit(): void {
    const store = this.source.store;
    this.generation++;
    this.sentLanes.clear();
    this.sentLooks.clear();
    const lanes: Lane[] = [];
    const filtered = !isEmptyFilter(this.filter);
    for (const object of store.objects()) {
      if (filtered && !objectMatches(store, object, this.filter)) continue;
      const lane = laneOf(object, notesOfObject(store, object.key));
      lanes.push(lane);
      this.sentLanes.set(object.key, object.index);
      this.sentLooks.set(object.key, looks(lane));
    }
    const types = this.allTypes();
    this.typesSent = types.length;
    this.notedKeys = notedKeys(store);
    this.post({
      type: 'init',
      generation: this.generation,
      source: this.sourceInfo(),
      lanes,
      types,
      connection: connectionSpans(store.markers()),
      health: this.healthPoints(),
      filter: this.filter,
      fromSeq: store.firstSeq,
      lastSeq: store.lastSeq,
    });
  }

  private sendMarks(afterSeq: number): void {
    const { chunk, cursor } = readMarks(this.source.store, afterSeq, this.predicate, this.marksPerChunk);
    this.post({ type: 'marks', generation: this.generation, chunk, cursor, lastSeq: this.source.store.lastSeq });
  }

  private onStoreChange(change: StoreChange): void {
    if (change.cleared) {
      this.sendInit();
      return;
    }
    const store = this.source.store;
    const filtered = !isEmptyFilter(this.filter);
    const removed: number[] = [];
    for (const key of change.removedObjects) {
      const id = this.sentLanes.get(key);
      if (id === undefined) continue;
      removed.push(id);
      this.sentLanes.delete(key);
      this.sentLooks.delete(key);
    }
    const lanes: Lane[] = [];
    let changedKeys: Iterable<string> = change.changedObjects;
    if (change.annotationsChanged) {
      const noted = notedKeys(store);
      changedKeys = new Set([...change.changedObjects, ...this.notedKeys, ...noted]);
      this.notedKeys = noted;
    }
    for (const key of changedKeys) {
      const object = store.getObject(key);
      if (!object) continue;
      if (filtered && !objectMatches(store, object, this.filter)) {
        const id = this.sentLanes.get(key);
        if (id !== undefined) {
          removed.push(id);
          this.sentLanes.delete(key);
          this.sentLooks.delete(key);
        }
        continue;
      }
      const previous = this.sentLanes.get(key);
      // Same key, new index: the object was removed and created anew within the batch.
      if (previous !== undefined && previous !== object.index) removed.push(previous);
      const lane = laneOf(object, notesOfObject(store, key));
      const look = looks(lane);
      if (previous === object.index && this.sentLooks.get(key) === look) continue;
      this.sentLanes.set(key, object.index);
      this.sentLooks.set(key, look);
      lanes.push(lane);
    }
    const allTypes = this.allTypes();
    const newTypes = allTypes.slice(this.typesSent);
    this.typesSent = allTypes.length;
    const connection = change.markersChanged ? connectionSpans(store.markers()) : undefined;
    const health = store.annotations().length !== this.annotationsSeen ? this.healthPoints() : undefined;
    this.post(this.delta(lanes, removed, newTypes, connection, health));
  }

  private delta(lanes: Lane[], removedLanes: number[], types: TimelineEventType[], connection: readonly ConnectionSpan[] | undefined, health?: readonly HealthPoint[]): ToWebview {
    const store = this.source.store;
    return {
      type: 'delta',
      generation: this.generation,
      source: this.sourceInfo(),
      lanes,
      removedLanes,
      types,
      connection,
      ...(health ? { health } : {}),
      firstSeq: store.firstSeq,
      lastSeq: store.lastSeq,
    };
  }

  /** The health windows of the source (live: one per 10 s; a trace: what its recorder wrote). */
  private healthPoints(): HealthPoint[] {
    const store = this.source.store;
    this.annotationsSeen = store.annotations().length;
    return healthSamples(store).map((s) => ({
      from: s.ts - s.windowMs,
      to: s.ts,
      ...(s.answerP99Us !== undefined ? { p99Us: s.answerP99Us } : {}),
      ...(s.answerMaxUs !== undefined ? { maxUs: s.answerMaxUs } : {}),
      eventsPerSecond: s.windowMs > 0 ? Math.round((s.events * 10_000) / s.windowMs) / 10 : 0,
      pings: s.pings,
    }));
  }

  private allTypes(): TimelineEventType[] {
    const { store } = this.source;
    return store.eventTypes().map((t) => {
      const effect = store.vocabulary.lookup(t.class, t.subclass, t.type).meaning?.effect;
      return { index: t.index, name: t.name, subclass: t.subclass, type: t.type, known: t.known, ...(effect ? { effect } : {}) };
    });
  }

  private sourceInfo(): SourceInfo {
    const store = this.source.store;
    const lastTs = store.size > 0 ? (store.tsOf(store.lastSeq) ?? 0) : 0;
    const markers = store.markers();
    const lastMarkerTs = markers.length > 0 ? markers[markers.length - 1].ts : 0;
    const status = this.source.status.kind;
    return {
      id: this.source.id,
      name: this.source.name,
      live: this.source.kind === 'live',
      status,
      now: this.now(),
      dataEndTs: Math.max(lastTs, lastMarkerTs),
      growing: this.source.kind === 'live' && status === 'connected',
    };
  }
}

function notedKeys(store: EventStore): Set<string> {
  return new Set(notesOf(store).map((n) => n.object));
}

/** Everything the webview draws of a lane; the event count is left out on purpose (see sentLooks). */
function looks(lane: Lane): string {
  const { eventCount: _count, ...drawn } = lane;
  return JSON.stringify(drawn);
}
