import {
  BrokenCircuitError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, IsolatedCircuitError, circuitBreaker, handleWhen,
  type CircuitBreakerPolicy, type IBreaker,
} from 'cockatiel';
import { OspreyError, VenueError } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';
import { isHealthFailure, isTrippingFailure } from './health-failure.js';

export type Channel = 'rest' | 'market' | 'user';
export type BreakerScope = Channel | 'venue';
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive health failures that open the breaker. */
  readonly threshold: number;
  /** First wait before a half-open probe; doubles (with jitter) on each re-open up to the max. */
  readonly halfOpenAfterMs: number;
  readonly maxHalfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { threshold: 5, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 60_000 };

/**
 * cockatiel's consecutive-failure breaker, plus one extra: a failure marked `trip` (a burst of
 * malformed messages) opens it at once, because a stream feeding us garbage must not be trusted for
 * `threshold` more rounds.
 */
class TrippableBreaker implements IBreaker {
  readonly #inner: ConsecutiveBreaker;
  tripNext = false;

  constructor(threshold: number) {
    this.#inner = new ConsecutiveBreaker(threshold);
  }

  get state(): unknown {
    return this.#inner.state;
  }

  set state(value: unknown) {
    this.#inner.state = value as number;
  }

  success(): void {
    this.tripNext = false;
    this.#inner.success();
  }

  failure(): boolean {
    const opened = this.#inner.failure();
    if (!this.tripNext) return opened;
    this.tripNext = false;
    return true;
  }
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export type BreakerListener = (scope: BreakerScope, state: BreakerState, reason: string | undefined) => void;

/**
 * The circuit breakers of one venue: one for the venue as a whole and one per channel (REST, market
 * stream, user stream). Every guarded call runs through its channel's breaker and the venue's, so a
 * venue failing on every channel stops everything, while one bad channel stops only itself.
 */
export class VenueBreakers {
  readonly venue: VenueId;
  readonly #policies = new Map<BreakerScope, CircuitBreakerPolicy>();
  readonly #breakers = new Map<BreakerScope, TrippableBreaker>();
  readonly #listeners: BreakerListener[] = [];

  constructor(venue: VenueId, settings: Partial<Record<BreakerScope, BreakerSettings>> = {}) {
    this.venue = venue;
    for (const scope of ['venue', 'rest', 'market', 'user'] as const) {
      const s = settings[scope] ?? (scope === 'venue' ? { ...DEFAULT_BREAKER, threshold: DEFAULT_BREAKER.threshold * 2 } : DEFAULT_BREAKER);
      const breaker = new TrippableBreaker(s.threshold);
      const policy = circuitBreaker(handleWhen(isHealthFailure), {
        breaker,
        halfOpenAfter: new ExponentialBackoff({ initialDelay: s.halfOpenAfterMs, maxDelay: s.maxHalfOpenAfterMs }),
      });
      policy.onStateChange((state) => {
        const last = policy.lastFailure;
        const reason = state === CircuitState.Open && last !== undefined && 'error' in last ? String(last.error instanceof Error ? last.error.message : last.error) : undefined;
        for (const listener of this.#listeners) listener(scope, STATE_NAMES[state], reason);
      });
      this.#policies.set(scope, policy);
      this.#breakers.set(scope, breaker);
    }
  }

  onChange(listener: BreakerListener): void {
    this.#listeners.push(listener);
  }

  state(scope: BreakerScope): BreakerState {
    return STATE_NAMES[this.#policy(scope).state];
  }

  /**
   * Runs `fn` through the venue's breaker and then the channel's. While either is open the call is
   * refused locally (never sent) with the code of the failure that opened it, e.g. RATE_LIMITED
   * during a 429 storm, so callers back off instead of retrying at once.
   */
  async execute<T>(channel: Channel, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.#policy('venue').execute(() => this.#policy(channel).execute(fn));
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw this.#refusal(channel);
      throw error;
    }
  }

  /** Makes the channel's next health failure open its breaker at once, if `error` asks for that. */
  armTrip(channel: Channel, error: unknown): void {
    if (isTrippingFailure(error)) this.#breaker(channel).tripNext = true;
  }

  /** Counts a failure seen outside a call (a stream that sent a malformed burst once it was up). */
  async recordFailure(channel: Channel, error: OspreyError): Promise<void> {
    this.armTrip(channel, error);
    await this.execute(channel, () => Promise.reject(error)).catch(() => undefined);
    this.#breaker(channel).tripNext = false;
  }

  #refusal(channel: Channel): VenueError {
    const scope: BreakerScope = this.state('venue') === 'open' ? 'venue' : channel;
    const last = this.#policy(scope).lastFailure;
    const cause = last !== undefined && 'error' in last ? last.error : undefined;
    const code = cause instanceof OspreyError && cause.code === 'RATE_LIMITED' ? 'RATE_LIMITED' : 'VENUE_UNAVAILABLE';
    return new VenueError(code, `${this.venue} ${scope} circuit breaker is open`, { venue: this.venue, channel, scope, local: true, sent: false });
  }

  #policy(scope: BreakerScope): CircuitBreakerPolicy {
    return this.#policies.get(scope)!;
  }

  #breaker(scope: BreakerScope): TrippableBreaker {
    return this.#breakers.get(scope)!;
  }
}
