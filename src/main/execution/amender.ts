import { type Decimal, dec, str } from '../../core/decimal.js';
import { OspreyError } from '../../core/errors.js';
import type { Order } from '../../core/types.js';
import type { SubmitResult } from '../exchange/adapter.js';
import type { Denial } from '../risk/checks.js';
import type { RiskGate } from '../risk/gate.js';
import type { OrderLedger } from './ledger.js';
import type { OrderThrottle } from './throttle.js';
import type { ExecutionVenue } from './venue-port.js';

export type AmendOutcome =
  | { readonly kind: 'amended'; readonly order: Order }
  | { readonly kind: 'denied'; readonly denial: Denial }
  /** The venue refused the change; the order stands as it was. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Not resting at the venue (never accepted, or already final). */
  | { readonly kind: 'not-open' }
  /** No answer and no answer to the query either: the larger of the two sizes stays reserved. */
  | { readonly kind: 'unknown' };

/**
 * Changes the price and/or size of a resting order, through the gate like a new intent. Growth is
 * reserved before the request leaves and given back if the venue refuses; a shrink is released only once
 * the venue confirms it, so exposure never counts less than the venue may fill. A timeout is settled by
 * asking the venue what the order now is, never by sending the change again blindly.
 */
export class OrderAmender {
  readonly #venue: ExecutionVenue;
  readonly #ledger: OrderLedger;
  readonly #gate: RiskGate;
  readonly #throttle: OrderThrottle;

  constructor(venue: ExecutionVenue, ledger: OrderLedger, gate: RiskGate, throttle: OrderThrottle) {
    this.#venue = venue;
    this.#ledger = ledger;
    this.#gate = gate;
    this.#throttle = throttle;
  }

  async amend(clientOrderId: string, change: { price?: string; size?: string }): Promise<AmendOutcome> {
    const order = this.#ledger.order(clientOrderId);
    if (order === undefined || (order.status !== 'accepted' && order.status !== 'partially_filled')) return { kind: 'not-open' };
    const price = dec(change.price ?? order.price, 'price');
    const size = dec(change.size ?? order.size, 'size');
    if (size.lte(order.filledSize)) {
      const denial: Denial = { code: 'INVALID_INTENT', reason: `new size ${str(size)} is not above the filled ${order.filledSize}; cancel instead`, limit: order.filledSize, value: str(size) };
      this.#gate.publishDenial(order, denial);
      return { kind: 'denied', denial };
    }
    const denial = this.#gate.checkAmend(order, price, size);
    if (denial !== undefined) return { kind: 'denied', denial };
    const before = dec(order.size);
    if (size.gt(before)) this.#gate.exposure.resize(clientOrderId, size);
    let result: SubmitResult;
    try {
      await this.#throttle.acquire();
      result = await this.#venue.amend({ instrument: order.instrument, clientOrderId, price: str(price), size: str(size) });
    } catch (error) {
      if (!(error instanceof OspreyError) || error.policy === 'fatal') throw error;
      if (error.details.sent === false || error.details.local === true) return this.#refused(clientOrderId, before, size, error.message);
      return this.#settle(order, price, size);
    }
    if (!result.accepted) return this.#refused(clientOrderId, before, size, result.reason);
    await this.#ledger.applyVenueOrder({
      ...order, price: str(price), size: str(size), status: result.status, venueOrderId: result.venueOrderId,
      filledSize: result.filledSize, avgFillPrice: result.avgFillPrice,
    });
    if (size.lt(before)) this.#gate.exposure.resize(clientOrderId, size);
    return { kind: 'amended', order: this.#ledger.order(clientOrderId)! };
  }

  #refused(clientOrderId: string, before: Decimal, size: Decimal, reason: string): AmendOutcome {
    if (size.gt(before)) this.#gate.exposure.resize(clientOrderId, before);
    return { kind: 'refused', reason };
  }

  /** The outcome is unknown: the venue's own record of the order decides which size holds. */
  async #settle(order: Order, price: Decimal, size: Decimal): Promise<AmendOutcome> {
    let found: Order | undefined;
    try {
      found = await this.#venue.fetchOrder(order.instrument, { clientOrderId: order.clientOrderId });
    } catch (error) {
      if (!(error instanceof OspreyError) || error.policy === 'fatal') throw error;
      return { kind: 'unknown' };
    }
    if (found === undefined) return { kind: 'unknown' };
    await this.#ledger.applyVenueOrder(found);
    const now = this.#ledger.order(order.clientOrderId)!;
    this.#gate.exposure.resize(order.clientOrderId, dec(now.size));
    const applied = dec(now.size).eq(size) && dec(now.price).eq(price);
    return applied ? { kind: 'amended', order: now } : { kind: 'refused', reason: 'the venue did not apply the amendment' };
  }
}
