import { Decimal, ZERO } from '../../core/decimal.js';
import type { MarginAccount } from './accounts.js';

/**
 * Cross-margin arithmetic, all at mark prices:
 * - position margin = |size| x mark / leverage (the coin's leverage, default capped at its maxLeverage);
 * - maintenance margin = |size| x mark / (2 x maxLeverage), Hyperliquid's rule of half the initial margin
 *   at maximum leverage;
 * - open orders reserve margin for the part of them that would grow a position (the part that would only
 *   close the opposite position reserves nothing);
 * - a new order is refused when the margin it adds exceeds what the account has left after all that.
 */

export interface MarginMarket {
  readonly maxLeverage: number;
}

export interface MarginContext {
  market(coin: string): MarginMarket;
  mark(coin: string): Decimal;
  leverage(account: MarginAccount, coin: string): number;
}

export interface OrderExposure {
  readonly coin: string;
  readonly isBuy: boolean;
  readonly px: Decimal;
  readonly size: Decimal;
  readonly reduceOnly: boolean;
}

export function unrealisedPnl(account: MarginAccount, coin: string, ctx: MarginContext): Decimal {
  return account.size(coin).times(ctx.mark(coin)).minus(account.cost(coin));
}

export function accountValue(account: MarginAccount, ctx: MarginContext): Decimal {
  return account.openCoins().reduce((total, coin) => total.plus(unrealisedPnl(account, coin, ctx)), account.cash);
}

export function positionValue(account: MarginAccount, coin: string, ctx: MarginContext): Decimal {
  return account.size(coin).abs().times(ctx.mark(coin));
}

export function positionMargin(account: MarginAccount, coin: string, ctx: MarginContext): Decimal {
  return positionValue(account, coin, ctx).div(ctx.leverage(account, coin));
}

export function maintenanceMargin(account: MarginAccount, coin: string, ctx: MarginContext): Decimal {
  return positionValue(account, coin, ctx).div(2 * ctx.market(coin).maxLeverage);
}

export function totalPositionMargin(account: MarginAccount, ctx: MarginContext): Decimal {
  return account.openCoins().reduce((total, coin) => total.plus(positionMargin(account, coin, ctx)), ZERO);
}

/** Margin reserved by open orders: per coin and side, only the share that would grow the position. */
export function orderMargin(account: MarginAccount, orders: readonly OrderExposure[], ctx: MarginContext): Decimal {
  const groups = new Map<string, { coin: string; isBuy: boolean; qty: Decimal; notional: Decimal }>();
  for (const order of orders) {
    if (order.reduceOnly) continue;
    const key = `${order.coin}|${order.isBuy ? 'B' : 'A'}`;
    const group = groups.get(key) ?? { coin: order.coin, isBuy: order.isBuy, qty: ZERO, notional: ZERO };
    groups.set(key, { ...group, qty: group.qty.plus(order.size), notional: group.notional.plus(order.size.times(order.px)) });
  }
  let total = ZERO;
  for (const g of groups.values()) {
    if (g.qty.isZero()) continue;
    const held = account.size(g.coin);
    const closable = Decimal.min(g.qty, g.isBuy ? Decimal.max(ZERO, held.neg()) : Decimal.max(ZERO, held));
    total = total.plus(g.notional.times(g.qty.minus(closable)).div(g.qty).div(ctx.leverage(account, g.coin)));
  }
  return total;
}

/** True when the account can carry `order` on top of its positions and its other open orders. */
export function canAfford(account: MarginAccount, openOrders: readonly OrderExposure[], order: OrderExposure, ctx: MarginContext): boolean {
  const without = orderMargin(account, openOrders, ctx);
  const added = orderMargin(account, [...openOrders, order], ctx).minus(without);
  if (added.lte(0)) return true;
  const free = accountValue(account, ctx).minus(totalPositionMargin(account, ctx)).minus(without);
  return added.lte(free);
}

/** What the account could take out: value above the margin its positions use, never negative. */
export function withdrawable(account: MarginAccount, ctx: MarginContext): Decimal {
  return Decimal.max(ZERO, accountValue(account, ctx).minus(totalPositionMargin(account, ctx)));
}

/**
 * Estimated liquidation price of one cross position, holding every other position at its mark: the price p
 * where account value falls to total maintenance margin. With s the signed size and m = 1/(2 maxLeverage),
 * value(p) = V + s(p - mark) and maintenance(p) = M_other + |s| p m, so p = (M_other - V + s mark) / (s - |s| m).
 * Undefined when flat or when no positive price would liquidate (e.g. a long fully backed by cash).
 */
export function liquidationPrice(account: MarginAccount, coin: string, ctx: MarginContext): Decimal | undefined {
  const s = account.size(coin);
  if (s.isZero()) return undefined;
  const m = new Decimal(1).div(2 * ctx.market(coin).maxLeverage);
  const others = account
    .openCoins()
    .filter((c) => c !== coin)
    .reduce((total, c) => total.plus(maintenanceMargin(account, c, ctx)), ZERO);
  const denominator = s.minus(s.abs().times(m));
  if (denominator.isZero()) return undefined;
  const p = others.minus(accountValue(account, ctx)).plus(s.times(ctx.mark(coin))).div(denominator);
  return p.gt(0) ? p : undefined;
}

/**
 * Sets a coin's leverage unless lowering it would leave the account's positions and open orders needing more
 * margin than it is worth; raising leverage only frees margin and always succeeds.
 */
export function trySetLeverage(account: MarginAccount, coin: string, leverage: number, openOrders: readonly OrderExposure[], ctx: MarginContext): boolean {
  const previous = ctx.leverage(account, coin);
  account.setLeverage(coin, leverage);
  if (leverage >= previous) return true;
  const committed = totalPositionMargin(account, ctx).plus(orderMargin(account, openOrders, ctx));
  if (committed.lte(accountValue(account, ctx))) return true;
  account.setLeverage(coin, previous);
  return false;
}
