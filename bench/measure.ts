// Small statistics shared by the benchmark parts (not a part itself: no .bench.ts ending).

/** Runs a full garbage collection when node was started with --expose-gc (scripts/bench.js does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile; p = 1 gives the maximum. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Three decimals: enough for seconds, ratios and milliseconds in a report. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
