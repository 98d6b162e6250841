/**
 * A token bucket: `ratePerSecond` sustained, bursts up to `burst`. One per WebSocket connection (and
 * one per remote address for HTTP, which has no connection identity in uWebSockets.js). Time comes
 * from a monotonic source so a wall-clock step cannot refill or starve it.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, burst = ratePerSecond, now: () => number = () => performance.now()) {
    this.#ratePerMs = ratePerSecond / 1000;
    this.#burst = Math.max(1, burst);
    this.#now = now;
    this.#tokens = this.#burst;
    this.#last = now();
  }

  /** Takes one token; false when the bucket is empty (the request is refused, nothing is queued). */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Buckets by key (a remote address), bounded: the least recently created key is dropped past `maxKeys`. */
export class KeyedBuckets {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #make: () => TokenBucket;
  readonly #maxKeys: number;

  constructor(make: () => TokenBucket, maxKeys = 1024) {
    this.#make = make;
    this.#maxKeys = maxKeys;
  }

  for(key: string): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
      bucket = this.#make();
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
