import { setTimeout as sleep } from 'node:timers/promises';
import { OspreyError, VenueError } from '../../core/errors.js';
import type { LatencySink } from '../../core/latency-stages.js';
import type { Order, OrderIntent } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { SubmitResult } from '../exchange/adapter.js';
import type { OrderLedger } from './ledger.js';
import type { OrderThrottle } from './throttle.js';
import type { ExecutionVenue } from './venue-port.js';

export interface RetrySettings {
  /** Sends of one intent, the first included. */
  readonly maxAttempts: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 3, backoffInitialMs: 200, backoffMaxMs: 2_000 };

/** How a send ended: the venue has the order, refused it, we could not find out, or it never left. */
export type SendOutcome = 'accepted' | 'rejected' | 'unknown' | 'not-sent';

/**
 * Sends one intent whose write-ahead is on disk, following the error policy of src/core/errors.ts:
 * - TIMEOUT, or a 5xx that may have reached the venue: the outcome is unknown. The order is marked
 *   `unknown` and the venue is asked for it by client id. Found: that is its state. Not found: it is
 *   sent again with the SAME client id, so should the first send surface late, the venue refuses the
 *   duplicate id instead of working two orders. If the query itself fails, the next attempt queries
 *   again instead of sending: no resend without an answer.
 * - RATE_LIMITED, or anything refused locally (details.sent false): nothing left; wait and retry.
 * - ORDER_REJECTED (or an accepted:false reply): final, unless an earlier send may have landed, in
 *   which case the venue is asked first (the refusal may be of the duplicate id).
 * When attempts run out the order stays `unknown` if any send may have landed (reconciliation resolves
 * it by querying, never by resending), or is marked rejected if none ever left.
 */
export class OrderSender {
  readonly #venue: ExecutionVenue;
  readonly #ledger: OrderLedger;
  readonly #throttle: OrderThrottle;
  readonly #settings: RetrySettings;
  readonly #recordLatency: LatencySink | undefined;

  constructor(venue: ExecutionVenue, ledger: OrderLedger, throttle: OrderThrottle, settings: RetrySettings = DEFAULT_RETRY, recordLatency?: LatencySink) {
    this.#venue = venue;
    this.#ledger = ledger;
    this.#throttle = throttle;
    this.#settings = settings;
    this.#recordLatency = recordLatency;
  }

  async send(intent: OrderIntent): Promise<SendOutcome> {
    let mayHaveLanded = false;
    /** A query after a possible landing failed: the next attempt asks again before it may send. */
    let unresolved = false;
    let lastError = 'no attempt made';
    for (let attempt = 1; attempt <= this.#settings.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(Math.min(this.#settings.backoffMaxMs, this.#settings.backoffInitialMs * 2 ** (attempt - 2)));
      if (unresolved) {
        const found = await this.#find(intent);
        if (found === 'unanswered') continue;
        unresolved = false;
        if (found !== undefined) return this.#applyFound(found);
      }
      let result: SubmitResult;
      try {
        await this.#throttle.acquire();
        await this.#ledger.setStatus(intent.clientOrderId, 'submitted');
        // From the call to the venue's answer: signing (Hyperliquid), the request and the reply.
        const submitStart = performance.now();
        try {
          result = await this.#venue.submit(intent);
        } finally {
          this.#recordLatency?.('submit', (performance.now() - submitStart) * 1000);
        }
      } catch (error) {
        if (!(error instanceof VenueError)) throw error;
        lastError = error.message;
        const sent = error.details.sent !== false && error.details.local !== true;
        if (error.code === 'ORDER_REJECTED') return this.#rejected(intent, error.message, mayHaveLanded);
        if (sent && (error.code === 'TIMEOUT' || error.code === 'VENUE_UNAVAILABLE')) {
          mayHaveLanded = true;
          await this.#ledger.setStatus(intent.clientOrderId, 'unknown', `submit: ${error.code}`);
          const found = await this.#find(intent);
          if (found === 'unanswered') unresolved = true;
          else if (found !== undefined) return this.#applyFound(found);
        }
        continue;
      }
      if (result.accepted) {
        await this.#ledger.applyVenueOrder(fromResult(intent, result, this.#ledger.order(intent.clientOrderId)));
        return 'accepted';
      }
      return this.#rejected(intent, result.reason, mayHaveLanded);
    }
    if (mayHaveLanded) return 'unknown';
    await this.#ledger.setStatus(intent.clientOrderId, 'rejected', `not sent after ${this.#settings.maxAttempts} attempts: ${lastError}`);
    return 'not-sent';
  }

  /** Asks the venue for the order by client id: the order, undefined when it does not know it, or 'unanswered'. */
  async #find(intent: OrderIntent): Promise<Order | undefined | 'unanswered'> {
    try {
      return await this.#venue.fetchOrder(intent.instrument, { clientOrderId: intent.clientOrderId });
    } catch (error) {
      if (error instanceof OspreyError && error.policy !== 'fatal') return 'unanswered';
      throw error;
    }
  }

  async #applyFound(order: Order): Promise<SendOutcome> {
    await this.#ledger.applyVenueOrder(order);
    return order.status === 'rejected' ? 'rejected' : 'accepted';
  }

  async #rejected(intent: OrderIntent, reason: string, mayHaveLanded: boolean): Promise<SendOutcome> {
    if (mayHaveLanded) {
      const found = await this.#find(intent);
      // Unanswered: the refusal may be of a duplicate id while the first send lives; leave it to reconciliation.
      if (found === 'unanswered') return 'unknown';
      if (found !== undefined) return this.#applyFound(found);
    }
    await this.#ledger.setStatus(intent.clientOrderId, 'rejected', reason);
    return 'rejected';
  }
}

function fromResult(intent: OrderIntent, result: Extract<SubmitResult, { accepted: true }>, stored: Order | undefined): Order {
  return withFields(intent, {
    status: result.status,
    venueOrderId: result.venueOrderId,
    filledSize: result.filledSize,
    avgFillPrice: result.avgFillPrice,
    updatedAt: stored?.updatedAt ?? intent.createdAt,
  });
}
