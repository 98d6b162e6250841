import ccxt from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, str } from '../../src/core/decimal.js';
import { hyperliquidPrice, hyperliquidPriceProblem, hyperliquidSize, hyperliquidSizeProblem, roundToStep } from '../../src/core/rounding.js';

/**
 * Our Hyperliquid rounding must equal what ccxt 4.5.84 sends (the client the venue sees most), which
 * in turn is what the venue accepts. ccxt is used here as the oracle, over thousands of random prices.
 */
function ccxtWithMarkets() {
  const ex = new ccxt.hyperliquid({});
  const markets = [];
  for (let sz = 0; sz <= 5; sz++) {
    for (const spot of [false, true]) {
      markets.push({
        id: `${spot ? 's' : 'p'}${sz}`, symbol: `T${sz}${spot ? '/USDC' : '/USDC:USDC'}`, base: `T${sz}`, quote: 'USDC',
        settle: spot ? undefined : 'USDC', type: spot ? 'spot' : 'swap', spot, swap: !spot, contract: !spot,
        precision: { amount: Number(`1e-${sz}`), price: 0.1 }, limits: {}, active: true,
      });
    }
  }
  ex.setMarkets(markets as never);
  return ex;
}

const ex = ccxtWithMarkets();
const symbol = (sz: number, spot: boolean) => `T${sz}${spot ? '/USDC' : '/USDC:USDC'}`;
/** Prices across the magnitudes a venue lists: from 1e-6 (memecoins) to 1e6. */
const priceArb = fc.tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: -14, max: -2 })).map(([m, e]) => new Decimal(m).times(new Decimal(10).pow(e)));

describe('Hyperliquid price and size rounding', () => {
  it('matches ccxt priceToPrecision for perps and spot, every szDecimals', () => {
    fc.assert(
      fc.property(priceArb, fc.integer({ min: 0, max: 5 }), fc.boolean(), (px, sz, spot) => {
        const ours = str(hyperliquidPrice(px, sz, spot ? 'spot' : 'perp'));
        const theirs = ex.priceToPrecision(symbol(sz, spot), px.toNumber()) as string;
        expect(ours).toBe(new Decimal(theirs).toFixed() === '0' ? '0' : new Decimal(theirs).toFixed());
      }),
      { numRuns: 5000 },
    );
  });

  it('matches ccxt amountToPrecision (round half up, not truncate)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 0, max: 5 }), (m, sz) => {
        const amount = new Decimal(m).div(1e7);
        const ours = hyperliquidSize(amount, sz);
        if (ours.isZero()) return; // ccxt throws InvalidOrder there; we return 0 and the validator refuses it
        expect(str(ours)).toBe(new Decimal(ex.amountToPrecision(symbol(sz, false), amount.toNumber()) as string).toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('documented examples', () => {
    expect(str(hyperliquidPrice('65000.49', 5, 'perp'))).toBe('65000');
    expect(str(hyperliquidPrice('65000.5', 5, 'perp'))).toBe('65001');
    expect(str(hyperliquidPrice('123456.7', 5, 'perp'))).toBe('123457');
    expect(str(hyperliquidPrice('3456.789123', 4, 'perp'))).toBe('3456.8');
    expect(str(hyperliquidPrice('0.123456789', 2, 'perp'))).toBe('0.1235');
    expect(str(hyperliquidPrice('0.000012345678', 0, 'spot'))).toBe('0.00001235');
    expect(str(hyperliquidPrice('0.0012345678', 5, 'perp'))).toBe('0');
    expect(str(hyperliquidSize('0.000016', 5))).toBe('0.00002');
    expect(str(hyperliquidSize('1.005', 2))).toBe('1.01');
  });

  it('every rounded price passes the venue validator, and the validator refuses what the venue refuses', () => {
    fc.assert(
      fc.property(priceArb, fc.integer({ min: 0, max: 5 }), fc.boolean(), (px, sz, spot) => {
        const rounded = hyperliquidPrice(px, sz, spot ? 'spot' : 'perp');
        if (rounded.isZero()) expect(hyperliquidPriceProblem(rounded, sz, spot ? 'spot' : 'perp')).toMatch(/positive/);
        else expect(hyperliquidPriceProblem(rounded, sz, spot ? 'spot' : 'perp')).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    expect(hyperliquidPriceProblem(new Decimal('123456'), 5, 'perp')).toBeUndefined(); // integers always pass
    expect(hyperliquidPriceProblem(new Decimal('65000.5'), 5, 'perp')).toMatch(/significant/);
    expect(hyperliquidPriceProblem(new Decimal('1.25'), 5, 'perp')).toMatch(/decimals/);
    expect(hyperliquidPriceProblem(new Decimal('3456.78'), 4, 'perp')).toMatch(/significant/);
    expect(hyperliquidSizeProblem(new Decimal('0.000001'), 5)).toMatch(/decimals/);
    expect(hyperliquidSizeProblem(new Decimal('0'), 5)).toMatch(/positive/);
  });

  it('rounds to tick and lot steps for step venues', () => {
    expect(str(roundToStep('65000.17', '0.1'))).toBe('65000.2');
    expect(str(roundToStep('65000.17', '0.1', 'down'))).toBe('65000.1');
    expect(str(roundToStep('0.0019', '0.001', 'down'))).toBe('0.001');
    expect(() => roundToStep('1', '0')).toThrow(/step must be positive/);
  });
});
