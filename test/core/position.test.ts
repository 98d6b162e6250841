import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { applyFill, entryPrice, flatPosition, unrealisedPnl } from '../../src/core/position.js';
import type { Side } from '../../src/core/types.js';

/** Fills drawn the way a venue would report them: prices on a 0.1 grid, sizes on BTC's 1e-5 lot. */
const fillArb = fc.record({
  side: fc.constantFrom<Side>('buy', 'sell'),
  priceTicks: fc.integer({ min: 1, max: 2_000_000 }),
  lots: fc.integer({ min: 1, max: 500_000 }),
  feeMicros: fc.integer({ min: -1_000, max: 1_000_000 }),
});
type FillSpec = { side: Side; priceTicks: number; lots: number; feeMicros: number };

function toFill(f: FillSpec, ts: number) {
  return {
    side: f.side,
    price: new Decimal(f.priceTicks).div(10).toFixed(),
    size: new Decimal(f.lots).div(100_000).toFixed(),
    fee: new Decimal(f.feeMicros).div(1_000_000).toFixed(),
    ts,
  };
}

describe('position accounting', () => {
  it('position size is always the signed sum of the fills', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 60 }), (specs) => {
        let pos = flatPosition('hyperliquid:BTC-PERP');
        let expected = new Decimal(0);
        specs.forEach((spec, i) => {
          const fill = toFill(spec, i);
          pos = applyFill(pos, fill);
          expected = spec.side === 'buy' ? expected.plus(fill.size) : expected.minus(fill.size);
        });
        expect(pos.size).toBe(expected.isZero() ? '0' : expected.toFixed());
      }),
      { numRuns: 500 },
    );
  });

  it('realised plus unrealised PnL equals the cash flows plus the mark value, exactly', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 2_000_000 }), (specs, markTicks) => {
        let pos = flatPosition('hyperliquid:BTC-PERP');
        let cash = new Decimal(0);
        specs.forEach((spec, i) => {
          const fill = toFill(spec, i);
          pos = applyFill(pos, fill);
          const notional = new Decimal(fill.price).times(fill.size);
          cash = spec.side === 'buy' ? cash.minus(notional) : cash.plus(notional);
        });
        const mark = new Decimal(markTicks).div(10);
        const total = new Decimal(pos.realisedPnl).plus(unrealisedPnl(pos, mark));
        const expected = cash.plus(new Decimal(pos.size).times(mark));
        expect(total.eq(expected)).toBe(true);
        // Fees are kept apart from PnL and are their exact sum.
        const fees = specs.reduce((s, f) => s.plus(new Decimal(f.feeMicros).div(1_000_000)), new Decimal(0));
        expect(new Decimal(pos.fees).eq(fees)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a flat position carries no cost, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 30 }), (specs) => {
        let pos = flatPosition('x');
        specs.forEach((spec, i) => (pos = applyFill(pos, toFill(spec, i))));
        // Close it out with one opposite fill.
        const size = new Decimal(pos.size);
        if (!size.isZero()) pos = applyFill(pos, { side: size.isPositive() ? 'sell' : 'buy', price: '100', size: size.abs().toFixed(), fee: '0', ts: 99 });
        expect(pos.size).toBe('0');
        expect(pos.cost).toBe('0');
        expect(entryPrice(pos).isZero()).toBe(true);
      }),
    );
  });

  it('a worked example: open, add, partly close, reverse', () => {
    let pos = flatPosition('BTC');
    pos = applyFill(pos, { side: 'buy', price: '100000', size: '0.1', fee: '0.45', ts: 1 });
    pos = applyFill(pos, { side: 'buy', price: '101000', size: '0.1', fee: '0.45', ts: 2 });
    expect(entryPrice(pos).toFixed()).toBe('100500');
    pos = applyFill(pos, { side: 'sell', price: '102000', size: '0.05', fee: '0.2', ts: 3 });
    expect(pos.realisedPnl).toBe('75');
    pos = applyFill(pos, { side: 'sell', price: '99000', size: '0.25', fee: '1', ts: 4 });
    // Closes 0.15 at 99000 against a 100500 entry (-225), then opens 0.1 short at 99000.
    expect(pos.realisedPnl).toBe('-150');
    expect(pos.size).toBe('-0.1');
    expect(entryPrice(pos).toFixed()).toBe('99000');
    expect(pos.fees).toBe('2.1');
  });

  it('refuses fills that no venue could send', () => {
    const pos = flatPosition('BTC');
    expect(() => applyFill(pos, { side: 'buy', price: '100', size: '0', fee: '0', ts: 1 })).toThrow(/size must be positive/);
    expect(() => applyFill(pos, { side: 'buy', price: '-1', size: '1', fee: '0', ts: 1 })).toThrow(/price must be positive/);
    expect(() => applyFill(pos, { side: 'buy', price: 'NaN', size: '1', fee: '0', ts: 1 })).toThrow(/fill.price/);
  });
});
