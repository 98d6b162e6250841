import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock.js';
import { VenueError } from '../../core/errors.js';
import { TokenBucket } from '../exchange/resilience/token-bucket.js';

export interface ThrottleSettings {
  /** Order actions (submit, cancel) per second to one venue, bursts up to `burst`. */
  readonly perSecond: number;
  readonly burst: number;
  /** Longest an action waits for a token before it is refused locally (RATE_LIMITED, never sent). */
  readonly maxWaitMs: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { perSecond: 10, burst: 20, maxWaitMs: 2_000 };

/**
 * Order-action throttling per venue, on top of the adapter's REST weight budget: the adapter keeps us
 * under the venue's request limits, this keeps a burst of strategy intents (or a retry storm) from
 * spending that whole budget on orders and starving cancels and reconciliation reads.
 */
export class OrderThrottle {
  readonly #bucket: TokenBucket;
  readonly #settings: ThrottleSettings;
  #waited = 0;

  constructor(venue: string, clock: Clock, settings: ThrottleSettings = DEFAULT_THROTTLE) {
    this.#settings = settings;
    this.#bucket = new TokenBucket(`orders:${venue}`, settings.burst, settings.perSecond / 1000, clock);
  }

  get waits(): number {
    return this.#waited;
  }

  /** Waits for one token; throws a local RATE_LIMITED (details.sent false) past maxWaitMs. */
  async acquire(): Promise<void> {
    let waited = 0;
    for (let wait = this.#bucket.waitFor(1); wait > 0; wait = this.#bucket.waitFor(1)) {
      if (waited + wait > this.#settings.maxWaitMs) {
        throw new VenueError('RATE_LIMITED', `order throttle: no token within ${this.#settings.maxWaitMs} ms`, { local: true, sent: false, waitMs: wait });
      }
      this.#waited++;
      waited += wait;
      await sleep(wait);
    }
    this.#bucket.take(1);
  }
}
