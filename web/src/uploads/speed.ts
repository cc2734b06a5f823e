const BUCKET_MS = 250;

/**
 * Bytes per second over a moving window (5 s). Time left is only worth showing once a run of
 * samples is 2 s old; a pause longer than the window starts a new run.
 */
export class SpeedMeter {
  private buckets: { at: number; bytes: number }[] = [];
  private runStartedAt: number | null = null;

  constructor(
    private readonly windowMs = 5000,
    private readonly settleMs = 2000,
  ) {}

  record(now: number, bytes: number): void {
    if (bytes <= 0) return;
    this.prune(now);
    if (this.buckets.length === 0) this.runStartedAt = now;
    const at = now - (now % BUCKET_MS);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.at === at) last.bytes += bytes;
    else this.buckets.push({ at, bytes });
  }

  bytesPerSecond(now: number): number {
    this.prune(now);
    if (this.runStartedAt === null) return 0;
    const bytes = this.buckets.reduce((sum, bucket) => sum + bucket.bytes, 0);
    const spanMs = Math.min(this.windowMs, Math.max(1000, now - this.runStartedAt));
    return (bytes * 1000) / spanMs;
  }

  /** Seconds to send `remainingBytes`, or null without 2 s of data or while nothing moves. */
  secondsLeft(now: number, remainingBytes: number): number | null {
    const rate = this.bytesPerSecond(now);
    if (this.runStartedAt === null || now - this.runStartedAt < this.settleMs || rate <= 0) return null;
    return Math.ceil(remainingBytes / rate);
  }

  private prune(now: number): void {
    const oldest = now - this.windowMs;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop].at <= oldest) drop += 1;
    if (drop > 0) this.buckets.splice(0, drop);
    if (this.buckets.length === 0) this.runStartedAt = null;
  }
}
