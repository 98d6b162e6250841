import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { OrderBook } from '../../../src/core/order-book.js';
import type { Instrument, OrderIntent } from '../../../src/core/types.js';
import { hyperliquidCloid } from '../../../src/main/exchange/hyperliquid/cloid.js';
import { clientOrderIdFor } from '../../../src/main/execution/client-id.js';
import { boundMarketIntent } from '../../../src/main/execution/slippage.js';
import { OrderThrottle } from '../../../src/main/execution/throttle.js';
import { limitsFor } from '../risk/limits-fixture.js';
import { FakeVenue } from './fake-venue.js';
import { executionKit } from './kit.js';

const BTC: Instrument = {
  id: 'hyperliquid:BTC-PERP', venue: 'hyperliquid', venueSymbol: 'BTC', kind: 'perp', base: 'BTC', quote: 'USDC',
  priceRule: { kind: 'hyperliquid', market: 'perp' }, lotSize: '0.00001', sizeDecimals: 5, minNotional: '10',
};
const market = (side: 'buy' | 'sell', size: string, price = '0'): OrderIntent => ({
  clientOrderId: 'c', strategyId: 's', instrument: BTC.id, side, type: 'market', size, price, timeInForce: 'IOC', reduceOnly: false, createdAt: 0,
});
function book(): OrderBook {
  const b = new OrderBook();
  b.applySnapshot([{ price: 64990, size: 0.5 }, { price: 64900, size: 2 }], [{ price: 65010, size: 0.01 }, { price: 65020, size: 1 }, { price: 65500, size: 5 }]);
  return b;
}

describe('client order ids', () => {
  it('are deterministic per (strategy, sequence), distinct otherwise, and fit every venue', () => {
    const id = clientOrderIdFor('sma-1', 7);
    expect(id).toBe(clientOrderIdFor('sma-1', 7));
    expect(id).not.toBe(clientOrderIdFor('sma-1', 8));
    expect(id).not.toBe(clientOrderIdFor('sma-2', 7));
    expect(id).toMatch(/^o[0-9a-f]{32}$/);
    expect(hyperliquidCloid(id)).toMatch(/^0x[0-9a-f]{32}$/);
    expect(() => clientOrderIdFor('s', -1)).toThrow(RangeError);
  });
});

describe('slippage bounds for market intents', () => {
  it('turns a market buy into an IOC at most maxSlippageBps above the best ask, rounded down to a valid price', () => {
    const out = boundMarketIntent(market('buy', '0.5'), book(), BTC, { maxSlippageBps: 10 });
    // 65010 * 1.001 = 65075.01 -> 5 significant figures, rounded toward the buyer: 65075.
    expect(out).toEqual({ ok: true, intent: expect.objectContaining({ type: 'market', timeInForce: 'IOC', price: '65075' }) });
  });

  it('rounds a sell bound up, and keeps a tighter bound the strategy asked for', () => {
    expect(boundMarketIntent(market('sell', '0.4'), book(), BTC, { maxSlippageBps: 10 })).toMatchObject({ ok: true, intent: { price: '64926' } });
    expect(boundMarketIntent(market('sell', '0.4', '64980'), book(), BTC, { maxSlippageBps: 10 })).toMatchObject({ ok: true, intent: { price: '64980' } });
  });

  it('refuses when the book within the bound cannot take the size, or there is no book', () => {
    expect(boundMarketIntent(market('buy', '2'), book(), BTC, { maxSlippageBps: 10 })).toEqual({
      ok: false, denial: { code: 'BOOK_TOO_THIN', reason: 'only 1.01 of 2 available within 10 bps of 65010', limit: '1.01', value: '2' },
    });
    expect(boundMarketIntent(market('buy', '1'), new OrderBook(), BTC)).toMatchObject({ ok: false, denial: { code: 'NO_BOOK' } });
  });

  it('leaves limit intents alone', () => {
    const limit = { ...market('buy', '9'), type: 'limit' as const, price: '1', timeInForce: 'GTC' as const };
    expect(boundMarketIntent(limit, undefined, BTC)).toEqual({ ok: true, intent: limit });
  });
});

describe('order throttle', () => {
  it('passes a burst, then refuses locally (never sent) when no token comes within the wait', async () => {
    const clock = new SimulatedClock(0);
    const throttle = new OrderThrottle('sim', clock, { perSecond: 1, burst: 2, maxWaitMs: 5 });
    await throttle.acquire();
    await throttle.acquire();
    await expect(throttle.acquire()).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { local: true, sent: false } });
    clock.advance(1_000);
    await expect(throttle.acquire()).resolves.toBeUndefined();
  });
});

describe('cancel', () => {
  it('an order that filled before the cancel arrived is recorded filled, not cancelled', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    let venue!: FakeVenue;
    const kit = await executionKit({ clock, limits: limitsFor(), marks: { 'sim:X': '100' }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })) });
    try {
      const placed = await kit.executor.submit({ intentSeq: 1, strategyId: 's', instrument: 'sim:X', side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false });
      await kit.executor.stop();
      venue.fill(placed.clientOrderId, new Decimal(1));
      expect(await kit.executor.cancel(placed.clientOrderId)).toBe('final');
      expect(kit.store.getOrder(placed.clientOrderId)).toMatchObject({ status: 'filled', filledSize: '1' });
      expect((await kit.store.orderHistory(placed.clientOrderId)).map((o) => o.status)).toEqual(['pending', 'submitted', 'accepted', 'cancelling', 'filled']);
    } finally {
      await kit.close();
    }
  });
});
