// The public API of the core model: the event store, its types, the filter and the text
// helpers. Nothing here imports `vscode`.
export { EventStore, DEFAULT_MAX_EVENTS, DEFAULT_NOTIFY_INTERVAL_MS, MAX_ANNOTATIONS, type AppendListener } from './eventStore';
export { shortenedFrame, MAX_INVALID_MARKERS, MAX_KEPT_FRAME_CHARS } from './invalidMarkers';
export type { EventVisitor } from './storeQueries';
export { DURATION_SPANS, histogramOf, type DurationSpan, type DurationsSnapshot, type DurationHistogramState, type DurationOutlierState, type DurationsByType, type TypedDurationHistogram } from './durations';
export { OUTLIERS_KEPT, type DurationBucket, type HistogramSnapshot } from '../shared/histogram';
export type {
  Annotation,
  Anomaly,
  AnomalyKind,
  AppendInput,
  EventStoreOptions,
  EventTypeInfo,
  Marker,
  MarkerKind,
  ObjectCounts,
  ObjectKind,
  ObjectState,
  ObjectStateWord,
  RawField,
  RoomMember,
  StoreChange,
  StoredEvent,
} from './types';
export { objectKey, sessionKey, roomKey, memberKey } from './objectRecord';
export { endText } from './deriveState';
export { type EventFilter, isEmptyFilter, describeFilter, objectMatches, eventMatches, eventPredicate, matchingObjectKeys } from './filter';
export { FilterState, normalizeFilter, filtersEqual, type FilterChange, type FilterOrigin } from './filterState';
export { shortId, formatDuration, formatRelative, describeObject, anomalySummary, excerptJson } from './displayText';
export { NOTE_KIND, isNote, objectNote, eventNote, noteEventSeq, notesOf, notesOfObject, addNote, editNote, removeNote, noteLine, noteId, findNote, type Note } from './notes';
