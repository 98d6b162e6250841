import type { Clock } from '../../core/clock.js';
import { EventFactory } from '../../core/event-factory.js';
import type { Fill, Order, OrderIntent, OrderStatus } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { EventBus } from '../bus/bus.js';
import { EXTERNAL_STRATEGY } from '../exchange/adapter.js';
import type { RiskGate } from '../risk/gate.js';
import { isTerminal } from '../state/order-transitions.js';
import type { OrderUpdateResult, StateStore } from '../state/store.js';

/**
 * The one path by which orders and fills reach the state store and the gate's exposure, whichever way
 * they came (a submit's reply, the user stream, a query after a timeout, reconciliation). The store
 * keeps orders forward-only and fills unique by (venue, trade id); exposure moves only when the store
 * says a fill was new, so a position changes once per venue trade however often the trade is reported.
 */
export class OrderLedger {
  readonly #store: StateStore;
  readonly #gate: RiskGate;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #events: EventFactory;

  constructor(deps: { store: StateStore; gate: RiskGate; bus: EventBus; clock: Clock }) {
    this.#store = deps.store;
    this.#gate = deps.gate;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#events = new EventFactory(deps.clock, 'ex');
  }

  get store(): StateStore {
    return this.#store;
  }

  order(clientOrderId: string): Order | undefined {
    return this.#store.getOrder(clientOrderId);
  }

  /** The write-ahead: resolves once the intent is on disk. Only then may it be sent. */
  async writeIntent(intent: OrderIntent): Promise<void> {
    await this.#store.writeIntent(intent);
    this.#bus.publish(this.#events.make('order.intent', { order: intent }));
  }

  /**
   * Applies what a venue says of an order, onto the stored one: only the fields a venue may change are
   * taken. Ignored (undefined) for an order with no intent here; reconciliation adopts those.
   */
  async applyVenueOrder(venueOrder: Order): Promise<OrderUpdateResult | undefined> {
    const stored = this.#store.getOrder(venueOrder.clientOrderId);
    if (stored === undefined) return undefined;
    // Spreads after the literal's own keys, then withFields: both stay on V8's fast path (with-fields.ts).
    const changes = {
      status: venueOrder.status,
      filledSize: venueOrder.filledSize,
      avgFillPrice: venueOrder.avgFillPrice,
      price: venueOrder.price,
      size: venueOrder.size,
      updatedAt: Math.max(stored.updatedAt, venueOrder.updatedAt),
      ...(venueOrder.venueOrderId === undefined ? {} : { venueOrderId: venueOrder.venueOrderId }),
      ...(venueOrder.reason === undefined ? {} : { reason: venueOrder.reason }),
    };
    const next: Order = withFields(stored, changes);
    return this.#record(next);
  }

  /** Moves a stored order to `status` (submitted, cancelling, unknown, rejected...) from our side. */
  async setStatus(clientOrderId: string, status: OrderStatus, reason?: string): Promise<OrderUpdateResult | undefined> {
    const stored = this.#store.getOrder(clientOrderId);
    if (stored === undefined) return undefined;
    const updatedAt = Math.max(stored.updatedAt, this.#clock.now());
    const next: Order = withFields(stored, reason === undefined ? { status, updatedAt } : { status, updatedAt, reason });
    const result = await this.#record(next);
    if (status === 'submitted' && result.kind === 'appended') {
      this.#bus.publish(this.#events.make('order.submitted', { clientOrderId, instrument: stored.instrument }));
    }
    return result;
  }

  /**
   * Records a venue fill; true when it was new (and exposure moved), false for a duplicate. A fill that
   * reached us before its order was registered with the adapter (a restart: the user stream replays
   * fills at once) carries the venue's client id; it is tied back to our order by the venue order id.
   */
  async applyFill(input: Fill): Promise<boolean> {
    const order = this.#orderOfFill(input);
    const fill: Fill = order === undefined || order.clientOrderId === input.clientOrderId ? input : withFields(input, { clientOrderId: order.clientOrderId });
    const fresh = await this.#store.recordFill(fill);
    if (!fresh) return false;
    this.#gate.exposure.applyFill(order?.strategyId ?? EXTERNAL_STRATEGY, fill.instrument, fill.side, fill.size, order?.clientOrderId);
    this.#gate.evaluatePnl();
    return true;
  }

  #orderOfFill(fill: Fill): Order | undefined {
    const direct = fill.clientOrderId === undefined ? undefined : this.#store.getOrder(fill.clientOrderId);
    if (direct !== undefined) return direct;
    return this.#store.openOrders().find((o) => o.venueOrderId === fill.venueOrderId && o.instrument === fill.instrument);
  }

  async #record(next: Order): Promise<OrderUpdateResult> {
    const result = await this.#store.recordOrderUpdate(next);
    // Read back: a refused (stale) update leaves the stored status, which is what exposure must follow.
    const now = this.#store.getOrder(next.clientOrderId);
    if (now !== undefined && isTerminal(now.status)) this.#gate.exposure.finalize(now.clientOrderId, now.filledSize);
    return result;
  }
}
