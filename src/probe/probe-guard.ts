// Admission for GET /probe, so the endpoint cannot be turned into a port scanner or a load
// generator: a token bucket (sustained rate with a burst) and a cap on probes in flight. Pure: the
// clock comes in from outside.

export type Admission = 'ok' | 'rate_limited' | 'too_many_concurrent';

export interface GuardLimits {
  /** sustained requests per second */
  readonly ratePerSecond: number;
  /** requests allowed at once after a quiet spell */
  readonly burst: number;
  /** probes running at the same time */
  readonly maxConcurrent: number;
}

export class ProbeGuard {
  #tokens: number;
  #at: number;
  #inFlight = 0;

  constructor(
    private limits: GuardLimits,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.#tokens = limits.burst;
    this.#at = nowMs();
  }

  /** New limits after a reload; the tokens already earned are kept, up to the new burst. */
  setLimits(limits: GuardLimits): void {
    this.#refill();
    this.limits = limits;
    this.#tokens = Math.min(this.#tokens, limits.burst);
  }

  /** Take a slot; every 'ok' must be followed by exactly one release(). */
  admit(): Admission {
    if (this.#inFlight >= this.limits.maxConcurrent) return 'too_many_concurrent';
    this.#refill();
    if (this.#tokens < 1) return 'rate_limited';
    this.#tokens -= 1;
    this.#inFlight += 1;
    return 'ok';
  }

  release(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** Seconds until a token is due (for Retry-After), at least 1. */
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
