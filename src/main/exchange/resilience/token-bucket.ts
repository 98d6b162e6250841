import type { Clock } from '../../../core/clock.js';

/**
 * One token bucket: `capacity` tokens, refilled continuously at `refillPerMs`. A request of weight w
 * needs w tokens. Small and clock-driven on purpose: the maintained limiter packages read the wall
 * clock themselves, and every component here must take a Clock so tests and replays are exact.
 */
export class TokenBucket {
  readonly name: string;
  readonly capacity: number;
  readonly #refillPerMs: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;

  constructor(name: string, capacity: number, refillPerMs: number, clock: Clock) {
    if (!(capacity > 0) || !(refillPerMs > 0)) throw new RangeError(`bucket ${name}: capacity and refill rate must be positive`);
    this.name = name;
    this.capacity = capacity;
    this.#refillPerMs = refillPerMs;
    this.#clock = clock;
    this.#tokens = capacity;
    this.#updatedAt = clock.now();
  }

  /** A bucket that allows `limit` weight per `windowMs`, starting full (the venue's own budget shape). */
  static perWindow(name: string, limit: number, windowMs: number, clock: Clock): TokenBucket {
    return new TokenBucket(name, limit, limit / windowMs, clock);
  }

  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Milliseconds until `cost` tokens are there; 0 means now. A cost above capacity can never be met. */
  waitFor(cost: number): number {
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    this.#refill();
    const missing = cost - this.#tokens;
    return missing <= 0 ? 0 : Math.ceil(missing / this.#refillPerMs);
  }

  /** Takes `cost` tokens; callers check `waitFor(cost) === 0` first so the bucket never goes negative. */
  take(cost: number): void {
    this.#refill();
    this.#tokens -= cost;
  }

  /** Empties the bucket: the venue said 429, so our count of its budget was optimistic. */
  drain(): void {
    this.#refill();
    this.#tokens = 0;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#updatedAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.capacity, this.#tokens + elapsed * this.#refillPerMs);
      this.#updatedAt = now;
    }
  }
}
