// The host side of the summary page's webview tests, bundled for Node by run.mjs: typed
// summaries to send (one with hostile strings from the "trace"), and a fake trace editor that
// answers `ready` as the real one does and checks what the page posts with the same schema.
import { fromTraceSummaryPageSchema, type FromTraceSummaryPage, type ToTraceSummaryPage, type TraceSummaryView } from '../../src/shared/traceSummaryProtocol';

export const HOSTILE = '<img src=x onerror="window.__pwned=1">';
export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

export interface SummaryOptions {
  /** Hostile markup in the event type, object key, anomaly text and a bad line's reason. */
  hostile?: boolean;
  /** Subscriptions in the header (none: "(not recorded)"). */
  subscriptions?: boolean;
  /** How many anomalies and bad lines the trace had; the view lists at most 3 of each. */
  anomalies?: number;
  invalidLines?: number;
  /** Notes in the trace (none: no Notes section); hostile text with `hostile`. */
  notes?: number;
}

export function summary(options: SummaryOptions = {}): TraceSummaryView {
  const bad = options.hostile ? HOSTILE : '';
  const anomalies = options.anomalies ?? 1;
  const invalidLines = options.invalidLines ?? 1;
  return {
    header: {
      version: 1,
      created: '2024-05-01T10:00:00.000Z',
      tool: 'nkmedia-inspector 0.1.0',
      source: { name: 'staging', url: 'wss://media:9010', user: 'admin' },
      ...(options.subscriptions ? { subscriptions: [{ class: 'media' }, { class: 'media', subclass: 'room', type: 'stop' }] } : {}),
    },
    compressed: true,
    events: 1234,
    markers: { connect: 2, disconnect: 1, gap: 0, invalid: 0 },
    timeSpan: { first: T0, last: T0 + 200_000, seconds: 200 },
    dialect: { label: 'NkMEDIA Aug 2016', how: 'detected' },
    endCounts: { normal: 5, declined: 2, fault: 1 },
    objectCounts: { session: 6, room: 2, call: 3, other: 0, total: 11 },
    objectStates: { session: { stopped: 5, answered: 1 }, room: { destroyed: 2 }, call: { hangup: 3 }, other: {} },
    types: [
      { class: 'media', subclass: 'session', type: 'answer', count: 600, known: true },
      { class: 'media', subclass: 'session', type: 'stop' + bad, count: 34, known: !options.hostile },
    ],
    anomalyCount: anomalies,
    anomalies: Array.from({ length: Math.min(anomalies, 3) }, (_, i) => ({
      ts: T0 + 1000 * i,
      objectKey: `media/session/s-${i}${bad}`,
      message: `ended with code 2202 (Janus op process down)${bad}`,
    })),
    invalidLineCount: invalidLines,
    invalidLines: Array.from({ length: Math.min(invalidLines, 3) }, (_, i) => ({ line: 40 + i, reason: `not JSON${bad}` })),
    ...(options.notes
      ? {
          noteCount: options.notes,
          notes: Array.from({ length: Math.min(options.notes, 3) }, (_, i) => ({
            ts: T0 + 500 * i,
            objectKey: `media/session/s-${i}`,
            ...(i === 0 ? {} : { eventType: 'answer' }),
            text: `look here ${i}${bad}`,
          })),
        }
      : {}),
  };
}

export interface SummaryHost {
  /** What the page posted, after the host's check. */
  received: FromTraceSummaryPage[];
  invalidMessages: number;
  /** Called by the page bridge for each message the page posts. */
  receive(message: unknown): void;
  /** Sends a message to the page (and keeps it as the state a later `ready` gets). */
  send(message: ToTraceSummaryPage): void;
}

/** Like the trace editor: keeps the latest state, sends it on `ready` and every later one as it comes. */
export function createSummaryHost(post: (message: ToTraceSummaryPage) => void, first: ToTraceSummaryPage): SummaryHost {
  let state = first;
  let ready = false;
  const host: SummaryHost = {
    received: [],
    invalidMessages: 0,
    receive(message) {
      const parsed = fromTraceSummaryPageSchema.safeParse(message);
      if (!parsed.success) {
        host.invalidMessages++;
        return;
      }
      host.received.push(parsed.data);
      if (parsed.data.type === 'ready') {
        ready = true;
        post(state);
      }
    },
    send(message) {
      state = message;
      if (ready) post(message);
    },
  };
  return host;
}
