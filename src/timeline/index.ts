// The host side of the timeline: turns an EventStore into what the webview draws. No `vscode`.
export { TimelineFeed, type FeedSource, type FeedSelection, type TimelineFeedOptions } from './timelineFeed';
export { laneOf } from './laneOf';
export { connectionSpans } from './connectionSpans';
export { readMarks, type MarkRead } from './markChunks';
export { markPredicate, EVERY_MARK, type MarkPredicate } from './markFilter';
export { eventDetails, eventExcerpt } from './eventDetails';
export { timelineHtml, timelineCsp, type TimelineHtmlOptions } from './timelineHtml';
