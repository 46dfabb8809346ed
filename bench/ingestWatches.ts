// The watches of the ingest bench's "with watches" runs (#14): what a user watching live
// traffic would have on, run the way the editor runs them. Not a part itself (no .bench.ts).
//
// Ten watches, a mix: five that only filter (their matcher reads the event's columns, never
// its text) and five with conditions (body fields, which parse the event when its filter lets
// it through, two of them with no filter at all; and object ages). Users are `userN@nkmedia`
// in TrafficGenerator traffic, so `user:user7@nkmedia` stands for a `user:alice`.
//
// How often: the editor calls StoreWatcher.runTo on each store change notification, every
// 100 ms; at the bench's ~100,000 events/s that is a run per ~10,000 events. Here a run is
// made after every RUN_EVERY_EVENTS events instead, from the client's own event listener
// (after LiveSource stored the event) and once more at the last event, so that every watch
// run falls inside the measured time and runs are 10× as frequent as the editor's (each run's
// fixed cost counts more, which is the pessimistic side).
import type { EventStore } from '../src/core';
import { StoreWatcher, type WatchSpec } from '../src/inspector/storeWatcher';

export const WATCH_EXPRESSIONS = [
  'type:hangup',
  'user:user7@nkmedia',
  'subclass:room type:destroyed',
  'subclass:session type:stop',
  'subclass:call type:ringing',
  'body.code=486',
  'body.reason=Busy',
  'type:stop body.code!=1013',
  'duration>5s',
  'type:hangup duration>2s',
] as const;

export const RUN_EVERY_EVENTS = 1000;

export interface BenchWatches {
  /** Called after each event is stored; runs the watches every RUN_EVERY_EVENTS events and at `last`. */
  stored(handled: number, last: boolean): void;
  /** Hits reported so far, all watches together (shows the watches did work). */
  readonly hits: number;
}

export function startWatches(store: EventStore): BenchWatches {
  let hits = 0;
  const watcher = new StoreWatcher(store, (report) => (hits += report.count));
  const specs: WatchSpec[] = WATCH_EXPRESSIONS.map((expression, i) => ({ id: `w${i}`, expression, action: 'marker', enabled: true }));
  watcher.setWatches(specs);
  return {
    stored(handled, last) {
      if (last || handled % RUN_EVERY_EVENTS === 0) watcher.runTo();
    },
    get hits() {
      return hits;
    },
  };
}
