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

  /** Events per second over the last complete seconds of the window. */
  perSecond(): number {
    this.roll();
    if (this.buckets.length === 0) return 0;
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
