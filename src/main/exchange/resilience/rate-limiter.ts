import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../../core/clock.js';
import { VenueError } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';
import { TokenBucket } from './token-bucket.js';

/** A budget the venue enforces: `limit` weight per `windowMs` (Hyperliquid 1200/min, Binance 2400/min...). */
export interface BucketSpec {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** What one call spends, bucket by bucket (a Binance order spends request weight and order count). */
export type CallCost = readonly { readonly bucket: string; readonly weight: number }[];

/** The REST operations every adapter makes; each venue prices them in its own weights. */
export type RestOperation =
  | 'loadMarkets' | 'fetchBook' | 'fetchCandles' | 'fetchMark'
  | 'submit' | 'cancel' | 'amend'
  | 'fetchBalances' | 'fetchPositions' | 'fetchOpenOrders' | 'fetchOrder' | 'fetchFills';

export interface VenueWeights {
  readonly buckets: readonly BucketSpec[];
  costOf(operation: RestOperation, detail?: { depth?: number; candles?: number; symbol?: boolean }): CallCost;
}

/**
 * Client-side token buckets for one venue, so we stay under the venue's limits instead of learning
 * them from 429s. A call waits for its tokens up to `maxWaitMs`; beyond that it fails at once with a
 * local RATE_LIMITED (never sent), which is the backoff signal the caller needs.
 */
export class RateLimiter {
  readonly venue: VenueId;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #weights: VenueWeights;
  #waits = 0;
  #refusals = 0;

  constructor(venue: VenueId, weights: VenueWeights, clock: Clock) {
    this.venue = venue;
    this.#weights = weights;
    for (const spec of weights.buckets) this.#buckets.set(spec.name, TokenBucket.perWindow(spec.name, spec.limit, spec.windowMs, clock));
  }

  costOf(operation: RestOperation, detail?: Parameters<VenueWeights['costOf']>[1]): CallCost {
    return this.#weights.costOf(operation, detail);
  }

  /** Waits until every bucket in `cost` has its tokens, then takes them all together. */
  async acquire(cost: CallCost, maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    let waited = 0;
    for (;;) {
      const wait = this.#waitFor(cost);
      if (wait === 0) {
        for (const { bucket, weight } of cost) this.#bucket(bucket).take(weight);
        return;
      }
      if (waited + wait > maxWaitMs) {
        this.#refusals++;
        throw new VenueError('RATE_LIMITED', `${this.venue}: local rate budget exhausted, next tokens in ${wait} ms`, {
          venue: this.venue, local: true, sent: false, waitMs: wait,
        });
      }
      this.#waits++;
      waited += wait;
      await sleep(wait, undefined, signal === undefined ? {} : { signal });
    }
  }

  /** The venue refused us for rate: assume our buckets were optimistic and start them empty. */
  onVenueRateLimit(): void {
    for (const bucket of this.#buckets.values()) bucket.drain();
  }

  stats(): { waits: number; refusals: number; available: Record<string, number> } {
    const available: Record<string, number> = {};
    for (const [name, bucket] of this.#buckets) available[name] = Math.floor(bucket.available);
    return { waits: this.#waits, refusals: this.#refusals, available };
  }

  #waitFor(cost: CallCost): number {
    let wait = 0;
    for (const { bucket, weight } of cost) wait = Math.max(wait, this.#bucket(bucket).waitFor(weight));
    return wait;
  }

  #bucket(name: string): TokenBucket {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) throw new RangeError(`${this.venue}: no rate bucket "${name}"`);
    return bucket;
  }
}
