// Axis ticks: round steps (1, 2, 5 × 10^n ms up to days) about `minPx` apart, labelled as
// wall-clock time or as an offset from a chosen object's start. Pure: tested in Node.

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1000, 2000, 5000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

export interface Tick {
  readonly ts: number;
  readonly label: string;
}

/** The smallest round step that keeps ticks at least `minPx` apart. */
export function tickStep(spanMs: number, widthPx: number, minPx = 90): number {
  const msPerPx = spanMs / Math.max(1, widthPx);
  const wanted = msPerPx * minPx;
  for (const step of STEPS_MS) if (step >= wanted) return step;
  const days = Math.ceil(wanted / 86_400_000);
  return days * 86_400_000;
}

/**
 * Ticks over start..end. With `origin` the labels are offsets from it ('+1.5 s'), else
 * local wall-clock times (with milliseconds when the step is under a second).
 */
export function ticks(start: number, end: number, widthPx: number, origin?: number, minPx = 90): Tick[] {
  if (!(end > start) || widthPx <= 0) return [];
  const step = tickStep(end - start, widthPx, minPx);
  const base = origin ?? 0;
  const out: Tick[] = [];
  // Ticks sit on multiples of the step from the origin (or, in absolute mode, from local
  // midnight-aligned epoch multiples, which is the same for steps up to an hour).
  const first = Math.ceil((start - base) / step) * step + base;
  for (let ts = first; ts <= end && out.length < 1000; ts += step) {
    out.push({ ts, label: origin === undefined ? clockLabel(ts, step) : offsetLabel(ts - origin, step) });
  }
  return out;
}

export function clockLabel(ts: number, step = 1): string {
  const d = new Date(ts);
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (step >= 86_400_000) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return step < 1000 ? `${hms}.${pad3(d.getMilliseconds())}` : hms;
}

export function offsetLabel(offsetMs: number, step = 1): string {
  const sign = offsetMs < 0 ? '−' : '+';
  const abs = Math.abs(offsetMs);
  if (step < 1000) return `${sign}${(abs / 1000).toFixed(step < 10 ? 3 : step < 100 ? 2 : 1)} s`;
  if (abs < 60_000 || step < 60_000) return `${sign}${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)} min${abs % 60_000 ? ` ${Math.round((abs % 60_000) / 1000)} s` : ''}`;
  return `${sign}${(abs / 3_600_000).toFixed(1)} h`;
}

/** Full time of one event, for tooltips and announcements: '12:03:04.567'. */
export function preciseTime(ts: number): string {
  return clockLabel(ts, 1);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}
