import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { direction } from '../../../src/sim/engine/accounts.js';
import { feeFor } from '../../../src/sim/engine/wire.js';
import { ALICE, BOB, order, scriptedVenue } from './scripted.js';

describe('fees', () => {
  it('charges 0.045% to the taker and 0.015% to the maker, in USDC', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ isBuy: false, price: '100008', size: '0.1' })]);
    venue.place(BOB, [order({ price: '100008', size: '0.1', tif: 'Ioc' })]);
    // 0.1 x 100008 = 10000.8 notional.
    expect(venue.userFills(ALICE)).toMatchObject([{ fee: '1.50012', feeToken: 'USDC', crossed: false, px: '100008.0' }]);
    expect(venue.userFills(BOB)).toMatchObject([{ fee: '4.50036', feeToken: 'USDC', crossed: true, px: '100008.0' }]);
    expect(venue.inspect(ALICE)?.cash).toBe('99998.49988');
    expect(venue.inspect(BOB)?.cash).toBe('99995.49964');
  });

  it('cuts fees to 6 decimals as the venue does (truncation, not rounding)', () => {
    expect(feeFor(new Decimal('123.0123'), new Decimal('0.00045')).toFixed()).toBe('0.055355'); // 0.055355535
    // The live example: 0.214 ETH @ 2354.8 at 0.0144% is 0.0725655168; Hyperliquid charged 0.072565.
    expect(feeFor(new Decimal('0.214').times('2354.8'), new Decimal('0.000144')).toFixed()).toBe('0.072565');
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ price: '100010', size: '0.00123', tif: 'Ioc' })]);
    expect(venue.userFills(ALICE)[0]?.fee).toBe('0.055355');
  });

  it('takes configured fee rates, including a maker rebate', () => {
    const { venue } = scriptedVenue({}, { fees: { taker: '0.0005', maker: '-0.0001' } });
    venue.place(ALICE, [order({ isBuy: false, price: '100008', size: '0.1' })]);
    venue.place(BOB, [order({ price: '100008', size: '0.1', tif: 'Ioc' })]);
    expect(venue.userFills(BOB)[0]?.fee).toBe('5.0004');
    // A rebate is a negative fee, paid to the maker.
    expect(venue.userFills(ALICE)[0]?.fee).toBe('-1.00008');
    expect(venue.inspect(ALICE)?.cash).toBe('100001.00008');
  });
});

describe('fills: direction, start position and closed PnL', () => {
  it('labels opens, closes and flips the way Hyperliquid does', () => {
    expect(direction(new Decimal(0), true, new Decimal(1))).toBe('Open Long');
    expect(direction(new Decimal(0), false, new Decimal(1))).toBe('Open Short');
    expect(direction(new Decimal(1), true, new Decimal(1))).toBe('Open Long');
    expect(direction(new Decimal(1), false, new Decimal(1))).toBe('Close Long');
    expect(direction(new Decimal(1), false, new Decimal(2))).toBe('Long > Short');
    expect(direction(new Decimal(-1), false, new Decimal(1))).toBe('Open Short');
    expect(direction(new Decimal(-1), true, new Decimal('0.5'))).toBe('Close Short');
    expect(direction(new Decimal(-1), true, new Decimal(3))).toBe('Short > Long');
  });

  it('reports gross closed PnL and the position before each fill', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })]);
    venue.place(ALICE, [order({ isBuy: false, price: '100000', size: '0.8', tif: 'Ioc' })]);
    venue.place(ALICE, [order({ price: '100020', size: '0.3', tif: 'Ioc' })]);
    const fills = venue.userFills(ALICE).reverse();
    expect(fills.map((f) => [f.dir, f.startPosition, f.closedPnl])).toEqual([
      ['Open Long', '0.0', '0.0'],
      ['Long > Short', '0.5', '-5.0'], // 0.5 x (100000 - 100010)
      ['Close Short', '-0.3', '-6.0'], // 0.3 x (100000 - 100020)
    ]);
    const fees = fills.reduce((s, f) => s.plus(f.fee), new Decimal(0));
    expect(venue.inspect(ALICE)).toEqual({ cash: new Decimal(100_000).minus(11).minus(fees).toFixed(), positions: [] });
    expect(fills.every((f) => f.hash.startsWith('0x') && f.hash.length === 66 && f.cloid === null)).toBe(true);
  });
});

describe('clearinghouseState', () => {
  it('values a long at the mark with every field Hyperliquid sends', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })]);
    // Mark = mid of the recorded book, 100005; taker fee 22.50225; cash 99977.49775.
    const state = venue.clearinghouseState(ALICE);
    const summary = { accountValue: '99974.99775', totalNtlPos: '50002.5', totalRawUsd: '49972.49775', totalMarginUsed: '2500.125' };
    expect(state).toEqual({
      marginSummary: summary,
      crossMarginSummary: summary,
      crossMaintenanceMarginUsed: '625.03125',
      withdrawable: '97474.87275',
      time: venue.now(),
      assetPositions: [
        {
          type: 'oneWay',
          position: {
            coin: 'BTC',
            szi: '0.5',
            leverage: { type: 'cross', value: 20 },
            entryPx: '100010.0',
            positionValue: '50002.5',
            unrealizedPnl: '-2.5',
            returnOnEquity: '-0.0009999',
            liquidationPx: null,
            marginUsed: '2500.125',
            maxLeverage: 40,
            cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
          },
        },
      ],
    });
  });

  it('estimates a short’s liquidation price where account value meets maintenance margin', () => {
    const { venue } = scriptedVenue({}, { balance: 2000 });
    venue.place(ALICE, [order({ isBuy: false, price: '99990', size: '0.3', tif: 'Ioc' })]);
    const position = venue.clearinghouseState(ALICE).assetPositions[0]!.position;
    const liq = new Decimal(position.liquidationPx ?? 'NaN');
    const { cash, positions } = venue.inspect(ALICE)!;
    const { size, cost } = positions[0]!;
    const valueAtLiq = new Decimal(cash).plus(new Decimal(size).times(liq)).minus(cost);
    const maintenanceAtLiq = new Decimal(size).abs().times(liq).div(80);
    expect(valueAtLiq.minus(maintenanceAtLiq).abs().lt('0.0001')).toBe(true);
    expect(liq.gt(100_005)).toBe(true);
  });

  it('answers zeros for an account never seen, and funds it on first sight', () => {
    const { venue } = scriptedVenue({}, { balance: '2500.5' });
    expect(venue.inspect(BOB)).toBeUndefined();
    expect(venue.clearinghouseState(BOB).marginSummary).toEqual({ accountValue: '2500.5', totalNtlPos: '0.0', totalRawUsd: '2500.5', totalMarginUsed: '0.0' });
    expect(venue.spotBalances(BOB)).toEqual([{ coin: 'USDC', token: 0, hold: '0.0', total: '0.0', entryNtl: '0.0' }]);
  });
});

describe('leverage', () => {
  it('sets cross leverage per coin within the market maximum', () => {
    const { venue } = scriptedVenue();
    expect(venue.updateLeverage(ALICE, 0, true, 10)).toBeUndefined();
    venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })]);
    const position = venue.clearinghouseState(ALICE).assetPositions[0]!.position;
    expect(position.leverage).toEqual({ type: 'cross', value: 10 });
    expect(position.marginUsed).toBe('5000.25');
    expect(venue.updateLeverage(ALICE, 1, true, 26)).toEqual({ error: 'Leverage must be a whole number from 1 to 25. asset=1' });
    expect(venue.updateLeverage(ALICE, 0, true, 2.5)).toEqual({ error: 'Leverage must be a whole number from 1 to 40. asset=0' });
    expect(venue.updateLeverage(ALICE, 0, false, 5)).toEqual({ error: 'Isolated margin is not simulated; use cross. asset=0' });
    expect(venue.updateLeverage(ALICE, 9, true, 5)).toEqual({ error: 'Unknown asset. asset=9' });
  });

  it('refuses to lower leverage below what the positions need, and keeps the old value', () => {
    const { venue } = scriptedVenue({}, { balance: 3000 });
    venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })]);
    expect(venue.updateLeverage(ALICE, 0, true, 1)).toEqual({ error: 'Insufficient margin for this leverage. asset=0' });
    expect(venue.clearinghouseState(ALICE).assetPositions[0]!.position.leverage.value).toBe(20);
    expect(venue.updateLeverage(ALICE, 0, true, 40)).toBeUndefined();
  });

  it('defaults to 20x capped at the market maximum', () => {
    const { venue } = scriptedVenue({}, { defaultLeverage: 30 });
    venue.place(ALICE, [order({ assetId: 1, price: '3001', size: '1', tif: 'Ioc' }), order({ price: '100010', size: '0.1', tif: 'Ioc' })]);
    const leverage = Object.fromEntries(venue.clearinghouseState(ALICE).assetPositions.map((p) => [p.position.coin, p.position.leverage.value]));
    expect(leverage).toEqual({ ETH: 25, BTC: 30 });
  });
});
