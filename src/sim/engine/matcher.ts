import { Decimal, ZERO } from '../../core/decimal.js';
import type { Address } from '../venue-api.js';
import { available, type MarketBook, type RestingOrder } from './book.js';

/**
 * Price-time matching over a MarketBook. Three ways liquidity meets:
 * - an incoming user order sweeps the opposite side (takeLiquidity); at one price the replayed level comes
 *   before users' orders, because the recorded crowd was queued there before any simulated order;
 * - a recorded trade at or through a user's resting price fills it (fillFromTrade);
 * - a new snapshot whose opposite side crosses a resting user order fills it (fillFromCrossingSnapshot).
 * In the last two the user order is the maker and fills at its own limit price.
 * Functions here only move sizes and report each fill at once through a callback, so the caller's accounts
 * are current when the next `capacity` question (reduce-only room) is asked. Fees, accounts and events are
 * the caller's; callbacks must not add or remove resting orders (defer that until the call returns).
 */

export type Counterparty = { readonly kind: 'replay' } | { readonly kind: 'user'; readonly order: RestingOrder };

export interface TakerMatch {
  readonly maker: Counterparty;
  readonly px: Decimal;
  readonly sz: Decimal;
}

export interface MakerFill {
  readonly order: RestingOrder;
  readonly px: Decimal;
  readonly sz: Decimal;
}

export interface Sweep {
  readonly filled: Decimal;
  /** The taker's own resting orders it met: cancelled instead of traded (expire-maker self-trade prevention). */
  readonly selfMatched: RestingOrder[];
}

/** How much more a resting order may fill now (its remaining size, or less for reduce-only orders). */
export type Capacity = (order: RestingOrder) => Decimal;

export function crosses(takerIsBuy: boolean, limitPx: Decimal, makerPx: Decimal): boolean {
  return takerIsBuy ? makerPx.lte(limitPx) : makerPx.gte(limitPx);
}

export function takeLiquidity(
  book: MarketBook,
  taker: { user: Address; isBuy: boolean; limitPx: Decimal; size: Decimal },
  capacity: Capacity,
  onMatch: (match: TakerMatch) => void,
): Sweep {
  const levels = book.replayed(!taker.isBuy);
  // A copy, so a callback that edits the book cannot shift the indices under this loop.
  const orders = [...book.resting(!taker.isBuy)];
  const selfMatched: RestingOrder[] = [];
  const passedOver = new Set<RestingOrder>();
  let left = taker.size;
  let i = 0;
  let j = 0;
  while (left.gt(0)) {
    while (i < levels.length && available(levels[i]!).lte(0)) i++;
    while (j < orders.length && (orders[j]!.remaining.lte(0) || passedOver.has(orders[j]!))) j++;
    const level = levels[i];
    const order = orders[j];
    const replayFirst = level !== undefined && (order === undefined || !isBetter(!taker.isBuy, order.px, level.px));
    const px = replayFirst ? level.px : order?.px;
    if (px === undefined || !crosses(taker.isBuy, taker.limitPx, px)) break;
    if (replayFirst) {
      const sz = Decimal.min(left, available(level));
      level.consumed = level.consumed.plus(sz);
      left = left.minus(sz);
      onMatch({ maker: { kind: 'replay' }, px, sz });
    } else if (order !== undefined) {
      passedOver.add(order);
      if (order.user === taker.user) {
        selfMatched.push(order);
        continue;
      }
      const sz = Decimal.min(left, order.remaining, capacity(order));
      if (sz.lte(0)) continue;
      order.remaining = order.remaining.minus(sz);
      left = left.minus(sz);
      onMatch({ maker: { kind: 'user', order }, px, sz });
    }
  }
  return { filled: taker.size.minus(left), selfMatched };
}

/**
 * A recorded trade: aggressor side "B" bought, so resting user asks at or below its price are hit (and the
 * reverse for "A"). The trade's size caps what it can fill; queue position behind recorded orders at the
 * same price is not modelled (README, "What the simulator does not model").
 */
export function fillFromTrade(book: MarketBook, trade: { side: 'B' | 'A'; px: Decimal; sz: Decimal }, capacity: Capacity, onFill: (fill: MakerFill) => void): void {
  const aggressorBought = trade.side === 'B';
  let left = trade.sz;
  for (const order of [...book.resting(!aggressorBought)]) {
    if (left.lte(0) || !crosses(aggressorBought, trade.px, order.px)) break;
    const sz = Decimal.min(left, order.remaining, capacity(order));
    if (sz.lte(0)) continue;
    order.remaining = order.remaining.minus(sz);
    left = left.minus(sz);
    onFill({ order, px: order.px, sz });
  }
}

/** After a snapshot: user orders that the replayed opposite side now crosses fill against it, at the user's price. */
export function fillFromCrossingSnapshot(book: MarketBook, capacity: Capacity, onFill: (fill: MakerFill) => void): void {
  for (const buys of [true, false]) {
    const levels = book.replayed(!buys);
    for (const order of [...book.resting(buys)]) {
      const cap = Decimal.min(order.remaining, capacity(order));
      let filled = ZERO;
      for (const level of levels) {
        if (filled.gte(cap) || !crosses(buys, order.px, level.px)) break;
        const sz = Decimal.min(available(level), cap.minus(filled));
        if (sz.lte(0)) continue;
        level.consumed = level.consumed.plus(sz);
        filled = filled.plus(sz);
      }
      if (filled.gt(0)) {
        order.remaining = order.remaining.minus(filled);
        onFill({ order, px: order.px, sz: filled });
      }
    }
  }
}

/** True when `a` is a strictly better price than `b` for a maker on the given side. */
function isBetter(bidSide: boolean, a: Decimal, b: Decimal): boolean {
  return bidSide ? a.gt(b) : a.lt(b);
}
