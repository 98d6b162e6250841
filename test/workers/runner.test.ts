import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import { ConfigError } from '../../src/core/errors.js';
import { defineStrategy, STRATEGY_API_VERSION, type StrategyContext } from '../../src/workers/strategies/api.js';
import { builtInStrategies, resolveStrategy } from '../../src/workers/strategies/registry.js';
import { StrategyRunner } from '../../src/workers/strategies/runner.js';
import { INSTRUMENT } from './kit.js';

/** Misbehaves on command: price 13 throws, price 7 returns something that is not a list of intents. */
const unruly = defineStrategy({
  name: 'unruly',
  description: 'test',
  params: z.strictObject({ level: z.number().default(1), fixed: z.string().default('x') }),
  updatable: ['level'],
  create: () => new Unruly(),
});

class Unruly {
  readonly seen: number[] = [];

  onTrade(ctx: StrategyContext<{ level: number }>, t: { price: number }) {
    if (t.price === 13) throw new Error('unlucky');
    if (t.price === 7) return 'buy please' as never;
    this.seen.push(t.price * ctx.params.level);
    return [];
  }

  snapshot() {
    return this.seen;
  }
}

function unrulyRunner() {
  const clock = new SimulatedClock(0);
  const runner = new StrategyRunner(unruly, { strategyId: 'u', name: 'unruly', instrument: INSTRUMENT, params: {} }, clock);
  const f = new EventFactory(clock, 'u');
  const trade = (price: number) => runner.handle(f.make('market.trade', { instrument: INSTRUMENT, price, size: 1, aggressor: 'buy', tradeId: String(price) }));
  return { runner, trade };
}

describe('strategy runner', () => {
  it('turns a throw in user code into a STRATEGY_FAILED error for that event only', () => {
    const { runner, trade } = unrulyRunner();
    expect(trade(1).errors).toEqual([]);
    const failed = trade(13);
    expect(failed.errors).toEqual([{ code: 'STRATEGY_FAILED', hook: 'onTrade', message: 'STRATEGY_FAILED: u.onTrade threw: unlucky' }]);
    expect(failed.intents).toEqual([]);
    expect(trade(2).errors).toEqual([]);
    expect(runner.snapshot().strategy).toEqual([1, 2]);
  });

  it('refuses a hook result that is not a list of intents', () => {
    const { trade } = unrulyRunner();
    expect(trade(7).errors[0]?.message).toContain('onTrade returned string, expected an array of intents or nothing');
  });

  it('changes only updatable params at runtime, re-validated by the schema', () => {
    const { runner, trade } = unrulyRunner();
    runner.setParams({ level: 10 });
    trade(3);
    expect(runner.snapshot().strategy).toEqual([30]);
    expect(() => runner.setParams({ fixed: 'y' })).toThrow(ConfigError);
    expect(() => runner.setParams({ level: 'high' })).toThrow(/strategies\.u\.params\.level/);
  });

  it('ignores market data of other instruments', () => {
    const { runner } = unrulyRunner();
    const f = new EventFactory(new SimulatedClock(0), 'o');
    runner.handle(f.make('market.trade', { instrument: 'sim:ETH-PERP', price: 5, size: 1, aggressor: 'buy', tradeId: '1' }));
    expect(runner.snapshot().strategy).toEqual([]);
  });

  it('top of book comes from whichever of quote and book arrived last; a quote leaves the depth alone', () => {
    const seen: (number | undefined)[][] = [];
    const watcher = defineStrategy({
      name: 'watcher', description: 'test', params: z.strictObject({}), updatable: [],
      create: () => ({ onBook: (ctx: StrategyContext) => void seen.push([ctx.market.bid, ctx.market.ask, ctx.market.reference]) }),
    });
    const clock = new SimulatedClock(0);
    const runner = new StrategyRunner(watcher, { strategyId: 'w', name: 'watcher', instrument: INSTRUMENT, params: {} }, clock);
    const f = new EventFactory(clock, 'w');
    const lv = (price: number, size: number) => ({ price, size });
    runner.handle(f.make('market.book', { instrument: INSTRUMENT, bids: [lv(99, 1), lv(98, 1)], asks: [lv(101, 1), lv(102, 1)], snapshot: true }));
    runner.handle(f.make('market.quote', { instrument: INSTRUMENT, bidPrice: 99.5, bidSize: 2, askPrice: 100.5, askSize: 2 }));
    // A diff removes the best levels: the book (not wiped by the quote) still knows the next ones.
    runner.handle(f.make('market.book', { instrument: INSTRUMENT, bids: [lv(99, 0)], asks: [lv(101, 0)], snapshot: false }));
    expect(seen).toEqual([[99, 101, 100], [99.5, 100.5, 100], [98, 102, 100]]);
  });
});

describe('strategy registry', () => {
  it('lists the three built-ins, all on this API version', async () => {
    expect(builtInStrategies()).toEqual(['market-maker', 'mean-reversion', 'sma-cross']);
    for (const name of builtInStrategies()) expect((await resolveStrategy(name)).apiVersion).toBe(STRATEGY_API_VERSION);
  });

  it('refuses an unknown name and a plug-in built for another API version', async () => {
    await expect(resolveStrategy('martingale')).rejects.toThrow('unknown strategy "martingale"; built in: market-maker, mean-reversion, sma-cross');
    const old = `data:text/javascript,export default { apiVersion: 0, name: 'old', create() {}, params: { safeParse() {} } }`;
    await expect(resolveStrategy('old', old)).rejects.toThrow('is built for strategy API 0, this engine runs 1');
  });
});
