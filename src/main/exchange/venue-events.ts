import type { ErrorCode } from '../../core/errors.js';
import type { EventFactory } from '../../core/event-factory.js';
import type { EventPayloads, Topic } from '../../core/events.js';
import type { Fill, Order, VenueId } from '../../core/types.js';
import type { EventBus } from '../bus/bus.js';
import type { FillDeduplicator } from './fill-dedup.js';
import type { OrderTracker, VenueOrderReport } from './order-tracker.js';

/**
 * Where every venue report about our account becomes bus events, whichever path brought it (the user
 * stream, a REST poll while that stream is down, the reply to a submit). Funnelling them through one
 * place is what makes "each fill once, each order only forwards" hold across paths.
 */
export class VenueEvents {
  readonly venue: VenueId;
  readonly #bus: EventBus;
  readonly #events: EventFactory;
  readonly #tracker: OrderTracker;
  readonly #fills: FillDeduplicator;

  constructor(venue: VenueId, bus: EventBus, events: EventFactory, tracker: OrderTracker, fills: FillDeduplicator) {
    this.venue = venue;
    this.#bus = bus;
    this.#events = events;
    this.#tracker = tracker;
    this.#fills = fills;
  }

  publish<T extends Topic>(topic: T, payload: EventPayloads[T], tsEvent?: number): void {
    this.#bus.publish(this.#events.make(topic, payload, tsEvent) as never);
  }

  /** Applies an order report; publishes `order.updated` (and the terminal event) when it moved the order. */
  orderReport(report: VenueOrderReport): Order | undefined {
    const before = this.#tracker.clientOrderIdOf(report);
    const previous = before === undefined ? undefined : this.#tracker.order(before);
    const order = this.#tracker.apply(report);
    if (order === undefined) return undefined;
    if (previous?.venueOrderId === undefined && order.venueOrderId !== undefined && order.status !== 'rejected') {
      this.publish('order.accepted', { clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId }, report.ts);
    }
    this.publish('order.updated', { order }, report.ts);
    if (order.status !== previous?.status) this.#terminal(order, report.ts);
    return order;
  }

  /** Publishes a fill the first time its trade id is seen; false for a duplicate. */
  fill(fill: Fill): boolean {
    if (!this.#fills.firstSighting(fill.venueTradeId)) return false;
    this.publish('fill.received', { fill }, fill.ts);
    return true;
  }

  rejected(clientOrderId: string, code: ErrorCode, reason: string): void {
    this.publish('order.rejected', { clientOrderId, code, reason });
  }

  #terminal(order: Order, ts: number): void {
    switch (order.status) {
      case 'filled':
        this.publish('order.filled', { clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId ?? '' }, ts);
        return;
      case 'cancelled':
        this.publish('order.cancelled', {
          clientOrderId: order.clientOrderId,
          ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
          ...(order.reason === undefined ? {} : { reason: order.reason }),
        }, ts);
        return;
      case 'expired':
        this.publish('order.expired', { clientOrderId: order.clientOrderId }, ts);
        return;
      case 'rejected':
        this.rejected(order.clientOrderId, 'ORDER_REJECTED', order.reason ?? 'rejected by the venue');
        return;
      default:
        return;
    }
  }
}
