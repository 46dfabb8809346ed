// A distribution of durations kept in constant memory, updated one value at a time: the store
// records a span when an object reaches its end (core/durations.ts), the client each answer's
// latency (protocol/healthMeter.ts); millions of them, so the values themselves cannot be kept.
//
// Buckets are log-scale (log-linear, as HdrHistogram's): unit width below 32 ms, then 16 per
// doubling. Latencies spread over orders of magnitude (a 20 ms answer, a 3 s one, an hour-long
// call) and what matters is their relative difference: 100 ms against 110 ms is news, 1 h
// against 1 h + 10 ms is not. Log buckets give every value the same relative precision (1/16)
// with a fixed number of buckets (640, 0 ms to 2^43 ms, ~280 years), where linear ones would
// need a width too coarse for answers or too many buckets for calls.
//
// Percentiles are NEAREST-RANK: the p-th percentile of n values is the value of rank
// ceil(p·n/100) in ascending order (p = 100 gives the maximum). The histogram finds the bucket
// that holds that rank and reports the mean of the values in that bucket (each bucket also
// sums its values), clamped to the exact minimum and maximum. So:
//   - when that bucket holds only equal values, as small data sets of distinct values do,
//     the percentile is exact;
//   - otherwise the reported value and the true one lie in the same bucket, so they differ
//     by less than its width: |error| < max(1 ms, true / 16).
// `count`, `min` and `max` are always exact.
export const UNIT_BUCKETS = 32;
const SUB_BUCKETS = 16;
/** log2(UNIT_BUCKETS): the first doubling split into SUB_BUCKETS. */
const FIRST_EXPONENT = 5;
/** Values of 2^43 ms (~280 years: a broken timestamp) and more share the last bucket. */
const LAST_EXPONENT = 43;
export const BUCKET_COUNT = UNIT_BUCKETS + (LAST_EXPONENT - FIRST_EXPONENT) * SUB_BUCKETS;
/** How many of the longest spans are kept with their object, for a UI to reveal. */
export const OUTLIERS_KEPT = 10;

export interface DurationOutlier {
  readonly objectKey: string;
  readonly ms: number;
}

export interface DurationBucket {
  /** The bucket is [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

/**
 * A plain, JSON-ready picture of one histogram. Values in ms, absent when `count` is 0; the
 * percentiles rounded to the microsecond (a bucket's mean has digits that mean nothing).
 */
export interface HistogramSnapshot {
  readonly count: number;
  readonly min?: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p99?: number;
  readonly max?: number;
  /** The buckets that hold values, shortest first. */
  readonly buckets: readonly DurationBucket[];
  /** The longest spans, longest first (at most OUTLIERS_KEPT; of equal ones, the first recorded). */
  readonly outliers: readonly DurationOutlier[];
}

/**
 * 2^k for k up to LAST_EXPONENT + 1, looked up: `2 ** k` with a variable k measured ~100 ns
 * on Node 20, which made it the whole cost of recording a span.
 */
const POWERS_OF_TWO: readonly number[] = Array.from({ length: LAST_EXPONENT + 2 }, (_, k) => 2 ** k);

/** The bucket a value (ms, ≥ 0) falls in. */
export function bucketIndex(ms: number): number {
  if (ms < UNIT_BUCKETS) return Math.floor(ms);
  let exponent = ms < 2 ** 32 ? 31 - Math.clz32(ms) : Math.floor(Math.log2(ms));
  // From 2^43 on everything shares the last bucket, whose regular range ends at 2^43 too: no
  // correction needed there.
  if (exponent >= LAST_EXPONENT) return BUCKET_COUNT - 1;
  // Math.log2 may round across a power of two; clz32 is exact (it floors ms first, which
  // keeps the exponent of a value ≥ 32).
  if (POWERS_OF_TWO[exponent] > ms) exponent--;
  else if (POWERS_OF_TWO[exponent + 1] <= ms) exponent++;
  if (exponent >= LAST_EXPONENT) return BUCKET_COUNT - 1;
  const width = POWERS_OF_TWO[exponent - 4];
  return UNIT_BUCKETS + (exponent - FIRST_EXPONENT) * SUB_BUCKETS + (Math.floor(ms / width) - SUB_BUCKETS);
}

/** The bucket's lower bound (ms, inclusive). */
export function bucketFrom(index: number): number {
  if (index < UNIT_BUCKETS) return index;
  const exponent = FIRST_EXPONENT + Math.floor((index - UNIT_BUCKETS) / SUB_BUCKETS);
  return (SUB_BUCKETS + ((index - UNIT_BUCKETS) % SUB_BUCKETS)) * POWERS_OF_TWO[exponent - 4];
}

/** The bucket's upper bound (ms, exclusive); the last bucket also holds anything larger. */
export function bucketTo(index: number): number {
  if (index < UNIT_BUCKETS) return index + 1;
  return bucketFrom(index) + POWERS_OF_TWO[FIRST_EXPONENT - 4 + Math.floor((index - UNIT_BUCKETS) / SUB_BUCKETS)];
}

export class DurationHistogram {
  private countValue = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  /** Allocated at the first value: most stores never measure most spans. */
  private counts: Float64Array | undefined;
  private sums: Float64Array | undefined;
  /** Longest first. */
  private readonly top: DurationOutlier[] = [];

  get count(): number {
    return this.countValue;
  }

  /**
   * Adds one span. A negative one (receive times that went backwards: a clock step) counts
   * as 0 ms; one that is not a finite number is ignored.
   */
  record(ms: number, objectKey: string): void {
    if (!Number.isFinite(ms)) return;
    const value = ms > 0 ? ms : 0;
    const index = bucketIndex(value);
    const counts = (this.counts ??= new Float64Array(BUCKET_COUNT));
    const sums = (this.sums ??= new Float64Array(BUCKET_COUNT));
    counts[index]++;
    sums[index] += value;
    this.countValue++;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    this.keepIfLongest(value, objectKey);
  }

  /** The nearest-rank percentile (see the top of this file), for an integer `percent` in 1..100. */
  percentile(percent: number): number | undefined {
    const counts = this.counts;
    const sums = this.sums;
    if (this.countValue === 0 || counts === undefined || sums === undefined) return undefined;
    if (percent >= 100) return this.maxValue;
    // percent·n is an exact integer, so the division is exact whenever the rank is whole.
    const rank = Math.max(1, Math.ceil((percent * this.countValue) / 100));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.min(this.maxValue, Math.max(this.minValue, sums[i] / counts[i]));
    }
    return this.maxValue;
  }

  snapshot(): HistogramSnapshot {
    const buckets: DurationBucket[] = [];
    const counts = this.counts;
    if (this.countValue === 0 || counts === undefined) return { count: 0, buckets, outliers: [] };
    for (let i = 0; i < BUCKET_COUNT; i++) {
      if (counts[i] > 0) buckets.push({ fromMs: bucketFrom(i), toMs: bucketTo(i), count: counts[i] });
    }
    return {
      count: this.countValue,
      min: this.minValue,
      p50: toMicroseconds(this.percentile(50)),
      p90: toMicroseconds(this.percentile(90)),
      p99: toMicroseconds(this.percentile(99)),
      max: this.maxValue,
      buckets,
      outliers: this.top.slice(),
    };
  }

  /** Keeps the OUTLIERS_KEPT longest spans; a tie does not displace the one recorded first. */
  private keepIfLongest(ms: number, objectKey: string): void {
    const top = this.top;
    if (top.length === OUTLIERS_KEPT && ms <= top[top.length - 1].ms) return;
    let at = top.length;
    while (at > 0 && top[at - 1].ms < ms) at--;
    top.splice(at, 0, { objectKey, ms });
    if (top.length > OUTLIERS_KEPT) top.pop();
  }
}

function toMicroseconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 1000) / 1000;
}
