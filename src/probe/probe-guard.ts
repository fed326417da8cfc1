// Admission for GET /probe, so the endpoint cannot be turned into a port scanner or a load
// generator: a token bucket (sustained rate with a burst) and a cap on probes in flight. Pure: the
// clock comes in from outside.
import { TokenBucket, type BucketLimits } from '../common/token-bucket.js';

export type Admission = 'ok' | 'rate_limited' | 'too_many_concurrent';

export interface GuardLimits extends BucketLimits {
  /** probes running at the same time */
  readonly maxConcurrent: number;
}

export class ProbeGuard {
  readonly #bucket: TokenBucket;
  #inFlight = 0;

  constructor(
    private limits: GuardLimits,
    nowMs: () => number = Date.now,
  ) {
    this.#bucket = new TokenBucket(limits, nowMs);
  }

  /** New limits after a reload; the tokens already earned are kept, up to the new burst. */
  setLimits(limits: GuardLimits): void {
    this.#bucket.setLimits(limits);
    this.limits = limits;
  }

  /** Take a slot; every 'ok' must be followed by exactly one release(). */
  admit(): Admission {
    if (this.#inFlight >= this.limits.maxConcurrent) return 'too_many_concurrent';
    if (!this.#bucket.take()) return 'rate_limited';
    this.#inFlight += 1;
    return 'ok';
  }

  release(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** Seconds until a token is due (for Retry-After), at least 1. */
  retryAfterSeconds(): number {
    return this.#bucket.retryAfterSeconds();
  }
}
