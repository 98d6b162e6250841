import { OspreyError } from '../../core/errors.js';
import type { Order } from '../../core/types.js';
import { isTerminal } from '../state/order-transitions.js';
import type { OrderLedger } from './ledger.js';
import type { OrderThrottle } from './throttle.js';
import type { ExecutionVenue } from './venue-port.js';

/** How a cancel ended: the order is final (cancelled, or filled first), was not open, or is still unsettled. */
export type CancelOutcome = 'final' | 'not-open' | 'unsettled';

/**
 * Cancels one order by client id. Whatever the venue answers that is not a clean confirmation (a timeout,
 * "order not found", a refusal because it just filled), the order is then looked up at the venue and
 * recorded as the venue has it: a cancel never guesses the outcome. An order the venue has never heard
 * of, whose send is over, cannot be live, and is recorded cancelled.
 */
export class CancelWorker {
  readonly #venue: ExecutionVenue;
  readonly #ledger: OrderLedger;
  readonly #throttle: OrderThrottle;

  constructor(venue: ExecutionVenue, ledger: OrderLedger, throttle: OrderThrottle) {
    this.#venue = venue;
    this.#ledger = ledger;
    this.#throttle = throttle;
  }

  async cancel(clientOrderId: string): Promise<CancelOutcome> {
    const order = this.#ledger.order(clientOrderId);
    if (order === undefined || isTerminal(order.status)) return 'not-open';
    await this.#ledger.setStatus(clientOrderId, 'cancelling');
    try {
      await this.#throttle.acquire();
      const result = await this.#venue.cancelByClientId(order.instrument, clientOrderId);
      if (result.confirmed) {
        await this.#ledger.setStatus(clientOrderId, 'cancelled');
        return 'final';
      }
    } catch (error) {
      if (!(error instanceof OspreyError) || error.policy === 'fatal') throw error;
      // Fall through to asking the venue what became of the order.
    }
    return this.#resolve(order);
  }

  async #resolve(order: Order): Promise<CancelOutcome> {
    let found: Order | undefined;
    try {
      found = await this.#venue.fetchOrder(order.instrument, { clientOrderId: order.clientOrderId });
    } catch (error) {
      if (!(error instanceof OspreyError) || error.policy === 'fatal') throw error;
      await this.#ledger.setStatus(order.clientOrderId, 'unknown', `cancel unresolved: ${error.code}`);
      return 'unsettled';
    }
    if (found === undefined) {
      await this.#ledger.setStatus(order.clientOrderId, 'cancelled', 'the venue does not know the order');
      return 'final';
    }
    await this.#ledger.applyVenueOrder(found);
    const now = this.#ledger.order(order.clientOrderId);
    return now !== undefined && isTerminal(now.status) ? 'final' : 'unsettled';
  }
}
