import { z } from 'zod';
import type { WindowIndicator } from './indicators.js';
import { defineStrategy, type HookResult, type Strategy, type StrategyContext, type StrategyInit } from './api.js';
import { baseSize, tradingParams } from './params.js';

/**
 * `sma-cross` exactly as CONTRACTS.md defines it: on each closed bar, the simple moving averages of the
 * last `fast` and `slow` closes; fast crossing above slow targets +size, crossing below targets -size
 * (reversing through zero in one order), and it stays in the market. A cross is a change of the sign of
 * fast - slow against the last non-zero sign, so touching (fast == slow) and returning is no cross, and
 * the first sign seen only sets the state: no trade until the first real cross.
 */
const params = z
  .strictObject({ fast: z.int().min(1).max(10_000), slow: z.int().min(2).max(10_000), size: baseSize, ...tradingParams })
  .refine((p) => p.fast < p.slow, { error: 'fast must be shorter than slow', path: ['fast'] });

type Params = z.output<typeof params>;

interface Saved {
  closes: number[];
  lastSign: number;
}

class SmaCross implements Strategy<Params> {
  readonly #fast: WindowIndicator<number>;
  readonly #slow: WindowIndicator<number>;
  /** Sign of fast - slow at the last bar where they differed; 0 before the averages exist. */
  #lastSign = 0;

  constructor(init: StrategyInit<Params>) {
    this.#fast = init.indicators.sma(init.params.fast);
    this.#slow = init.indicators.sma(init.params.slow);
  }

  onBar(ctx: StrategyContext<Params>, bar: { close: number; closed: boolean }): HookResult {
    if (!bar.closed) return;
    const fast = this.#fast.update(bar.close);
    const slow = this.#slow.update(bar.close);
    if (fast === undefined || slow === undefined) return;
    const sign = Math.sign(fast - slow);
    if (sign === 0) return;
    const previous = this.#lastSign;
    this.#lastSign = sign;
    if (previous === 0 || previous === sign) return;
    const size = ctx.params.size;
    return ctx.orders.target(sign > 0 ? size : `-${size}`);
  }

  snapshot(): Saved {
    return { closes: this.#slow.window(), lastSign: this.#lastSign };
  }

  restore(data: unknown): void {
    const saved = data as Partial<Saved>;
    if (!Array.isArray(saved.closes) || typeof saved.lastSign !== 'number') throw new TypeError('sma-cross snapshot: expected { closes, lastSign }');
    this.#fast.load(saved.closes);
    this.#slow.load(saved.closes);
    this.#lastSign = saved.lastSign;
  }
}

export const smaCross = defineStrategy({
  name: 'sma-cross',
  description: 'fast/slow simple moving average crossover on closed bars; always in the market after the first cross',
  params,
  updatable: ['size', 'order', 'exits'],
  create: (init) => new SmaCross(init),
});
