// A token bucket: a sustained rate with a burst. Pure: the clock comes in from outside.

export interface BucketLimits {
  /** sustained takes per second */
  readonly ratePerSecond: number;
  /** takes allowed at once after a quiet spell */
  readonly burst: number;
}

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    private limits: BucketLimits,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.#tokens = limits.burst;
    this.#at = nowMs();
  }

  /** New limits; the tokens already earned are kept, up to the new burst. */
  setLimits(limits: BucketLimits): void {
    this.#refill();
    this.limits = limits;
    this.#tokens = Math.min(this.#tokens, limits.burst);
  }

  /** Take a token when one is there. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is due (0 when one is there). */
  msUntilToken(): number {
    this.#refill();
    return this.#tokens >= 1
      ? 0
      : Math.ceil(((1 - this.#tokens) / this.limits.ratePerSecond) * 1000);
  }

  /** Seconds until a token is due, at least 1. */
  retryAfterSeconds(): number {
    const missing = 1 - this.#tokens;
    return Math.max(1, Math.ceil(missing / this.limits.ratePerSecond));
  }

  #refill(): void {
    const now = this.nowMs();
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#at = now;
    this.#tokens = Math.min(this.limits.burst, this.#tokens + elapsed * this.limits.ratePerSecond);
  }
}
