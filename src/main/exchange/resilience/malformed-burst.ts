import type { Clock } from '../../../core/clock.js';
import { ValidationError } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';

export interface BurstSettings {
  /** This many malformed messages ... */
  readonly threshold: number;
  /** ... within this many ms make a burst. */
  readonly windowMs: number;
}

export const DEFAULT_BURST: BurstSettings = { threshold: 20, windowMs: 1_000 };

/**
 * Tells a stray malformed message (dropped and counted, the stream carries on) from a burst of them,
 * which means the stream itself is broken (a protocol change, a corrupting proxy) and its breaker must
 * open. Keeps only the last `threshold` arrival times, so it costs nothing on the hot path.
 */
export class MalformedBurstDetector {
  readonly #clock: Clock;
  readonly #settings: BurstSettings;
  readonly #times: number[];
  #next = 0;
  #seen = 0;

  constructor(clock: Clock, settings: BurstSettings = DEFAULT_BURST) {
    if (settings.threshold < 1) throw new RangeError('burst threshold must be at least 1');
    this.#clock = clock;
    this.#settings = settings;
    this.#times = new Array<number>(settings.threshold).fill(Number.NEGATIVE_INFINITY);
  }

  /** Records one malformed message; true when it completes a burst (the window then starts afresh). */
  record(): boolean {
    const now = this.#clock.now();
    this.#seen++;
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % this.#times.length;
    // After the write, #next points at the oldest of the last `threshold` arrivals.
    const oldest = this.#times[this.#next]!;
    if (now - oldest > this.#settings.windowMs) return false;
    this.#times.fill(Number.NEGATIVE_INFINITY);
    return true;
  }

  get seen(): number {
    return this.#seen;
  }
}

/** The error a stream session ends with when a burst is detected: a health failure that trips at once. */
export function malformedBurstError(venue: VenueId, channel: string, settings: BurstSettings): ValidationError {
  return new ValidationError(`${venue} ${channel} stream sent ${settings.threshold} malformed messages within ${settings.windowMs} ms`, {
    venue, channel, burst: true, trip: true,
  });
}
