// The stretches of time when the connection was away, from the store's markers: a gap marker
// spans ts..until; a disconnect lasts until the next connect, or is still open.
import type { Marker } from '../core';
import type { ConnectionSpan } from '../shared/timelineProtocol';

export function connectionSpans(markers: readonly Marker[]): ConnectionSpan[] {
  const spans: ConnectionSpan[] = [];
  // Per connection: the disconnect still waiting for its connect.
  const open = new Map<string, Marker>();
  const sorted = markers.slice().sort((a, b) => a.ts - b.ts);
  for (const marker of sorted) {
    switch (marker.kind) {
      case 'gap':
        spans.push({ from: marker.ts, to: Math.max(marker.ts, marker.until ?? marker.ts), reason: marker.reason });
        break;
      case 'disconnect':
        if (!open.has(marker.conn)) open.set(marker.conn, marker);
        break;
      case 'connect': {
        const down = open.get(marker.conn);
        if (down) {
          spans.push({ from: down.ts, to: marker.ts, reason: down.reason });
          open.delete(marker.conn);
        }
        break;
      }
    }
  }
  for (const down of open.values()) spans.push({ from: down.ts, reason: down.reason });
  return mergeOverlapping(spans);
}

/** A gap marker and the disconnect it came from cover the same time: show it once. */
function mergeOverlapping(spans: ConnectionSpan[]): ConnectionSpan[] {
  spans.sort((a, b) => a.from - b.from);
  const merged: ConnectionSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && (last.to === undefined || span.from <= last.to)) {
      const to = last.to === undefined || span.to === undefined ? undefined : Math.max(last.to, span.to);
      merged[merged.length - 1] = { from: last.from, to, reason: last.reason ?? span.reason };
    } else {
      merged.push(span);
    }
  }
  return merged;
}
