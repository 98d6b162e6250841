import { z } from 'zod';
import type { Side } from '../../core/types.js';
import { defineStrategy, type HookResult, type Strategy, type StrategyContext, type StrategyIntent } from './api.js';
import { baseSize, tradingParams } from './params.js';

/**
 * A quoting market maker with inventory skew. Quotes one post-only bid and ask around a reservation
 * price: the mid moved against the inventory (long -> quotes lower, to sell more than it buys), by
 * `skewBps` at full inventory. A side whose fill would take |inventory| past `maxInventory` is not
 * quoted. Quotes are cancelled and replaced only when the wanted price moved `requoteBps` or more, so
 * a busy book does not turn into a storm of cancels.
 */
const params = z.strictObject({
  ...tradingParams,
  halfSpreadBps: z.number().positive().max(1000).default(5),
  size: baseSize,
  maxInventory: baseSize,
  skewBps: z.number().min(0).max(1000).default(5),
  requoteBps: z.number().min(0).max(1000).default(1),
});

type Params = z.output<typeof params>;

class MarketMaker implements Strategy<Params> {
  onBook(ctx: StrategyContext<Params>): HookResult {
    return this.#quote(ctx);
  }

  onFill(ctx: StrategyContext<Params>): HookResult {
    return this.#quote(ctx);
  }

  onStop(ctx: StrategyContext<Params>): HookResult {
    return ctx.orders.cancelAll();
  }

  #quote(ctx: StrategyContext<Params>): StrategyIntent[] {
    const { bid, ask } = ctx.market;
    if (bid === undefined || ask === undefined || !(ask > bid)) return [];
    const p = ctx.params;
    const max = Number(p.maxInventory);
    const inventory = ctx.position.qty;
    const mid = (bid + ask) / 2;
    const reservation = mid * (1 - ((p.skewBps / 10_000) * inventory) / max);
    const out: StrategyIntent[] = [];
    for (const side of ['buy', 'sell'] as const) {
      const sign = side === 'buy' ? -1 : 1;
      // Never quote through the opposite touch: post-only would be refused anyway.
      let price = reservation * (1 + (sign * p.halfSpreadBps) / 10_000);
      price = side === 'buy' ? Math.min(price, bid) : Math.max(price, ask);
      const room = side === 'buy' ? max - inventory : max + inventory;
      const size = Math.min(Number(p.size), room);
      out.push(...this.#replace(ctx, side, size > 0 ? price : undefined, size));
    }
    return out;
  }

  /** Cancel-and-replace of one side's quote; nothing when the resting quote is close enough. */
  #replace(ctx: StrategyContext<Params>, side: Side, price: number | undefined, size: number): StrategyIntent[] {
    const resting = ctx.openOrders.filter((o) => o.side === side && !o.reduceOnly);
    const keep = price !== undefined && resting.length === 1 && Math.abs(resting[0]!.price - price) / price < ctx.params.requoteBps / 10_000;
    if (keep) return [];
    const out: StrategyIntent[] = resting.map((o) => ctx.orders.cancel(o.clientOrderId));
    if (price !== undefined) out.push(ctx.orders.submit(side, size.toFixed(8).replace(/\.?0+$/, ''), { type: 'post-only', price }));
    return out;
  }
}

export const marketMaker = defineStrategy({
  name: 'market-maker',
  description: 'post-only bid and ask around the mid, skewed against inventory, cancel-and-replace on moves',
  params,
  updatable: ['halfSpreadBps', 'size', 'maxInventory', 'skewBps', 'requoteBps'],
  create: () => new MarketMaker(),
});
