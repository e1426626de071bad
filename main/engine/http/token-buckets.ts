/** How fast a bucket refills and how much it holds: `perSecond` 0 turns the limit off. */
export interface BucketLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones are swept: a flood from many addresses must not grow memory without bound. */
const SWEEP_AT = 10_000;

/**
 * Token buckets by key (an API key id, a client address): each request takes one token, tokens come back
 * at `perSecond` up to `burst`. A steady bot is never refused; a burst beyond `burst` is.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes a token: 0 when allowed, else the seconds until the next token (for Retry-After). */
  take(key: string, limit: BucketLimit): number {
    if (limit.perSecond <= 0) return 0;
    const now = this.now();
    const capacity = Math.max(1, limit.burst);
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1_000) * limit.perSecond);
    bucket.at = now;
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(limit, now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / limit.perSecond;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Drops buckets that would be full by now: forgetting them changes no answer. */
  #sweep(limit: BucketLimit, now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1_000) * limit.perSecond >= Math.max(1, limit.burst)) this.#buckets.delete(key);
    }
  }
}
