// The duration histogram's maths, against a brute-force computation over the exact values:
// nearest-rank percentiles that lie in the true value's bucket (so within its error bound) and
// are exact when that bucket holds only equal values; exact count, min, max and bucket counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET_COUNT, DurationHistogram, OUTLIERS_KEPT, UNIT_BUCKETS, bucketFrom, bucketIndex, bucketTo } from '../../../src/shared/histogram';
import { mulberry32 } from '../../../src/simulator/random';

const T = { timeout: 20_000 };
const PERCENTS = [1, 10, 25, 50, 75, 90, 95, 99, 100];

/** Nearest rank: the value of rank ceil(p·n/100) in ascending order. */
function bruteForce(sorted: readonly number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1];
}

/** The bound the histogram promises: less than the true value's bucket width. */
function allowedError(value: number): number {
  return bucketTo(bucketIndex(value)) - bucketFrom(bucketIndex(value));
}

function filled(values: readonly number[]): DurationHistogram {
  const histogram = new DurationHistogram();
  values.forEach((v, i) => histogram.record(v, `media/session/s${i}`));
  return histogram;
}

/** Random data sets of different shapes, reproducible from their seed. */
function dataSets(): Array<{ name: string; values: number[] }> {
  const random = mulberry32(14);
  const sets: Array<{ name: string; values: number[] }> = [];
  for (let round = 0; round < 8; round++) {
    const n = 1 + Math.floor(random() * 5000);
    sets.push({ name: `uniform integers 0..2000 ms, n=${n}`, values: Array.from({ length: n }, () => Math.floor(random() * 2001)) });
    // Latency-like: log-uniform over 1 ms .. 1 h, fractional milliseconds.
    sets.push({ name: `log-uniform 1 ms..1 h, n=${n}`, values: Array.from({ length: n }, () => Math.exp(random() * Math.log(3_600_000))) });
    // Many ties: a handful of distinct values.
    const distinct = Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 100_000));
    sets.push({ name: `${distinct.length} distinct values, n=${n}`, values: Array.from({ length: n }, () => distinct[Math.floor(random() * distinct.length)]) });
  }
  sets.push({ name: 'one value', values: [42] }, { name: 'zeros', values: [0, 0, 0] }, { name: 'sub-millisecond', values: [0.25, 0.5, 0.75, 1.5] });
  return sets;
}

describe('duration histogram', () => {
  test('buckets tile 0 ms .. 2^43 ms without gaps: each value lies in [from, to) of its bucket, width ≤ max(1, from/16)', T, () => {
    assert.equal(bucketFrom(0), 0);
    for (let i = 1; i < BUCKET_COUNT; i++) assert.equal(bucketFrom(i), bucketTo(i - 1), `bucket ${i} starts where ${i - 1} ends`);
    assert.equal(bucketTo(BUCKET_COUNT - 1), 2 ** 43);
    const edges = [0, 0.5, 1, 31, 31.999, 32, 33, 63.99, 64, 100, 200, 900, 1023, 1024, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 0.5, 2 ** 32, 2 ** 32 + 1, 3_600_000, 2 ** 42 + 12345];
    const random = mulberry32(7);
    const values = [...edges, ...Array.from({ length: 20_000 }, () => Math.exp(random() * Math.log(2 ** 43)))];
    for (const v of values) {
      const i = bucketIndex(v);
      assert.ok(i >= 0 && i < BUCKET_COUNT, `${v}: bucket ${i}`);
      assert.ok(bucketFrom(i) <= v && v < bucketTo(i), `${v} in [${bucketFrom(i)}, ${bucketTo(i)})`);
      const width = bucketTo(i) - bucketFrom(i);
      assert.ok(width <= Math.max(1, bucketFrom(i) / 16), `${v}: width ${width}`);
    }
    assert.equal(bucketIndex(2 ** 50), BUCKET_COUNT - 1, 'absurd values share the last bucket');
    for (let ms = 0; ms < UNIT_BUCKETS; ms++) assert.equal(bucketTo(bucketIndex(ms)) - bucketFrom(bucketIndex(ms)), 1, `${ms} ms: a bucket of its own`);
  });

  test('percentiles against brute force on random data: same bucket as the true value, within the bound, exact when the bucket holds one value', T, () => {
    for (const { name, values } of dataSets()) {
      const histogram = filled(values);
      const sorted = [...values].sort((a, b) => a - b);
      assert.equal(histogram.count, values.length, name);
      for (const percent of PERCENTS) {
        const truth = bruteForce(sorted, percent);
        const reported = histogram.percentile(percent);
        assert.ok(reported !== undefined, name);
        assert.ok(Math.abs(reported - truth) < allowedError(truth), `${name} p${percent}: ${reported} vs ${truth} (bound ${allowedError(truth)})`);
        assert.equal(bucketIndex(reported), bucketIndex(truth), `${name} p${percent}: reported in the true value's bucket`);
        const bucket = bucketIndex(truth);
        const sameBucket = values.filter((v) => bucketIndex(v) === bucket);
        if (sameBucket.every((v) => v === truth)) assert.equal(reported, truth, `${name} p${percent}: exact, its bucket holds only ${truth}`);
      }
      assert.equal(histogram.percentile(100), sorted[sorted.length - 1], `${name}: p100 is the max`);
      const snapshot = histogram.snapshot();
      assert.equal(snapshot.min, sorted[0], name);
      assert.equal(snapshot.max, sorted[sorted.length - 1], name);
      // Bucket counts: exactly those of the values.
      const expected = new Map<number, number>();
      for (const v of values) expected.set(bucketIndex(v), (expected.get(bucketIndex(v)) ?? 0) + 1);
      assert.deepEqual(
        snapshot.buckets.map((b) => [b.fromMs, b.toMs, b.count]),
        [...expected.entries()].sort((a, b) => a[0] - b[0]).map(([i, count]) => [bucketFrom(i), bucketTo(i), count]),
        name,
      );
    }
  });

  test('a rank that is whole is not pushed up by rounding (7 % of 100 values is rank 7, though 0.07 × 100 > 7)', T, () => {
    for (let percent = 1; percent < 100; percent++) {
      // Ranks 1..percent are 10 ms, the others 1 s: one rank too many reads 1 s.
      const values = Array.from({ length: 100 }, (_, i) => (i < percent ? 10 : 1000));
      assert.equal(filled(values).percentile(percent), 10, `p${percent}`);
    }
  });

  test('keeps the longest spans with their objects, longest first; a tie keeps the first recorded', T, () => {
    const histogram = new DurationHistogram();
    const values = [5, 900, 40, 900, 7, 1200, 3, 88, 61, 900, 15, 2, 77, 1, 300];
    values.forEach((v, i) => histogram.record(v, `media/call/c${i}`));
    const outliers = histogram.snapshot().outliers;
    assert.equal(outliers.length, OUTLIERS_KEPT);
    assert.deepEqual(outliers.slice(0, 5), [
      { objectKey: 'media/call/c5', ms: 1200 },
      { objectKey: 'media/call/c1', ms: 900 },
      { objectKey: 'media/call/c3', ms: 900 },
      { objectKey: 'media/call/c9', ms: 900 },
      { objectKey: 'media/call/c14', ms: 300 },
    ]);
    const kept = outliers.map((o) => o.ms);
    assert.deepEqual(kept, [...values].sort((a, b) => b - a).slice(0, OUTLIERS_KEPT));
  });

  test('negative spans count as 0 ms, non-finite ones are ignored; an empty histogram has no figures', T, () => {
    const empty = new DurationHistogram();
    assert.deepEqual(empty.snapshot(), { count: 0, buckets: [], outliers: [] });
    assert.equal(empty.percentile(50), undefined);
    const histogram = new DurationHistogram();
    histogram.record(-40, 'a');
    histogram.record(Number.NaN, 'b');
    histogram.record(Infinity, 'c');
    const snapshot = histogram.snapshot();
    assert.equal(snapshot.count, 1);
    assert.equal(snapshot.max, 0);
    assert.deepEqual(snapshot.buckets, [{ fromMs: 0, toMs: 1, count: 1 }]);
  });
});
