import { z } from 'zod';
import type { Bands, WindowIndicator } from './indicators.js';
import { defineStrategy, type HookResult, type Strategy, type StrategyContext, type StrategyInit } from './api.js';
import { tradingParams } from './params.js';
import { sizeFor, sizingSchema } from './sizing.js';

/**
 * Bollinger mean reversion on closed bars: z = (close - mean) / std over `period` closes. Below
 * -`entryZ` it goes long, above +`entryZ` short; it goes flat once |z| falls back under `exitZ`. Size
 * comes from `sizing` at the bar's close. Pair it with `exits` (a stop-loss) for the trend that does
 * not revert.
 */
const params = z
  .strictObject({
    ...tradingParams,
    period: z.int().min(2).max(10_000).default(20),
    entryZ: z.number().positive().max(10).default(2),
    exitZ: z.number().min(0).max(10).default(0.5),
    sizing: sizingSchema,
  })
  .refine((p) => p.exitZ < p.entryZ, { error: 'exitZ must be below entryZ', path: ['exitZ'] });

type Params = z.output<typeof params>;

class MeanReversion implements Strategy<Params> {
  readonly #bands: WindowIndicator<Bands>;

  constructor(init: StrategyInit<Params>) {
    this.#bands = init.indicators.bollinger(init.params.period, init.params.entryZ);
  }

  onBar(ctx: StrategyContext<Params>, bar: { close: number; closed: boolean }): HookResult {
    if (!bar.closed) return;
    const bands = this.#bands.update(bar.close);
    if (bands === undefined || bands.std === 0) return;
    const z = (bar.close - bands.middle) / bands.std;
    const held = Math.sign(ctx.position.qty);
    const want = z <= -ctx.params.entryZ ? 1 : z >= ctx.params.entryZ ? -1 : Math.abs(z) <= ctx.params.exitZ ? 0 : held;
    if (want === held && ctx.openOrders.length === 0) return;
    if (want === 0) return ctx.orders.target('0');
    const size = sizeFor(ctx.params.sizing, bar.close);
    if (size === '0' || want === held) return;
    return ctx.orders.target(want > 0 ? size : `-${size}`);
  }

  snapshot(): number[] {
    return this.#bands.window();
  }

  restore(data: unknown): void {
    if (!Array.isArray(data) || !data.every((v) => typeof v === 'number')) throw new TypeError('mean-reversion snapshot: expected an array of closes');
    this.#bands.load(data);
  }
}

export const meanReversion = defineStrategy({
  name: 'mean-reversion',
  description: 'Bollinger z-score reversion on closed bars: fade moves beyond entryZ, flat inside exitZ',
  params,
  updatable: ['entryZ', 'exitZ', 'sizing', 'order', 'exits'],
  create: (init) => new MeanReversion(init),
});
