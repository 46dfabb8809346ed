// Events per second over a sliding window of one-second buckets. `count()` is called on the
// hot path, so it only increments a number; the window moves when someone reads the rate.

export class RateMeter {
  private readonly buckets: number[];
  private bucketStart: number;
  private current = 0;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = [];
    this.bucketStart = Math.floor(now() / 1000);
  }

  count(n = 1): void {
    this.current += n;
  }

  /**
   * Events per second over the last complete seconds of the window. Before the first second
   * is complete, the rate so far: "0 ev/s" right after connecting read as "nothing arrives".
   */
  perSecond(): number {
    this.roll();
    if (this.buckets.length === 0) {
      const elapsedMs = this.now() - this.bucketStart * 1000;
      return this.current === 0 ? 0 : (this.current * 1000) / Math.max(elapsedMs, 250);
    }
    return this.buckets.reduce((a, b) => a + b, 0) / this.buckets.length;
  }

  private roll(): void {
    const second = Math.floor(this.now() / 1000);
    if (second === this.bucketStart) return;
    this.buckets.push(this.current);
    for (let s = this.bucketStart + 1; s < second; s++) this.buckets.push(0);
    this.current = 0;
    this.bucketStart = second;
    while (this.buckets.length > this.windowSeconds) this.buckets.shift();
  }
}

/** '12k', '1.5k', '200', '2.5', '0.3', '<0.1', '0': a quiet server's few events never read as 0. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${Math.round(perSecond / 1000)}k`;
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k`;
  if (perSecond >= 10 || perSecond === 0) return String(Math.round(perSecond));
  if (perSecond < 0.05) return '<0.1';
  const tenths = perSecond.toFixed(1);
  return tenths.endsWith('.0') ? tenths.slice(0, -2) : tenths;
}
