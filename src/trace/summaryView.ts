// What the trace editor's summary page is sent: the part of a trace's stats it shows, with
// the long lists cut so a trace with a million bad lines stays a small message.
import type { TraceSummaryView } from '../shared/traceSummaryProtocol';
import type { TraceStats } from './stats';

/** Entries of long lists the page shows; the rest is counted ("… and N more"). */
export const LISTED_IN_PAGE = 100;

export function summaryView(stats: TraceStats): TraceSummaryView {
  const { header: h } = stats;
  const view: TraceSummaryView = {
    header: {
      version: h.version,
      created: h.created,
      ...(h.tool !== undefined ? { tool: h.tool } : {}),
      ...(h.source ? { source: h.source } : {}),
      ...(h.subscriptions ? { subscriptions: h.subscriptions.map(({ class: c, subclass, type, obj_id }) => ({ class: c, subclass, type, obj_id })) } : {}),
    },
    compressed: stats.compressed,
    events: stats.events,
    markers: stats.markers,
    dialect: { label: stats.dialect.label, how: stats.dialect.how },
    endCounts: stats.endCounts,
    objectCounts: stats.objectCounts,
    objectStates: stats.objectStates,
    types: stats.types,
    anomalyCount: Object.values(stats.anomalyCounts).reduce((sum, n) => sum + n, 0),
    anomalies: stats.anomalies.slice(0, LISTED_IN_PAGE).map(({ ts, objectKey, message }) => ({ ts, objectKey, message })),
    invalidLineCount: stats.invalidLineCount,
    invalidLines: stats.invalidLines.slice(0, LISTED_IN_PAGE),
  };
  // Only when there are some: most traces have none, and their page stays as it was.
  if (stats.notes.length > 0) {
    view.noteCount = stats.notes.length;
    view.notes = stats.notes.slice(0, LISTED_IN_PAGE).map(({ ts, objectKey, eventType, text }) => ({ ts, objectKey, ...(eventType !== undefined ? { eventType } : {}), text }));
  }
  if (stats.timeSpan) view.timeSpan = stats.timeSpan;
  if (stats.streamError !== undefined) view.streamError = stats.streamError;
  return view;
}
