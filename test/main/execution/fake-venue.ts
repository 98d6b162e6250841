import type { Clock } from '../../../src/core/clock.js';
import { Decimal, ZERO, str } from '../../../src/core/decimal.js';
import { EventFactory } from '../../../src/core/event-factory.js';
import { VenueError } from '../../../src/core/errors.js';
import type { Fill, Order, OrderIntent } from '../../../src/core/types.js';
import type { EventBus } from '../../../src/main/bus/bus.js';
import type { AmendRequest, BookSnapshot, CancelResult, OrderRef, PositionReport, SubmitResult } from '../../../src/main/exchange/adapter.js';
import type { ExecutionVenue } from '../../../src/main/execution/venue-port.js';

/**
 * What the next submit meets: processed and answered; refused before it runs (5xx); run and never
 * answered (timeout, a lost acknowledgement); refused; or unanswered and run only later (late), after
 * the client has given up on it, as a request stuck in a venue's queue would.
 */
export type SubmitFault = 'none' | '5xx' | 'timeout' | 'reject' | 'late';

/**
 * An in-process venue behind the ExecutionVenue port, for property and fault tests that need thousands
 * of orders in seconds. Orders rest until the test fills or cancels them; a client order id can be used
 * once (like Hyperliquid's cloid); every order and fill is published on the bus as an adapter would,
 * optionally twice, to exercise dedupe. Latency is a number of event-loop turns chosen by the test.
 */
export class FakeVenue implements ExecutionVenue {
  readonly venue = 'sim' as const;
  readonly orders = new Map<string, { order: Order; intent: OrderIntent }>();
  readonly fills: Fill[] = [];
  readonly faults: SubmitFault[] = [];
  latency: () => number = () => 0;
  duplicateEvents = false;
  /** How long a 'late' submit waits before the venue runs it. */
  lateMs = 5;
  submits = 0;
  #oid = 0;
  #tid = 0;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #events: EventFactory;
  readonly #book: BookSnapshot;

  constructor(bus: EventBus, clock: Clock, book: { bid: number; ask: number; size: number }) {
    this.#bus = bus;
    this.#clock = clock;
    this.#events = new EventFactory(clock, 'fv');
    this.#book = { instrument: 'sim:X', bids: [{ price: book.bid, size: book.size }], asks: [{ price: book.ask, size: book.size }], ts: clock.now() };
  }

  instrument(): undefined {
    return undefined;
  }

  canTrade(): { ok: true } {
    return { ok: true };
  }

  track(): void {}

  async fetchBook(instrument: string): Promise<BookSnapshot> {
    return { ...this.#book, instrument };
  }

  async submit(intent: OrderIntent): Promise<SubmitResult> {
    this.submits++;
    const fault = this.faults.shift() ?? 'none';
    await this.#turns(this.latency());
    if (fault === '5xx') throw new VenueError('VENUE_UNAVAILABLE', 'fake 502', { sent: true });
    if (fault === 'late') {
      setTimeout(() => void this.submit(intent).catch(() => undefined), this.lateMs);
      throw new VenueError('TIMEOUT', 'fake: no answer (the request is still queued at the venue)', {});
    }
    if (this.orders.has(intent.clientOrderId)) return { accepted: false, clientOrderId: intent.clientOrderId, reason: 'duplicate client order id' };
    if (fault === 'reject') return { accepted: false, clientOrderId: intent.clientOrderId, reason: 'fake rejection' };
    const order: Order = { ...intent, status: 'accepted', venueOrderId: String(++this.#oid), filledSize: '0', avgFillPrice: '0', updatedAt: this.#clock.now() };
    this.orders.set(intent.clientOrderId, { order, intent });
    this.#publishOrder(order);
    // An IOC takes what it can at once: here all of it at its limit price.
    if (intent.timeInForce === 'IOC') this.fill(intent.clientOrderId, new Decimal(intent.size));
    if (fault === 'timeout') throw new VenueError('TIMEOUT', 'fake: no answer', {});
    const now = this.orders.get(intent.clientOrderId)!.order;
    return { accepted: true, clientOrderId: intent.clientOrderId, venueOrderId: now.venueOrderId!, status: now.status, filledSize: now.filledSize, avgFillPrice: now.avgFillPrice };
  }

  /** Fills `size` (capped at what is left) of a live order at its limit price; returns the size filled. */
  fill(clientOrderId: string, size: Decimal): Decimal {
    const entry = this.orders.get(clientOrderId);
    if (entry === undefined || !this.#live(entry.order)) return ZERO;
    const left = new Decimal(entry.order.size).minus(entry.order.filledSize);
    const qty = Decimal.min(left, size);
    if (qty.lte(0)) return ZERO;
    const filled = new Decimal(entry.order.filledSize).plus(qty);
    const fill: Fill = {
      venue: 'sim', instrument: entry.order.instrument, venueTradeId: `t${++this.#tid}`, venueOrderId: entry.order.venueOrderId!, clientOrderId,
      side: entry.order.side, price: entry.order.price, size: str(qty), fee: '0', feeCurrency: 'USD', liquidity: 'maker', ts: this.#clock.now(),
    };
    this.fills.push(fill);
    const ioc = entry.order.timeInForce === 'IOC';
    const status = filled.eq(entry.order.size) ? 'filled' : ioc ? 'cancelled' : 'partially_filled';
    entry.order = { ...entry.order, status, filledSize: str(filled), avgFillPrice: entry.order.price, updatedAt: this.#clock.now() };
    for (let i = 0; i < (this.duplicateEvents ? 2 : 1); i++) this.#bus.publish(this.#events.make('fill.received', { fill }));
    this.#publishOrder(entry.order);
    return qty;
  }

  async cancel(_instrument: string, venueOrderId: string): Promise<CancelResult> {
    const entry = [...this.orders.values()].find((e) => e.order.venueOrderId === venueOrderId);
    if (entry === undefined) throw new VenueError('ORDER_NOT_FOUND', 'fake: no such order');
    return this.cancelByClientId(entry.order.instrument, entry.order.clientOrderId);
  }

  async cancelByClientId(_instrument: string, clientOrderId: string): Promise<CancelResult> {
    await this.#turns(this.latency());
    const entry = this.orders.get(clientOrderId);
    if (entry === undefined || !this.#live(entry.order)) throw new VenueError('ORDER_NOT_FOUND', 'fake: order not open');
    entry.order = { ...entry.order, status: 'cancelled', updatedAt: this.#clock.now() };
    this.#publishOrder(entry.order);
    return { confirmed: true, clientOrderId, venueOrderId: entry.order.venueOrderId! };
  }

  async amend(request: AmendRequest): Promise<SubmitResult> {
    await this.#turns(this.latency());
    const entry = this.orders.get(request.clientOrderId);
    if (entry === undefined || !this.#live(entry.order)) throw new VenueError('ORDER_NOT_FOUND', 'fake: order not open');
    entry.order = { ...entry.order, price: request.price ?? entry.order.price, size: request.size ?? entry.order.size, updatedAt: this.#clock.now() };
    this.#publishOrder(entry.order);
    const o = entry.order;
    return { accepted: true, clientOrderId: o.clientOrderId, venueOrderId: o.venueOrderId!, status: o.status, filledSize: o.filledSize, avgFillPrice: o.avgFillPrice };
  }

  async fetchOrder(_instrument: string, ref: OrderRef): Promise<Order | undefined> {
    await this.#turns(this.latency());
    if ('clientOrderId' in ref) return this.orders.get(ref.clientOrderId)?.order;
    return [...this.orders.values()].find((e) => e.order.venueOrderId === ref.venueOrderId)?.order;
  }

  async fetchOpenOrders(): Promise<Order[]> {
    return this.liveOrders();
  }

  async fetchFills(since: number): Promise<Fill[]> {
    return this.fills.filter((f) => f.ts >= since);
  }

  async fetchPositions(): Promise<PositionReport[]> {
    return [...this.positions()].filter(([, size]) => !size.isZero()).map(([instrument, size]) => ({ instrument, size: str(size), entryPrice: '0', updatedAt: this.#clock.now() }));
  }

  async fetchBalances(): Promise<[]> {
    return [];
  }

  liveOrders(): Order[] {
    return [...this.orders.values()].map((e) => e.order).filter((o) => this.#live(o));
  }

  /** Signed position per instrument, or per strategy and instrument ("strategy|instrument"), from the venue's fills. */
  positions(byStrategy = false): Map<string, Decimal> {
    const out = new Map<string, Decimal>();
    for (const f of this.fills) {
      const k = byStrategy ? `${this.orders.get(f.clientOrderId!)!.intent.strategyId}|${f.instrument}` : f.instrument;
      out.set(k, (out.get(k) ?? ZERO).plus(f.side === 'buy' ? f.size : new Decimal(f.size).neg()));
    }
    return out;
  }

  #live(order: Order): boolean {
    return order.status === 'accepted' || order.status === 'partially_filled';
  }

  #publishOrder(order: Order): void {
    for (let i = 0; i < (this.duplicateEvents ? 2 : 1); i++) this.#bus.publish(this.#events.make('order.updated', { order }));
  }

  async #turns(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
