import { describe, expect, it } from 'vitest';
import { EventFactory } from '../../src/core/event-factory.js';
import { readCandles } from '../../src/data/candles.js';
import { dataPath } from '../../src/data/paths.js';
import type { SubmitIntent, StrategyIntent } from '../../src/workers/strategies/api.js';
import { INSTRUMENT, runnerFor } from './kit.js';

const PARAMS = { size: '0.1', maxInventory: '0.3', halfSpreadBps: 10, skewBps: 20, requoteBps: 2 };

async function maker(params: Record<string, unknown> = PARAMS) {
  const { runner, clock } = await runnerFor({ strategyId: 'mm', name: 'market-maker', params });
  const factory = new EventFactory(clock, 'm');
  const quote = (bid: number, ask: number) => runner.handle(factory.make('market.quote', { instrument: INSTRUMENT, bidPrice: bid, bidSize: 1, askPrice: ask, askSize: 1 })).intents;
  const fill = (side: 'buy' | 'sell', size: string, clientOrderId: string) =>
    runner.handle(factory.make('fill.received', { fill: { venue: 'sim', instrument: INSTRUMENT, venueTradeId: `${clientOrderId}-${side}-${size}`, venueOrderId: 'v', clientOrderId, side, price: '100', size, fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: 1 } })).intents;
  return { runner, quote, fill };
}

const submits = (intents: readonly StrategyIntent[]) => intents.filter((i): i is SubmitIntent => i.kind === 'submit');
const priceOf = (intents: readonly StrategyIntent[], side: 'buy' | 'sell') => Number(submits(intents).find((i) => i.order.side === side)?.order.price);

describe('market-maker', () => {
  it('quotes post-only (ALO) on both sides around the mid', async () => {
    const { quote } = await maker();
    const intents = quote(99.99, 100.01);
    expect(submits(intents)).toHaveLength(2);
    for (const s of submits(intents)) {
      expect(s.postOnly).toBe(true);
      expect(s.order.timeInForce).toBe('ALO');
      expect(s.order.type).toBe('limit');
    }
    expect(priceOf(intents, 'buy')).toBeCloseTo(99.9, 6);
    expect(priceOf(intents, 'sell')).toBeCloseTo(100.1, 6);
  });

  it('skews both quotes against its inventory', async () => {
    const flat = await maker();
    const flatQuotes = flat.quote(99.99, 100.01);
    const long = await maker();
    const first = long.quote(99.99, 100.01);
    const bid = submits(first).find((s) => s.order.side === 'buy')!;
    const afterFill = long.fill('buy', '0.1', bid.order.clientOrderId);
    // Long 0.1 of 0.3: reservation moves down by 20 bps x 1/3 -> both quotes lower than when flat.
    expect(priceOf(afterFill, 'buy')).toBeLessThan(priceOf(flatQuotes, 'buy'));
    expect(priceOf(afterFill, 'sell')).toBeLessThan(priceOf(flatQuotes, 'sell'));
    expect(priceOf(afterFill, 'sell')).toBeCloseTo(100 * (1 - 0.002 / 3) * 1.001, 4);
  });

  it('cancels and replaces only when the wanted price moved requoteBps or more', async () => {
    const { quote } = await maker();
    const first = quote(99.99, 100.01);
    expect(quote(99.995, 100.015)).toEqual([]); // 0.5 bps: keep the resting quotes
    const moved = quote(100.09, 100.11); // 10 bps
    const cancelled = moved.filter((i) => i.kind === 'cancel').map((i) => (i.kind === 'cancel' ? i.clientOrderId : ''));
    expect(cancelled.sort()).toEqual(submits(first).map((s) => s.order.clientOrderId).sort());
    expect(submits(moved)).toHaveLength(2);
  });

  it('stops quoting the side that would take inventory past maxInventory', async () => {
    const { quote, fill } = await maker({ ...PARAMS, maxInventory: '0.1' });
    const bid = submits(quote(99.99, 100.01)).find((s) => s.order.side === 'buy')!;
    const after = fill('buy', '0.1', bid.order.clientOrderId);
    expect(submits(after).map((s) => s.order.side)).toEqual(['sell']);
  });
});

describe('market-maker on recorded BTC candles', () => {
  it('keeps inventory within maxInventory and at most one live post-only quote a side, fills and all', async () => {
    const candles = readCandles(dataPath('BTC_USDC_USDC-1m-futures.csv')).slice(0, 2_000);
    const { runner, clock } = await runnerFor({ strategyId: 'mm', name: 'market-maker', params: { size: '0.01', maxInventory: '0.03', halfSpreadBps: 2, skewBps: 4, requoteBps: 1 } });
    const f = new EventFactory(clock, 'r');
    const resting = new Map<string, SubmitIntent>();
    let fills = 0;
    // What the venue does with intents: submits rest, cancels are acknowledged at once.
    const apply = (intents: readonly StrategyIntent[], ts: number): void => {
      for (const i of intents) {
        if (i.kind === 'submit') resting.set(i.order.clientOrderId, i);
        if (i.kind !== 'cancel') continue;
        const order = resting.get(i.clientOrderId)?.order;
        if (order === undefined) continue; // already filled
        resting.delete(i.clientOrderId);
        apply(runner.handle(f.make('order.updated', { order: { ...order, status: 'cancelled', filledSize: '0', avgFillPrice: '0', updatedAt: ts } })).intents, ts);
      }
    };
    for (const c of candles) {
      clock.set(c.openTime);
      // Quote around the open, one tick wide; then the bar's range decides which resting quotes traded.
      const open = Number(c.open);
      apply(runner.handle(f.make('market.quote', { instrument: INSTRUMENT, bidPrice: open - 0.5, bidSize: 1, askPrice: open + 0.5, askSize: 1 })).intents, c.openTime);
      for (const q of [...resting.values()]) {
        expect(q.postOnly).toBe(true);
        const px = Number(q.order.price);
        const traded = q.order.side === 'buy' ? Number(c.low) < px : Number(c.high) > px;
        if (!traded) continue;
        resting.delete(q.order.clientOrderId);
        fills++;
        const fill = { venue: 'sim', instrument: INSTRUMENT, venueTradeId: `t${fills}`, venueOrderId: 'v', clientOrderId: q.order.clientOrderId, side: q.order.side, price: q.order.price, size: q.order.size, fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: c.openTime } as const;
        apply(runner.handle(f.make('fill.received', { fill })).intents, c.openTime);
      }
      const inventory = Number(runner.snapshot().position.size);
      expect(Math.abs(inventory)).toBeLessThanOrEqual(0.03 + 1e-12);
      const sides = [...resting.values()].map((q) => q.order.side);
      expect(sides.filter((s) => s === 'buy').length).toBeLessThanOrEqual(1);
      expect(sides.filter((s) => s === 'sell').length).toBeLessThanOrEqual(1);
    }
    expect(fills).toBeGreaterThan(100);
  });
});
