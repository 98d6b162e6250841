import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/core/types.js';
import { Routes } from '../../../src/main/strategy-host/routes.js';

const fill = (clientOrderId: string): Fill => ({
  venue: 'sim', instrument: 'sim:BTC-PERP', venueTradeId: `t-${clientOrderId}`, venueOrderId: 'v', clientOrderId, side: 'buy', price: '1', size: '1', fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: 0,
});

describe('strategy routes', () => {
  it('routes a fill to the strategy that placed the order, however its id reads', () => {
    const routes = new Routes<string>();
    routes.add('mm', 'sim:BTC-PERP', 'w0');
    routes.add('mm-eth', 'sim:ETH-PERP', 'w0');
    // An id that the prefix rule would give to mm-eth, placed by mm: the remembered owner wins.
    routes.placed('mm-eth-odd-1', 'mm');
    expect(routes.ownerOfFill(fill('mm-eth-odd-1'))).toBe('mm');
    // Never placed in this run (before a restart): the longest strategy id that prefixes it.
    expect(routes.ownerOfFill(fill('mm-eth-lq2x-7'))).toBe('mm-eth');
    expect(routes.ownerOfFill(fill('mm-lq2x-7'))).toBe('mm');
    expect(routes.ownerOfFill(fill('other-1'))).toBeUndefined();
  });

  it('keeps the owners of the last two generations of orders; without a store, the prefix finds older ones', () => {
    const routes = new Routes<string>();
    routes.add('a', 'sim:BTC-PERP', 'w0');
    routes.add('a-b', 'sim:ETH-PERP', 'w0');
    routes.placed('a-b-first', 'a');
    for (let i = 0; i < 4_095; i++) routes.placed(`a-filler-${i}`, 'a');
    // 4,096 placed: the first still in the current generation; one more moves it to the older one.
    routes.placed('a-next', 'a');
    expect(routes.ownerOfFill(fill('a-b-first'))).toBe('a');
    for (let i = 0; i < 4_096; i++) routes.placed(`a-more-${i}`, 'a');
    // Two generations later it is forgotten, and its id now reads as a-b's.
    expect(routes.ownerOfFill(fill('a-b-first'))).toBe('a-b');
    expect(routes.ownerOfFill(fill('a-next'))).toBe('a');
  });

  it('with the order store, asks it for orders it no longer remembers, and never guesses from the prefix', () => {
    const stored = new Map([['a-b-first', 'a']]);
    const routes = new Routes<string>((id) => stored.get(id));
    routes.add('a', 'sim:BTC-PERP', 'w0');
    routes.add('a-b', 'sim:ETH-PERP', 'w0');
    routes.placed('a-b-first', 'a');
    for (let i = 0; i < 8_192; i++) routes.placed(`a-filler-${i}`, 'a');
    expect(routes.ownerOfFill(fill('a-b-first'))).toBe('a');
    // Not an order this engine placed (the store would know it): no strategy's, whatever its id reads.
    expect(routes.ownerOfFill(fill('a-b-lq2x-7'))).toBeUndefined();
    expect(routes.ownerOfFill(fill('a-filler-8191'))).toBe('a');
  });
});
