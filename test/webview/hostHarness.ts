// The host side of the webview tests, bundled for Node by run.mjs: a real EventStore filled
// with simulator traffic (plus a hostile event), and a real TimelineFeed answering the page.
// What the page posts is validated with the same zod schema as in the extension.
import { EventStore, addNote, eventNote } from '../../src/core';
import type { EventData } from '../../src/protocol/frames';
import { fromWebviewSchema, type ToWebview } from '../../src/shared/timelineProtocol';
import { TrafficGenerator } from '../../src/simulator/traffic';
import { TimelineFeed, type FeedSource } from '../../src/timeline';

export const HOSTILE_ID = '<img src=x onerror="window.__pwned=1">';
export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

export interface Harness {
  store: EventStore;
  source: FeedSource & { status: { kind: string } };
  feed: TimelineFeed;
  /** Seq of the hostile event. */
  hostileSeq: number;
  invalidMessages: number;
  /** Called by the page bridge for each message the webview posts. */
  receive(message: unknown): void;
  /** Appends `count` more simulator events, 20 ms apart after the last one. */
  appendLive(count: number): void;
  /** Appends one given event, 20 ms after the last one; returns its seq. */
  appendEvent(data: EventData): number;
  /** Adds a note on a stored event, as the Add Note command does. */
  noteOn(seq: number, text: string): void;
}

export function createHarness(post: (message: ToWebview) => void, options: { events?: number; live?: boolean; health?: boolean } = {}): Harness {
  const store = new EventStore({ notifyIntervalMs: 20 });
  const traffic = new TrafficGenerator({ seed: 7, liveObjects: 25 });
  let ts = T0;
  const append = (data: EventData) => {
    ts += 20;
    return store.append({ conn: 'test', ts, data, raw: JSON.stringify(data), rawField: undefined });
  };
  const total = options.events ?? 1500;
  let hostileSeq = 0;
  for (let i = 0; i < total; i++) {
    if (i === 300) {
      hostileSeq = append({
        class: 'media',
        subclass: 'player',
        type: 'played',
        obj_id: HOSTILE_ID,
        body: { note: '<script>window.__pwned=2</script>', html: '<b onmouseover=alert(1)>bold</b>' },
      });
      continue;
    }
    append(traffic.next());
  }
  // A connection drop in the middle: a gap marker with a reason.
  store.addMarker({ kind: 'disconnect', ts: T0 + total * 10, conn: 'test', reason: 'socket closed' });
  store.addMarker({ kind: 'connect', ts: T0 + total * 10 + 2500, conn: 'test' });
  if (options.health) {
    // Two health windows over the first half of the data: answers fine, then near the 5 s rule.
    const half = (total * 20) / 2;
    store.addAnnotation({ line: 'health', ts: T0 + half / 2, conn: 'test', windowMs: half / 2, answers: 400, answerP50Us: 60, answerP99Us: 180, answerMaxUs: 900, pings: 1, events: 400 });
    store.addAnnotation({ line: 'health', ts: T0 + half, conn: 'test', windowMs: half / 2, answers: 300, answerP50Us: 900_000, answerP99Us: 2_500_000, answerMaxUs: 3_100_000, pings: 0, events: 100 });
  }
  store.flush();
  const source = { id: 'demo', name: 'demo', kind: (options.live ? 'live' : 'trace') as 'live' | 'trace', store, status: { kind: options.live ? 'connected' : 'loaded' } };
  const feed = new TimelineFeed(source, post, { marksPerChunk: 700, now: () => ts });
  const harness: Harness = {
    store,
    source,
    feed,
    hostileSeq,
    invalidMessages: 0,
    receive(message) {
      const parsed = fromWebviewSchema.safeParse(message);
      if (!parsed.success) {
        harness.invalidMessages++;
        return;
      }
      feed.handle(parsed.data);
    },
    appendLive(count) {
      for (let i = 0; i < count; i++) append(traffic.next());
      store.flush();
    },
    appendEvent(data) {
      const seq = append(data);
      store.flush();
      return seq;
    },
    noteOn(seq, text) {
      const note = eventNote(store, seq, text);
      if (note) addNote(store, note);
      store.flush();
    },
  };
  return harness;
}
