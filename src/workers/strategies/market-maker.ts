import { z } from 'zod';
import type { Side } from '../../core/types.js';
import { defineStrategy, type HookResult, type OrderView, type Strategy, type StrategyContext, type StrategyIntent } from './api.js';
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
    const reservation = ((bid + ask) / 2) * (1 - ((p.skewBps / 10_000) * inventory) / max);
    const spread = p.halfSpreadBps / 10_000;
    const out: StrategyIntent[] = [];
    // Never quote through the opposite touch: post-only would be refused anyway.
    this.#replace(ctx, 'buy', Math.min(reservation * (1 - spread), bid), max - inventory, out);
    this.#replace(ctx, 'sell', Math.max(reservation * (1 + spread), ask), max + inventory, out);
    return out;
  }

  /**
   * Cancel-and-replace of one side's quote into `out`; nothing when the resting quote is close enough.
   * `room` is how far this side may move the inventory; none left means no quote on this side. Runs on
   * every tick, so it scans the open orders in place rather than filtering them into new arrays.
   */
  #replace(ctx: StrategyContext<Params>, side: Side, wanted: number, room: number, out: StrategyIntent[]): void {
    const p = ctx.params;
    const full = Number(p.size);
    const size = Math.min(full, room);
    const price = size > 0 ? wanted : undefined;
    const open = ctx.openOrders;
    let resting: OrderView | undefined;
    let count = 0;
    for (const o of open) {
      if (o.side !== side || o.reduceOnly) continue;
      resting = o;
      count++;
    }
    if (price !== undefined && count === 1 && Math.abs(resting!.price - price) / price < p.requoteBps / 10_000) return;
    for (const o of open) if (o.side === side && !o.reduceOnly) out.push(ctx.orders.cancel(o.clientOrderId));
    if (price === undefined) return;
    // The configured size is already exact text; only a size cut by the inventory room needs formatting.
    const text = size === full ? p.size : size.toFixed(8).replace(/\.?0+$/, '');
    out.push(ctx.orders.submit(side, text, { type: 'post-only', price }));
  }
}

export const marketMaker = defineStrategy({
  name: 'market-maker',
  description: 'post-only bid and ask around the mid, skewed against inventory, cancel-and-replace on moves',
  params,
  updatable: ['halfSpreadBps', 'size', 'maxInventory', 'skewBps', 'requoteBps'],
  create: () => new MarketMaker(),
});
