import { describe, expect, it } from 'vitest';
import { EventFactory } from '../../src/core/event-factory.js';
import type { PositionView } from '../../src/workers/strategies/api.js';
import { ExitTracker, exitsSchema } from '../../src/workers/strategies/exits.js';
import { sizeFor, sizingSchema } from '../../src/workers/strategies/sizing.js';
import { INSTRUMENT, runnerFor } from './kit.js';

const long = (entryPrice: number, openedAt = 0): PositionView => ({ instrument: INSTRUMENT, size: '1', qty: 1, entryPrice, openedAt });
const short = (entryPrice: number): PositionView => ({ instrument: INSTRUMENT, size: '-1', qty: -1, entryPrice, openedAt: 0 });

describe('exits', () => {
  it('take-profit and stop-loss in bps of entry, for longs and shorts', () => {
    const config = exitsSchema.parse({ takeProfitBps: 100, stopLossBps: 50 });
    expect(new ExitTracker().check(config, long(100), 100.99, 1)).toBeUndefined();
    expect(new ExitTracker().check(config, long(100), 101, 1)).toBe('take-profit');
    expect(new ExitTracker().check(config, long(100), 99.5, 1)).toBe('stop-loss');
    expect(new ExitTracker().check(config, short(100), 99, 1)).toBe('take-profit');
    expect(new ExitTracker().check(config, short(100), 100.5, 1)).toBe('stop-loss');
  });

  it('trailing stop follows the best price since the position opened', () => {
    const config = exitsSchema.parse({ trailingStopBps: 100 });
    const t = new ExitTracker();
    expect(t.check(config, long(100), 110, 1)).toBeUndefined();
    expect(t.check(config, long(100), 109, 2)).toBeUndefined(); // 0.9% off the best
    expect(t.check(config, long(100), 108.8, 3)).toBe('trailing-stop'); // over 1% off 110
    // A restored tracker remembers the best price.
    const restored = new ExitTracker();
    restored.restore(t.snapshot());
    expect(restored.check(config, long(100), 108.8, 4)).toBe('trailing-stop');
  });

  it('time stop after maxHoldMs of clock time', () => {
    const config = exitsSchema.parse({ maxHoldMs: 60_000 });
    expect(new ExitTracker().check(config, long(100, 1_000), 100, 60_999)).toBeUndefined();
    expect(new ExitTracker().check(config, long(100, 1_000), 100, 61_000)).toBe('time-stop');
  });

  it('the runner closes a tripped position with one reduce-only bounded IOC, whatever the strategy does', async () => {
    const params = { fast: 2, slow: 3, size: '1', order: { type: 'limit' }, exits: { stopLossBps: 100 } };
    const { runner, clock } = await runnerFor({ strategyId: 's', name: 'sma-cross', params });
    const f = new EventFactory(clock, 'x');
    runner.handle(f.make('fill.received', { fill: { venue: 'sim', instrument: INSTRUMENT, venueTradeId: '1', venueOrderId: 'v', side: 'buy', price: '100', size: '1', fee: '0', feeCurrency: 'USDC', liquidity: 'taker', ts: 0 } }));
    const trade = (price: number) => runner.handle(f.make('market.trade', { instrument: INSTRUMENT, price, size: 1, aggressor: 'sell', tradeId: String(price) }));
    expect(trade(99.5).intents).toEqual([]);
    const out = trade(98.9);
    expect(out.intents).toHaveLength(1);
    expect(out.intents[0]).toMatchObject({ kind: 'submit', order: { side: 'sell', size: '1', reduceOnly: true, type: 'market', timeInForce: 'IOC' } });
    expect(out.logs[0]?.message).toBe('exit: stop-loss');
    expect(trade(98.8).intents).toEqual([]); // the exit is in flight: not sent twice
  });
});

describe('sizing', () => {
  it('fixed, notional and risk-based, rounding down to the step', () => {
    expect(sizeFor(sizingSchema.parse({ mode: 'fixed', size: '0.25' }), 123)).toBe('0.25');
    expect(sizeFor(sizingSchema.parse({ mode: 'notional', quote: 1000, step: '0.001' }), 30_000)).toBe('0.033');
    // Risk 100 with a stop 50 bps away at 20,000: 100 / (20,000 x 0.005) = 1.
    expect(sizeFor(sizingSchema.parse({ mode: 'risk', riskQuote: 100, stopBps: 50 }), 20_000)).toBe('1');
    expect(sizeFor(sizingSchema.parse({ mode: 'notional', quote: 1, step: '1' }), 30_000)).toBe('0');
  });

  it('refuses an unknown mode and names it', () => {
    expect(sizingSchema.safeParse({ mode: 'martingale' }).success).toBe(false);
  });
});
