// The visible time range and the math of zooming and panning it. Pure: no DOM, tested in Node.

export interface TimeView {
  /** Milliseconds since the epoch at the left edge of the plot. */
  readonly start: number;
  /** … and at the right edge. */
  readonly end: number;
}

/** The narrowest view: 1 ms across the plot. */
export const MIN_SPAN_MS = 1;
/** The widest view: about 10 years, so a wheel held down cannot run into infinity. */
export const MAX_SPAN_MS = 10 * 365 * 24 * 3600 * 1000;

export function spanOf(view: TimeView): number {
  return view.end - view.start;
}

export function timeAtX(view: TimeView, x: number, width: number): number {
  return view.start + (x / Math.max(1, width)) * spanOf(view);
}

export function xAtTime(view: TimeView, ts: number, width: number): number {
  return ((ts - view.start) / spanOf(view)) * width;
}

/**
 * Scales the view by `factor` (< 1 zooms in) keeping the time at `anchor` where it is on
 * screen: the wheel zooms around the cursor.
 */
export function zoomAround(view: TimeView, anchor: number, factor: number): TimeView {
  const span = spanOf(view);
  const newSpan = clampSpan(span * factor);
  const ratio = span > 0 ? (anchor - view.start) / span : 0.5;
  const start = anchor - ratio * newSpan;
  return { start, end: start + newSpan };
}

export function panBy(view: TimeView, deltaMs: number): TimeView {
  return { start: view.start + deltaMs, end: view.end + deltaMs };
}

/** The view that shows `from..to` with a small margin on both sides. */
export function fitView(from: number, to: number, marginFraction = 0.02): TimeView {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { start: 0, end: 1000 };
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const span = Math.max(hi - lo, MIN_SPAN_MS * 10);
  const margin = span * marginFraction;
  const middle = (lo + hi) / 2;
  const half = clampSpan(span + 2 * margin) / 2;
  return { start: middle - half, end: middle + half };
}

/** A brushed range (two times, either order) becomes the view; tiny brushes are ignored. */
export function viewFromBrush(a: number, b: number): TimeView | undefined {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (!(hi - lo >= MIN_SPAN_MS)) return undefined;
  return { start: lo, end: hi };
}

/** The same span, centred on `ts`. */
export function centeredOn(view: TimeView, ts: number): TimeView {
  const half = spanOf(view) / 2;
  return { start: ts - half, end: ts + half };
}

/**
 * `from..to` (an object's life) centred in the view: the same span when it fits with a margin
 * on both sides, else just wide enough. It never zooms in, so the zoom the user chose stays
 * unless the object would not be seen whole.
 */
export function centeredOnRange(view: TimeView, from: number, to: number, marginFraction = 0.05): TimeView {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const half = clampSpan(Math.max(spanOf(view), (hi - lo) * (1 + 2 * marginFraction))) / 2;
  const middle = (lo + hi) / 2;
  return { start: middle - half, end: middle + half };
}

/** Live follow: the same span, with `now` a little inside the right edge. */
export function following(view: TimeView, now: number, marginFraction = 0.03): TimeView {
  const span = spanOf(view);
  const end = now + span * marginFraction;
  return { start: end - span, end };
}

export function clampSpan(span: number): number {
  if (!Number.isFinite(span)) return MAX_SPAN_MS;
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span));
}
