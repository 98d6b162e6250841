import { ValidationError } from '../../core/errors.js';
import type { Order, OrderIntent } from '../../core/types.js';
import { EXTERNAL_STRATEGY } from '../exchange/adapter.js';
import type { OrderLedger } from '../execution/ledger.js';
import type { ExecutionVenue } from '../execution/venue-port.js';
import type { ExposureBook } from '../risk/exposure.js';
import { isTerminal } from '../state/order-transitions.js';

/** What to do with an open venue order that no intent of ours accounts for. */
export type UnknownOrderPolicy = 'adopt' | 'cancel';

export interface OrderFindings {
  /** Stored open orders the venue has, now recorded as the venue has them. */
  readonly confirmed: string[];
  /** Stored open orders the venue never received (intent written, send never happened or never arrived). */
  readonly neverSent: string[];
  readonly adopted: string[];
  readonly cancelled: string[];
}

/**
 * Every stored open order is looked up at the venue by its client id and recorded as the venue has it.
 * One the venue has never heard of was never sent (or never arrived): it is closed as rejected, and it is
 * NOT sent now. Sending is a strategy decision on fresh data, not something a restart does on its own.
 * Orders whose send is in progress (`busy`) are left to the executor.
 */
export async function resolveStoredOrders(venue: ExecutionVenue, ledger: OrderLedger, busy: (clientOrderId: string) => boolean): Promise<Pick<OrderFindings, 'confirmed' | 'neverSent'>> {
  const confirmed: string[] = [];
  const neverSent: string[] = [];
  for (const order of ledger.store.openOrders()) {
    if (busy(order.clientOrderId)) continue;
    const found = await venue.fetchOrder(order.instrument, { clientOrderId: order.clientOrderId });
    if (found !== undefined) {
      await ledger.applyVenueOrder(found);
      confirmed.push(order.clientOrderId);
      continue;
    }
    const reason = 'reconciliation: the venue has no order with this client id; it was never sent and will not be';
    const result = await ledger.setStatus(order.clientOrderId, 'rejected', reason);
    // An order once accepted cannot become "rejected": the venue knew it and no longer does; record it gone.
    if (result?.kind === 'refused') await ledger.setStatus(order.clientOrderId, 'cancelled', reason);
    neverSent.push(order.clientOrderId);
  }
  return { confirmed, neverSent };
}

/**
 * Open venue orders with no intent here (placed by hand, by another tool, or by us before the store was
 * lost) get an intent written first and then their state, so they are tracked, reserved and visible like
 * ours. Under the "cancel" policy they are then cancelled and recorded as the venue reports them.
 */
export async function adoptVenueOrders(
  venue: ExecutionVenue, ledger: OrderLedger, exposure: ExposureBook, policy: UnknownOrderPolicy,
): Promise<Pick<OrderFindings, 'adopted' | 'cancelled'>> {
  const adopted: string[] = [];
  const cancelled: string[] = [];
  for (const order of await venue.fetchOpenOrders()) {
    if (ledger.order(order.clientOrderId) !== undefined || isTerminal(order.status)) continue;
    const intent: OrderIntent = {
      clientOrderId: order.clientOrderId, strategyId: EXTERNAL_STRATEGY, instrument: order.instrument, side: order.side, type: order.type,
      size: order.size, price: order.price, timeInForce: order.timeInForce, reduceOnly: order.reduceOnly, createdAt: order.createdAt,
    };
    await ledger.writeIntent(intent);
    await ledger.applyVenueOrder(order);
    exposure.reserve(order.clientOrderId, EXTERNAL_STRATEGY, order.instrument, order.side, order.size, order.filledSize);
    adopted.push(order.clientOrderId);
    if (policy === 'cancel') {
      await cancelAdopted(venue, ledger, order);
      cancelled.push(order.clientOrderId);
    }
  }
  return { adopted, cancelled };
}

async function cancelAdopted(venue: ExecutionVenue, ledger: OrderLedger, order: Order): Promise<void> {
  await ledger.setStatus(order.clientOrderId, 'cancelling', 'reconciliation: unknown venue order, cancelled by policy');
  if (order.venueOrderId === undefined) throw new ValidationError(`venue order ${order.clientOrderId} has no venue order id to cancel by`);
  const result = await venue.cancel(order.instrument, order.venueOrderId);
  const after = await venue.fetchOrder(order.instrument, { venueOrderId: order.venueOrderId });
  if (after !== undefined) await ledger.applyVenueOrder({ ...after, clientOrderId: order.clientOrderId });
  else if (result.confirmed) await ledger.setStatus(order.clientOrderId, 'cancelled');
}
