import type { DecimalString } from '../../core/decimal.js';
import { dec } from '../../core/decimal.js';
import type { InstrumentId, Order, OrderIntent, OrderStatus, OrderType, Side, TimeInForce, VenueId } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import { INTENT_POSITION, isTerminal, resolveTransition, type StatusPosition } from '../state/order-transitions.js';
import { EXTERNAL_STRATEGY } from './adapter.js';

/** A venue's report about one order, already in our vocabulary but not yet tied to an intent. */
export interface VenueOrderReport {
  readonly instrument: InstrumentId;
  readonly venueOrderId: string;
  /** The client id as the venue carries it (Hyperliquid: the cloid), when it carries one. */
  readonly venueClientId?: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly price: DecimalString;
  readonly size: DecimalString;
  readonly filledSize: DecimalString;
  readonly avgFillPrice: DecimalString;
  readonly status: OrderStatus;
  readonly ts: number;
  readonly reason?: string;
}

interface Tracked {
  order: Order;
  position: StatusPosition;
}

const MAX_TERMINAL = 10_000;

/**
 * The adapter's memory of orders, so venue reports come out as whole core Orders that only ever move
 * forward. Venue messages arrive late, twice and reordered (an old "open" after "filled"); a report
 * that would move an order back in its state machine (src/main/state/order-transitions.ts) or shrink its
 * filled size is dropped and counted. Orders placed outside this engine are tracked too, under the
 * strategy id "external".
 */
export class OrderTracker {
  readonly #venue: VenueId;
  readonly #toVenueClientId: (clientOrderId: string) => string;
  readonly #orders = new Map<string, Tracked>();
  readonly #byVenueOrderId = new Map<string, string>();
  readonly #byVenueClientId = new Map<string, string>();
  #stale = 0;

  constructor(venue: VenueId, toVenueClientId: (clientOrderId: string) => string = (id) => id) {
    this.#venue = venue;
    this.#toVenueClientId = toVenueClientId;
  }

  get staleUpdates(): number {
    return this.#stale;
  }

  track(intent: OrderIntent, venueOrderId?: string): void {
    if (!this.#orders.has(intent.clientOrderId)) {
      const order: Order = withFields(intent, { status: 'pending', filledSize: '0', avgFillPrice: '0', updatedAt: intent.createdAt } as const);
      this.#orders.set(intent.clientOrderId, { order, position: INTENT_POSITION });
      this.#byVenueClientId.set(this.#toVenueClientId(intent.clientOrderId), intent.clientOrderId);
    }
    if (venueOrderId !== undefined) this.#linkVenueOrderId(intent.clientOrderId, venueOrderId);
  }

  order(clientOrderId: string): Order | undefined {
    return this.#orders.get(clientOrderId)?.order;
  }

  /** Our client order id for a venue order id or a venue-side client id, when we know the order. */
  clientOrderIdOf(ref: { venueOrderId?: string; venueClientId?: string }): string | undefined {
    if (ref.venueClientId !== undefined) {
      const byClient = this.#byVenueClientId.get(ref.venueClientId);
      if (byClient !== undefined) return byClient;
    }
    return ref.venueOrderId === undefined ? undefined : this.#byVenueOrderId.get(ref.venueOrderId);
  }

  venueClientIdOf(clientOrderId: string): string {
    return this.#toVenueClientId(clientOrderId);
  }

  /** Every instrument we know an order on, open or finished. */
  knownInstruments(): InstrumentId[] {
    return [...new Set([...this.#orders.values()].map((t) => t.order.instrument))];
  }

  /** Non-terminal orders: what a REST poll must account for while the user stream is down. */
  openOrders(): Order[] {
    return [...this.#orders.values()].filter((t) => !isTerminal(t.order.status)).map((t) => t.order);
  }

  /**
   * Applies a report; returns the order as it now stands when the report moved it forward (new status,
   * more filled, venue order id learnt), or undefined when it carried nothing new or would go backwards.
   */
  apply(report: VenueOrderReport): Order | undefined {
    const clientOrderId = this.clientOrderIdOf(report) ?? this.#adoptExternal(report);
    const tracked = this.#orders.get(clientOrderId)!;
    const before = tracked.order;
    const verdict = resolveTransition(tracked.position, report.status);
    const filledBefore = dec(before.filledSize);
    const filledNow = dec(report.filledSize);
    if (!verdict.ok || filledNow.lt(filledBefore)) {
      this.#stale++;
      return undefined;
    }
    const newVenueId = report.venueOrderId !== before.venueOrderId;
    // Price and size come only from reports at least as new as what we hold: an old report must not undo an amend.
    const current = report.ts >= before.updatedAt;
    const amended = current && (!dec(report.price).eq(before.price) || !dec(report.size).eq(before.size));
    // Some reports carry no average price (Hyperliquid's order stream); keep the one we have then.
    const avgFillPrice = dec(report.avgFillPrice).isZero() ? before.avgFillPrice : report.avgFillPrice;
    const newAverage = avgFillPrice !== before.avgFillPrice;
    if (verdict.next === tracked.position && filledNow.eq(filledBefore) && !newVenueId && !amended && !newAverage) return undefined;
    this.#linkVenueOrderId(clientOrderId, report.venueOrderId);
    const order: Order = {
      ...before,
      status: verdict.next.status,
      venueOrderId: report.venueOrderId,
      filledSize: report.filledSize,
      avgFillPrice,
      price: current ? report.price : before.price,
      size: current ? report.size : before.size,
      updatedAt: Math.max(before.updatedAt, report.ts),
      ...(report.reason === undefined ? {} : { reason: report.reason }),
    };
    tracked.order = order;
    tracked.position = verdict.next;
    if (isTerminal(order.status)) this.#prune();
    return order;
  }

  /** Marks an order refused before the venue gave it an id (a rejected submit). */
  reject(clientOrderId: string, reason: string, ts: number): Order | undefined {
    const tracked = this.#orders.get(clientOrderId);
    if (tracked === undefined) return undefined;
    const verdict = resolveTransition(tracked.position, 'rejected');
    if (!verdict.ok) return undefined;
    tracked.order = withFields(tracked.order, { status: 'rejected', reason, updatedAt: Math.max(tracked.order.updatedAt, ts) } as const);
    tracked.position = verdict.next;
    return tracked.order;
  }

  #adoptExternal(report: VenueOrderReport): string {
    const clientOrderId = report.venueClientId ?? `${this.#venue}-${report.venueOrderId}`;
    this.track({
      clientOrderId, strategyId: EXTERNAL_STRATEGY, instrument: report.instrument, side: report.side, type: report.type,
      size: report.size, price: report.price, timeInForce: report.timeInForce, reduceOnly: report.reduceOnly, createdAt: report.ts,
    }, report.venueOrderId);
    // An external order's venue client id is the venue's own, not one derived from ours.
    if (report.venueClientId !== undefined) this.#byVenueClientId.set(report.venueClientId, clientOrderId);
    return clientOrderId;
  }

  #linkVenueOrderId(clientOrderId: string, venueOrderId: string): void {
    this.#byVenueOrderId.set(venueOrderId, clientOrderId);
  }

  /** Forgets the oldest finished orders beyond a cap, so a long-running engine does not grow without bound. */
  #prune(): void {
    let terminal = 0;
    for (const t of this.#orders.values()) if (isTerminal(t.order.status)) terminal++;
    if (terminal <= MAX_TERMINAL) return;
    for (const [id, t] of this.#orders) {
      if (terminal <= MAX_TERMINAL) break;
      if (!isTerminal(t.order.status)) continue;
      this.#orders.delete(id);
      if (t.order.venueOrderId !== undefined) this.#byVenueOrderId.delete(t.order.venueOrderId);
      this.#byVenueClientId.delete(this.#toVenueClientId(id));
      terminal--;
    }
  }
}
