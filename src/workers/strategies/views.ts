import { dec } from '../../core/decimal.js';
import { OrderBook } from '../../core/order-book.js';
import { applyFill, entryPrice, flatPosition } from '../../core/position.js';
import type { Fill, Order, Position } from '../../core/types.js';
import type { MarketView, OrderView, PositionView, SubmitIntent } from './api.js';

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/**
 * What one strategy instance knows of the world, kept by its runner: its own position (exact, from the
 * fills of its own orders), its orders not yet final (including intents not yet acknowledged), and the
 * top of its instrument's book. The read-only views hooks get are cached and rebuilt only on change,
 * because a hook reads them on every event and they change far less often.
 */
export class StrategyViews {
  #position: Position;
  #openedAt: number | undefined;
  #posView: PositionView | undefined;
  readonly #orders = new Map<string, OrderView>();
  #live: OrderView[] | undefined;
  readonly #book = new OrderBook();
  /** Top of book from the latest `market.quote`, when that is newer than the latest `market.book`. */
  #quote: { bid: number; ask: number } | undefined;
  #last: number | undefined;
  #marketView: MarketView | undefined;

  constructor(instrument: string, now: number) {
    this.#position = flatPosition(instrument, now);
  }

  get position(): Position {
    return this.#position;
  }

  get openedAt(): number | undefined {
    return this.#openedAt;
  }

  positionView(): PositionView {
    if (this.#posView === undefined) {
      const p = this.#position;
      this.#posView = { instrument: p.instrument, size: p.size, qty: Number(p.size), entryPrice: Number(entryPrice(p)), openedAt: this.#openedAt };
    }
    return this.#posView;
  }

  market(): MarketView {
    if (this.#marketView === undefined) {
      const bid = this.#quote?.bid ?? this.#book.bestBid()?.price;
      const ask = this.#quote?.ask ?? this.#book.bestAsk()?.price;
      this.#marketView = { bid, ask, last: this.#last, reference: bid !== undefined && ask !== undefined ? (bid + ask) / 2 : this.#last };
    }
    return this.#marketView;
  }

  /** Orders as hooks see them: those we have not asked to cancel. */
  liveOrders(): readonly OrderView[] {
    return (this.#live ??= [...this.#orders.values()].filter((o) => o.status !== 'cancelling'));
  }

  /** Every order not final, cancelling ones included (they may still fill: risk counts them). */
  allOrders(): IterableIterator<OrderView> {
    return this.#orders.values();
  }

  book(bids: Parameters<OrderBook['applySnapshot']>[0], asks: Parameters<OrderBook['applySnapshot']>[1], snapshot: boolean): void {
    if (snapshot) this.#book.applySnapshot(bids, asks);
    else this.#book.applyDiff(bids, asks);
    this.#quote = undefined;
    this.#marketView = undefined;
  }

  /**
   * Best bid and ask from a quote stream (Binance bookTicker). Kept beside the book rather than written
   * into it: a venue may stream both, and a one-level quote must not wipe the depth the diffs maintain.
   * Whichever of the two arrived last gives the top of book.
   */
  quote(bid: number, ask: number): void {
    this.#quote = { bid, ask };
    this.#marketView = undefined;
  }

  last(price: number): void {
    this.#last = price;
    this.#marketView = undefined;
  }

  submitted(intent: SubmitIntent): void {
    const o = intent.order;
    this.#set({ clientOrderId: o.clientOrderId, side: o.side, price: Number(o.price), remaining: Number(o.size), status: 'pending', reduceOnly: o.reduceOnly, postOnly: intent.postOnly });
  }

  cancelling(clientOrderId: string): void {
    const o = this.#orders.get(clientOrderId);
    if (o !== undefined) this.#set({ ...o, status: 'cancelling' });
  }

  fill(fill: Fill): void {
    const before = dec(this.#position.size);
    this.#position = applyFill(this.#position, fill);
    this.#posView = undefined;
    const after = dec(this.#position.size);
    if (after.isZero()) this.#openedAt = undefined;
    else if (before.isZero() || before.isPositive() !== after.isPositive()) this.#openedAt = fill.ts;
    const o = fill.clientOrderId === undefined ? undefined : this.#orders.get(fill.clientOrderId);
    if (o === undefined) return;
    // The view's remaining size is a double, for decisions; the position above stays exact.
    const remaining = o.remaining - Number(fill.size);
    if (remaining <= 1e-12) this.#drop(o.clientOrderId);
    else this.#set({ ...o, remaining, status: 'partially_filled' });
  }

  order(order: Order): void {
    if (FINAL.has(order.status)) {
      this.#drop(order.clientOrderId);
      return;
    }
    // A cancel we asked for stays 'cancelling' until the venue says the order is final.
    const status = this.#orders.get(order.clientOrderId)?.status === 'cancelling' ? 'cancelling' : order.status;
    const remaining = Number(order.size) - Number(order.filledSize);
    this.#set({ clientOrderId: order.clientOrderId, side: order.side, price: Number(order.price), remaining, status, reduceOnly: order.reduceOnly, postOnly: order.timeInForce === 'ALO' });
  }

  restore(position: Position, openedAt: number | undefined, orders: readonly OrderView[]): void {
    this.#position = position;
    this.#openedAt = openedAt;
    this.#posView = undefined;
    this.#orders.clear();
    this.#live = undefined;
    for (const o of orders) this.#set(o);
  }

  #set(view: OrderView): void {
    this.#orders.set(view.clientOrderId, view);
    this.#live = undefined;
  }

  #drop(clientOrderId: string): void {
    if (this.#orders.delete(clientOrderId)) this.#live = undefined;
  }
}
