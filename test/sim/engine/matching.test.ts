import { describe, expect, it } from 'vitest';
import type { L2Book } from '../../../src/sim/venue-api.js';
import { ALICE, BOB, BTC_ASKS, BTC_BIDS, CAROL, book, order, scriptedVenue, trade } from './scripted.js';

function side(l2: L2Book | undefined, bids: boolean): [string, string][] {
  return (l2?.levels[bids ? 0 : 1] ?? []).map((l) => [l.px, l.sz]);
}

describe('taking replayed liquidity', () => {
  it('sweeps levels in price order with partial fills and reports the average price', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '100020', size: '0.8', tif: 'Ioc' })])).toEqual([{ filled: { totalSz: '0.8', avgPx: '100013.75', oid: 1 } }]);
    const fills = venue.userFills(ALICE).reverse();
    expect(fills.map((f) => [f.px, f.sz, f.crossed])).toEqual([
      ['100010.0', '0.5', true],
      ['100020.0', '0.3', true],
    ]);
    expect(side(venue.l2Book('BTC'), false)).toEqual([['100020.0', '0.7']]);
  });

  it('an IOC fills what it can and cancels the rest; a GTC rests the rest', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '100020', size: '2', tif: 'Ioc' })])).toEqual([{ filled: { totalSz: '1.5', avgPx: '100016.66666667', oid: 1 } }]);
    expect(venue.orderStatus(ALICE, 1)).toMatchObject({ status: 'canceled', order: { sz: '0.5', origSz: '2.0' } });

    const { venue: other } = scriptedVenue();
    expect(other.place(BOB, [order({ price: '100010', size: '2' })])).toEqual([{ resting: { oid: 1 } }]);
    expect(other.openOrders(BOB)).toMatchObject([{ oid: 1, sz: '1.5', origSz: '2.0', limitPx: '100010.0' }]);
    expect(side(other.l2Book('BTC'), true)[0]).toEqual(['100010.0', '1.5']);
  });

  it('a market order is an IOC at a slippage price and walks the book', () => {
    const { venue } = scriptedVenue();
    const result = venue.place(ALICE, [order({ isBuy: false, price: '95000', size: '2.5', tif: 'Ioc' })]);
    expect(result).toEqual([{ filled: { totalSz: '2.5', avgPx: '99994.0', oid: 1 } }]);
  });
});

describe('price-time priority', () => {
  it('at one price, earlier user orders fill first', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ isBuy: false, price: '100005', size: '0.1' })]);
    venue.place(BOB, [order({ isBuy: false, price: '100005', size: '0.1' })]);
    venue.place(CAROL, [order({ price: '100005', size: '0.15', tif: 'Ioc' })]);
    expect(venue.openOrders(ALICE)).toEqual([]);
    expect(venue.orderStatus(ALICE, 1)?.status).toBe('filled');
    expect(venue.openOrders(BOB)).toMatchObject([{ oid: 2, sz: '0.05' }]);
    expect(venue.userFills(BOB)).toMatchObject([{ sz: '0.05', crossed: false, px: '100005.0' }]);
  });

  it('a better price beats an earlier one, and the recorded level goes before users at its price', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ isBuy: false, price: '100010', size: '0.1' })]);
    venue.place(BOB, [order({ isBuy: false, price: '100008', size: '0.1' })]);
    venue.place(CAROL, [order({ price: '100010', size: '0.65', tif: 'Ioc' })]);
    const carol = venue.userFills(CAROL).reverse().map((f) => [f.px, f.sz]);
    expect(carol).toEqual([
      ['100008.0', '0.1'],
      ['100010.0', '0.5'],
      ['100010.0', '0.05'],
    ]);
    expect(venue.userFills(ALICE)).toMatchObject([{ sz: '0.05' }]);
  });

  it('meeting one’s own resting order cancels it instead of trading (expire maker)', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ isBuy: false, price: '100005', size: '0.1' })]);
    expect(venue.place(ALICE, [order({ price: '100010', size: '0.2', tif: 'Ioc' })])).toEqual([{ filled: { totalSz: '0.2', avgPx: '100010.0', oid: 2 } }]);
    expect(venue.orderStatus(ALICE, 1)?.status).toBe('canceled');
    expect(venue.userFills(ALICE)).toHaveLength(1);
  });

  it('a modify that keeps price and side keeps its place; one that changes price loses it', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ price: '100005', size: '0.1' })]);
    venue.place(BOB, [order({ price: '100005', size: '0.1' })]);
    expect(venue.modify(ALICE, [{ oid: 1, order: order({ price: '100005', size: '0.2' }) }])).toEqual([{ resting: { oid: 3 } }]);
    expect(venue.orderStatus(ALICE, 1)?.status).toBe('canceled');
    venue.place(CAROL, [order({ isBuy: false, price: '100005', size: '0.1', tif: 'Ioc' })]);
    expect(venue.openOrders(ALICE)).toMatchObject([{ oid: 3, sz: '0.1' }]);
    expect(venue.openOrders(BOB)).toMatchObject([{ oid: 2, sz: '0.1' }]);

    // CAROL's IOC took oid 4.
    expect(venue.modify(ALICE, [{ oid: 3, order: order({ price: '100006', size: '0.1' }) }])).toEqual([{ resting: { oid: 5 } }]);
    expect(venue.modify(ALICE, [{ oid: 5, order: order({ price: '100005', size: '0.1' }) }])).toEqual([{ resting: { oid: 6 } }]);
    venue.place(CAROL, [order({ isBuy: false, price: '100005', size: '0.1', tif: 'Ioc' })]);
    expect(venue.openOrders(BOB)).toEqual([]);
    expect(venue.openOrders(ALICE)).toMatchObject([{ oid: 6, sz: '0.1' }]);
  });

  it('a refused modify leaves the original order as it was; a modify keeps the cloid', () => {
    const { venue } = scriptedVenue();
    const cloid = '0x0000000000000000000000000000c10d';
    venue.place(ALICE, [order({ price: '99000', size: '0.01', cloid })]);
    expect(venue.modify(ALICE, [{ oid: cloid, order: order({ price: '99000', size: '0.000001' }) }])).toEqual([{ error: 'Order has invalid size.' }]);
    expect(venue.openOrders(ALICE)).toMatchObject([{ oid: 1, sz: '0.01', cloid }]);
    expect(venue.modify(ALICE, [{ oid: cloid, order: order({ price: '99100', size: '0.02' }) }])).toEqual([{ resting: { oid: 2, cloid } }]);
    expect(venue.orderStatus(ALICE, cloid)?.order.oid).toBe(2);
  });
});

describe('liquidity consumed from the recording', () => {
  it('stays consumed while snapshots repeat the level, and returns when the level changes', () => {
    const { venue, clock } = scriptedVenue({
      btc: [book(0, BTC_BIDS, BTC_ASKS), book(1000, BTC_BIDS, BTC_ASKS), book(2000, BTC_BIDS, [['100010', '0.6'], ['100020', '1']])],
    });
    expect(venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })])).toMatchObject([{ filled: { totalSz: '0.5' } }]);
    venue.advance(1000);
    expect(side(venue.l2Book('BTC'), false)).toEqual([['100020.0', '1.0']]);
    expect(venue.place(BOB, [order({ price: '100010', size: '0.5', tif: 'Ioc' })])).toEqual([
      { error: 'Order could not immediately match against any resting orders. asset=0' },
    ]);
    venue.advance(1000);
    expect(clock.now()).toBe(venue.now());
    expect(side(venue.l2Book('BTC'), false)[0]).toEqual(['100010.0', '0.6']);
    expect(venue.place(BOB, [order({ price: '100010', size: '0.6', tif: 'Ioc' })])).toMatchObject([{ filled: { totalSz: '0.6' } }]);
  });
});

describe('resting user orders meet the replayed market as makers', () => {
  it('a recorded trade at or through the price fills it, up to the trade size, at the order’s price', () => {
    const { venue } = scriptedVenue({
      btc: [
        book(0, BTC_BIDS, BTC_ASKS),
        trade(1000, 'BTC', 'A', '100000', '1'),
        trade(2000, 'BTC', 'B', '100007', '1'),
        trade(3000, 'BTC', 'B', '100010', '0.05'),
        trade(4000, 'BTC', 'B', '100008', '0.2'),
      ],
    });
    venue.place(ALICE, [order({ isBuy: false, price: '100008', size: '0.1' })]);
    venue.advance(2000);
    expect(venue.userFills(ALICE)).toEqual([]);
    venue.advance(1000);
    expect(venue.userFills(ALICE)).toMatchObject([{ px: '100008.0', sz: '0.05', crossed: false, side: 'A', dir: 'Open Short' }]);
    venue.advance(1000);
    expect(venue.userFills(ALICE)).toMatchObject([{ sz: '0.05' }, { sz: '0.05' }]);
    expect(venue.orderStatus(ALICE, 1)?.status).toBe('filled');
    expect(venue.openOrders(ALICE)).toEqual([]);
  });

  it('a snapshot that crosses a resting order fills it against the new levels, and the book is uncrossed after', () => {
    const { venue } = scriptedVenue({
      btc: [book(0, BTC_BIDS, BTC_ASKS), book(1000, [['99990', '1']], [['100004', '0.1'], ['100005', '0.1'], ['100006', '1']])],
    });
    venue.place(ALICE, [order({ price: '100005', size: '0.3' })]);
    const seen: string[] = [];
    venue.on('fills', (user, fills) => seen.push(...fills.map((f) => `${user}:${f.px}:${f.sz}:${f.crossed}`)));
    venue.advance(1000);
    expect(seen).toEqual([`${ALICE}:100005.0:0.2:false`]);
    expect(venue.openOrders(ALICE)).toMatchObject([{ sz: '0.1' }]);
    const l2 = venue.l2Book('BTC');
    expect(side(l2, true)[0]).toEqual(['100005.0', '0.1']);
    expect(side(l2, false)[0]).toEqual(['100006.0', '1.0']);
  });
});

describe('reduce-only', () => {
  it('fills no more than the position, and a resting one is cancelled once the position is gone', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ price: '100010', size: '0.5', tif: 'Ioc' })]);
    expect(venue.place(ALICE, [order({ isBuy: false, price: '99990', size: '1', tif: 'Ioc', reduceOnly: true })])).toEqual([
      { filled: { totalSz: '0.5', avgPx: '100000.0', oid: 2 } },
    ]);
    expect(venue.clearinghouseState(ALICE).assetPositions).toEqual([]);

    venue.place(ALICE, [order({ price: '100020', size: '0.2', tif: 'Ioc' })]);
    expect(venue.place(ALICE, [order({ isBuy: false, price: '100050', size: '0.2', reduceOnly: true })])).toEqual([{ resting: { oid: 4 } }]);
    venue.place(ALICE, [order({ isBuy: false, price: '99990', size: '0.2', tif: 'Ioc' })]);
    expect(venue.orderStatus(ALICE, 4)?.status).toBe('reduceOnlyCanceled');
    expect(venue.openOrders(ALICE)).toEqual([]);
  });
});
