import { describe, expect, it } from 'vitest';
import { EventFactory } from '../../src/core/event-factory.js';
import type { SubmitIntent } from '../../src/workers/strategies/api.js';
import { significant } from '../../src/workers/strategies/orders.js';
import { precheck, type RiskLimitsSnapshot } from '../../src/workers/risk/precheck.js';
import { INSTRUMENT, runnerFor } from './kit.js';

async function builder(order: Record<string, unknown>) {
  const { runner, clock } = await runnerFor({ strategyId: 'o', name: 'sma-cross', params: { fast: 2, slow: 3, size: '1', order } });
  const f = new EventFactory(clock, 'o');
  runner.handle(f.make('market.quote', { instrument: INSTRUMENT, bidPrice: 99.9, bidSize: 1, askPrice: 100.1, askSize: 1 }));
  return { runner, f };
}

/** The submit an exit produces is built by the same OrderBuilder the strategies use; read it via a stop-loss. */
async function orderFor(order: Record<string, unknown>): Promise<SubmitIntent> {
  const { runner, clock } = await runnerFor({ strategyId: 'o', name: 'sma-cross', params: { fast: 2, slow: 3, size: '1', order, exits: { stopLossBps: 1 } } });
  const f = new EventFactory(clock, 'o');
  runner.handle(f.make('fill.received', { fill: { venue: 'sim', instrument: INSTRUMENT, venueTradeId: '1', venueOrderId: 'v', side: 'buy', price: '200', size: '1', fee: '0', feeCurrency: 'USDC', liquidity: 'taker', ts: 0 } }));
  const out = runner.handle(f.make('market.quote', { instrument: INSTRUMENT, bidPrice: 99.9, bidSize: 1, askPrice: 100.1, askSize: 1 }));
  return out.intents[0] as SubmitIntent;
}

describe('order types', () => {
  it('market is an IOC limit bounded by slippageBps from the mid, rounded so the bound never widens', async () => {
    const sell = await orderFor({ type: 'market', slippageBps: 25 });
    expect(sell.order).toMatchObject({ type: 'market', timeInForce: 'IOC', side: 'sell', reduceOnly: true, price: '99.75' });
    expect(sell.slippageBps).toBe(25);
    const ticked = await orderFor({ type: 'market', slippageBps: 33, priceStep: '0.5' });
    // A sell's bound (99.67) rounds up to the tick: tighter, never wider than the configured slippage.
    expect(ticked.order.price).toBe('100');
  });

  it('significant digits round down for buys and up for sells', () => {
    expect(significant(64_999.123_456, 8, true)).toBe('64999.123');
    expect(significant(64_999.123_456, 8, false)).toBe('64999.124');
    expect(significant(0.000_123_456_789, 5, true)).toBe('0.00012345');
    expect(significant(123_456_789.5, 8, false)).toBe('123456790');
    expect(significant(100, 8, true)).toBe('100');
  });

  it('post-only is ALO and keeps the limit type; a runner refuses an unknown type naming the key', async () => {
    const { runner } = await builder({ type: 'post-only' });
    expect(runner.params).toMatchObject({ order: { type: 'post-only' } });
    await expect(runnerFor({ strategyId: 'o', name: 'sma-cross', params: { fast: 2, slow: 3, size: '1', order: { type: 'stop' } } })).rejects.toThrow(/strategies\.o\.params\.order\.type/);
  });
});

describe('worker-side risk pre-check', () => {
  const limits: RiskLimitsSnapshot = { maxOrderSize: 2, maxPositionNotional: 1_000, priceBandBps: 50 };
  const submit = (size: string, price: string, side: 'buy' | 'sell' = 'buy', reduceOnly = false): SubmitIntent => ({
    kind: 'submit', postOnly: false,
    order: { clientOrderId: 'c', strategyId: 's', instrument: INSTRUMENT, side, type: 'limit', size, price, timeInForce: 'GTC', reduceOnly, createdAt: 0 },
  });
  const view = { position: '0', reference: 100, openOrders: [] };

  it('denies with stable codes, the limit and the value', () => {
    expect(precheck(submit('3', '100'), limits, view)).toMatchObject({ code: 'MAX_ORDER_SIZE', limit: '2', value: '3', strategyId: 's' });
    expect(precheck(submit('3', '100'), limits, view)?.reason).toBe('MAX_ORDER_SIZE: order size 3 exceeds 2');
    expect(precheck(submit('1', '101'), limits, view)).toMatchObject({ code: 'PRICE_BAND', limit: '50', value: '100' });
    expect(precheck(submit('1', '100'), limits, { ...view, reference: undefined })?.code).toBe('NO_MARK_PRICE');
    expect(precheck(submit('1', '100'), limits, { ...view, position: '9.5' })).toMatchObject({ code: 'MAX_NOTIONAL', value: '1050' });
    expect(precheck(submit('1', '100', 'sell'), { ...limits, maxPosition: 3 }, { ...view, position: '-2.5' })).toMatchObject({ code: 'MAX_POSITION', limit: '3', value: '3.5' });
  });

  it('counts same-side open orders, lets reduce-only through, and prefers the account position', () => {
    const open = [{ clientOrderId: 'x', side: 'buy' as const, price: 100, remaining: 9.5, status: 'accepted' as const, reduceOnly: false, postOnly: false }];
    expect(precheck(submit('1', '100'), limits, { ...view, openOrders: open })?.code).toBe('MAX_NOTIONAL');
    expect(precheck(submit('1', '100', 'sell', true), limits, { ...view, position: '20' })).toBeUndefined();
    expect(precheck(submit('1', '100'), { ...limits, positions: { [INSTRUMENT]: '9.5' } }, view)?.code).toBe('MAX_NOTIONAL');
    expect(precheck(submit('1', '100'), limits, view)).toBeUndefined();
  });

  it('a runner with limits drops a denied intent and reports the denial instead', async () => {
    const { runner, clock } = await runnerFor({ strategyId: 'big', name: 'sma-cross', params: { fast: 1, slow: 2, size: '5' } });
    runner.limits = limits;
    const f = new EventFactory(clock, 'b');
    const bar = (close: number) => runner.handle(f.make('market.bar', { instrument: INSTRUMENT, interval: '1m', openTime: 0, open: close, high: close, low: close, close, volume: 1, closed: true }));
    bar(100);
    bar(101);
    const out = bar(90);
    expect(out.intents.filter((i) => i.kind === 'submit')).toEqual([]);
    expect(out.denials[0]).toMatchObject({ code: 'MAX_ORDER_SIZE', strategyId: 'big', value: '5' });
  });
});
