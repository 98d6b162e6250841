import { ExponentialBackoff, TaskCancelledError, TimeoutStrategy, handleWhen, retry, timeout, type RetryPolicy, type TimeoutPolicy } from 'cockatiel';
import { OspreyError, VenueError, type ErrorCode } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';
import type { VenueBreakers } from './breakers.js';
import type { RateLimiter, RestOperation, VenueWeights } from './rate-limiter.js';

export interface RestGuardSettings {
  /** Deadline of one request; past it the outcome is unknown (TIMEOUT). */
  readonly timeoutMs: number;
  /** How long a call may wait for rate tokens before it is refused locally. */
  readonly maxRateWaitMs: number;
  /** Extra attempts for idempotent reads that timed out or found the venue unavailable. */
  readonly readRetries: number;
}

export const DEFAULT_REST_GUARD: RestGuardSettings = { timeoutMs: 10_000, maxRateWaitMs: 2_000, readRetries: 1 };

/** Turns whatever a venue client threw into our error hierarchy (see ccxt/error-map.ts). */
export type ErrorMapper = (error: unknown, operation: RestOperation) => OspreyError;

const RETRIED_CODES: ReadonlySet<ErrorCode> = new Set(['TIMEOUT', 'VENUE_UNAVAILABLE']);

/**
 * Every REST call to a venue goes through here: rate tokens first, then the venue and REST circuit
 * breakers, then a hard deadline. Reads may be retried with exponential backoff and jitter; writes
 * never are, because a retried order must reuse its client id and that is the executor's decision.
 */
export class RestGuard {
  readonly venue: VenueId;
  readonly #breakers: VenueBreakers;
  readonly #limiter: RateLimiter;
  readonly #mapError: ErrorMapper;
  readonly #settings: RestGuardSettings;
  readonly #timeout: TimeoutPolicy;
  readonly #retry: RetryPolicy;
  readonly #outcomes = new Map<string, number>();

  constructor(venue: VenueId, breakers: VenueBreakers, limiter: RateLimiter, mapError: ErrorMapper, settings: RestGuardSettings = DEFAULT_REST_GUARD) {
    this.venue = venue;
    this.#breakers = breakers;
    this.#limiter = limiter;
    this.#mapError = mapError;
    this.#settings = settings;
    // Aggressive: venue clients take no abort signal, so the deadline must not wait for them.
    this.#timeout = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
    this.#retry = retry(
      handleWhen((e) => e instanceof VenueError && RETRIED_CODES.has(e.code) && e.details.local !== true),
      { maxAttempts: settings.readRetries, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) },
    );
  }

  /** An idempotent query: retried on TIMEOUT and VENUE_UNAVAILABLE. */
  read<T>(operation: RestOperation, fn: () => Promise<T>, detail?: Parameters<VenueWeights['costOf']>[1]): Promise<T> {
    return this.#retry.execute(() => this.#once(operation, fn, detail));
  }

  /** An order action: one attempt; TIMEOUT means the venue may or may not have acted. */
  write<T>(operation: RestOperation, fn: () => Promise<T>): Promise<T> {
    return this.#once(operation, fn, undefined);
  }

  /** Calls by outcome ("ok", "TIMEOUT", "RATE_LIMITED", ...), for health and tests. */
  outcomes(): Record<string, number> {
    return Object.fromEntries(this.#outcomes);
  }

  async #once<T>(operation: RestOperation, fn: () => Promise<T>, detail: Parameters<VenueWeights['costOf']>[1]): Promise<T> {
    try {
      const result = await this.#breakers.execute('rest', async () => {
        await this.#limiter.acquire(this.#limiter.costOf(operation, detail), this.#settings.maxRateWaitMs);
        try {
          return await this.#timeout.execute(() => fn());
        } catch (error) {
          throw this.#classify(error, operation);
        }
      });
      this.#count('ok');
      return result;
    } catch (error) {
      const mapped = error instanceof OspreyError ? error : this.#classify(error, operation);
      this.#count(mapped.details.local === true ? `local:${mapped.code}` : mapped.code);
      throw mapped;
    }
  }

  #classify(error: unknown, operation: RestOperation): OspreyError {
    if (error instanceof OspreyError) return error;
    if (error instanceof TaskCancelledError) {
      return new VenueError('TIMEOUT', `${this.venue} ${operation}: no answer within ${this.#settings.timeoutMs} ms`, { venue: this.venue, operation });
    }
    const mapped = this.#mapError(error, operation);
    if (mapped.code === 'RATE_LIMITED') this.#limiter.onVenueRateLimit();
    return mapped;
  }

  #count(outcome: string): void {
    this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);
  }
}
